"""Plain-language reasons why each point of an SPC chart is flagged.

One sentence per pattern, written for the nurses and managers who read the
chart, not for statisticians. The same reasons feed the chart tooltips, the
command-line summary and the screen-reader table on the web page, so a person
gets the same explanation whichever way they look at a chart.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ._input import Series, load_analysis

__all__ = ["point_signals", "signal_reasons"]

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


def _num(v: Any) -> float | None:
    return None if v is None else float(v)


def _side(y: float | None, cl: float | None) -> str | None:
    if y is None or cl is None or y == cl:
        return None
    return "up" if y > cl else "down"


def _part_ranges(s: Series) -> Iterator[tuple[Any, list[int]]]:
    """Indices of each part, in order (parts are contiguous by construction)."""
    current: Any = object()
    members: list[int] = []
    for i, p in enumerate(s.columns["part"]):
        if p != current and members:
            yield current, members
            members = []
        current = p
        members.append(i)
    if members:
        yield current, members


def _stretches(
    flags: list[bool], idx: list[int], bridge: set[int] | None = None
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
        a, b = _num(y[run[k - 1]]), _num(y[run[k]])
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
        side = _side(_num(y[i]), _num(cl[i]))
        if pieces and pieces[-1][1] == side:
            pieces[-1][0].append(i)
        else:
            pieces.append(([i], side))
    return pieces


def _part_record(s: Series, part: Any) -> dict[str, Any] | None:
    for record in s.parts:
        if record.get("part") == part:
            return record
    return None


class _Collector:
    def __init__(self, n: int) -> None:
        self.reasons: list[list[str]] = [[] for _ in range(n)]
        self.kinds: list[dict[str, str | None]] = [{} for _ in range(n)]
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


def _limit_sentence(y: float, s: Series, i: int) -> tuple[str, str]:
    ucl, lcl = _num(s.value("ucl", i)), _num(s.value("lcl", i))
    if ucl is not None and y > ucl:
        return "Above the upper control limit", "up"
    if lcl is not None and y < lcl:
        return "Below the lower control limit", "down"
    cl = _num(s.value("cl", i))
    side = _side(y, cl) or "up"
    return f"Beyond the {'upper' if side == 'up' else 'lower'} control limit", side


def _explain_rule(s: Series, c: _Collector, column: str, kind: str, idx: list[int]) -> None:
    flags = s.columns[column]
    y, cl = s.columns["y"], s.columns.get("cl", [None] * s.n_points)
    if kind == "outside":
        for i in idx:
            if flags[i] and y[i] is not None:
                text, beyond = _limit_sentence(float(y[i]), s, i)
                c.add(i, text, "outside", beyond)
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
                    c.add(i, f"Part of a trend of {len(piece)} {word} points", "trend", direction)
        elif kind == "shift":
            # A shift below can end where a shift above begins: flagged points
            # next to each other are one shift only while they stay on one side.
            for piece, side in _one_sided_pieces(run, y, cl):
                where = _SIDE_WORD.get(side or "", "on one side of")
                text = f"{len(piece)} points in a row {where} the centre line: a shift"
                for i in piece:
                    c.add(i, text, "shift", side)
        elif kind in ("two_of_three", "four_of_five"):
            for i in run:
                side = _side(_num(y[i]), _num(cl[i]))
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
                c.add(i, text, kind, side)
        elif kind == "alternating":
            for i in run:
                c.add(
                    i,
                    f"Part of {count} points in a row alternating up and down: "
                    "look for over-adjustment or two sources taking turns",
                    kind,
                )
        elif kind == "hugging":
            for i in run:
                c.add(
                    i,
                    f"Part of {count} points in a row close to the centre line (within one "
                    "sigma): the limits may be too wide, e.g. data mixed from different sources",
                    kind,
                )
        elif kind == "mixture":
            for i in run:
                side = _side(_num(y[i]), _num(cl[i]))
                c.add(
                    i,
                    f"Part of {count} points in a row far from the centre line (beyond one "
                    "sigma), none near it: two different processes may be mixed",
                    kind,
                    side,
                )
        else:  # a rule this module does not know yet: still say something true
            set_name, _, rule = column.partition(":")
            for i in run:
                c.add(i, f"Flagged by the {set_name} rule {rule}", "other")


def _explain_runs(s: Series, c: _Collector, part: Any, idx: list[int]) -> None:
    """Anhøj runs analysis: name the long runs, or say the line crosses too rarely."""
    record = _part_record(s, part) or {}
    runs_col = s.columns.get("runs_signal")
    part_signal = bool(record.get("runs_signal")) or (
        runs_col is not None and any(runs_col[i] for i in idx)
    )
    y, cl = s.columns["y"], s.columns.get("cl")
    include = s.columns.get("include", [True] * s.n_points)
    if part_signal and cl is not None:
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
                        c.add(i, text, "run", side)
        crossings, crossings_min = record.get("n_crossings"), record.get("n_crossings_min")
        if crossings is not None and crossings_min is not None and crossings < crossings_min:
            times = "once" if crossings == 1 else f"{crossings} times"
            text = (
                f"The line crosses the centre line only {times} in this part, "
                f"fewer than the {crossings_min} expected by chance: a shift is likely"
            )
            for i in idx:
                c.add_part(i, text)
        if longest is None and crossings is None:
            for i in idx:
                c.add_part(i, "The runs analysis of this part signals a non-random pattern")
    ihi = s.columns.get("ihi:runs")
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
                c.add_part(i, text)


def _category(kinds: dict[str, str | None], improvement: str | None) -> tuple[str, str | None]:
    if not kinds:
        return "common", None
    direction = None
    for kind in _DIRECTION_PRIORITY:
        if kinds.get(kind) is not None:
            direction = kinds[kind]
            break
    if direction is None or improvement is None:
        return "neutral", direction
    return ("improvement" if direction == improvement else "concern"), direction


def point_signals(s: Series) -> list[dict[str, Any]]:
    """The reasons, direction and colour category of every point of a loaded series."""
    c = _Collector(s.n_points)
    sigma = s.columns.get("sigma_signal")
    for part, idx in _part_ranges(s):
        if sigma is not None:
            _explain_rule(s, c, "sigma_signal", "outside", idx)
        for column in s.rules:
            _explain_rule(s, c, column, _KIND_BY_RULE.get(column, "other"), idx)
        _explain_runs(s, c, part, idx)
    include = s.columns.get("include", [True] * s.n_points)
    out: list[dict[str, Any]] = []
    for i in range(s.n_points):
        category, direction = _category(c.kinds[i], s.improvement)
        out.append(
            {
                "index": i,
                "x": s.x[i],
                "y": s.columns["y"][i],
                "part": s.columns["part"][i],
                "excluded": not include[i],
                "signal": bool(c.reasons[i]),
                "category": category,
                "direction": direction,
                "reasons": c.reasons[i],
                "part_reasons": [t for t in c.reasons[i] if t in c.part_level],
            }
        )
    return out


def signal_reasons(
    analysis_or_dict: Any, *, improvement: str | None = None
) -> list[dict[str, Any]]:
    """Explain, per point, why it is flagged, in sentences a non-statistician can act on.

    Parameters
    ----------
    analysis_or_dict
        An ``spc.Analysis`` or its ``to_dict()`` result.
    improvement
        ``"up"`` or ``"down"`` when the better direction is known; it decides
        whether a flagged point is an improvement or a concern.

    Returns
    -------
    list of dict
        One record per point, in chart order: ``index``, ``x``, ``y``, ``part``,
        ``excluded``, ``signal`` (any reason at all), ``category``
        (``"common"``, ``"improvement"``, ``"concern"`` or ``"neutral"``: the
        colour the point gets; rules about the whole part, such as too few
        crossings, give reasons but leave the point ``"common"``),
        ``direction`` (``"up"``, ``"down"`` or None), ``reasons`` (a list of
        sentences) and ``part_reasons`` (those of ``reasons`` that are about the
        whole part, e.g. too few crossings, so a table can say them once).

    Examples
    --------
    >>> result = {"chart": "i", "points": {"x": [1, 2], "y": [5.0, 9.0],
    ...     "cl": [5.0, 5.0], "lcl": [2.0, 2.0], "ucl": [8.0, 8.0],
    ...     "sigma_signal": [False, True]}, "parts": []}
    >>> signal_reasons(result)[1]["reasons"]
    ['Above the upper control limit']
    """
    return point_signals(load_analysis(analysis_or_dict, improvement=improvement))
