"""From aggregated points to the analysis columns: limits, runs analysis, rules, signals.

Works on one series or on many concatenated ones: statistics are per segment
(a part of a series) and nothing here loops over points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _rules
from ._aggregate import Points
from ._limits import Ctx, compute_lines
from ._runs import runs_analysis
from ._segments import Segments

__all__ = ["Options", "compute"]


@dataclass(frozen=True, slots=True)
class Options:
    """Validated scalar arguments of an analysis."""

    chart: str
    cl: float | None
    multiply: float
    agg: str
    runs_method: str
    screen_mr: bool
    sigma_method: str | None
    rules: tuple[str, ...]  # extra rule sets, "anhoej" left out
    improvement: str | None
    target: float | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "chart": self.chart, "cl": self.cl, "multiply": self.multiply, "agg": self.agg,
            "runs_method": self.runs_method, "screen_mr": self.screen_mr,
            "sigma_method": self.sigma_method, "rules": ("anhoej", *self.rules),
            "improvement": self.improvement, "target": self.target,
        }  # fmt: skip


# Rule columns that are exactly ``sigma_signal`` when the rules work on the plotted scale.
_OUTSIDE = ("western-electric:1", "nelson:1", "mdc:outside")


def _full(v: Any, size: int) -> np.ndarray:
    if np.ndim(v) == 0:
        return np.broadcast_to(np.float64(v), (size,))
    return v


def _and(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    if b is None:
        return a
    return a & b


def compute(
    opts: Options,
    pts: Points,
    seg: Segments,
    baseline: np.ndarray | None,
    include: np.ndarray | None,
    categorical: bool,
) -> tuple[dict[str, np.ndarray], list[dict[str, Any]], np.ndarray]:
    """Columns (without x and part), per-segment runs records, and sigma-signal counts."""
    size = seg.size
    chart = opts.chart
    ctx = Ctx(chart, pts, seg, _and(baseline, include), opts.cl, opts.sigma_method,
              opts.screen_mr, categorical)  # fmt: skip
    lines = compute_lines(ctx)

    # Sides of the CL are the same on the transformed scale of a t chart, and exact there:
    # a point whose z equals the CL is on it (back-transforming could round it off).
    ry, rcl = (lines.y, lines.cl) if lines.rules_scale is None else lines.rules_scale[:2]
    records, seg_signal = runs_analysis(
        ry, rcl, include, seg, opts.runs_method, may_signal=chart != "mr" and not categorical
    )

    rule_cols: dict[str, np.ndarray] = {}
    if opts.rules:
        if lines.rules_scale is not None:
            ry, rcl, rucl, rlcl, rucl95, rlcl95 = lines.rules_scale
        else:
            ry, rcl, rucl, rlcl = lines.y, lines.cl, lines.ucl, lines.lcl
            rucl95, rlcl95 = lines.ucl_95, lines.lcl_95
        rule_cols = _rules.evaluate(
            opts.rules,
            chart=chart,
            y=ry,
            cl=_full(rcl, size),
            ucl=_full(rucl, size),
            lcl=_full(rlcl, size),
            ucl_95=_full(rucl95, size),
            lcl_95=_full(rlcl95, size),
            sigma_hi=_full(lines.sigma_hi, size),
            sigma_lo=_full(lines.sigma_lo, size),
            part_start=seg.starts,
            runs=records,
            categorical=categorical,
        )

    y, cl, ucl, lcl = lines.y, lines.cl, lines.ucl, lines.lcl
    ucl95, lcl95 = lines.ucl_95, lines.lcl_95
    m = opts.multiply
    if m != 1.0:
        y, cl, ucl, lcl, ucl95, lcl95 = (v * m for v in (y, cl, ucl, lcl, ucl95, lcl95))

    outside = next((rule_cols[k] for k in _OUTSIDE if k in rule_cols), None)
    if outside is not None and lines.rules_scale is None and m == 1.0:
        # The rules compared the same y with the same limits: the same flags.
        sigma_signal = outside
    elif np.ndim(ucl) == 0 and np.ndim(lcl) == 0:
        if math.isnan(ucl) and math.isnan(lcl):
            sigma_signal = np.broadcast_to(np.False_, (size,))
        else:
            sigma_signal = (y > ucl) | (y < lcl)
    else:
        sigma_signal = (y > ucl) | (y < lcl)

    if seg.count == 1:
        counts = np.array([int(np.count_nonzero(sigma_signal))])
        runs_signal = np.broadcast_to(np.bool_(seg_signal[0]), (size,))
    else:
        assert seg.ids is not None
        counts = np.bincount(seg.ids, weights=sigma_signal, minlength=seg.count).astype(np.int64)
        runs_signal = np.repeat(seg_signal, seg.lengths)

    if pts.size is not None:
        n_col = pts.size
    elif pts.n is not None:
        n_col = pts.n
    else:
        n_col = np.broadcast_to(np.float64(math.nan), (size,))
    true = np.broadcast_to(np.True_, (size,))
    columns = {
        "baseline": true if baseline is None else baseline,
        "include": true if include is None else include,
        "n": n_col,
        "y": y,
        "cl": _full(cl, size),
        "lcl": _full(lcl, size),
        "ucl": _full(ucl, size),
        "lcl_95": _full(lcl95, size),
        "ucl_95": _full(ucl95, size),
        "sigma_signal": sigma_signal,
        "runs_signal": runs_signal,
        **rule_cols,
    }
    return columns, records, counts
