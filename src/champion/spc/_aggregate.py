"""Rows to points: drop rows without an x, order by x, combine rows sharing an x.

Vectorised with ``np.add.reduceat`` over the groups; when x is absent, or
already strictly increasing, nothing is sorted or copied.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._validate import SUBGROUP_CHARTS

__all__ = ["Points", "aggregate", "first_of_runs", "group_rows"]


@dataclass(slots=True)
class Points:
    """Aggregated points (one per distinct x), before any chart statistic."""

    y: np.ndarray  # the value plotted before chart transforms (xbar: mean, s: sd, r: range)
    n: np.ndarray | None = None  # summed denominators (None: no n column, all NaN)
    num: np.ndarray | None = None  # summed numerators (events) where y is a ratio
    size: np.ndarray | None = None  # subgroup sizes (xbar/r/s)
    mean: np.ndarray | None = None
    sd: np.ndarray | None = None
    rng: np.ndarray | None = None
    y_sum: float | None = None  # y.sum() when already known (NaN: a value is missing)


def first_of_runs(a: np.ndarray) -> np.ndarray:
    """True at the first element of each run of equal values (and at position 0)."""
    new = np.empty(a.shape[0], dtype=bool)
    new[:1] = True
    np.not_equal(a[1:], a[:-1], out=new[1:])
    return new


def _strictly_increasing(x: np.ndarray) -> bool:
    return x.shape[0] < 2 or bool(np.all(x[1:] > x[:-1]))


def group_rows(
    x: np.ndarray, series: np.ndarray | None = None, ties: tuple[np.ndarray, ...] = ()
) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Order rows by (series, x) and find where each group of equal keys starts.

    Rows that share a key are ordered by their values (``ties``, most significant
    first), so a group's sum is computed in the same order however the rows came:
    permuting rows never changes a result, not even in the last bit.

    Returns (order, starts): order is None when the rows are already in order,
    starts is None when every row is its own group.
    """
    size = x.shape[0]
    if size < 2:
        return None, None
    minor = tuple(reversed(ties))
    if series is None:
        if _strictly_increasing(x):
            return None, None
        order = np.lexsort((*minor, x)) if ties else np.argsort(x, kind="stable")
        new = first_of_runs(x[order])
    else:
        same = series[1:] == series[:-1]
        if bool(np.all(series[1:] >= series[:-1])) and bool(np.all(~same | (x[1:] > x[:-1]))):
            return None, None
        order = np.lexsort((*minor, x, series))
        new = first_of_runs(x[order]) | first_of_runs(series[order])
    starts = np.flatnonzero(new)
    return order, (None if starts.shape[0] == size else starts)


def _sum(v: np.ndarray, valid: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(np.where(valid, v, 0.0), starts)


def _count(valid: np.ndarray, starts: np.ndarray) -> np.ndarray:
    return np.add.reduceat(valid, starts, dtype=np.int64)


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b, NaN where b is 0 (without a warning)."""
    out = np.full(a.shape, np.nan)
    np.divide(a, b, out=out, where=b != 0)
    return out


def _median(v: np.ndarray, valid: np.ndarray, starts: np.ndarray) -> np.ndarray:
    groups = np.repeat(np.arange(starts.shape[0]), np.diff(np.append(starts, v.shape[0])))
    # NaN sorts last within each group, so the first count entries are the values.
    order = np.lexsort((v, groups))
    vs = v[order]
    cnt = _count(valid, starts)
    lo = starts + np.maximum(cnt - 1, 0) // 2
    hi = starts + np.maximum(cnt, 0) // 2
    hi = np.minimum(hi, v.shape[0] - 1)
    out = (vs[lo] + vs[hi]) / 2
    out[cnt == 0] = np.nan
    return out


def _agg(v: np.ndarray, starts: np.ndarray | None, agg: str) -> np.ndarray:
    if starts is None:
        return v
    valid = ~np.isnan(v)
    if agg == "median":
        return _median(v, valid, starts)
    total = _sum(v, valid, starts)
    cnt = _count(valid, starts)
    if agg == "sum":
        total[cnt == 0] = np.nan
        return total
    return _mean(v, valid, starts, total, cnt)[0]


def _mean(
    v: np.ndarray, valid: np.ndarray, starts: np.ndarray, total: np.ndarray, cnt: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Group means refined by the mean residual (as R's mean()), and the residuals."""
    size = cnt.astype(np.float64)
    mean = _safe_div(total, size)
    lengths = np.diff(np.append(starts, v.shape[0]))
    dev = v - np.repeat(mean, lengths)
    return mean + _safe_div(_sum(dev, valid, starts), size), dev


def aggregate(
    chart: str,
    y: np.ndarray,
    n: np.ndarray | None,
    order: np.ndarray | None,
    starts: np.ndarray | None,
    agg: str,
) -> Points:
    """Combine the rows of each group (rows already filtered to those with an x)."""
    if order is not None:
        y = y[order]
        if n is not None:
            n = n[order]
    if chart in SUBGROUP_CHARTS:
        return _subgroups(y, starts)
    if chart == "c":
        return Points(y=_agg(y, starts, "sum"))
    if n is not None:
        valid = ~(np.isnan(y) | np.isnan(n))
        if starts is None:
            if valid.all():
                num, nn = y, n
            else:
                num, nn = np.where(valid, y, np.nan), np.where(valid, n, np.nan)
        else:
            num, nn = _sum(y, valid, starts), _sum(n, valid, starts)
            empty = _count(valid, starts) == 0
            num[empty] = np.nan
            nn[empty] = np.nan
        if chart == "np":
            return Points(y=num, n=nn, num=num)
        return Points(y=num / nn, n=nn, num=num)
    yy = _agg(y, starts, agg)
    if chart == "ip":
        # n defaults to the number of values behind each point (0 for a missing one).
        if starts is None:
            cnt = (~np.isnan(y)).astype(np.float64)
        else:
            cnt = _count(~np.isnan(y), starts).astype(np.float64)
        return Points(y=yy, n=cnt)
    return Points(y=yy)


def _subgroups(y: np.ndarray, starts: np.ndarray | None) -> Points:
    if starts is None:
        size = (~np.isnan(y)).astype(np.float64)
        return Points(
            y=y, size=size, mean=y, sd=np.full(y.shape, np.nan), rng=np.full(y.shape, np.nan)
        )
    valid = ~np.isnan(y)
    cnt = _count(valid, starts)
    size = cnt.astype(np.float64)
    mean, dev = _mean(y, valid, starts, _sum(y, valid, starts), cnt)
    # Sum of squares about the first-pass mean, corrected to the refined one.
    shift = _sum(dev, valid, starts)
    ss = _sum(dev * dev, valid, starts) - _safe_div(shift * shift, size)
    sd = np.sqrt(_safe_div(ss, size - 1))
    sd[cnt < 2] = np.nan
    hi = np.maximum.reduceat(np.where(valid, y, -np.inf), starts)
    lo = np.minimum.reduceat(np.where(valid, y, np.inf), starts)
    rng = np.full(size.shape, np.nan)
    np.subtract(hi, lo, out=rng, where=cnt >= 2)
    return Points(y=mean, size=size, mean=mean, sd=sd, rng=rng)
