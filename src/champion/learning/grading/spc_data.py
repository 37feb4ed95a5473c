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


def analyse(data: dict[str, Any]) -> spc.Analysis:
    """Run an exercise's data through the engine (raises `spc.SPCError` on bad data)."""
    rules = tuple(r for r in data.get("rules") or () if r != "anhoej")
    return spc.analyze(
        data["y"],
        chart=data["chart"],
        x=parse_x(data.get("x")),
        n=data.get("n"),
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


def label(value: Any) -> str:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.strftime("%-d %b %Y")
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
