"""Checks an aim statement names how much, by when and for whom, with messages that help.

Plain heuristics, not language understanding: they look for a quantity that is not part
of the date, a deadline, and a population or place. They are deliberately generous (the
exercise teaches the three parts, it does not mark prose) and every message says what to add.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MONTHS = (
    r"jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|"
    r"sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?"
)
_DATE_PATTERNS = [
    rf"\b\d{{1,2}}(st|nd|rd|th)?\s+({MONTHS})\b(,?\s+\d{{4}})?",
    rf"\b({MONTHS})\s+\d{{1,2}}(st|nd|rd|th)?(,?\s+\d{{4}})?",
    rf"\b({MONTHS})\b(\s+\d{{4}})?",
    r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b",
    r"\b(19|20)\d{2}\b",
    r"\bq[1-4]\b",
]
_DEADLINE = re.compile(
    rf"\b(by|before|until|within|in the next|over the next|end of|close of)\b.{{0,40}}?"
    rf"(\d|{MONTHS}|week|month|year|quarter|spring|summer|autumn|winter|financial)"
    rf"|\b({MONTHS})\b.{{0,10}}\b(19|20)\d{{2}}\b|\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"\d|\b(half|halve|halving|double|zero|none|no more than|third|quarter|"
    r"one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty|hundred|percent|per cent)\b",
    re.IGNORECASE,
)
_WHO = re.compile(
    r"\b(patients?|people|persons?|residents?|adults?|children|child|clients?|families|family|"
    r"carers?|inpatients?|outpatients?|service users?|users?|mothers?|women|men|babies|infants|"
    r"older|elderly|staff|nurses?|doctors?|visitors?|callers?|ward|wards|unit|clinic|department|"
    r"service|bay|theatres?|icu|hospital|practice|team|admissions?|discharges?|referrals?|"
    r"attendances?|surgery|pharmacy|community|emergency)\b",
    re.IGNORECASE,
)
_SOLUTION = re.compile(
    r"\b(by|through)\s+(introducing|using|implementing|installing|buying|adding|starting|"
    r"putting|giving|training|rolling out)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class AimCheck:
    key: str
    label: str
    ok: bool
    message: str


def _without_dates(text: str) -> str:
    for pattern in _DATE_PATTERNS:
        text = re.sub(pattern, " ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(by|before|within|end of)\s+\d+\s+(days?|weeks?|months?|years?)", " ", text)
    # Numbers that name a place ("Ward 12", "bay 3") are not an amount of improvement.
    return re.sub(
        r"\b(ward|bay|room|unit|theatre|clinic|floor|level|bed|block|building)\s+\d+\w*",
        " ",
        text,
        flags=re.IGNORECASE,
    )


def check_aim(text: str) -> tuple[list[AimCheck], list[str]]:
    """The three checks, and advice that does not fail the aim (e.g. a solution in the aim)."""
    text = " ".join(text.split())
    how_much = bool(_QUANTITY.search(_without_dates(text)))
    by_when = bool(_DEADLINE.search(text))
    for_whom = bool(_WHO.search(text))
    checks = [
        AimCheck(
            "how_much",
            "How much",
            how_much,
            "It says how much: a number to reach."
            if how_much
            else "Add how much: a number to reach, ideally from today's level "
            "(for example 'from 6.3 to 3 or fewer per 1,000 bed-days', or 'by half').",
        ),
        AimCheck(
            "by_when",
            "By when",
            by_when,
            "It says by when."
            if by_when
            else "Add by when: a date or a time frame (for example 'by 31 December' "
            "or 'within six months').",
        ),
        AimCheck(
            "for_whom",
            "For whom",
            for_whom,
            "It says for whom or where."
            if for_whom
            else "Add for whom: which patients, people or service, and where "
            "(for example 'adult inpatients on Ward 12').",
        ),
    ]
    advice = []
    if _SOLUTION.search(text):
        advice.append(
            "Your aim names a solution. Keep changes out of the aim: they are ideas to test "
            "with PDSA cycles, and the team may find better ones."
        )
    if len(text.split()) < 8:
        advice.append("A useful aim is usually one full sentence of 15 to 40 words.")
    return checks, advice
