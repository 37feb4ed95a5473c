"""Is this a good aim statement? One small, pure checker (no Django) for charters and lessons.

An aim says **how much** (a number: "from 12 to 6", "by 50%", "to 95%", "by half"),
**by when** (a date or a deadline: "by March 2026", "within 6 months", "by the end of
Q3") and **for whom** (the people or place: "for patients admitted to Ward 7", "in the
emergency department"). The checker looks for each with plain patterns and says in plain
words what is missing; it is a coach's first glance, not a grammar. It is deliberately
generous: it teaches the three parts, it does not mark prose. The project charter and
Learn's aim-statement exercise both use it, so an aim that passes in a lesson passes in
a real project.

>>> check_aim("Reduce falls on Ward 7 from 8 to 4 per 1,000 bed days by 31 March 2026").ok
True
>>> check_aim("Improve handover").missing
['how much', 'by when', 'for whom']
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["AimCheck", "check_aim"]

_MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?"
)
# Dates and place numbers are taken out before looking for an amount: "by 31 March 2026"
# and "Ward 7" are not an amount of improvement.
_NOT_AMOUNTS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        rf"\b\d{{1,2}}(st|nd|rd|th)?\s+({_MONTHS})\b(,?\s+\d{{4}})?",
        rf"\b({_MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?\b(,?\s+\d{{4}})?",
        rf"\b({_MONTHS})\b(\s+\d{{4}})?",
        r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",
        r"\b(19|20)\d{2}\b",
        r"\bq[1-4]\b",
        r"\b(by|before|within|end of|in the next|over the next)\s+\d+\s+(days?|weeks?|months?|years?)",
        r"\b(ward|bay|room|unit|theatre|clinic|floor|level|bed|block|building)\s+\d+\w*",
    )
]
_HOW_MUCH = re.compile(
    r"\d|%|\b(half|halve|halving|double|doubling|triple|zero|none|no more than|eliminate|"
    r"third|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|"
    r"percent|per cent)\b",
    re.IGNORECASE,
)
_BY_WHEN = re.compile(
    rf"\b(by|before|until|within|in the next|over the next|during|end of|close of)\b[^.;]*?"
    rf"(\b(19|20)\d{{2}}\b|\b({_MONTHS})\b|\b\d+\s*(weeks?|months?|years?|days?)\b|\bq[1-4]\b"
    rf"|\b(spring|summer|autumn|fall|winter|quarter|financial year)\b"
    rf"|\bnext\s+(week|month|year)\b|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
    rf"|\b({_MONTHS})\s+(19|20)\d{{2}}\b",
    re.IGNORECASE,
)
_FOR_WHOM = re.compile(
    r"\b(patients?|people|persons?|residents?|adults?|children|child|clients?|families|family|"
    r"carers?|inpatients?|outpatients?|service users?|users?|mothers?|women|men|babies|infants|"
    r"older|elderly|staff|nurses?|doctors?|visitors?|callers?|ward|wards|unit|units|clinics?|"
    r"department|service|bay|theatres?|icu|ed|a&e|hospital|practice|team|admissions?|"
    r"discharges?|referrals?|attendances?|surgery|pharmacy|community|emergency|population)\b",
    re.IGNORECASE,
)
_SOLUTION = re.compile(
    r"\b(by|through)\s+(introducing|using|implementing|installing|buying|adding|starting|"
    r"putting|giving|training|rolling out)\b",
    re.IGNORECASE,
)

_PARTS = {
    "how much": (
        "It says how much: a number to reach.",
        "Say how much: a number you can measure, ideally from today's level, e.g. “from 12 "
        "to 6 per month”, “to 95%” or “by half”.",
    ),
    "by when": (
        "It says by when.",
        "Say by when: a date or deadline, e.g. “by 31 March 2026” or “within 6 months”.",
    ),
    "for whom": (
        "It says for whom or where.",
        "Say for whom or where: the people or place, e.g. “for patients admitted to Ward 7”.",
    ),
}


@dataclass(frozen=True)
class AimCheck:
    """What an aim statement states, advice for each part it leaves out, and notes."""

    text: str
    how_much: bool
    by_when: bool
    for_whom: bool
    missing: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and not self.empty

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def advice(self) -> list[str]:
        """What to add; empty when the aim states all three parts."""
        if self.empty:
            return ["Write an aim: what will improve, by how much, by when and for whom."]
        return [_PARTS[part][1] for part in self.missing]

    def parts(self) -> list[tuple[str, bool]]:
        return [("how much", self.how_much), ("by when", self.by_when), ("for whom", self.for_whom)]

    def messages(self) -> list[tuple[str, bool, str]]:
        """(part, stated, what to say about it) for each of the three parts."""
        return [(part, found, _PARTS[part][0 if found else 1]) for part, found in self.parts()]


def _amount_text(text: str) -> str:
    for pattern in _NOT_AMOUNTS:
        text = pattern.sub(" ", text)
    return text


def check_aim(text: str) -> AimCheck:
    """Check that an aim states how much, by when and for whom.

    `notes` carry advice that does not fail the aim: a solution written into the aim,
    or an aim too short to be a full sentence.
    """
    text = " ".join((text or "").split())
    found = {
        "how much": bool(_HOW_MUCH.search(_amount_text(text))),
        "by when": bool(_BY_WHEN.search(text)),
        "for whom": bool(_FOR_WHOM.search(text)),
    }
    notes = []
    if _SOLUTION.search(text):
        notes.append(
            "Your aim names a solution. Keep changes out of the aim: they are ideas to test "
            "with PDSA cycles, and the team may find better ones."
        )
    if text and len(text.split()) < 8:
        notes.append("A useful aim is usually one full sentence of 15 to 40 words.")
    return AimCheck(
        text=text,
        how_much=found["how much"],
        by_when=found["by when"],
        for_whom=found["for whom"],
        missing=[part for part, ok in found.items() if not ok],
        notes=notes,
    )
