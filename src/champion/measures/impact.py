"""Impact in numbers: what a change did to a measure, computed from its phases.

A team marks the change on the chart with a new phase (the chart page offers one where a
shift began after a tested change). The impact of the latest phase is:

- **before**: the centre line of the part before it (the median on a run chart, the mean
  or pooled proportion/rate on a control chart), in the measure's plotted units;
- **after**: the centre line of the new part;
- **difference**: after - before, with its meaning: an improvement when it goes the
  measure's better way, a deterioration when it goes the other way;
- **the rule that confirmed it**: the engine's first signal in the new part, in the
  direction of the change, when the new points are read against the *old* part's centre
  line and limits (the before part frozen as the baseline and extended), following the
  measure's rule set;
- **sustained**: the period at which that rule first fired, found by giving the engine the
  points one at a time from the pattern's first point (so "sustained" is the date the team
  could first have said so, not the end of the data).

Nothing is invented: without a phase, with too few points on either side, or without a
rule confirming the new level, the impact says so (`status`) and carries no confirmed
difference. Pure computation from the engine's arguments (no queries), so the refresh that
analyses a measure stores its impact in the measure's summary and Lead sums it without
analysing anything.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from champion import spc

#: Points the part before the change needs for its level to be a baseline: what the engine asks
#: for a verdict (`spc.MIN_POINTS`): 12 for a control chart's limits, 10 for a run chart.
#: The part after the change needs at least AFTER_MIN points: the shortest shift any rule set
#: accepts (six points, the IHI run chart rule) before a level can be called sustained.
AFTER_MIN = 6

#: Signals that say the level moved one way (a "runs" signal has no side).
CONFIRMING = ("shift", "outside", "trend", "two-of-three", "four-of-five")

STATUS_TEXT = {
    "confirmed": "Confirmed by the data",
    "unconfirmed": "Not confirmed yet",
    "no_phase": "No phase marks the change",
    "too_few": "Too few points",
    "no_data": "No data",
}

RULE_SET_WORDS = {
    "anhoej": "Anhøj rules",
    "ihi": "IHI run chart rules",
    "western-electric": "Western Electric rules",
    "nelson": "Nelson rules",
    "mdc": "Making Data Count rules",
}

KIND_WORDS = {
    "shift": "a shift",
    "outside": "a point beyond the old control limit",
    "trend": "a trend",
    "two-of-three": "two of three points beyond two sigma",
    "four-of-five": "four of five points beyond one sigma",
}


@dataclass(frozen=True)
class Impact:
    """The impact of a measure's latest phase. `status` is one of `STATUS_TEXT`; `before`,
    `after` and `difference` are on the plotted scale (with `multiply` applied)."""

    status: str
    message: str
    phase_start: datetime.date | None = None
    phase_label: str = ""
    before: float | None = None
    after: float | None = None
    before_n: int = 0
    after_n: int = 0
    #: "improvement", "deterioration", "no change" or "neither" (no better direction).
    meaning: str = ""
    #: "up" or "down": the way the level moved ("" when it did not).
    direction: str = ""
    rule_set: str = ""
    rule_kind: str = ""
    rule: str = ""
    sustained: datetime.date | None = None

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"

    @property
    def difference(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def status_text(self) -> str:
        return STATUS_TEXT.get(self.status, self.status)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("phase_start", "sustained"):
            value = data[key]
            data[key] = value.isoformat() if value else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> Impact | None:
        if not data:
            return None
        values: dict[str, Any] = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        for key in ("phase_start", "sustained"):
            value = values.get(key)
            if isinstance(value, str):
                values[key] = datetime.date.fromisoformat(value[:10])
        return cls(**values)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, np.datetime64):
        value = value.astype("datetime64[D]").item()
    return value if isinstance(value, datetime.date) else None


def _finite(value: Any) -> float | None:
    number = float(value)
    return number if math.isfinite(number) else None


def compute(
    arguments: dict[str, Any] | None,
    *,
    rule_set: str,
    phase_label: str = "",
) -> Impact:
    """The impact of the latest phase of a series, from `measures.analysis.engine_arguments`
    (values, dates, denominators, chart, parts, exclusions, multiply, better direction).

    Raises nothing: data the engine refuses give a status and a message, never a number."""
    if not arguments or not len(arguments["y"]):
        return Impact("no_data", "The measure has no data yet.")
    parts = sorted(arguments.get("parts") or [])
    if not parts:
        return Impact(
            "no_phase",
            "No phase marks the change on the chart, so there is no before and after to "
            "compare. Start a new phase where the change took effect.",
        )
    start = parts[-1]
    begin = parts[-2] if len(parts) > 1 else 0
    x = arguments["x"]
    phase_start = _date(x[start])
    improvement = arguments.get("improvement")
    chart = arguments["chart"]
    minimum = spc.MIN_POINTS["runs" if chart == "run" else "limits"]
    excluded = set(arguments.get("exclude") or [])

    def count(lo: int, hi: int) -> int:
        y = arguments["y"]
        return sum(1 for i in range(lo, hi) if i not in excluded and _present(y[i]))

    before_n, after_n = count(begin, start), count(start, len(arguments["y"]))
    base: dict[str, Any] = {"phase_start": phase_start, "phase_label": phase_label,
            "before_n": before_n, "after_n": after_n, "rule_set": rule_set}  # fmt: skip
    if before_n < minimum or after_n < AFTER_MIN:
        return Impact(
            "too_few",
            f"Too few points to compare: the level before the change needs {minimum} points "
            f"(it has {before_n}) and the level after it {AFTER_MIN} (it has {after_n}).",
            **base,
        )
    try:
        whole = spc.analyze(**{**arguments, "rules": _rules(rule_set)})
        levels = whole.points["cl"]
        before, after = _finite(levels[start - 1]), _finite(levels[start])
        frozen = _frozen(arguments, begin, start, rule_set)
    except spc.SPCError as exc:
        return Impact("no_data", f"The data cannot be analysed: {exc}", **base)
    if before is None or after is None:
        return Impact("too_few", "The engine found no level on one side of the change.", **base)
    diff = after - before
    direction = "up" if diff > 0 else "down" if diff < 0 else ""
    if not direction:
        meaning = "no change"
    elif not improvement:
        meaning = "neither"
    else:
        meaning = "improvement" if direction == improvement else "deterioration"
    base.update(before=before, after=after, meaning=meaning, direction=direction)
    earliest = _confirming(frozen, start - begin, direction)
    found = _first_confirmed(arguments, begin, start, rule_set, direction, earliest)
    if found is None:
        return Impact(
            "unconfirmed",
            "No rule has confirmed the new level yet: read against the level before the "
            "change, the points since show no signal in the direction of the change.",
            **base,
        )
    signal, sustained = found
    words = KIND_WORDS.get(signal.kind, signal.kind)
    rule = f"{words} against the level before the change ({RULE_SET_WORDS.get(rule_set, rule_set)})"
    return Impact(
        "confirmed",
        f"Confirmed by {rule}.",
        rule_kind=signal.kind,
        rule=rule,
        sustained=sustained,
        **base,
    )


def _rules(rule_set: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(("anhoej", rule_set or "anhoej")))


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _slice(arguments: dict[str, Any], begin: int, end: int, freeze: int) -> dict[str, Any]:
    """The points from `begin` to `end` (exclusive), the first `freeze` of them the baseline."""
    n = arguments.get("n")
    exclude = [i - begin for i in (arguments.get("exclude") or []) if begin <= i < end]
    return {
        **arguments,
        "y": list(arguments["y"][begin:end]),
        "x": arguments["x"][begin:end],
        "n": None if n is None else list(n[begin:end]),
        "parts": None,
        "freeze": freeze,
        "exclude": exclude or None,
    }


def _frozen(arguments: dict[str, Any], begin: int, start: int, rule_set: str) -> spc.Analysis:
    """The points of the part before the change and after it, the before part frozen as the
    baseline: its centre line and limits extended over the new points."""
    sliced = _slice(arguments, begin, len(arguments["y"]), start - begin)
    return spc.analyze(**{**sliced, "rules": _rules(rule_set)})


def _confirming(
    analysis: spc.Analysis, after_from: int, direction: str
) -> spc.GroupedSignal | None:
    """Of the signals in the direction of the change that reach the new points, the one that
    reaches furthest (the one that fired last when the data end there), the more telling kind
    first."""
    if not direction:
        return None
    said = spc.verdict(analysis)
    found = [
        s
        for s in said.signals
        if s.kind in CONFIRMING and s.direction == direction and s.last >= after_from
    ]
    return max(found, key=lambda s: (s.last, -CONFIRMING.index(s.kind))) if found else None


def _first_confirmed(
    arguments: dict[str, Any],
    begin: int,
    start: int,
    rule_set: str,
    direction: str,
    seen: spc.GroupedSignal | None,
) -> tuple[spc.GroupedSignal, datetime.date | None] | None:
    """The first period at which the engine, given only the data up to it, confirms the
    change, and the rule that did: the new points are added one at a time. `seen` is what the
    whole series shows (None: nothing to look for)."""
    if seen is None:
        return None
    for end in range(start + 1, len(arguments["y"]) + 1):
        sliced = _slice(arguments, begin, end, start - begin)
        try:
            prefix = spc.analyze(**{**sliced, "rules": _rules(rule_set)})
        except spc.SPCError:
            continue
        signal = _confirming(prefix, start - begin, direction)
        if signal is not None:
            return signal, _date(arguments["x"][end - 1])
    return seen, _date(arguments["x"][begin + seen.last])
