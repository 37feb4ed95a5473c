"""What each point of an analysis means, in plain words: the engine's own reading of its rules.

One sentence per pattern, written for the nurses and managers who read the chart, not
for statisticians. The chart tooltips, the web page's table, the measure summaries and
their notifications, the command line and the Learn exercises all read these, so a
person gets the same explanation whichever way they look at a chart.

The vocabulary is the Making Data Count one, from the point to the icon: a point's
``category`` is one of :data:`VARIATION` (``common_cause``, ``improvement``,
``concern``, ``neither``), the names :attr:`Analysis.variation_icon` uses too.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from ._analysis import Analysis
from ._errors import SPCError

__all__ = ["ASSURANCE", "VARIATION", "PointMeaning", "explain"]

#: What a point (and the variation icon) can show: no special cause, or a special cause
#: that is better, worse, or neither (when no direction is better).
VARIATION = ("common_cause", "improvement", "concern", "neither")
#: What the assurance icon can say about a target.
ASSURANCE = ("pass", "fail", "hit_and_miss")

# What each rule column means; the sentences depend on the pattern, not on the
# rule set that found it, so one run flagged by four rule sets reads once.
_KIND_BY_RULE: dict[str, str] = {
    "mdc:outside": "outside",
    "western-electric:1": "outside",
    "nelson:1": "outside",
    "mdc:shift": "shift",
    "western-electric:4": "shift",
    "nelson:2": "shift",
    "ihi:shift": "shift",
    "mdc:trend": "trend",
    "nelson:3": "trend",
    "ihi:trend": "trend",
    "mdc:two_of_three": "two_of_three",
    "western-electric:2": "two_of_three",
    "nelson:5": "two_of_three",
    "western-electric:3": "four_of_five",
    "nelson:6": "four_of_five",
    "nelson:4": "alternating",
    "nelson:7": "hugging",
    "nelson:8": "mixture",
    "ihi:runs": "ihi_runs",
}

# The Making Data Count order for deciding a point's direction when several
# patterns flag it (outside first, then trend, then two-of-three, then shift).
_DIRECTION_PRIORITY = (
    "outside",
    "trend",
    "two_of_three",
    "shift",
    "four_of_five",
    "mixture",
    "run",
)

_SIDE_WORD = {"up": "above", "down": "below"}


@dataclass(frozen=True, slots=True)
class PointMeaning:
    """What one point of an analysis shows.

    Attributes
    ----------
    index : int
        The point's position (as in ``Analysis.points``).
    category : str
        One of :data:`VARIATION`: the point's own special cause, if any, judged against
        the better direction. Patterns of the whole part (too few crossings) give
        reasons but leave the point ``common_cause``.
    direction : str or None
        ``"up"`` or ``"down"``: the side or slope of the point's special cause.
    patterns : tuple of str
        The patterns the point belongs to: ``outside``, ``shift``, ``trend``,
        ``two_of_three``, ``four_of_five``, ``alternating``, ``hugging``,
        ``mixture``, ``run`` (a long Anhøj run) or ``other``.
    rules : tuple of str
        The rule columns that flag the point (``sigma_signal``, ``runs_signal``,
        ``mdc:shift``, ...).
    reasons : tuple of str
        One plain sentence per pattern, the point's own first.
    part_reasons : tuple of str
        Those of ``reasons`` that are about the whole part (said once by a table).
    excluded : bool
        Left out of the calculations (still plotted).
    """

    index: int
    category: str
    direction: str | None
    patterns: tuple[str, ...]
    rules: tuple[str, ...]
    reasons: tuple[str, ...]
    part_reasons: tuple[str, ...]
    excluded: bool

    @property
    def special(self) -> bool:
        """A special cause at this point itself (it gets a colour on the chart)."""
        return self.category != "common_cause"

    @property
    def signal(self) -> bool:
        """Any reason at all, the part's patterns included."""
        return bool(self.reasons)

    @property
    def outside(self) -> bool:
        """Beyond a control limit."""
        return "outside" in self.patterns

    @property
    def own_reasons(self) -> tuple[str, ...]:
        """What this point itself shows (the part's patterns left to be said once)."""
        return tuple(t for t in self.reasons if t not in self.part_reasons)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy (lists for tuples), with ``signal``."""
        out = {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(self).items()}
        out["signal"] = self.signal
        return out


class _Columns:
    """The analysis's columns as Python lists (NaN as None), read once."""

    def __init__(self, analysis: Analysis) -> None:
        points = analysis.points
        self.n = len(analysis)
        self.columns: dict[str, list[Any]] = {}
        for name, arr in points.items():
            if name == "x":
                continue
            values = arr.tolist()
            if arr.dtype.kind == "f":
                values = [None if v is None or math.isnan(v) else v for v in values]
            self.columns[name] = values
        self.columns.setdefault("part", [1] * self.n)
        self.rules = [c for c in points if ":" in c]
        self.parts = [dict(p) for p in analysis.parts]

    def get(self, name: str) -> list[Any] | None:
        return self.columns.get(name)

    def value(self, name: str, i: int) -> Any:
        col = self.columns.get(name)
        return None if col is None else col[i]


