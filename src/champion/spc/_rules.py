"""Special-cause rule sets and the Making Data Count icons.

Every rule of the ``ihi``, ``western-electric``, ``nelson`` and ``mdc`` sets of
``SPC.md`` ("Rule sets") becomes one boolean column per point, and
:func:`mdc_icons` turns the ``mdc`` columns into the NHS England variation and
assurance icons. The sets and their sources:

- ``ihi``: Perla RJ, Provost LP, Murray SK. The run chart: a simple analytical
  tool for learning from variation in healthcare processes. BMJ Qual Saf
  2011;20:46-51 (shift, trend, too few or too many runs).
- ``western-electric``: Western Electric Company. Statistical Quality Control
  Handbook. 1956 (the four zone tests).
- ``nelson``: Nelson LS. The Shewhart control chart: tests for special causes.
  J Qual Technol 1984;16:237-239 (the eight tests, numbered as Minitab does).
- ``mdc``: NHS England, Making Data Count (2019), as implemented by the R
  package NHSRplotthedots.

How it is computed, and why this way. The engine must evaluate all four sets on
a million points in a few milliseconds (``SPC.md``, "Budgets"), so nothing here
loops over points. Each part is evaluated on its own slice (no pattern can cross
a part boundary) and the per-part intermediates (the side of the CL, the
direction of each step, the zone flags) are computed once, lazily, and shared by
every rule that needs them. Every "k in a row" rule is a morphological opening of
a boolean array: an erosion finds the windows of k consecutive ``True`` (with
O(log k) shifted ANDs), a dilation paints every point of those windows (O(log k)
shifted ORs). A point belongs to a maximal run of length >= k exactly when it
lies in such a window, so this equals run-length labelling while only touching
one-byte arrays. "m of k" windows are sums of k shifted int8 arrays.

Memory, not arithmetic, sets the speed. Intermediates are written into rows
recycled from one pool instead of fresh arrays. A part longer than a chunk
(2^18 points) gets its flags (sides, zones, steps, ...) from the same _Part
comparisons a chunk at a time, packed 64 points to a 64-bit word; the erosions,
dilations and window counts then run on the packed words (an eighth of the
memory, the whole part in cache), and the unpacked results are the columns. On
a million-point i chart that is about 30 % faster than the boolean chunks it
replaced. ihi's shift and trend, which skip points on the CL and merge repeated
values (a reach without bound), fall back to the whole part when such points
exist. The pool of the chunks (a few MB) is kept per thread between calls, so a
second long series does not page-fault it in again. Rules that share an
implementation (Western Electric 1 = Nelson 1 = MDC outside, WE 2 = Nelson 5,
WE 3 = Nelson 6) are computed once and their columns are one read-only array.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import cached_property

import numpy as np

__all__ = [
    "PERLA_RUNS",
    "RULES",
    "RULE_SETS",
    "evaluate",
    "last_valid_many",
    "mdc_icons",
    "mdc_icons_many",
]

RULE_SETS: tuple[str, ...] = ("ihi", "western-electric", "nelson", "mdc")

RULES: dict[str, tuple[str, ...]] = {
    "ihi": ("shift", "trend", "runs"),
    "western-electric": ("1", "2", "3", "4"),
    "nelson": ("1", "2", "3", "4", "5", "6", "7", "8"),
    "mdc": ("outside", "shift", "trend", "two_of_three"),
}

# Perla, Provost & Murray (2011), Table 1, as transcribed in SPC.md: for n useful
# observations, (fewest runs allowed, most runs allowed). The rows SPC.md marks
# with `*` (11, 12, 17, 20, 22, 23, 25, 27, 29, 30, 32, 33, 35, 37, 39, 41, 43,
# 53, 55, 57, 59) are transcriptions not yet checked against the printed table;
# they are used exactly as given until someone checks them against the paper.
PERLA_RUNS: dict[int, tuple[int, int]] = {
    10: (3, 9), 11: (3, 10), 12: (3, 11), 13: (4, 11), 14: (4, 12), 15: (5, 12),
    16: (5, 13), 17: (5, 13), 18: (6, 14), 19: (6, 15), 20: (6, 16), 21: (7, 16),
    22: (7, 17), 23: (7, 17), 24: (8, 18), 25: (8, 18), 26: (9, 19), 27: (10, 19),
    28: (10, 20), 29: (10, 20), 30: (11, 21), 31: (11, 22), 32: (11, 23), 33: (12, 23),
    34: (12, 24), 35: (13, 24), 36: (13, 25), 37: (13, 25), 38: (14, 26), 39: (14, 26),
    40: (15, 27), 41: (16, 27), 42: (16, 28), 43: (17, 28), 44: (17, 29), 45: (17, 30),
    46: (17, 31), 47: (18, 31), 48: (18, 32), 49: (19, 32), 50: (19, 33), 51: (20, 33),
    52: (20, 34), 53: (21, 34), 54: (21, 35), 55: (22, 35), 56: (22, 36), 57: (23, 36),
    58: (23, 37), 59: (24, 38), 60: (24, 38),
}  # fmt: skip

# Shift lengths and trend lengths (in points) of each set.
_IHI_SHIFT, _WE_SHIFT, _NELSON_SHIFT, _MDC_SHIFT = 6, 8, 9, 7
_IHI_TREND, _NELSON_TREND, _MDC_TREND = 5, 6, 7
_NELSON_ALTERNATING = 14
_NELSON_STRATIFICATION = 15
_NELSON_MIXTURE = 8

# --- scratch rows and boolean morphology -----------------------------------


class _Pool:
    """Scratch rows of booleans, carved from a few blocks and recycled.

    Reusing the same few rows keeps the working set small and in cache, and
    avoids a fresh allocation (and its page faults) for every operation.
    """

    _ROWS_PER_BLOCK = 8
    PAD = 32  # room for the padding of a dilation (windows are at most 15 long)

    def __init__(self, n: int) -> None:
        self.n = n
        self._free: list[np.ndarray] = []
        self._blocks: list[np.ndarray] = []
        self._named: dict[str, np.ndarray] = {}

    def get(self) -> np.ndarray:
        if not self._free:
            block = np.empty((self._ROWS_PER_BLOCK, self.n + self.PAD), dtype=bool)
            self._blocks.append(block)
            self._free.extend(block)
        return self._free.pop()

    def put(self, *rows: np.ndarray) -> None:
        self._free.extend(rows)

    def reset(self) -> None:
        """Every row free again (between evaluations: nothing held survives one)."""
        self._free = [row for block in self._blocks for row in block]

    def block(self, key: str, shape: tuple[int, ...]) -> np.ndarray:
        """A named (shape..., n + PAD) array, allocated once and reused by every chunk."""
        arr = self._named.get(key)
        if arr is None or arr.shape[:-1] != shape:
            arr = self._named[key] = np.empty((*shape, self.n + self.PAD), dtype=bool)
        return arr


# The pool for the chunks of long parts, one per thread, kept between calls: its
# ~10 MB of scratch rows are then already mapped, instead of being page-faulted
# in again on every analysis of a long series.
_local = threading.local()


def _chunk_pool(size: int) -> _Pool:
    pool: _Pool | None = getattr(_local, "pool", None)
    if pool is None or pool.n != size:
        pool = _local.pool = _Pool(size)
    pool.reset()
    return pool


def _windows(pool: _Pool, c: np.ndarray, k: int, op: np.ufunc) -> tuple[np.ndarray, int]:
    """``op``-reduce every window of ``k`` consecutive elements of ``c``.

    Returns a pool row and the number m = len(c) - k + 1 of windows (m <= 0:
    none). Windows of lengths a and b combine into one of length a + b with one
    shifted ``op``, so k is built from its binary digits in about 2 log2(k)
    passes over one-byte arrays.
    """
    n = c.size
    result = pool.get()
    if k > n:
        return result, 0
    rlen = 0
    power, plen, own = c, 1, False
    while True:
        if k & 1:
            if rlen == 0:
                m = n - plen + 1
                np.copyto(result[:m], power[:m])
            else:
                m = n - rlen - plen + 1
                op(result[:m], power[rlen : rlen + m], out=result[:m])
            rlen += plen
        k >>= 1
        if not k:
            break
        m = n - 2 * plen + 1
        new = pool.get()
        op(power[:m], power[plen : plen + m], out=new[:m])
        if own:
            pool.put(power)
        power, plen, own = new, plen * 2, True
    if own:
        pool.put(power)
    return result, n - rlen + 1


def _erode(pool: _Pool, c: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """Starts of the windows of ``k`` consecutive True values: (row, count)."""
    return _windows(pool, c, k, np.logical_and)


def _extend(start: tuple[np.ndarray, int], c: np.ndarray, k: int) -> tuple[np.ndarray, int]:
    """In place, from the all-True windows of length ``k`` to those of length ``k + 1``."""
    row, m = start
    m -= 1
    if m > 0:
        np.logical_and(row[:m], c[k : k + m], out=row[:m])
    return row, m


_LINEAR_PAINT = 8


def _paint(pool: _Pool, start: tuple[np.ndarray, int], width: int, target: np.ndarray) -> None:
    """OR into ``target`` every point covered by a window of ``width`` starting at a True."""
    row, m = start
    if m <= 0 or not row[:m].any():
        return
    n = target.size
    if width <= _LINEAR_PAINT:
        # Short windows: one in-place OR per offset is fewer passes than doubling.
        for j in range(width):
            np.logical_or(target[j : j + m], row[:m], out=target[j : j + m])
        return
    pad = pool.get()
    pad[: width - 1] = False
    pad[width - 1 : width - 1 + m] = row[:m]
    pad[width - 1 + m : n + width - 1] = False
    covered, count = _windows(pool, pad[: n + width - 1], width, np.logical_or)
    assert count == n
    np.logical_or(target, covered[:n], out=target)
    pool.put(pad, covered)


def _window_counts(c: np.ndarray, k: int, out: np.ndarray) -> int:
    """Number of True values in each window of ``k`` (int8, into ``out``); returns the count."""
    m = c.size - k + 1
    if m <= 0:
        return 0
    v = c.view(np.int8)
    o = out[:m]
    np.copyto(o, v[:m])
    for j in range(1, k):
        np.add(o, v[j : j + m], out=o)
    return m


def _constant_value(a: np.ndarray, part: _Part) -> float | None:
    """The value of ``a`` if it is the same everywhere, else None.

    A broadcast scalar (stride 0) is constant without looking at it, NaN
    included (a run chart has no sigma); otherwise NaN counts as not constant.
    """
    if a.size == 0:
        return None
    first = float(a[0])
    if a.strides[0] == 0:
        return first
    if first != first:
        return None
    same = part.row(a.size)
    np.equal(a, first, out=same)
    return first if bool(same.all()) else None


# --- one part -------------------------------------------------------------------


class _Part:
    """The arrays of one part and every intermediate its rules share, each computed once."""

    def __init__(
        self,
        arrays: Sequence[np.ndarray],
        run: Mapping[str, object] | None,
        pool: _Pool | None = None,
    ) -> None:
        # arrays: y, cl, ucl, lcl, ucl_95, lcl_95, sigma_hi, sigma_lo (one part or chunk)
        y, cl, ucl, lcl, ucl_95, lcl_95, sigma_hi, sigma_lo = arrays
        self.n = y.size
        self.y, self.cl = y, cl
        self.ucl, self.lcl, self.ucl_95, self.lcl_95 = ucl, lcl, ucl_95, lcl_95
        self.sigma_hi, self.sigma_lo = sigma_hi, sigma_lo
        self.run = run
        self.pool = pool if pool is not None else _Pool(self.n)
        self._held: list[np.ndarray] = []

    def row(self, length: int | None = None) -> np.ndarray:
        """A scratch row of ``length`` (default n) booleans, held until :meth:`release`."""
        full = self.pool.get()
        self._held.append(full)
        return full[: self.n if length is None else length]

    def release(self) -> None:
        """Give every held row back to the pool (the part's intermediates become invalid)."""
        self.pool.put(*self._held)
        self._held.clear()

    @cached_property
    def _constant(self) -> tuple[float, float, float] | None:
        """(CL, sigma above, sigma below) when each is the same at every point.

        Then every zone comparison is against a scalar and needs no float temporary.
        """
        vals = []
        for a in (self.cl, self.sigma_hi, self.sigma_lo):
            v = _constant_value(a, self)
            if v is None:
                return None
            vals.append(v)
        return vals[0], vals[1], vals[2]

    def _line(self, k: float) -> np.ndarray | float:
        """The line k sigma from the CL (k > 0 above, k < 0 below), scalar when constant."""
        const = self._constant
        if const is not None:
            return const[0] + k * (const[1] if k > 0 else const[2])
        sigma = self.sigma_hi if k > 0 else self.sigma_lo
        return self.cl + k * sigma

    def _cmp(self, op: np.ufunc, a: np.ndarray, b: object) -> np.ndarray:
        out = self.row(a.size)
        op(a, b, out=out)
        return out

    # Sides of the CL and zones, from the point's own sigma: "more than k sigma"
    # is y > CL + k sigma (or y < CL - k sigma). NaN compares False, so a missing
    # point is on neither side and a point without limits in no zone. One
    # broadcast comparison per side fills all three lines when they are constant.
    @cached_property
    def _zones(self) -> np.ndarray:
        """[side (above, below), line (CL, 1 sigma, 2 sigma)] booleans."""
        z = self.pool.block("zones", (2, 3))[..., : self.n]
        c = self._constant
        if c is not None:
            c0, hi, lo = c
            np.greater(self.y, np.array([[c0], [c0 + 1.0 * hi], [c0 + 2.0 * hi]]), out=z[0])
            np.less(self.y, np.array([[c0], [c0 - 1.0 * lo], [c0 - 2.0 * lo]]), out=z[1])
        else:
            for k in range(3):
                np.greater(self.y, self.cl + k * self.sigma_hi if k else self.cl, out=z[0, k])
                np.less(self.y, self.cl - k * self.sigma_lo if k else self.cl, out=z[1, k])
        return z

    @property
    def above(self) -> np.ndarray:
        return self._zones[0, 0]

    @property
    def below(self) -> np.ndarray:
        return self._zones[1, 0]

    @cached_property
    def valid(self) -> np.ndarray:
        return self._cmp(np.equal, self.y, self.y)

    @cached_property
    def all_valid(self) -> bool:
        return bool(self.valid.all())

    @cached_property
    def on_cl(self) -> np.ndarray:
        c = self._constant
        if c is None:
            return self._cmp(np.equal, self.y, self.cl)
        out = self.row()
        if c[0] != c[0]:  # no CL: nothing is on it
            out[:] = False
            return out
        np.logical_or(self.above, self.below, out=out)
        np.greater(self.valid, out, out=out)  # a value on neither side
        return out

    # Directions of the steps y[i] -> y[i+1]; a missing end makes both False.
    @cached_property
    def step_up(self) -> np.ndarray:
        return self._cmp(np.greater, self.y[1:], self.y[:-1])

    @cached_property
    def step_down(self) -> np.ndarray:
        return self._cmp(np.less, self.y[1:], self.y[:-1])

    @property
    def beyond1_up(self) -> np.ndarray:
        return self._zones[0, 1]

    @property
    def beyond1_down(self) -> np.ndarray:
        return self._zones[1, 1]

    @property
    def beyond2_up(self) -> np.ndarray:
        return self._zones[0, 2]

    @property
    def beyond2_down(self) -> np.ndarray:
        return self._zones[1, 2]

    @cached_property
    def beyond1(self) -> np.ndarray:
        out = self.row()
        np.logical_or(self.beyond1_up, self.beyond1_down, out=out)
        return out

    @cached_property
    def within1(self) -> np.ndarray:
        out = self.row()
        np.greater(self.valid, self.beyond1, out=out)  # valid and not beyond
        const = self._constant
        if const is not None:
            if math.isnan(const[1]) or math.isnan(const[2]):
                out[:] = False
        else:
            out &= ~(np.isnan(self.sigma_hi) | np.isnan(self.sigma_lo))
        return out

    def line(self, a: np.ndarray) -> np.ndarray | float:
        """A limit as a scalar when it is a broadcast constant (faster to compare with)."""
        return float(a[0]) if a.size and a.strides[0] == 0 else a

    @cached_property
    def _limits(self) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """(y > (UCL, UCL_95, LCL), y < (LCL, LCL_95, UCL)), against the plotted lines."""
        above = [self.line(a) for a in (self.ucl, self.ucl_95, self.lcl)]
        below = [self.line(a) for a in (self.lcl, self.lcl_95, self.ucl)]
        if not all(isinstance(v, float) for v in (*above, *below)) or self._constant is None:
            lim = self.pool.block("limits", (2, 3))[..., : self.n]
            for k in range(3):
                np.greater(self.y, above[k], out=lim[0, k])
                np.less(self.y, below[k], out=lim[1, k])
            return list(lim[0]), list(lim[1])
        # Constant lines: a limit that is also a zone line (the usual 2-sigma
        # line) reuses that comparison; the rest take one broadcast call per side.
        c0, hi, lo = self._constant
        zones = self._zones
        scalars = [float(v) for v in (*above, *below)]  # all floats here
        rows: list[list[np.ndarray]] = []
        for side, op, values, zone_lines in (
            (0, np.greater, scalars[:3], [c0, c0 + 1.0 * hi, c0 + 2.0 * hi]),
            (1, np.less, scalars[3:], [c0, c0 - 1.0 * lo, c0 - 2.0 * lo]),
        ):
            found: list[np.ndarray | None] = [
                zones[side][zone_lines.index(v)] if v in zone_lines else None for v in values
            ]
            todo = [k for k, r in enumerate(found) if r is None]
            if todo:
                block = self.pool.block(f"limits{side}", (len(todo),))[..., : self.n]
                op(self.y, np.array([values[k] for k in todo])[:, None], out=block)
                for j, k in enumerate(todo):
                    found[k] = block[j]
            rows.append([r for r in found if r is not None])
        return rows[0], rows[1]

    @cached_property
    def outside(self) -> np.ndarray:
        out = self.row()
        gt, lt = self._limits
        np.logical_or(gt[0], lt[0], out=out)
        return out

    @cached_property
    def near_limits(self) -> np.ndarray:
        """[above, below]: strictly between the 2-sigma line and the limit."""
        gt, lt = self._limits
        near = self.pool.block("near", (2,))[..., : self.n]
        np.logical_and(gt[1], lt[2], out=near[0])
        np.logical_and(lt[1], gt[2], out=near[1])
        return near

    @cached_property
    def same_side(self) -> np.ndarray:
        """same_side[i]: points i and i + 1 are strictly on the same side of the CL."""
        up, down = self.above, self.below
        out = self.row(max(self.n - 1, 0))
        other = self.row(max(self.n - 1, 0))
        np.logical_and(up[:-1], up[1:], out=out)
        np.logical_and(down[:-1], down[1:], out=other)
        np.logical_or(out, other, out=out)
        return out

    def _nested(self, unit: np.ndarray, first: int, last: int) -> dict[int, tuple[np.ndarray, int]]:
        """Windows of ``first`` .. ``last`` consecutive True ``unit`` values, one row each."""
        cur = _erode(self.pool, unit, first)
        out: dict[int, tuple[np.ndarray, int]] = {}
        for k in range(first, last + 1):
            if k > first:
                cur = _extend(cur, unit, k - 1)
            if k == last:
                out[k] = cur
                self._held.append(cur[0])
            else:
                snap = self.row()
                if cur[1] > 0:
                    np.copyto(snap[: cur[1]], cur[0][: cur[1]])
                out[k] = (snap, cur[1])
        return out

    # Runs of points strictly on one side, shared by every shift rule: a run of
    # k points is k - 1 consecutive same-side pairs.
    @cached_property
    def _side_windows(self) -> dict[int, tuple[np.ndarray, int]]:
        return self._nested(self.same_side, _IHI_SHIFT - 1, _NELSON_SHIFT - 1)

    def shift(self, k: int, target: np.ndarray) -> None:
        _paint(self.pool, self._side_windows[k - 1], k, target)

    # Runs of strict steps in one direction, shared by the trend rules: a trend of
    # k points is k - 2 consecutive pairs of steps in the same direction.
    @cached_property
    def _step_windows(self) -> dict[int, tuple[np.ndarray, int]]:
        up, down = self.step_up, self.step_down
        size = max(self.n - 2, 0)
        pair = self.row(size)
        other = self.row(size)
        np.logical_and(up[:-1], up[1:], out=pair)
        np.logical_and(down[:-1], down[1:], out=other)
        np.logical_or(pair, other, out=pair)
        return self._nested(pair, _IHI_TREND - 2, _MDC_TREND - 2)

    def trend(self, points: int, target: np.ndarray) -> None:
        """Flag ``points`` or more points each strictly beyond the one before."""
        _paint(self.pool, self._step_windows[points - 2], points, target)

    def sided_window(
        self, up: np.ndarray, down: np.ndarray, m: int, k: int, target: np.ndarray
    ) -> None:
        """Flag the points of ``up`` (``down``) in a window of k complete points with >= m."""
        pool = self.pool
        if m == 2 and k == 3 and self.all_valid and self.n >= 3:
            self._two_of_three(up, down, target)
            return
        complete = None if self.all_valid else _erode(pool, self.valid, k)
        counts = np.empty(self.n, dtype=np.int8)
        for side in (up, down):
            count = _window_counts(side, k, counts)
            if count <= 0:
                return
            hit = pool.get()
            np.greater_equal(counts[:count], m, out=hit[:count])
            if complete is not None:
                np.logical_and(hit[:count], complete[0][:count], out=hit[:count])
            covered = pool.get()
            covered[: self.n] = False
            _paint(pool, (hit, count), k, covered[: self.n])
            np.logical_and(covered[: self.n], side, out=covered[: self.n])
            np.logical_or(target, covered[: self.n], out=target)
            pool.put(hit, covered)

    def _two_of_three(self, up: np.ndarray, down: np.ndarray, target: np.ndarray) -> None:
        """2 of 3 without missing points: a point with another within 2 on its side.

        Any two points at most 2 apart share a window of 3 (the part has >= 3
        points), so no window counting is needed.
        """
        n = self.n
        near_row = self.pool.get()
        near = near_row[:n]
        for side in (up, down):
            near[:] = False
            for d in (1, 2):
                np.logical_or(near[d:], side[: n - d], out=near[d:])
                np.logical_or(near[: n - d], side[d:], out=near[: n - d])
            np.logical_and(near, side, out=near)
            np.logical_or(target, near, out=target)
        self.pool.put(near_row)


# --- the rules ------------------------------------------------------------------


def _ihi_shift(p: _Part, target: np.ndarray) -> None:
    on = p.on_cl
    if not on.any():
        p.shift(_IHI_SHIFT, target)
        return
    # Points on the CL neither count nor break a shift: drop them, find the runs
    # among the others, and put the flags back.
    keep = np.flatnonzero(~on)
    up, down = p.above[keep], p.below[keep]
    pool = _Pool(keep.size)
    eu, ed = _erode(pool, up, _IHI_SHIFT), _erode(pool, down, _IHI_SHIFT)
    m = eu[1]
    if m <= 0:
        return
    np.logical_or(eu[0][:m], ed[0][:m], out=eu[0][:m])
    flags = np.zeros(keep.size, dtype=bool)
    _paint(pool, eu, _IHI_SHIFT, flags)
    target[keep] = flags


def _ihi_trend(p: _Part, target: np.ndarray) -> None:
    y = p.y
    repeat = p.valid[1:] & p.valid[:-1] & ~(p.step_up | p.step_down)
    if not repeat.any():
        p.trend(_IHI_TREND, target)
        return
    # Equal neighbours are one value: trend the series of distinct consecutive
    # values, then give every repeat the flag of the value it repeats, so
    # repeated values at either end of a trend are flagged with it.
    keep = np.ones(p.n, dtype=bool)
    keep[1:] = ~repeat
    yc = y[keep]
    up, down = yc[1:] > yc[:-1], yc[1:] < yc[:-1]
    k = _IHI_TREND - 1
    pool = _Pool(yc.size)
    eu, ed = _erode(pool, up, k), _erode(pool, down, k)
    m = eu[1]
    if m <= 0:
        return
    np.logical_or(eu[0][:m], ed[0][:m], out=eu[0][:m])
    flags = np.zeros(yc.size, dtype=bool)
    _paint(pool, eu, _IHI_TREND, flags)
    target[:] = flags[np.cumsum(keep) - 1]


def _perla_fires(run: Mapping[str, object] | None) -> bool:
    """Too few or too many runs by Perla's table, from a part's Anhøj record."""
    run = run or {}
    n_useful, n_crossings = run.get("n_useful"), run.get("n_crossings")
    if not isinstance(n_useful, int | np.integer) or not isinstance(n_crossings, int | np.integer):
        return False
    bounds = PERLA_RUNS.get(int(n_useful))
    if bounds is None:
        return False
    runs = int(n_crossings) + 1
    return runs < bounds[0] or runs > bounds[1]


def _ihi_runs(p: _Part, target: np.ndarray) -> None:
    if _perla_fires(p.run):
        target[:] = True


def _outside(p: _Part, target: np.ndarray) -> None:
    np.logical_or(target, p.outside, out=target)


def _two_of_three_2sigma(p: _Part, target: np.ndarray) -> None:
    p.sided_window(p.beyond2_up, p.beyond2_down, 2, 3, target)


def _four_of_five_1sigma(p: _Part, target: np.ndarray) -> None:
    p.sided_window(p.beyond1_up, p.beyond1_down, 4, 5, target)


def _nelson_alternating(p: _Part, target: np.ndarray) -> None:
    up, down = p.step_up, p.step_down
    if up.size < 2:
        return
    turn = p.row(up.size - 1)
    np.logical_and(up[:-1], down[1:], out=turn)
    turn |= down[:-1] & up[1:]
    # 14 points alternate when their 13 steps do: 12 consecutive turns.
    k = _NELSON_ALTERNATING
    start = _erode(p.pool, turn, k - 2)
    _paint(p.pool, start, k, target)
    p.pool.put(start[0])


def _nelson_stratification(p: _Part, target: np.ndarray) -> None:
    k = _NELSON_STRATIFICATION
    start = _erode(p.pool, p.within1, k)
    _paint(p.pool, start, k, target)
    p.pool.put(start[0])


def _nelson_mixture(p: _Part, target: np.ndarray) -> None:
    k = _NELSON_MIXTURE
    start = _erode(p.pool, p.beyond1, k)
    _paint(p.pool, start, k, target)
    p.pool.put(start[0])


def _mdc_two_of_three(p: _Part, target: np.ndarray) -> None:
    pool, n = p.pool, p.n
    if n < 3:
        return
    counts = np.empty(n, dtype=np.int8)
    # Windows of three points strictly on one side (a missing point is on neither).
    pairs = p.same_side
    one_side_row = pool.get()
    one_side = one_side_row[: n - 2]
    np.logical_and(pairs[:-1], pairs[1:], out=one_side)
    near_both = p.near_limits
    for side, near in ((p.above, near_both[0]), (p.below, near_both[1])):
        hit_row, tmp_row = pool.get(), pool.get()
        hit, tmp = hit_row[: n - 2], tmp_row[:n]
        # A near point on this side, so a one-sided window with two of them is
        # on this side.
        np.logical_and(near, side, out=tmp)
        m = _window_counts(tmp, 3, counts)
        np.greater_equal(counts[:m], 2, out=hit)
        np.logical_and(hit, one_side, out=hit)
        covered_row = pool.get()
        covered = covered_row[:n]
        covered[:] = False
        _paint(pool, (hit_row, m), 3, covered)
        np.logical_and(covered, tmp, out=covered)
        np.logical_or(target, covered, out=target)
        pool.put(hit_row, tmp_row, covered_row)
    pool.put(one_side_row)


_Rule = Callable[[_Part, np.ndarray], None]

_IMPL: dict[str, _Rule] = {
    "ihi:shift": _ihi_shift,
    "ihi:trend": _ihi_trend,
    "ihi:runs": _ihi_runs,
    "western-electric:1": _outside,
    "western-electric:2": _two_of_three_2sigma,
    "western-electric:3": _four_of_five_1sigma,
    "western-electric:4": lambda p, t: p.shift(_WE_SHIFT, t),
    "nelson:1": _outside,
    "nelson:2": lambda p, t: p.shift(_NELSON_SHIFT, t),
    "nelson:3": lambda p, t: p.trend(_NELSON_TREND, t),
    "nelson:4": _nelson_alternating,
    "nelson:5": _two_of_three_2sigma,
    "nelson:6": _four_of_five_1sigma,
    "nelson:7": _nelson_stratification,
    "nelson:8": _nelson_mixture,
    "mdc:outside": _outside,
    "mdc:shift": lambda p, t: p.shift(_MDC_SHIFT, t),
    "mdc:trend": lambda p, t: p.trend(_MDC_TREND, t),
    "mdc:two_of_three": _mdc_two_of_three,
}

# Rules that compare a point with its own sigma; on a g chart they are skipped
# (the geometric distribution is too skewed for zones; beyond-limits still applies).
_ZONE_RULES = frozenset(
    {"western-electric:2", "western-electric:3", "nelson:5", "nelson:6", "nelson:7", "nelson:8"}
)
# Rules that look at a single point; the only ones that mean anything when the
# order of the points is arbitrary (categorical x).
_POINT_RULES = frozenset({"western-electric:1", "nelson:1", "mdc:outside"})
# Runs tests are never a signal where Anhøj's is not (mr charts, categorical x).
_RUNS_RULES = frozenset({"ihi:runs"})


def evaluate(
    sets: Sequence[str],
    *,
    chart: str,
    y: np.ndarray,
    cl: np.ndarray,
    ucl: np.ndarray,
    lcl: np.ndarray,
    ucl_95: np.ndarray,
    lcl_95: np.ndarray,
    sigma_hi: np.ndarray,
    sigma_lo: np.ndarray,
    part_start: np.ndarray,
    runs: Sequence[Mapping[str, object]],
    categorical: bool,
) -> dict[str, np.ndarray]:
    """Evaluate the requested rule sets; one boolean column per rule.

    Parameters are the points of one analysed series, all on the analysis
    scale (for a t chart the transformed scale), limits as plotted; ``sigma_hi``
    and ``sigma_lo`` are each point's own sigma above and below the CL, from
    the limits before clipping (NaN where the point has no limits). Parts start
    at ``part_start`` and ``runs`` holds each part's Anhøj record.

    Returns ``{"<set>:<rule>": flags}`` for every rule of each requested set,
    ordered by set then rule (``RULES``). A column flags every point of a
    pattern, except the beyond-the-line rules (``mdc:outside``,
    ``mdc:two_of_three``, Western Electric 1-3, Nelson 1, 5, 6), which flag the
    points beyond the line, and ``ihi:runs``, which flags the whole part.

    Decisions beyond ``SPC.md``: for categorical x, where the order of the
    points carries no information, only the single-point rules (beyond the
    limits) can fire; ``ihi:runs``, like Anhøj's runs test, never fires on an mr
    chart.
    """
    names = [f"{s}:{r}" for s in sets for r in RULES[s]]
    if not names:
        return {}
    active: list[str] = []
    for name in names:
        if name in active:
            continue
        if categorical and name not in _POINT_RULES:
            continue
        if chart == "g" and name in _ZONE_RULES:
            continue
        if chart == "mr" and name in _RUNS_RULES:
            continue
        active.append(name)

    # Rules with one implementation (WE 1 = Nelson 1 = mdc outside, WE 2 =
    # Nelson 5, WE 3 = Nelson 6) have the same flags: computed once and stored
    # once, their columns are the same read-only array.
    first: dict[_Rule, str] = {}
    alias: dict[str, str] = {}
    for name in active:
        alias[name] = first.setdefault(_IMPL[name], name)
    active = [name for name in active if alias[name] == name]
    distinct = [name for name in names if alias.get(name, name) == name]

    n = y.size
    starts = [int(s) for s in np.asarray(part_start).tolist()] or [0]
    bounds = [*starts[1:], n]
    # One long part: its packed rules hand over their unpacked flags as the columns.
    fresh: set[str] = set()
    if starts == [0] and n > _CHUNK + 2 * _HALO:
        fresh = {name for name in active if name in _PACKED_NEEDS}
    # One block for the other columns: one allocation instead of a fresh 1 MB array per rule.
    rows = [name for name in distinct if name not in fresh]
    block = np.zeros((len(rows), n), dtype=bool)
    out = {name: block[i] for i, name in enumerate(rows)}
    arrays = (y, cl, ucl, lcl, ucl_95, lcl_95, sigma_hi, sigma_lo)
    if len(starts) > 1 and n < _MANY_PARTS * len(starts):
        _evaluate_many(arrays, starts, runs, active, out)
    else:
        for i, (a, b) in enumerate(zip(starts, bounds, strict=True)):
            if b > a:
                _evaluate_part(arrays, a, b, _nth(runs, i), active, out, fresh)
    return {name: out[alias.get(name, name)] for name in names}


# Parts shorter than this on average are evaluated together (see _evaluate_many).
_MANY_PARTS = 1 << 14


def _evaluate_many(
    arrays: tuple[np.ndarray, ...],
    starts: list[int],
    runs: Sequence[Mapping[str, object]],
    active: Sequence[str],
    out: dict[str, np.ndarray],
) -> None:
    """Many short parts (e.g. thousands of series) in one pass instead of one each.

    A missing point breaks every rule, so one missing point between
    consecutive parts keeps every pattern inside its part: the parts are
    evaluated as one series with those gaps, and the gaps dropped afterwards.
    Only ``ihi:runs``, which flags a whole part from its own record, is decided
    part by part.
    """
    n = arrays[0].size
    count = len(starts)
    lengths = np.diff(np.asarray([*starts, n], dtype=np.intp))
    local = [name for name in active if name not in _GLOBAL]
    # Parts are taken in groups of about one chunk, which bounds the memory of
    # the gapped copies and keeps each group's work in cache.
    sizes = lengths.tolist()
    i = 0
    while local and i < count:
        j, total = i + 1, sizes[i]
        while j < count and total + sizes[j] <= _CHUNK:
            total += sizes[j]
            j += 1
        a, b = starts[i], starts[i] + total
        pos = np.arange(total, dtype=np.intp) + np.repeat(
            np.arange(j - i, dtype=np.intp), lengths[i:j]
        )
        size = total + (j - i) - 1
        padded = []
        for v in arrays:
            w = np.full(size, np.nan)
            w[pos] = v[a:b]
            padded.append(w)
        tmp = {name: np.zeros(size, dtype=bool) for name in local}
        _evaluate_part(tuple(padded), 0, size, None, local, tmp)
        for name in local:
            out[name][a:b] = tmp[name][pos]
        i = j
    if "ihi:runs" in active:
        fire = np.array([_perla_fires(_nth(runs, i)) for i in range(count)], dtype=bool)
        out["ihi:runs"][:] = np.repeat(fire, lengths)


# Parts longer than a chunk (and a margin) are evaluated on bit-packed flags,
# computed a chunk at a time so that a chunk's intermediates stay in the CPU
# cache (see _evaluate_packed); a group of short parts is about a chunk long.
_CHUNK = 1 << 18
_HALO = 16
# ihi's runs rule flags the whole part from its runs record.
_GLOBAL = frozenset({"ihi:runs"})


def _evaluate_part(
    arrays: tuple[np.ndarray, ...],
    a: int,
    b: int,
    run: Mapping[str, object] | None,
    active: Sequence[str],
    out: dict[str, np.ndarray],
    fresh: set[str] | frozenset[str] = frozenset(),
) -> None:
    size = b - a
    if size <= _CHUNK + 2 * _HALO:
        part = _Part([v[a:b] for v in arrays], run)
        _compute(part, active, out, slice(a, b))
        return
    local = [name for name in active if name not in _GLOBAL]
    whole = [name for name in active if name in _GLOBAL]
    if whole:
        _compute(_Part([v[a:b] for v in arrays], run), whole, out, slice(a, b))
    _evaluate_packed(arrays, a, b, run, local, out, fresh)


# --- long parts, bit-packed -------------------------------------------------------
#
# A part longer than a chunk is evaluated on bit-packed flags: 64 points per
# word, so every shifted AND/OR of the "k in a row" rules touches an eighth of
# the memory of a boolean array, and the whole part fits in the CPU cache at
# once. The flags themselves (sides, zones, steps, ...) are the ones of _Part,
# computed chunk by chunk with the very same comparisons and packed as they
# come; the rule logic is the same erosions and dilations as on booleans.

_WORD = np.dtype("<u8")  # bit i % 64 of word i // 64 is point i
_SHIFTS = [np.uint64(k) for k in range(65)]


def _ahead(a: np.ndarray, k: int) -> np.ndarray:
    """r[i] = a[i + k] (0 < k < 64; False past the end)."""
    r = a >> _SHIFTS[k]
    r[:-1] |= a[1:] << _SHIFTS[64 - k]
    return r


def _behind(a: np.ndarray, k: int) -> np.ndarray:
    """r[i] = a[i - k] (0 < k < 64; False before the start)."""
    r = a << _SHIFTS[k]
    r[1:] |= a[:-1] >> _SHIFTS[64 - k]
    return r


def _p_windows(c: np.ndarray, k: int, op: np.ufunc, shift: Callable[..., np.ndarray]) -> np.ndarray:
    """``op``-reduce windows of k, by doubling (as _windows, on packed words)."""
    result: np.ndarray | None = None
    offset, power, plen = 0, c, 1
    while True:
        if k & 1:
            result = power if result is None else op(result, shift(power, offset))
            offset += plen
        k >>= 1
        if not k:
            break
        power = op(power, shift(power, plen))
        plen *= 2
    assert result is not None
    return result


def _p_erode(c: np.ndarray, k: int) -> np.ndarray:
    """Starts of the windows of k consecutive True (a window past the end is not one)."""
    return _p_windows(c, k, np.bitwise_and, _ahead)


def _p_dilate(s: np.ndarray, k: int) -> np.ndarray:
    """Every point covered by a window of k starting at a True of s."""
    return _p_windows(s, k, np.bitwise_or, _behind)


def _p_nested(c: np.ndarray, ks: Sequence[int]) -> dict[int, np.ndarray]:
    """Erosions of c by each k in ks (ascending), the longer from the shorter."""
    out = {ks[0]: _p_erode(c, ks[0])}
    cur, k = out[ks[0]], ks[0]
    for want in ks[1:]:
        while k < want:
            cur = cur & _ahead(c, k)
            k += 1
        out[want] = cur
    return out


def _p_majority(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return (a & b) | (c & (a | b))


def _p_two_of_three(x: np.ndarray) -> np.ndarray:
    """Window starts where at least 2 of the 3 points are True."""
    return _p_majority(x, _ahead(x, 1), _ahead(x, 2))


def _p_four_of_five(x: np.ndarray) -> np.ndarray:
    """Window starts where at least 4 of the 5 points are True.

    With full adders: x0 + x1 + x2 = s1 + 2 c1 and s1 + x3 + x4 = s2 + 2 c2,
    so the sum is s2 + 2 (c1 + c2), which reaches 4 exactly when c1 and c2.
    """
    x1, x2, x3, x4 = (_ahead(x, k) for k in (1, 2, 3, 4))
    return _p_majority(x, x1, x2) & _p_majority(x ^ x1 ^ x2, x3, x4)


# The flags each packed rule needs from _Part (see _pack_flags).
_PACKED_NEEDS: dict[str, tuple[str, ...]] = {
    "ihi:shift": ("above", "below"),
    "ihi:trend": ("step_up", "step_down"),
    "western-electric:2": ("valid", "beyond2_up", "beyond2_down"),
    "western-electric:3": ("valid", "beyond1_up", "beyond1_down"),
    "western-electric:4": ("above", "below"),
    "nelson:2": ("above", "below"),
    "nelson:3": ("step_up", "step_down"),
    "nelson:4": ("step_up", "step_down"),
    "nelson:5": ("valid", "beyond2_up", "beyond2_down"),
    "nelson:6": ("valid", "beyond1_up", "beyond1_down"),
    "nelson:7": ("within1",),
    "nelson:8": ("beyond1",),
    "mdc:shift": ("above", "below"),
    "mdc:trend": ("step_up", "step_down"),
    "mdc:two_of_three": ("above", "below", "near_above", "near_below"),
}
_POINTWISE = frozenset({"western-electric:1", "nelson:1", "mdc:outside"})


def _flag(p: _Part, key: str, length: int) -> np.ndarray:
    if key == "near_above":
        out = p.row(length)
        np.logical_and(p.near_limits[0][:length], p.above[:length], out=out)
        return out
    if key == "near_below":
        out = p.row(length)
        np.logical_and(p.near_limits[1][:length], p.below[:length], out=out)
        return out
    return getattr(p, key)[:length]


def _evaluate_packed(
    arrays: tuple[np.ndarray, ...],
    a: int,
    b: int,
    run: Mapping[str, object] | None,
    local: Sequence[str],
    out: dict[str, np.ndarray],
    fresh: set[str] | frozenset[str] = frozenset(),
) -> None:
    """The local rules of the long part [a, b) on bit-packed flags (see above).

    A rule in ``fresh`` has no column yet: its flags become the column (the
    part is then the whole series).
    """
    n = b - a
    words = (n + 63) // 64 + 1  # one zero word past the end for the shifts
    step = max(64, _CHUNK - _CHUNK % 64)  # chunks start on a word
    keys = sorted({key for name in local for key in _PACKED_NEEDS.get(name, ())})
    packed = {key: np.zeros(words, dtype=_WORD) for key in keys}
    pool = _chunk_pool(step + 1)
    on_cl = repeat = False
    for c0 in range(a, b, step):
        c1 = min(c0 + step, b)
        length = c1 - c0
        # One point more than the chunk, for the step into the next chunk.
        part = _Part([v[c0 : min(b, c1 + 1)] for v in arrays], run, pool)
        for key in keys:
            flags = _flag(part, key, length)
            bytes_ = np.packbits(flags, bitorder="little")
            start = (c0 - a) // 8
            packed[key].view(np.uint8)[start : start + bytes_.shape[0]] = bytes_
        for name in local:
            if name in _POINTWISE:
                target = out[name][c0:c1]
                np.logical_or(target, part.outside[:length], out=target)
        if "ihi:shift" in local and not on_cl:
            on_cl = bool(part.on_cl[:length].any())
        if "ihi:trend" in local and not repeat:
            m = min(length, part.n - 1)
            valid = part.valid
            rep = valid[1 : m + 1] & valid[:m] & ~(part.step_up[:m] | part.step_down[:m])
            repeat = bool(rep.any())
        part.release()

    def unpack(name: str, flags: np.ndarray) -> None:
        bits = np.unpackbits(flags.view(np.uint8), count=n, bitorder="little").view(bool)
        if name in fresh:
            out[name] = bits
        else:
            target = out[name][a:b]
            np.logical_or(target, bits, out=target)

    fallback = []
    sides: dict[int, np.ndarray] = {}
    if any(name in local for name in ("ihi:shift", "western-electric:4", "nelson:2", "mdc:shift")):
        up = _p_nested(packed["above"], [_IHI_SHIFT, _MDC_SHIFT, _WE_SHIFT, _NELSON_SHIFT])
        down = _p_nested(packed["below"], [_IHI_SHIFT, _MDC_SHIFT, _WE_SHIFT, _NELSON_SHIFT])
        sides = {k: up[k] | down[k] for k in up}
    trends: dict[int, np.ndarray] = {}
    if any(name in local for name in ("ihi:trend", "nelson:3", "mdc:trend")):
        ks = [_IHI_TREND - 1, _NELSON_TREND - 1, _MDC_TREND - 1]
        up = _p_nested(packed["step_up"], ks)
        down = _p_nested(packed["step_down"], ks)
        trends = {k + 1: up[k] | down[k] for k in ks}
    for name in local:
        if name in _POINTWISE:
            continue
        if (name == "ihi:shift" and on_cl) or (name == "ihi:trend" and repeat):
            fallback.append(name)
            continue
        if name in ("ihi:shift", "western-electric:4", "nelson:2", "mdc:shift"):
            k = {"ihi:shift": _IHI_SHIFT, "western-electric:4": _WE_SHIFT,
                 "nelson:2": _NELSON_SHIFT, "mdc:shift": _MDC_SHIFT}[name]  # fmt: skip
            flags = _p_dilate(sides[k], k)
        elif name in ("ihi:trend", "nelson:3", "mdc:trend"):
            k = {"ihi:trend": _IHI_TREND, "nelson:3": _NELSON_TREND, "mdc:trend": _MDC_TREND}[name]
            flags = _p_dilate(trends[k], k)
        elif name == "nelson:4":
            su, sd = packed["step_up"], packed["step_down"]
            turn = (su & _ahead(sd, 1)) | (sd & _ahead(su, 1))
            k = _NELSON_ALTERNATING
            flags = _p_dilate(_p_erode(turn, k - 2), k)
        elif name == "nelson:7":
            k = _NELSON_STRATIFICATION
            flags = _p_dilate(_p_erode(packed["within1"], k), k)
        elif name == "nelson:8":
            k = _NELSON_MIXTURE
            flags = _p_dilate(_p_erode(packed["beyond1"], k), k)
        elif name in ("western-electric:2", "nelson:5", "western-electric:3", "nelson:6"):
            two = name in ("western-electric:2", "nelson:5")
            k, count = (3, _p_two_of_three) if two else (5, _p_four_of_five)
            up_key, down_key = (
                ("beyond2_up", "beyond2_down") if two else ("beyond1_up", "beyond1_down")
            )
            complete = _p_erode(packed["valid"], k)
            flags = np.zeros(words, dtype=_WORD)
            for key in (up_key, down_key):
                side = packed[key]
                flags |= _p_dilate(count(side) & complete, k) & side
        elif name == "mdc:two_of_three":
            flags = np.zeros(words, dtype=_WORD)
            for side_key, near_key in (("above", "near_above"), ("below", "near_below")):
                near = packed[near_key]
                hit = _p_two_of_three(near) & _p_erode(packed[side_key], 3)
                flags |= _p_dilate(hit, 3) & near
        else:  # pragma: no cover - every local rule is listed above
            raise AssertionError(name)
        unpack(name, flags)
    if fallback:
        # Points on the CL or repeated values: ihi's shift or trend skips them,
        # which can reach across any distance, so evaluate it on the whole part.
        for name in fallback:
            if name in fresh:
                out[name] = np.zeros(n, dtype=bool)
        _compute(_Part([v[a:b] for v in arrays], run), fallback, out, slice(a, b))


def _nth(runs: Sequence[Mapping[str, object]], i: int) -> Mapping[str, object] | None:
    return runs[i] if i < len(runs) else None


def _compute(part: _Part, active: Sequence[str], out: dict[str, np.ndarray], sl: slice) -> None:
    for name in active:
        _IMPL[name](part, out[name][sl])


# --- Making Data Count icons ----------------------------------------------------


def mdc_icons(
    columns: Mapping[str, np.ndarray],
    *,
    y: np.ndarray,
    cl: np.ndarray,
    ucl: np.ndarray,
    lcl: np.ndarray,
    improvement: str | None,
    target: float | None,
) -> tuple[str | None, str | None]:
    """The Making Data Count (variation, assurance) icons of a series.

    The reference point is the last point with a value (a trailing missing
    value has no variation to show). Variation: the first of ``mdc:outside``,
    ``mdc:trend``, ``mdc:two_of_three`` and ``mdc:shift`` that flags it gives
    the direction (the side of the CL; for a trend the sign of the last step);
    ``"improvement"`` if it agrees with ``improvement``, ``"concern"`` if not,
    ``"neither"`` when ``improvement`` is None; no flag: ``"common_cause"``.
    Assurance (None without ``target`` or ``improvement``, or when that point
    has no limits): a target the process cannot miss is ``"pass"``, one it
    cannot reach ``"fail"``, anything else (a target on a limit included)
    ``"hit_and_miss"``.
    """
    y = np.asarray(y, dtype=np.float64)
    last = np.array([_last_valid(y)], dtype=np.intp)
    return mdc_icons_many(
        columns, np.zeros(1, dtype=np.intp), last, y=y, cl=cl, ucl=ucl, lcl=lcl,
        improvement=improvement, target=target,
    )[0]  # fmt: skip


def _last_valid(y: np.ndarray) -> int:
    """The position of the last non-missing value of y (-1: none), reading only the tail."""
    end = y.shape[0]
    step = 64
    while end > 0:
        begin = max(0, end - step)
        have = np.flatnonzero(y[begin:end] == y[begin:end])
        if have.size:
            return begin + int(have[-1])
        end, step = begin, step * 8
    return -1


def last_valid_many(y: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Per segment (starting at ``starts``), the position of its last non-missing y (-1: none)."""
    pos = np.arange(y.shape[0], dtype=np.intp)
    pos[y != y] = -1
    return np.maximum.reduceat(pos, starts) if y.shape[0] else np.full(starts.shape, -1)


_VARIATION = {0: "common_cause", 1: "improvement", -1: "concern"}


def mdc_icons_many(
    columns: Mapping[str, np.ndarray],
    starts: np.ndarray,
    last: np.ndarray,
    *,
    y: np.ndarray,
    cl: np.ndarray,
    ucl: np.ndarray,
    lcl: np.ndarray,
    improvement: str | None,
    target: float | None,
) -> list[tuple[str | None, str | None]]:
    """:func:`mdc_icons` for many series at once, the columns of all of them concatenated.

    Series k starts at ``starts[k]`` and its last point with a value is
    ``last[k]`` (below ``starts[k]``: none); vectorised over the series.
    """
    count = last.shape[0]
    has = last >= starts
    at = np.where(has, last, 0)
    y = np.asarray(y, dtype=np.float64)
    direction = np.zeros(count, dtype=np.int8)
    open_ = has.copy()
    for rule in ("outside", "trend", "two_of_three", "shift"):
        flags = columns.get(f"mdc:{rule}")
        if flags is None or not open_.any():
            continue
        fired = open_ & np.asarray(flags)[at]
        if not fired.any():
            continue
        with np.errstate(invalid="ignore"):
            if rule == "trend":
                step = y[at] - y[np.maximum(at - 1, 0)]
                step[at <= starts] = 0.0  # the first point of a series has no step
            else:
                step = y[at] - np.asarray(cl, dtype=np.float64)[at]
            sign = (step > 0).astype(np.int8) - (step < 0).astype(np.int8)
        decided = fired & (sign != 0)
        direction[decided] = sign[decided]
        open_ &= ~decided
    if improvement == "down":
        direction = -direction
    if improvement is None:
        variation = ["common_cause" if d == 0 else "neither" for d in direction.tolist()]
    else:
        variation = [_VARIATION[d] for d in direction.tolist()]
    for k in np.flatnonzero(~has).tolist():
        variation[k] = "common_cause"
    if target is None or improvement is None:
        return [(v, None) for v in variation]
    lo = np.asarray(lcl, dtype=np.float64)[at]
    hi = np.asarray(ucl, dtype=np.float64)[at]
    t = float(target)
    # "up": a target below the LCL is always met, above the UCL never.
    easy, hard = (t < lo, t > hi) if improvement == "up" else (t > hi, t < lo)
    none = (np.isnan(lo) & np.isnan(hi)) | ~has
    out: list[tuple[str | None, str | None]] = []
    for v, e, h, z in zip(variation, easy.tolist(), hard.tolist(), none.tolist(), strict=True):
        out.append((v, None if z else "pass" if e else "fail" if h else "hit_and_miss"))
    return out
