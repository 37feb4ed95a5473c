"""Exercise data for `champion.spc`: ISO date labels become dates, never categorical text."""

from __future__ import annotations

import datetime
from typing import Any

from champion import spc

#: Charts that need a denominator n.
NEEDS_N = {"p", "np", "u", "pp", "up"}

CHART_LABELS = {
    "run": "Run chart",
    "i": "I chart (individuals, XmR)",
    "mr": "Moving range (MR) chart",
    "xbar": "X-bar chart",
    "r": "R chart",
    "s": "S chart",
    "t": "T chart (time between rare events)",
    "p": "P chart (proportions)",
    "np": "NP chart (number of defectives)",
    "c": "C chart (counts)",
    "u": "U chart (rates)",
    "pp": "P′ chart (Laney)",
    "up": "U′ chart (Laney)",
    "g": "G chart (cases between events)",
    "ip": "I′ chart (Taylor)",
}


def parse_x(values: list[Any] | None) -> list[Any] | None:
    """Labels as given, except that ISO date strings (YYYY-MM-DD) become `datetime.date`s.

    YAML already turns unquoted dates into dates; quoted ones arrive as text, which the
    engine would treat as categorical labels (sorted as text, no runs analysis).
    """
    if values is None:
        return None
    parsed: list[Any] = []
    for value in values:
        if isinstance(value, str):
            try:
                parsed.append(datetime.date.fromisoformat(value.strip()))
                continue
            except ValueError:
                pass
        parsed.append(value)
    if all(isinstance(v, datetime.date) for v in parsed):
        return parsed
    return list(values)


def text_labels(values: list[Any] | None) -> bool:
    """Labels that are text, not numbers or dates ("W1", "Jan"): shown, never sorted.

    The engine treats text x as categories and sorts them as text ("W1", "W10", "W2"...),
    which is never what an author listing labels in order means; such labels are kept for
    display and the points are analysed in the order given.
    """
    parsed = parse_x(values)
    return (
        parsed is not None
        and any(isinstance(v, str) for v in parsed)
        and not all(isinstance(v, datetime.date) for v in parsed)
    )


def analyse(data: dict[str, Any]) -> spc.Analysis:
    """Run an exercise's data through the engine (raises `spc.SPCError` on bad data)."""
    rules = tuple(r for r in data.get("rules") or () if r != "anhoej")
    return spc.analyze(
        data["y"],
        chart=data["chart"],
        x=None if text_labels(data.get("x")) else parse_x(data.get("x")),
        n=data.get("n"),
        freeze=data.get("freeze"),
        parts=data.get("parts"),
        cl=data.get("cl"),
        rules=("anhoej", *rules),
    )


def flagged_points(analysis: spc.Analysis, rules: list[str]) -> list[int]:
    """Indices flagged by the requested rule sets' columns plus `sigma_signal`."""
    points = analysis.points
    columns = [name for name in points if any(name.startswith(f"{r}:") for r in rules)]
    columns.append("sigma_signal")
    if "anhoej" in rules:
        columns.append("runs_signal")
    count = len(points["y"])
    return [i for i in range(count) if any(bool(points[c][i]) for c in columns)]


def point_label(data: dict[str, Any], analysis: spc.Analysis, index: int) -> str:
    """A point's label as a person reads it: the exercise's own x, or its number counting from 1."""
    if data.get("x") is None:
        return str(index + 1)
    if text_labels(data["x"]):
        return str(data["x"][index])
    return label(analysis.points["x"][index])


def label(value: Any) -> str:
    if hasattr(value, "item"):  # numpy scalars, datetime64[D] included, to Python values
        value = value.item()
    if isinstance(value, datetime.date | datetime.datetime):
        return value.strftime("%-d %b %Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Plain names for the rule columns a learner may be asked to name (SPC.md, "Rule sets").
RULE_LABELS = {
    "sigma_signal": "A point beyond a control limit",
    "runs_signal": "Anhøj runs rule: a run that is too long, or too few crossings",
    "ihi:shift": "Shift: 6 or more points in a row on one side of the centre line",
    "ihi:trend": "Trend: 5 or more points in a row all going up or all going down",
    "ihi:runs": "Too few or too many runs",
    "western-electric:1": "Western Electric 1: a point beyond a control limit",
    "western-electric:2": "Western Electric 2: 2 of 3 points beyond 2 sigma on one side",
    "western-electric:3": "Western Electric 3: 4 of 5 points beyond 1 sigma on one side",
    "western-electric:4": "Western Electric 4: 8 points in a row on one side",
    "nelson:1": "Nelson 1: a point beyond a control limit",
    "nelson:2": "Nelson 2: 9 points in a row on one side",
    "nelson:3": "Nelson 3: 6 points in a row steadily rising or falling",
    "nelson:4": "Nelson 4: 14 points in a row alternating up and down",
    "nelson:5": "Nelson 5: 2 of 3 points beyond 2 sigma on one side",
    "nelson:6": "Nelson 6: 4 of 5 points beyond 1 sigma on one side",
    "nelson:7": "Nelson 7: 15 points in a row within 1 sigma",
    "nelson:8": "Nelson 8: 8 points in a row beyond 1 sigma, either side",
    "mdc:outside": "Making Data Count: a point outside the process limits",
    "mdc:shift": "Making Data Count: 7 points in a row on one side (a shift)",
    "mdc:trend": "Making Data Count: 7 points in a row going up or down (a trend)",
    "mdc:two_of_three": "Making Data Count: 2 of 3 points close to a limit",
}


def rule_columns(analysis: spc.Analysis, rules: list[str]) -> list[str]:
    """The rule columns a learner may name: the requested sets', plus limits where there are any."""
    points = analysis.points
    columns = [name for name in points if any(name.startswith(f"{r}:") for r in rules)]
    if "anhoej" in rules:
        columns.append("runs_signal")
    has_limits = any(v == v for v in points["ucl"])  # NaN != NaN: run charts have no limits
    if has_limits and not any(
        c in columns for c in ("western-electric:1", "nelson:1", "mdc:outside")
    ):
        columns.insert(0, "sigma_signal")
    return columns


def fired_rules(analysis: spc.Analysis, rules: list[str]) -> list[str]:
    return [c for c in rule_columns(analysis, rules) if bool(analysis.points[c].any())]