def _side(y: float | None, cl: float | None) -> str | None:
    if y is None or cl is None or y == cl:
        return None
    return "up" if y > cl else "down"


def _part_ranges(c: _Columns) -> Iterator[tuple[Any, list[int]]]:
    """Indices of each part, in order (parts are contiguous by construction)."""
    current: Any = object()
    members: list[int] = []
    for i, p in enumerate(c.columns["part"]):
        if p != current and members:
            yield current, members
            members = []
        current = p
        members.append(i)
    if members:
        yield current, members


def _stretches(
    flags: Sequence[bool], idx: list[int], bridge: set[int] | None = None
) -> list[list[int]]:
    """Maximal runs of flagged indices; unflagged indices in ``bridge`` neither break nor count."""
    out: list[list[int]] = []
    run: list[int] = []
    for i in idx:
        if flags[i]:
            run.append(i)
        elif bridge is not None and i in bridge:
            continue
        else:
            if run:
                out.append(run)
            run = []
    if run:
        out.append(run)
    return out


def _monotone_pieces(run: list[int], y: list[Any]) -> list[tuple[list[int], str]]:
    """Split a flagged trend stretch into rising and falling pieces (a peak joins both)."""
    pieces: list[tuple[list[int], str]] = []
    start = 0
    direction: str | None = None
    for k in range(1, len(run)):
        a, b = y[run[k - 1]], y[run[k]]
        if a is None or b is None or a == b:
            continue
        step = "up" if b > a else "down"
        if direction is None:
            direction = step
        elif step != direction:
            pieces.append((run[start:k], direction))
            start, direction = k - 1, step
    pieces.append((run[start:], direction or "up"))
    return pieces


def _one_sided_pieces(
    run: list[int], y: list[Any], cl: list[Any]
) -> list[tuple[list[int], str | None]]:
    """Split a flagged stretch where the points change side of the centre line."""
    pieces: list[tuple[list[int], str | None]] = []
    for i in run:
        side = _side(y[i], cl[i])
        if pieces and pieces[-1][1] == side:
            pieces[-1][0].append(i)
        else:
            pieces.append(([i], side))
    return pieces


def _part_record(c: _Columns, part: Any) -> Mapping[str, Any]:
    return next((r for r in c.parts if r.get("part") == part), {})


class _Collector:
    def __init__(self, n: int) -> None:
        self.reasons: list[list[str]] = [[] for _ in range(n)]
        self.kinds: list[dict[str, str | None]] = [{} for _ in range(n)]
        self.rules: list[list[str]] = [[] for _ in range(n)]
        self.part_level: set[str] = set()

    def add_part(self, i: int, text: str) -> None:
        """A reason about the whole part (its runs), not about this point's own pattern."""
        self.part_level.add(text)
        self.add(i, text)

    def add(self, i: int, text: str, kind: str | None = None, direction: str | None = None) -> None:
        if text not in self.reasons[i]:
            self.reasons[i].append(text)
        if kind is not None and kind not in self.kinds[i]:
            self.kinds[i][kind] = direction

    def fired(self, i: int, column: str) -> None:
        if column not in self.rules[i]:
            self.rules[i].append(column)


