"""The numbers an aim states: its baseline, its target, their unit and its deadline.

Pure Python, like the checker. Reads the common forms, and leaves a part None when the aim
does not say it plainly (an aim that says "halve falls" has no baseline to check):

- baseline and target: "from 8 to 4", "from 62% to 90%", "from a median of 41 to 30";
  a target alone after "to", "below", "under", "at least" ("to below 18 days");
- the unit: the words after the target up to the deadline or the people ("per 1,000 bed
  days", "%", "minutes"), with its scale: "%" (percent), "per 1,000", "per 100", "per 10,000";
- the deadline: "31 March 2026", "March 31, 2026", "31/03/2026" (day first), "2026-03-31",
  "March 2026" (its last day), "Q2 2027" (the quarter's last day), "end of 2026" or
  "by 2026" (31 December).

>>> n = read_numbers("Reduce falls on Ward 7 from 8 to 4 per 1,000 bed days by 31 March 2026")
>>> (n.baseline, n.target, n.unit, n.scale, n.deadline.isoformat())
(8.0, 4.0, 'per 1,000 bed days', 1000.0, '2026-03-31')
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass

__all__ = ["AimNumbers", "read_numbers"]

_NUM = r"\d[\d,]*(?:\.\d+)?"
_FROM_TO = re.compile(
    rf"\bfrom\s+(?:an?\s+|the\s+)?(?:(?:median|mean|average|baseline|rate|level)\s+)?(?:of\s+)?"
    rf"(?:about\s+|around\s+)?(?P<a>{_NUM})\s*(?P<pa>%|percent|per cent)?(?P<between>.{{0,60}}?)"
    rf"\bto\s+(?:under\s+|below\s+|less than\s+|fewer than\s+|at least\s+|at most\s+|"
    rf"no more than\s+|about\s+|above\s+|over\s+)?(?P<b>{_NUM})(?P<after>.*)$",
    re.IGNORECASE,
)
_TARGET = re.compile(
    rf"\b(?:to|below|under|above|over|at least|at most|no more than|fewer than|less than)\s+"
    rf"(?:under\s+|below\s+|above\s+|at least\s+|less than\s+|fewer than\s+)?"
    rf"(?P<b>{_NUM})(?P<after>.*)$",
    re.IGNORECASE,
)
#: Words that end the unit after the target number.
_UNIT_END = re.compile(
    r"\s(?:by|before|until|within|for|in|on|at|among|across|amongst|during|over|from|and|"
    r"while|whilst|without)\s|[,.;]\s|[.;]?$",
    re.IGNORECASE,
)
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class AimNumbers:
    """What an aim states in numbers; None (or "") for what it does not say plainly."""

    baseline: float | None = None
    target: float | None = None
    unit: str = ""
    #: 100 for percentages, 1000 for "per 1,000"; None when the unit names no scale.
    scale: float | None = None
    deadline: datetime.date | None = None


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _unit(after: str, percent: bool) -> tuple[str, float | None]:
    """The unit after the target number, and its scale."""
    after = after.lstrip()
    if percent or re.match(r"(?:%|percent\b|per cent\b)", after, re.IGNORECASE):
        return "%", 100.0
    end = _UNIT_END.search(" " + after)
    unit = (" " + after)[: end.start()].strip() if end else after.strip()
    unit = " ".join(unit.split()[:8])
    scale = None
    found = re.search(r"\bper\s+(\d[\d,]*)", unit, re.IGNORECASE)
    if found:
        scale = _number(found.group(1))
    return unit, scale


def _last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _deadline(text: str) -> datetime.date | None:
    """The first deadline the aim states in a form with a definite date."""
    patterns: list[tuple[re.Pattern[str], str]] = [
        (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b"), "iso"),
        (re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.]((?:19|20)?\d{2})\b"), "dmy"),
        (
            re.compile(
                rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\s*,?\s*({_YEAR})\b", re.I
            ),
            "d month y",
        ),
        (
            re.compile(rf"\b({_MONTH})\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*({_YEAR})\b", re.I),
            "month d y",
        ),
        (re.compile(rf"\b({_MONTH})\s+({_YEAR})\b", re.I), "month y"),
        (re.compile(rf"\bq([1-4])\s*(?:of\s+)?({_YEAR})\b", re.I), "quarter"),
        (
            re.compile(
                rf"\b(?:by|before|in|during|until)\s+(?:the\s+end\s+of\s+)?({_YEAR})\b", re.I
            ),
            "year",
        ),
        (re.compile(rf"\bend\s+of\s+({_YEAR})\b", re.I), "year"),
    ]
    found: list[tuple[int, datetime.date]] = []
    for pattern, kind in patterns:
        for m in pattern.finditer(text):
            try:
                day = _date(kind, m.groups())
            except ValueError:
                continue
            if day is not None:
                found.append((m.start(), day))
    return min(found)[1] if found else None


def _date(kind: str, g: tuple[str, ...]) -> datetime.date | None:
    if kind == "iso":
        return datetime.date(int(g[0]), int(g[1]), int(g[2]))
    if kind == "dmy":
        year = int(g[2]) if len(g[2]) == 4 else 2000 + int(g[2])
        return datetime.date(year, int(g[1]), int(g[0]))
    if kind == "d month y":
        return datetime.date(int(g[2]), _MONTHS[g[1].lower().rstrip(".")], int(g[0]))
    if kind == "month d y":
        return datetime.date(int(g[2]), _MONTHS[g[0].lower().rstrip(".")], int(g[1]))
    if kind == "month y":
        return _last_day(int(g[1]), _MONTHS[g[0].lower().rstrip(".")])
    if kind == "quarter":
        return _last_day(int(g[1]), int(g[0]) * 3)
    if kind == "year":
        return datetime.date(int(g[0]), 12, 31)
    return None


def read_numbers(text: str) -> AimNumbers:
    """The baseline, target, unit and deadline an aim states (see the module docstring)."""
    text = " ".join((text or "").replace("–", "-").replace("’", "'").split())
    deadline = _deadline(text)
    both = _FROM_TO.search(text)
    if both:
        unit, scale = _unit(both.group("after"), bool(both.group("pa")))
        return AimNumbers(
            baseline=_number(both.group("a")),
            target=_number(both.group("b")),
            unit=unit,
            scale=scale,
            deadline=deadline,
        )
    alone = _TARGET.search(text)
    if alone and not re.match(r"\s*(?:-|/)", alone.group("after")):
        unit, scale = _unit(alone.group("after"), False)
        # "to 2027" is a year, not a target.
        if not re.fullmatch(_YEAR, alone.group("b")):
            return AimNumbers(
                target=_number(alone.group("b")), unit=unit, scale=scale, deadline=deadline
            )
    return AimNumbers(deadline=deadline)
