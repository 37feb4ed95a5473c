"""Is this a good aim statement? A small, pure checker (no Django), shared with Learn's exercise.

An aim says **how much** (a number: "from 12 to 6", "by 50%", "to 95%"), **by when**
(a date or a deadline: "by March 2026", "within 6 months", "by the end of Q3") and
**for whom** (the people or place: "for patients admitted to Ward 7", "in the
emergency department"). The checker looks for each with plain patterns and says in
plain words what is missing; it is a coach's first glance, not a grammar.

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
    r"sep(t|tember)?|oct(ober)?|nov(ember)?|dec(ember)?"
)
_HOW_MUCH = re.compile(
    r"\d+(\.\d+)?\s*(%|percent|per\s?cent|percentage points?)"  # 50%, 20 percent
    r"|\bfrom\s+[\d.,]+.*?\bto\s+[\d.,]+"  # from 12 to 6
    r"|\b(by|to|under|below|above|over|at least|at most|fewer than|less than|more than|within)\s+[\d.,]+"
    r"|\b(halve|halving|double|doubling|zero|eliminate|eliminating|no more than)\b"
    r"|\b[\d.,]+\s*(minutes?|mins?|hours?|days?|per|patients?|falls?|cases?|incidents?)\b",
    re.IGNORECASE,
)
_BY_WHEN = re.compile(
    rf"\b(by|before|until|within|in the next|over the next|during|end of)\b[^.;]*?"
    rf"(\b(19|20)\d{{2}}\b|\b({_MONTHS})\b|\b\d+\s*(weeks?|months?|years?|days?)\b|\bq[1-4]\b"
    rf"|\b(spring|summer|autumn|fall|winter)\b|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}})"
    rf"|\b({_MONTHS})\s+(19|20)\d{{2}}\b",
    re.IGNORECASE,
)
_FOR_WHOM = re.compile(
    r"\b(for|among|amongst|in|on|at|across|of|to)\s+(all\s+|our\s+|the\s+|adult\s+|older\s+)*"
    r"([a-z0-9'’-]+\s+){0,3}"
    r"(patients?|residents?|people|staff|nurses?|clients?|children|families|carers?|visitors?|"
    r"admissions?|referrals?|ward|wards|unit|units|department|clinic|clinics|theatres?|service|"
    r"practice|team|hospital|icu|ed|a&e|emergency|outpatients?|inpatients?|discharges?|"
    r"users?|mothers?|babies|women|men|population|community)\b"
    r"|\bward\s+\d+\b",
    re.IGNORECASE,
)

_ADVICE = {
    "how much": "Say how much: a number you can measure, e.g. “from 12 to 6 per month” or “to 95%”.",
    "by when": "Say by when: a date or deadline, e.g. “by 31 March 2026” or “within 6 months”.",
    "for whom": "Say for whom or where: the people or place, e.g. “for patients admitted to Ward 7”.",
}


@dataclass(frozen=True)
class AimCheck:
    """What an aim statement states, and advice for each part it leaves out."""

    text: str
    how_much: bool
    by_when: bool
    for_whom: bool
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.missing and bool(self.text.strip())

    @property
    def empty(self) -> bool:
        return not self.text.strip()

    @property
    def advice(self) -> list[str]:
        if self.empty:
            return ["Write an aim: what will improve, by how much, by when and for whom."]
        return [_ADVICE[part] for part in self.missing]

    def parts(self) -> list[tuple[str, bool]]:
        return [("how much", self.how_much), ("by when", self.by_when), ("for whom", self.for_whom)]


def check_aim(text: str) -> AimCheck:
    """Check that an aim states how much, by when and for whom."""
    text = text or ""
    found = {
        "how much": bool(_HOW_MUCH.search(text)),
        "by when": bool(_BY_WHEN.search(text)),
        "for whom": bool(_FOR_WHOM.search(text)),
    }
    return AimCheck(
        text=text,
        how_much=found["how much"],
        by_when=found["by when"],
        for_whom=found["for whom"],
        missing=[part for part, ok in found.items() if not ok],
    )