def _limit_sentence(y: float, c: _Columns, i: int) -> tuple[str, str]:
    ucl, lcl = c.value("ucl", i), c.value("lcl", i)
    if ucl is not None and y > ucl:
        return "Above the upper control limit", "up"
    if lcl is not None and y < lcl:
        return "Below the lower control limit", "down"
    side = _side(y, c.value("cl", i)) or "up"
    return f"Beyond the {'upper' if side == 'up' else 'lower'} control limit", side


def _explain_rule(c: _Columns, out: _Collector, column: str, kind: str, idx: list[int]) -> None:
    flags = c.columns[column]
    y = c.columns["y"]
    cl = c.get("cl") or [None] * c.n
    for i in idx:
        if flags[i]:
            out.fired(i, column)
    if kind == "outside":
        for i in idx:
            if flags[i] and y[i] is not None:
                text, beyond = _limit_sentence(float(y[i]), c, i)
                out.add(i, text, "outside", beyond)
        return
    if kind == "ihi_runs":
        return  # explained once per part, from the part record
    bridge = None
    if column == "ihi:shift":
        # IHI skips points on the centre line: they neither count nor break a shift.
        bridge = {i for i in idx if y[i] is not None and cl[i] is not None and y[i] == cl[i]}
    for run in _stretches(flags, idx, bridge):
        count = len(run)
        if kind == "trend":
            for piece, direction in _monotone_pieces(run, y):
                word = "rising" if direction == "up" else "falling"
                for i in piece:
                    out.add(i, f"Part of a trend of {len(piece)} {word} points", "trend", direction)
        elif kind == "shift":
            # A shift below can end where a shift above begins: flagged points
            # next to each other are one shift only while they stay on one side.
            for piece, side in _one_sided_pieces(run, y, cl):
                where = _SIDE_WORD.get(side or "", "on one side of")
                text = f"{len(piece)} points in a row {where} the centre line: a shift"
                for i in piece:
                    out.add(i, text, "shift", side)
        elif kind in ("two_of_three", "four_of_five"):
            for i in run:
                side = _side(y[i], cl[i])
                if kind == "two_of_three":
                    limit = "upper" if side == "up" else "lower"
                    text = (
                        f"2 of 3 points in a row close to the {limit} control limit "
                        "(beyond two sigma): an early warning"
                    )
                else:
                    text = (
                        f"4 of 5 points in a row well {_SIDE_WORD.get(side or '', 'away from')} "
                        "the centre line (beyond one sigma): a likely shift"
                    )
                out.add(i, text, kind, side)
        elif kind == "alternating":
            for i in run:
                out.add(
                    i,
                    f"Part of {count} points in a row alternating up and down: "
                    "look for over-adjustment or two sources taking turns",
                    kind,
                )
        elif kind == "hugging":
            for i in run:
                out.add(
                    i,
                    f"Part of {count} points in a row close to the centre line (within one "
                    "sigma): the limits may be too wide, e.g. data mixed from different sources",
                    kind,
                )
        elif kind == "mixture":
            for i in run:
                out.add(
                    i,
                    f"Part of {count} points in a row far from the centre line (beyond one "
                    "sigma), none near it: two different processes may be mixed",
                    kind,
                    _side(y[i], cl[i]),
                )
        else:  # a rule this module does not know yet: still say something true
            set_name, _, rule = column.partition(":")
            for i in run:
                out.add(i, f"Flagged by the {set_name} rule {rule}", "other")


