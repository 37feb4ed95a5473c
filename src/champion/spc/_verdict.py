"""One verdict per chart: the signals grouped into patterns, and a headline in plain words.

:func:`explain` says what each point means; a person reading a chart wants one answer:
is something happening now, since when, and is it good or bad? :func:`verdict` groups
the flagged points into signals (a run of 11 points above the centre line is one shift
with a start and an end, not 11 sentences), reconciles the Anhøj runs analysis with the
Shewhart rule sets (a chart never reads "random" and "shift" at once: the runs analysis
and every rule are read from the same points), and writes one headline about the
current part (phase) of the chart.

Too few points give no verdict: :data:`MIN_POINTS` (a control chart's limits need 12
points, as the chart chooser says; the runs analysis of a run chart needs 10
points, the first row of the runs tables in docs/spc.md and Perla's Table 1).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ._analysis import Analysis
from ._errors import SPCError
from ._meaning import _KIND_BY_RULE, _collect, _part_ranges, _part_record

__all__ = ["KINDS", "MIN_POINTS", "GroupedSignal", "Phase", "Verdict", "verdict"]

#: Points a part needs before the chart gives a verdict: 12 for a control chart's limits,
#: 10 points (with a value, not excluded) for a run chart's runs analysis.
MIN_POINTS = {"limits": 12, "runs": 10}

#: The kinds of grouped signal, most telling first (the headline prefers the earlier one
#: when two signals reach the latest point).
KINDS = (
    "shift",
    "trend",
    "outside",
    "two-of-three",
    "four-of-five",
    "runs",
    "mixture",
    "alternating",
    "hugging",
    "other",
)

# explain's pattern names -> the verdict's kinds (a long Anhøj run is a shift).
_KIND = {
    "shift": "shift",
    "run": "shift",
    "trend": "trend",
    "outside": "outside",
    "two_of_three": "two-of-three",
    "four_of_five": "four-of-five",
    "mixture": "mixture",
    "alternating": "alternating",
    "hugging": "hugging",
    "other": "other",
}
_RULE_KIND = {rule: _KIND.get(kind, "runs") for rule, kind in _KIND_BY_RULE.items()}
_RULE_KIND.update({"sigma_signal": "outside", "runs_signal": "shift", "ihi:runs": "runs"})

_NAME = {
    "shift": "a shift",
    "trend": "a trend",
    "outside": "outside the control limits",
    "two-of-three": "an early warning",
    "four-of-five": "a likely shift",
    "runs": "not random, a shift is likely",
    "mixture": "two processes may be mixed",
    "alternating": "look for over-adjustment or two sources taking turns",
    "hugging": "the limits may be too wide",
    "other": "a signal",
}
_SIDE = {"up": "above", "down": "below"}


@dataclass(frozen=True, slots=True)
class GroupedSignal:
    """One signal: a pattern of consecutive points, with its first and last period.

    ``start`` and ``end`` are x values (dates, numbers or labels); ``first`` and ``last``
    their positions. ``direction`` is ``"up"`` or ``"down"`` (None for too few or too
    many runs, which have no side); ``category`` is ``improvement``, ``concern`` or
    ``neither``; ``rules`` are the rule columns that found it.
    """

    kind: str
    direction: str | None
    category: str
    rules: tuple[str, ...]
    text: str
    part: int
    first: int
    last: int
    start: Any
    end: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": _json(self.start),
            "end": _json(self.end),
            "kind": self.kind,
            "direction": self.direction,
            "category": self.category,
            "rules": list(self.rules),
            "text": self.text,
            "part": self.part,
        }


@dataclass(frozen=True, slots=True)
class Phase:
    """One part of the chart: its first and last period, its points, whether that is enough."""

    part: int
    start: Any
    end: Any
    n: int
    enough_data: bool
    cl: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "part": self.part,
            "start": _json(self.start),
            "end": _json(self.end),
            "n": self.n,
            "enough_data": self.enough_data,
            "cl": self.cl,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the chart says, once: a headline about the current part, and the signals."""

    headline: str
    enough_data: bool
    signals: tuple[GroupedSignal, ...]
    phases: tuple[Phase, ...]
    rule_set: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (the API's summary)."""
        return {
            "headline": self.headline,
            "enough_data": self.enough_data,
            "signals": [s.to_dict() for s in self.signals],
            "phases": [p.to_dict() for p in self.phases],
            "rule_set": self.rule_set,
        }


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def _x_values(analysis: Analysis) -> list[Any]:
    x = analysis.points["x"]
    if x.dtype.kind == "M":
        return [v.item() for v in x.astype("datetime64[D]")]
    return x.tolist()


def default_label(values: Sequence[Any]) -> Callable[[Any], str]:
    """Dates as "December 2025" when every date is the first of a month, else "7 December
    2025"; numbers as "point 5"; labels as they are."""
    dates = [v for v in values if isinstance(v, datetime.date)]
    monthly = bool(dates) and all(d.day == 1 for d in dates)

    def label(v: Any) -> str:
        if isinstance(v, datetime.date):
            return f"{v:%B %Y}" if monthly else f"{v.day} {v:%B %Y}"
        if isinstance(v, (int, float)):
            return f"point {v:g}"
        return str(v)

    return label


def _because(category: str, improvement: str | None) -> str:
    if category == "improvement" or category == "concern":
        better = "higher" if improvement == "up" else "lower"
        article = "an" if category == "improvement" else "a"
        return f"{article} {category}, because {better} is better"
    return "no better direction is set, so neither good nor bad"


def _rules_of(out: Any, idx: Sequence[int], kind: str) -> tuple[str, ...]:
    seen: list[str] = []
    for i in idx:
        for rule in out.rules[i]:
            if _RULE_KIND.get(rule) == kind and rule not in seen:
                seen.append(rule)
    return tuple(seen)


def verdict(
    analysis: Analysis,
    *,
    improvement: str | None = None,
    label: Callable[[Any], str] | None = None,
    period_word: str = "points",
) -> Verdict:
    """One verdict for a chart: grouped signals and a headline about the current part.

    Parameters
    ----------
    analysis
        The result of :func:`analyze` (or :meth:`Analysis.from_dict`); every rule set it
        was asked for is read, with the Anhøj runs analysis and the points beyond the
        limits, so the verdict and the chart's colours agree.
    improvement
        ``"up"`` or ``"down"``: which direction is better (default: the analysis's own).
    label
        How a period reads in a sentence (default :func:`default_label`): a noun phrase
        ("December 2025", "the week of 1 Dec 2025", "7 December 2025", "point 5"); a single
        period gets "At" before a point, "On" before a label starting with a digit (a day),
        else "In".
    period_word
        The plural word for the points ("months", "weeks"), as in "11 months in a row".

    Examples
    --------
    >>> from champion import spc
    >>> y = [9, 11, 10, 12, 9, 11, 10, 9, 12, 10, 11, 9, 13, 12, 13, 12, 14, 13, 12, 13, 12]
    >>> v = spc.verdict(spc.analyze(y, chart="i", freeze=12), improvement="down")
    >>> v.headline
    'Since point 13, 9 points in a row above the centre line: a shift (a concern, because lower is better).'
    >>> [(s.kind, s.direction, s.category, s.start, s.end) for s in v.signals]
    [('shift', 'up', 'concern', 13, 21)]
    """
    if improvement is None:
        improvement = analysis.options.get("improvement")
    if improvement not in (None, "up", "down"):
        raise SPCError(f"improvement must be 'up', 'down' or None, not {improvement!r}")
    c, out = _collect(analysis)
    xs = _x_values(analysis)
    if xs == list(range(len(xs))):
        xs = [i + 1 for i in xs]  # no x given: the points are numbered from 1, as people count
    say = label or default_label(xs)
    y, cl = c.columns["y"], c.get("cl") or [None] * c.n
    include = c.get("include") or [True] * c.n
    # Every chart but the run chart has limits (a control chart of 1 point still needs 12).
    has_limits = analysis.chart != "run"
    minimum = MIN_POINTS["limits"] if has_limits else MIN_POINTS["runs"]
    last_x = xs[-1] if xs else None

    signals: list[GroupedSignal] = []
    phases: list[Phase] = []
    for part, idx in _part_ranges(c):
        used = [i for i in idx if include[i] and y[i] is not None]
        found: list[GroupedSignal] = []
        for kind in KINDS:
            if kind == "runs":
                continue
            for members, direction in _groups(out, idx, kind, y, cl):
                found.append(
                    _signal(kind, direction, members, out, part, xs, improvement, say,
                            period_word, last_x)
                )  # fmt: skip
        found = _fold(found)
        if not any(s.kind == "shift" for s in found):
            runs = _runs_signal(c, out, part, idx, xs, say, last_x)
            if runs is not None:
                found.append(runs)
        found.sort(key=lambda s: (s.first, KINDS.index(s.kind)))
        signals.extend(found)
        cl_last = next((cl[i] for i in reversed(idx) if cl[i] is not None), None)
        phases.append(
            Phase(
                part=int(part),
                start=xs[idx[0]],
                end=xs[idx[-1]],
                n=len(used),
                enough_data=len(used) >= minimum,
                cl=cl_last,
            )
        )
    rules = [r for r in analysis.options.get("rules", ()) if r != "anhoej"]
    rule_set = rules[-1] if rules else "anhoej"
    if not phases:
        return Verdict("No data yet.", False, (), (), rule_set)
    current = phases[-1]
    now = [s for s in signals if s.part == current.part]
    headline = _headline(current, now, len(phases) > 1, minimum, has_limits, say, period_word)
    return Verdict(headline, current.enough_data, tuple(signals), tuple(phases), rule_set)


def _groups(
    out: Any, idx: list[int], kind: str, y: list[Any], cl: list[Any]
) -> list[tuple[list[int], str | None]]:
    """Maximal stretches of points in one part that show ``kind`` with the same direction.

    A point on the centre line or without a value neither joins nor breaks a shift (IHI
    skips them)."""
    groups: list[tuple[list[int], str | None]] = []
    members: list[int] = []
    direction: str | None = None
    gap = 0  # unflagged points since the last member
    # The window rules mark only the points beyond their line: 2 of 3 and 4 of 5 points
    # may have one unflagged point between them and still be one pattern.
    allowed = 1 if kind in _WINDOW else 0
    for i in idx:
        here = {_KIND[k]: d for k, d in reversed(out.kinds[i].items()) if k in _KIND}
        if kind in ("mixture", "alternating", "hugging"):
            here = {k: (None if k == kind else d) for k, d in here.items()}
        if kind in here and (not members or here[kind] == direction):
            members.append(i)
            direction, gap = here[kind], 0
            continue
        if kind == "shift" and members and (y[i] is None or y[i] == cl[i]):
            continue
        if kind not in here and members and gap < allowed:
            gap += 1
            continue
        if members:
            groups.append((members, direction))
        members, direction, gap = ([i], here[kind], 0) if kind in here else ([], None, 0)
    if members:
        groups.append((members, direction))
    return groups


_WINDOW = ("two-of-three", "four-of-five")
#: Patterns that a shift of the same side already explains; folded into it.
_FOLDED = ("outside", "two-of-three", "four-of-five", "mixture")


def _fold(found: list[GroupedSignal]) -> list[GroupedSignal]:
    """A shift says it all: an early warning, a 4-of-5 or a mixture wholly inside a shift on
    the same side adds its rules to the shift instead of being said again."""
    shifts = [s for s in found if s.kind == "shift"]
    kept: list[GroupedSignal] = []
    extra: dict[int, list[str]] = {}
    beyond: dict[int, int] = {}  # points beyond a limit, folded into each shift
    for s in found:
        homes = [
            k
            for k, sh in enumerate(shifts)
            if s.kind in _FOLDED
            and (s.direction is None or s.direction == sh.direction)
            and sh.first <= s.last
            and s.first <= sh.last
        ]
        covered = {i for k in homes for i in range(shifts[k].first, shifts[k].last + 1)}
        if not homes or not set(range(s.first, s.last + 1)) <= covered:
            kept.append(s)
        else:
            for k in homes:
                extra.setdefault(k, []).extend(s.rules)
                if s.kind == "outside":
                    beyond[k] = beyond.get(k, 0) + s.last - s.first + 1
    out = []
    for s in kept:
        k = shifts.index(s) if s.kind == "shift" else -1
        if k in extra:
            rules = tuple(dict.fromkeys((*s.rules, *extra[k])))
            text = s.text
            if beyond.get(k):
                limit = "upper" if s.direction == "up" else "lower"
                many = "it" if beyond[k] == 1 else "them"
                text = text.replace(
                    " the centre line: a shift",
                    f" the centre line ({beyond[k]} of {many} beyond the {limit} control limit)"
                    ": a shift",
                )
            s = GroupedSignal(
                s.kind, s.direction, s.category, rules, text, s.part, s.first, s.last,
                s.start, s.end,
            )  # fmt: skip
        out.append(s)
    return out


def _points(k: int) -> str:
    return "a point" if k == 1 else f"{k} points"


def _at(where: str) -> str:
    """The preposition before one period's label: "At point 5", "On 7 December 2025" (a
    label that starts with a digit is a day), "In December 2025", "In the week of …"."""
    if where.startswith("point"):
        return f"At {where}"
    return f"{'On' if where[:1].isdigit() else 'In'} {where}"


def _when(start: Any, end: Any, last_x: Any, say: Callable[[Any], str]) -> str:
    if start == end:
        return _at(say(start))
    if end == last_x:
        return f"Since {say(start)}"
    return f"From {say(start)} to {say(end)}"


def _signal(
    kind: str,
    direction: str | None,
    members: list[int],
    out: Any,
    part: Any,
    xs: list[Any],
    improvement: str | None,
    say: Callable[[Any], str],
    word: str,
    last_x: Any,
) -> GroupedSignal:
    k = len(members)
    side = _SIDE.get(direction or "", "on one side of")
    if kind == "shift":
        what = f"{k} {word} in a row {side} the centre line"
    elif kind == "trend":
        what = f"{k} {word} in a row {'rising' if direction == 'up' else 'falling'}"
    elif kind == "outside":
        limit = "upper" if direction == "up" else "lower"
        what = (
            f"a point {side} the {limit} control limit"
            if k == 1
            else f"{k} points {side} the {limit} control limit"
        )
    elif kind == "two-of-three":
        limit = "upper" if direction == "up" else "lower"
        what = f"{_points(k)} close to the {limit} control limit (beyond two sigma)"
    elif kind == "four-of-five":
        what = f"{_points(k)} well {side} the centre line (beyond one sigma)"
    elif kind == "mixture":
        what = f"{k} points in a row far from the centre line, none near it"
    elif kind == "alternating":
        what = f"{k} points in a row alternating up and down"
    elif kind == "hugging":
        what = f"{k} points in a row close to the centre line"
    else:
        what = f"{k} flagged points"
    if direction is None or improvement is None or kind in ("alternating", "hugging"):
        category = "neither"
    else:
        category = "improvement" if direction == improvement else "concern"
    start, end = xs[members[0]], xs[members[-1]]
    text = f"{_when(start, end, last_x, say)}, {what}: {_NAME[kind]}"
    if kind not in ("alternating", "hugging", "other") and (
        direction is not None or improvement is None
    ):
        text += f" ({_because(category, improvement)})"
    return GroupedSignal(
        kind=kind,
        direction=direction if kind not in ("alternating", "hugging") else None,
        category=category,
        rules=_rules_of(out, members, kind),
        text=text + ".",
        part=int(part),
        first=members[0],
        last=members[-1],
        start=start,
        end=end,
    )


def _runs_signal(
    c: Any,
    out: Any,
    part: Any,
    idx: list[int],
    xs: list[Any],
    say: Callable[[Any], str],
    last_x: Any,
) -> GroupedSignal | None:
    """Too few crossings (Anhøj) or too few or too many runs (IHI) in a part with no shift:
    one signal for the whole part, with no side."""
    record = _part_record(c, part)
    rules = [r for r in ("runs_signal", "ihi:runs") if any(r in out.rules[i] for i in idx)]
    crossings, minimum = record.get("n_crossings"), record.get("n_crossings_min")
    few = crossings is not None and minimum is not None and crossings < minimum
    if "runs_signal" in rules and not few:
        rules.remove("runs_signal")  # a long run without a shift group cannot happen; be safe
    if not rules:
        return None
    n_useful = record.get("n_useful")
    if few:
        times = "once" if crossings == 1 else f"{crossings} times"
        what = (
            f"the values cross the centre line only {times} in {n_useful} points, fewer than "
            f"the {minimum} expected by chance: not random, a shift is likely"
        )
    elif n_useful is not None and crossings is not None and crossings + 1 >= n_useful / 2 + 1:
        what = (
            f"too many runs ({crossings + 1}) for {n_useful} points: the values swing more "
            "than chance would, look for over-adjustment or two sources taking turns"
        )
    else:
        what = "too few runs for the number of points: not random, a shift is likely"
    start, end = xs[idx[0]], xs[idx[-1]]
    return GroupedSignal(
        kind="runs",
        direction=None,
        category="neither",
        rules=tuple(rules),
        text=f"{_when(start, end, last_x, say)}, {what}.",
        part=int(part),
        first=idx[0],
        last=idx[-1],
        start=start,
        end=end,
    )


def _headline(
    current: Phase,
    now: list[GroupedSignal],
    phased: bool,
    minimum: int,
    has_limits: bool,
    say: Callable[[Any], str],
    word: str,
) -> str:
    where = f"In the current phase (since {say(current.start)}): " if phased else ""
    if not current.enough_data:
        need = "for limits" if has_limits else "for the runs analysis"
        text = f"{minimum} points are needed {need}; {current.n:,} so far, so no verdict yet."
        if now:
            lead = max(now, key=lambda s: (s.last, -KINDS.index(s.kind)))
            text += f" Early sign: {lead.text}"
        return where + text
    if not now:
        return where + (
            f"No signal: the {current.n:,} {word} vary around the centre line by chance alone "
            "(common-cause variation only)."
        )
    lead = max(now, key=lambda s: (s.last, -KINDS.index(s.kind)))
    text = where + lead.text
    others = len(now) - 1
    if others:
        text += f" {others} more signal{'s' if others > 1 else ''} in the list."
    return text
