"""Which SPC rule sets a lesson or exercise teaches, and a note when the learner's organisation
charts its measures by another one.

A lesson teaches a rule set when one of its chart figures names it (`rules: [ihi]` in a
```figure block, docs/content-format.md) or its exercise grades by it (`spc_signals`,
`mdc_icons` and the other chart kinds' `rules`). A learner whose organisation follows another
set (`Organisation.rule_set`, Anhøj by default) is told, so that a chart on their own measures
that flags other points than the lesson's is no surprise."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from champion.accounts.models import RuleSet

_FIGURE = re.compile(r"^```figure\s*$(.*?)^```\s*$", re.MULTILINE | re.DOTALL)
_RULES = re.compile(r"^rules:\s*\[([^\]]*)\]", re.MULTILINE)


def taught(body: str, exercise_data: dict[str, Any] | None = None) -> list[str]:
    """The rule sets a lesson's figures and its exercise name, in the order first named."""
    found: list[str] = []
    for block in _FIGURE.findall(body or ""):
        for listed in _RULES.findall(block):
            found += [r.strip().strip("'\"") for r in listed.split(",") if r.strip()]
    rules = (exercise_data or {}).get("rules") or []
    if isinstance(rules, list):
        found += [str(r) for r in rules]
    return [r for r in dict.fromkeys(found) if r in RuleSet.values]


#: A rule set as a sentence names it ("the IHI run chart rules").
SHORT_NAMES = {
    "anhoej": "Anhøj",
    "ihi": "IHI run chart",
    "western-electric": "Western Electric",
    "nelson": "Nelson",
    "mdc": "Making Data Count",
}


@dataclass(frozen=True)
class RuleSetNote:
    """The note shown on a lesson or exercise: the sets it teaches and the organisation's."""

    taught: tuple[str, ...]
    organisation: str

    @property
    def taught_names(self) -> str:
        names = [SHORT_NAMES[r] for r in self.taught]
        return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

    @property
    def organisation_name(self) -> str:
        return SHORT_NAMES[self.organisation]


def note(user: Any, body: str, exercise_data: dict[str, Any] | None = None) -> RuleSetNote | None:
    """A note when what the lesson teaches is not the rule set the learner's organisation
    charts its measures by; None when it is, or when the lesson teaches no rule set."""
    sets = taught(body, exercise_data)
    organisation = getattr(user, "organisation", None)
    if not sets or organisation is None:
        return None
    chosen = organisation.rule_set or RuleSet.ANHOEJ
    if chosen in sets:
        return None
    return RuleSetNote(tuple(sets), chosen)