def _explain_runs(c: _Columns, out: _Collector, part: Any, idx: list[int]) -> None:
    """Anhøj runs analysis: name the long runs, or say the line crosses too rarely."""
    record = _part_record(c, part)
    runs_col = c.get("runs_signal")
    part_signal = bool(record.get("runs_signal")) or (
        runs_col is not None and any(runs_col[i] for i in idx)
    )
    y, cl = c.columns["y"], c.get("cl")
    include = c.get("include") or [True] * c.n
    if part_signal and cl is not None:
        for i in idx:
            out.fired(i, "runs_signal")
        longest_max = record.get("longest_run_max")
        useful = [
            i
            for i in idx
            if include[i] and y[i] is not None and cl[i] is not None and y[i] != cl[i]
        ]
        runs: list[list[int]] = []
        for i in useful:
            side = y[i] > cl[i]
            if runs and (y[runs[-1][-1]] > cl[runs[-1][-1]]) == side:
                runs[-1].append(i)
            else:
                runs.append([i])
        longest = record.get("longest_run")
        if longest_max is not None and longest is not None and longest > longest_max:
            for run in runs:
                if len(run) > longest_max:
                    side = "up" if y[run[0]] > cl[run[0]] else "down"
                    text = (
                        f"Part of a run of {len(run)} points {_SIDE_WORD[side]} the centre line, "
                        f"longer than the {longest_max} expected by chance: a shift"
                    )
                    for i in run:
                        out.add(i, text, "run", side)
        crossings, crossings_min = record.get("n_crossings"), record.get("n_crossings_min")
        if crossings is not None and crossings_min is not None and crossings < crossings_min:
            times = "once" if crossings == 1 else f"{crossings} times"
            text = (
                f"The line crosses the centre line only {times} in this part, "
                f"fewer than the {crossings_min} expected by chance: a shift is likely"
            )
            for i in idx:
                out.add_part(i, text)
        if longest is None and crossings is None:
            for i in idx:
                out.add_part(i, "The runs analysis of this part signals a non-random pattern")
    ihi = c.get("ihi:runs")
    if ihi is not None and any(ihi[i] for i in idx):
        n_useful, crossings = record.get("n_useful"), record.get("n_crossings")
        if n_useful is not None and crossings is not None:
            runs_count = crossings + 1
            # Perla's bounds straddle the expected n/2 + 1 runs, so the side of
            # the mean tells which bound was broken.
            if runs_count < n_useful / 2 + 1:
                text = (
                    f"Too few runs ({runs_count}) for {n_useful} points in this part "
                    "(IHI run chart rule): a shift is likely"
                )
            else:
                text = (
                    f"Too many runs ({runs_count}) for {n_useful} points in this part (IHI run "
                    "chart rule): the data may alternate between sources or be over-adjusted"
                )
        else:
            text = "Too few or too many runs in this part (IHI run chart rule)"
        for i in idx:
            if ihi[i]:
                out.add_part(i, text)


def _category(kinds: dict[str, str | None], improvement: str | None) -> tuple[str, str | None]:
    if not kinds:
        return "common_cause", None
    direction = next((kinds[k] for k in _DIRECTION_PRIORITY if kinds.get(k) is not None), None)
    if direction is None or improvement is None:
        return "neither", direction
    return ("improvement" if direction == improvement else "concern"), direction


def explain(analysis: Analysis, *, improvement: str | None = None) -> tuple[PointMeaning, ...]:
    """What each point of an analysis means, in chart order.

    Parameters
    ----------
    analysis
        The result of :func:`analyze` (or :meth:`Analysis.from_dict`).
    improvement
        ``"up"`` or ``"down"``: which direction is better; it decides whether a
        special cause is an ``improvement`` or a ``concern``. Default: the one the
        analysis was asked for; without one, special causes are ``neither``.

    Examples
    --------
    >>> from champion import spc
    >>> a = spc.analyze([10, 12, 11, 13, 12, 11, 40, 12], chart="i")
    >>> m = spc.explain(a, improvement="down")[6]
    >>> (m.category, m.direction, m.reasons)
    ('concern', 'up', ('Above the upper control limit',))
    """
    if improvement is None:
        improvement = analysis.options.get("improvement")
    if improvement not in (None, "up", "down"):
        raise SPCError(f"improvement must be 'up', 'down' or None, not {improvement!r}")
    c = _Columns(analysis)
    out = _Collector(c.n)
    sigma = c.get("sigma_signal")
    for part, idx in _part_ranges(c):
        if sigma is not None:
            _explain_rule(c, out, "sigma_signal", "outside", idx)
        for column in c.rules:
            _explain_rule(c, out, column, _KIND_BY_RULE.get(column, "other"), idx)
        _explain_runs(c, out, part, idx)
    include = c.get("include") or [True] * c.n
    result = []
    for i in range(c.n):
        category, direction = _category(out.kinds[i], improvement)
        result.append(
            PointMeaning(
                index=i,
                category=category,
                direction=direction,
                patterns=tuple(out.kinds[i]),
                rules=tuple(out.rules[i]),
                reasons=tuple(out.reasons[i]),
                part_reasons=tuple(t for t in out.reasons[i] if t in out.part_level),
                excluded=not include[i],
            )
        )
    return tuple(result)
