"""Reductions over segments: the parts of one series, or of many series at once.

Every statistic of the engine is computed per segment (a part of a series), so
one vectorised pass serves a single chart with phases and a batch of ten
thousand series alike. With one segment the reductions fall back to plain
NumPy sums, which is the fast path for one long series.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["Segments"]


class Segments:
    """Contiguous segments of an array of ``size`` points, starting at ``starts``."""

    __slots__ = ("_ids", "count", "lengths", "size", "starts")

    def __init__(self, starts: np.ndarray, size: int) -> None:
        self.starts = np.asarray(starts, dtype=np.int64)
        self.size = size
        self.count = int(self.starts.shape[0])
        self.lengths = np.diff(np.append(self.starts, size))
        self._ids: np.ndarray | None = None

    @property
    def ids(self) -> np.ndarray | None:
        """The segment of each point (None for a single segment)."""
        if self.count == 1:
            return None
        if self._ids is None:
            self._ids = np.repeat(np.arange(self.count, dtype=np.int64), self.lengths)
        return self._ids

    def sub_ids(self, mask: np.ndarray | None) -> np.ndarray | None:
        ids = self.ids
        if ids is None or mask is None:
            return ids
        return ids[mask]

    def expand(self, per_seg: np.ndarray) -> np.ndarray | np.float64:
        """Per-segment values to per-point values (a scalar for one segment)."""
        if self.count == 1:
            return per_seg[0]
        return per_seg[self.ids]

    # reductions ---------------------------------------------------------------------------
    def sum_count(
        self, v: np.ndarray, ids: np.ndarray | None, total: float | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Sums and counts of the non-missing values of v per segment (ids: v's segments).

        ``total``: v.sum() when the caller already has it (one segment only).
        """
        if ids is None:
            if total is None:
                total = v.sum()
            if total == total:
                return np.array([total]), np.array([v.shape[0]])
            vv = v[~np.isnan(v)]
            return np.array([vv.sum()]), np.array([vv.shape[0]])
        valid = ~np.isnan(v)
        if valid.all():
            return (
                np.bincount(ids, weights=v, minlength=self.count),
                np.bincount(ids, minlength=self.count),
            )
        vid = ids[valid]
        return (
            np.bincount(vid, weights=v[valid], minlength=self.count),
            np.bincount(vid, minlength=self.count),
        )

    def mean(self, v: np.ndarray, ids: np.ndarray | None, total: float | None = None) -> np.ndarray:
        """Mean of the non-missing values per segment; NaN for a segment without any.

        Refined by the mean of the residuals, as R's ``mean()`` is, so that a
        value equal to the mean compares equal to it (a point on the centre line).
        ``total``: v.sum() when the caller already has it (one segment only).
        """
        sums, cnt = self.sum_count(v, ids, total)
        mean = ratio(sums, cnt)
        resid, _ = self.sum_count(v - (mean[0] if ids is None else mean[ids]), ids)
        return mean + ratio(resid, cnt)

    def sd(self, v: np.ndarray, ids: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """Sample SD (n - 1) of the non-missing values per segment, and their number."""
        total, cnt = self.sum_count(v, ids)
        mean = ratio(total, cnt)
        dev = v - (mean[0] if ids is None else mean[ids])
        ss, _ = self.sum_count(dev * dev, ids)
        return np.sqrt(ratio(ss, cnt - 1)), cnt

    def median(self, v: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        """Median of the non-missing values of v[mask] per segment."""
        if self.count == 1:
            vv = v if mask is None else v[mask]
            vv = vv[~np.isnan(vv)]
            return np.array([np.median(vv) if vv.shape[0] else math.nan])
        ids = self.ids
        assert ids is not None
        sel = ~np.isnan(v) if mask is None else (mask & ~np.isnan(v))
        vv, vid = v[sel], ids[sel]
        order = np.lexsort((vv, vid))
        vs = vv[order]
        cnt = np.bincount(vid, minlength=self.count)
        first = np.concatenate(([0], np.cumsum(cnt)[:-1]))
        out = np.full(self.count, math.nan)
        has = cnt > 0
        lo = first[has] + (cnt[has] - 1) // 2
        hi = first[has] + cnt[has] // 2
        out[has] = (vs[lo] + vs[hi]) / 2
        return out

    def screened_mean(
        self, d: np.ndarray, ids: np.ndarray | None, factor: float | None
    ) -> np.ndarray:
        """Mean of the non-missing d per segment, after dropping d >= factor x mean once."""
        if ids is None:
            total = d.sum()
            if total != total:
                d = d[~np.isnan(d)]
                total = d.sum()
            cnt = d.shape[0]
            if cnt == 0:
                return np.array([math.nan])
            mean = total / cnt
            if factor is not None:
                drop = d >= factor * mean
                k = int(np.count_nonzero(drop))
                if k:
                    dropped = d[drop].sum()
                    # Subtracting is exact enough unless the dropped values dominate the sum.
                    kept = total - dropped if dropped < 0.5 * total else d[~drop].sum()
                    mean = kept / (cnt - k) if cnt > k else math.nan
            return np.array([mean])
        mean = self.mean(d, ids)
        if factor is None:
            return mean
        limit = factor * mean
        with np.errstate(invalid="ignore"):
            keep = d < limit[ids]
        return self.mean(np.where(keep, d, math.nan), ids)


def ratio(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a / b elementwise, NaN where b <= 0, without a warning."""
    a = np.asarray(a, dtype=np.float64)
    out = np.full(a.shape, math.nan)
    np.divide(a, b, out=out, where=np.asarray(b) > 0)
    return out
