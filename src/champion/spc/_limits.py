"""Centre lines, control limits and 2-sigma lines for every chart, per segment.

Each ``_chart`` function takes the aggregated points and returns a
:class:`Lines`: the plotted y, CL and limits (a scalar where a value is the
same for the whole series, an array otherwise) and, for the rule sets, each
point's own sigma above and below the CL before any clipping. Formulas and
their sources are listed in docs/spc.md; the contract is SPC.md.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _constants as K
from ._aggregate import Points
from ._errors import SPCError
from ._segments import Segments, ratio

__all__ = ["Ctx", "Lines", "compute_lines"]

Line = Any  # a float64 scalar or an array with one value per point
NAN = np.float64(math.nan)


@dataclass(slots=True)
class Ctx:
    chart: str
    pts: Points
    seg: Segments
    base: np.ndarray | None  # baseline and not excluded (None: every point)
    cl_fixed: float | None
    sigma_method: str | None
    screen_mr: bool
    categorical: bool

    def base_values(self, v: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """v at the baseline points, with their segment ids."""
        if self.base is None:
            return v, self.seg.ids
        return v[self.base], self.seg.sub_ids(self.base)

    def base_mean(self, v: np.ndarray) -> np.ndarray:
        if self.base is None and self.seg.count == 1 and v is self.pts.y:
            return self.seg.mean(v, None, total=self.pts.y_sum)  # the validator summed y
        return self.seg.mean(*self.base_values(v))

    def fixed_or(self, per_seg: Callable[[], np.ndarray]) -> np.ndarray:
        if self.cl_fixed is not None:
            return np.full(self.seg.count, self.cl_fixed)
        return per_seg()


@dataclass(slots=True)
class Lines:
    y: np.ndarray
    cl: Line
    ucl: Line
    lcl: Line
    ucl_95: Line
    lcl_95: Line
    sigma_hi: Line  # a point's sigma above the CL, from the unclipped limits
    sigma_lo: Line
    # The scale the rule sets work on, when it is not the plotted one (t charts).
    rules_scale: tuple[np.ndarray, Line, Line, Line, Line, Line] | None = None


def _clip_lo(v: Line, lo: float = 0.0) -> Line:
    return np.maximum(v, lo)  # NaN stays NaN


def _clip_hi(v: Line, hi: Line) -> Line:
    return np.minimum(v, hi)


def _symmetric(cl: Line, sigma: Line, *, lo: float | None = None, hi: Line | None = None,
               y: np.ndarray) -> Lines:  # fmt: skip
    ucl, lcl = cl + 3 * sigma, cl - 3 * sigma
    ucl95, lcl95 = cl + 2 * sigma, cl - 2 * sigma
    if lo is not None:
        lcl, lcl95 = _clip_lo(lcl, lo), _clip_lo(lcl95, lo)
    if hi is not None:
        ucl, ucl95 = _clip_hi(ucl, hi), _clip_hi(ucl95, hi)
    return Lines(y, cl, ucl, lcl, ucl95, lcl95, sigma, sigma)


# ------------------------------------------------------------------------------ run, i, mr, t


def _run(c: Ctx) -> Lines:
    cl = c.seg.expand(c.fixed_or(lambda: c.seg.median(c.pts.y, c.base)))
    return Lines(c.pts.y, cl, NAN, NAN, NAN, NAN, NAN, NAN)


def _mr_sigma(c: Ctx, v: np.ndarray) -> np.ndarray:
    """sigma per segment from the average moving range of v over the included baseline.

    Excluded points are removed first, so a moving range bridges them; a missing
    value is kept, so the two moving ranges touching it are missing.
    """
    vb, ids = c.base_values(v)
    d = np.diff(vb)
    np.abs(d, out=d)
    dids = None
    if ids is not None:
        dids = ids[1:]
        d[ids[1:] != ids[:-1]] = np.nan
    amr = c.seg.screened_mean(d, dids, K.MR_SCREEN if c.screen_mr else None)
    return amr / K.D2_MR


def _i_sigma(c: Ctx, v: np.ndarray) -> np.ndarray:
    if c.sigma_method == "sd":
        sd, cnt = c.seg.sd(*c.base_values(v))
        return sd / K.c4(cnt)
    return _mr_sigma(c, v)


def _i(c: Ctx) -> Lines:
    y = c.pts.y
    cl = c.fixed_or(lambda: c.base_mean(y))
    sigma = _i_sigma(c, y)
    return _symmetric(c.seg.expand(cl), c.seg.expand(sigma), y=y)


def _mr(c: Ctx) -> Lines:
    y = c.pts.y
    mr = np.empty_like(y)
    mr[0] = math.nan
    np.subtract(y[1:], y[:-1], out=mr[1:])
    np.abs(mr, out=mr)
    mr[c.seg.starts] = math.nan
    cl = c.seg.expand(c.fixed_or(lambda: c.base_mean(mr)))
    zero = np.float64(0.0)
    return Lines(mr, cl, K.MR_UCL * cl, zero, K.MR_UCL_95 * cl, zero, (K.MR_UCL - 1) * cl / 3,
                 cl / 3)  # fmt: skip


_T_POWER = 3.6


def _t(c: Ctx) -> Lines:
    y = c.pts.y
    z = np.power(y, 1 / _T_POWER)
    fixed = None if c.cl_fixed is None else c.cl_fixed ** (1 / _T_POWER)
    cl_z = np.full(c.seg.count, fixed) if fixed is not None else c.base_mean(z)
    sigma = c.seg.expand(_i_sigma(c, z))
    clz = c.seg.expand(cl_z)
    ucl_z, lcl_z = clz + 3 * sigma, clz - 3 * sigma
    ucl95_z, lcl95_z = clz + 2 * sigma, clz - 2 * sigma
    lcl_z_plot = _clip_lo(lcl_z)
    lcl95_z_plot = np.where(lcl95_z < 0, math.nan, lcl95_z)
    back = lambda v: np.power(v, _T_POWER)  # noqa: E731
    return Lines(
        y,
        back(clz),
        back(ucl_z),
        back(lcl_z_plot),
        back(ucl95_z),
        back(np.maximum(lcl95_z_plot, 0)),
        sigma,
        sigma,
        rules_scale=(z, clz, ucl_z, lcl_z_plot, ucl95_z, lcl95_z_plot),
    )


# ------------------------------------------------------------------------ attribute charts


def _pooled_rate(c: Ctx) -> np.ndarray:
    """sum(events) / sum(n) per segment over the included baseline."""
    num, n = c.pts.num, c.pts.n
    assert num is not None and n is not None
    if c.base is None:
        ids = c.seg.ids
    else:
        num, n, ids = num[c.base], n[c.base], c.seg.sub_ids(c.base)
    ev, _ = c.seg.sum_count(num, ids)
    nn, _ = c.seg.sum_count(n, ids)
    return ratio(ev, nn)


def _p(c: Ctx) -> Lines:
    n = c.pts.n
    assert n is not None
    cl = c.seg.expand(c.fixed_or(lambda: _pooled_rate(c)))
    sigma = np.sqrt(cl * (1 - cl) / n)
    return _symmetric(cl, sigma, lo=0.0, hi=1.0, y=c.pts.y)


def _np(c: Ctx) -> Lines:
    n = c.pts.n
    assert n is not None
    if c.cl_fixed is None:
        pbar = c.seg.expand(_pooled_rate(c))
        cl = n * pbar
    else:
        smallest = float(n[~np.isnan(n)].min()) if not np.isnan(n).all() else math.inf
        if c.cl_fixed > smallest:
            raise SPCError(
                f"cl={c.cl_fixed:g} on an np chart is the expected count per subgroup, but some "
                f"subgroups have only {smallest:g} cases; give a smaller cl"
            )
        cl = np.full(n.shape, c.cl_fixed)
        pbar = cl / n
    sigma = np.sqrt(cl * (1 - pbar))
    return _symmetric(cl, sigma, lo=0.0, hi=n, y=c.pts.y)


def _c(c: Ctx) -> Lines:
    cl = c.seg.expand(c.fixed_or(lambda: c.base_mean(c.pts.y)))
    return _symmetric(cl, np.sqrt(cl), lo=0.0, y=c.pts.y)


def _u(c: Ctx) -> Lines:
    n = c.pts.n
    assert n is not None
    cl = c.seg.expand(c.fixed_or(lambda: _pooled_rate(c)))
    return _symmetric(cl, np.sqrt(cl / n), lo=0.0, y=c.pts.y)


def _laney(c: Ctx) -> Lines:
    """Laney's p' and u' charts: the p/u sigma times the spread of the z-scores."""
    y, n = c.pts.y, c.pts.n
    assert n is not None
    cl_seg = c.fixed_or(lambda: _pooled_rate(c))
    cl = c.seg.expand(cl_seg)
    sigma_i = np.sqrt(cl * (1 - cl) / n) if c.chart == "pp" else np.sqrt(cl / n)
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(sigma_i > 0, (y - cl) / sigma_i, math.nan)
    if c.categorical:
        sigma_z, _ = c.seg.sd(*c.base_values(z))
    else:
        sigma_z = _mr_sigma(c, z)
    sigma = sigma_i * c.seg.expand(sigma_z)
    return _symmetric(cl, sigma, lo=0.0, hi=1.0 if c.chart == "pp" else None, y=y)


def _g(c: Ctx) -> Lines:
    y = c.pts.y
    if c.cl_fixed is None:
        m = c.seg.expand(c.base_mean(y))
        cl = c.seg.expand(c.seg.median(y, c.base))
    else:
        m = np.float64(c.cl_fixed)
        cl = np.float64(0.693 * c.cl_fixed)
    sigma = np.sqrt(m * (m + 1))
    ucl, lcl = m + 3 * sigma, m - 3 * sigma
    return Lines(y, cl, ucl, _clip_lo(lcl), m + 2 * sigma, _clip_lo(m - 2 * sigma),
                 (ucl - cl) / 3, (cl - lcl) / 3)  # fmt: skip


def _ip(c: Ctx) -> Lines:
    """Taylor's I' chart: an i chart for means of differing sample sizes."""
    y, n = c.pts.y, c.pts.n
    assert n is not None
    if c.cl_fixed is None:
        yb, ids = c.base_values(y * n)
        nb, _ = c.base_values(np.where(np.isnan(y), math.nan, n))
        cl_seg = ratio(c.seg.sum_count(yb, ids)[0], c.seg.sum_count(nb, ids)[0])
    else:
        cl_seg = np.full(c.seg.count, c.cl_fixed)
    # s_i over all consecutive points of a segment (baseline or not, excluded or not).
    inv_n = ratio(np.ones(n.shape), n)  # NaN where a point has no values (n = 0)
    d = np.abs(np.diff(y))
    s = math.sqrt(math.pi / 2) * d / np.sqrt(inv_n[:-1] + inv_n[1:])
    ids = c.seg.ids
    if ids is not None:
        s[ids[1:] != ids[:-1]] = math.nan
    mean_s = c.seg.screened_mean(s, None if ids is None else ids[1:],
                                 K.IP_SCREEN if c.screen_mr else None)  # fmt: skip
    sigma = c.seg.expand(mean_s) * np.sqrt(inv_n)
    return _symmetric(c.seg.expand(cl_seg), sigma, y=y)


# --------------------------------------------------------------------------- xbar, s, r


def _check_sizes(size: np.ndarray, method: str, chart: str) -> None:
    big = float(np.nanmax(size))
    if chart == "r" and big > K.D3_MAX:
        raise SPCError(
            f"an r chart needs subgroups of at most {K.D3_MAX} values (the d3 table); a subgroup "
            f"here has {big:g}. Use an s chart for large subgroups"
        )
    if method in ("uwave-r", "mvlue-r") and big > K.D2_MAX:
        raise SPCError(
            f'sigma_method="{method}" uses the d2 table, which stops at subgroups of '
            f"{K.D2_MAX}; a subgroup here has {big:g} values. Use a standard-deviation method "
            f'(e.g. "uwave-sd") or an s chart'
        )


def _wmean(c: Ctx, v: np.ndarray, w: np.ndarray, ok: np.ndarray) -> np.ndarray:
    """sum(w v) / sum(w) per segment over the included baseline points where ok."""
    sel = ok if c.base is None else ok & c.base
    ids = c.seg.sub_ids(sel)
    top, _ = c.seg.sum_count((w * v)[sel], ids)
    bottom, _ = c.seg.sum_count(w[sel], ids)
    return ratio(top, bottom)


def _qcc_sigma(c: Ctx, method: str) -> np.ndarray:
    p = c.pts
    size, sd, rng = p.size, p.sd, p.rng
    assert size is not None and sd is not None and rng is not None
    ok = size >= 2
    idx = np.where(ok, size, 0).astype(np.int64)
    one = np.ones(size.shape)
    if method in ("uwave-r", "mvlue-r"):
        d2, d3 = K.D2[np.minimum(idx, K.D2_MAX)], K.D3[np.minimum(idx, K.D3_MAX)]
        w = one if method == "uwave-r" else (d2 / d3) ** 2
        return _wmean(c, rng / d2, w, ok & ~np.isnan(rng))
    c4 = K.c4(np.where(ok, size, math.nan))
    if method in ("uwave-sd", "mvlue-sd"):
        w = one if method == "uwave-sd" else c4**2 / (1 - c4**2)
        return _wmean(c, sd / c4, w, ok & ~np.isnan(sd))
    # rmsdf
    sel = ok & ~np.isnan(sd)
    if c.base is not None:
        sel &= c.base
    ids = c.seg.sub_ids(sel)
    ss, _ = c.seg.sum_count(((size - 1) * sd * sd)[sel], ids)
    df, _ = c.seg.sum_count((size - 1)[sel], ids)
    return np.sqrt(ratio(ss, df)) / K.c4(df + 1)


def _pooled_s(c: Ctx) -> np.ndarray:
    """qicharts2's S: mean s_i when the part's subgroups are all one size, else pooled."""
    p = c.pts
    size, sd = p.size, p.sd
    assert size is not None and sd is not None
    seg = c.seg
    present = size >= 1
    lo = np.where(present, size, np.inf)
    hi = np.where(present, size, -np.inf)
    equal = np.minimum.reduceat(lo, seg.starts) == np.maximum.reduceat(hi, seg.starts)
    ok = (size >= 2) & ~np.isnan(sd)
    mean_s = _wmean(c, sd, np.ones(size.shape), ok)
    pooled = np.sqrt(_wmean(c, sd * sd, size - 1, ok))
    return np.where(equal, mean_s, pooled)


def _xbar(c: Ctx) -> Lines:
    p = c.pts
    size, mean = p.size, p.mean
    assert size is not None and mean is not None
    method = c.sigma_method or "pooled"
    _check_sizes(size, method, "xbar")
    cl = c.seg.expand(c.fixed_or(lambda: _wmean(c, mean, size, size >= 1)))
    with np.errstate(divide="ignore", invalid="ignore"):
        if method == "pooled":
            sigma = c.seg.expand(_pooled_s(c)) * K.a3(size, 1.0)
        else:
            sigma = c.seg.expand(_qcc_sigma(c, method)) / np.sqrt(size)
    sigma = np.where(size >= 2, sigma, math.nan)
    return _symmetric(cl, sigma, y=mean)


def _s(c: Ctx) -> Lines:
    p = c.pts
    size, sd = p.size, p.sd
    assert size is not None and sd is not None
    method = c.sigma_method or "pooled"
    _check_sizes(size, method, "s")
    if method == "pooled":
        cl = c.seg.expand(c.fixed_or(lambda: _pooled_s(c)))
        k = K.c5(size) / K.c4(size)  # B4 = 1 + 3k, B3 = max(0, 1 - 3k)
        sigma = cl * k
    else:
        ok = (size >= 2) & ~np.isnan(sd)
        cl = c.seg.expand(c.fixed_or(lambda: _wmean(c, sd, size, ok)))
        sigma = c.seg.expand(_qcc_sigma(c, method)) * K.c5(size)
    return _symmetric(cl, sigma, lo=0.0, y=sd)


def _r(c: Ctx) -> Lines:
    p = c.pts
    size, rng = p.size, p.rng
    assert size is not None and rng is not None
    method = c.sigma_method or "uwave-r"
    _check_sizes(size, method, "r")
    ok = (size >= 2) & ~np.isnan(rng)
    cl = c.seg.expand(c.fixed_or(lambda: _wmean(c, rng, size, ok)))
    idx = np.where(size >= 2, size, 0).astype(np.int64)
    sigma = c.seg.expand(_qcc_sigma(c, method)) * K.D3[np.minimum(idx, K.D3_MAX)]
    return _symmetric(cl, sigma, lo=0.0, y=rng)


_CHARTS: dict[str, Callable[[Ctx], Lines]] = {
    "run": _run, "i": _i, "mr": _mr, "t": _t, "p": _p, "np": _np, "c": _c, "u": _u,
    "pp": _laney, "up": _laney, "g": _g, "ip": _ip, "xbar": _xbar, "s": _s, "r": _r,
}  # fmt: skip


def compute_lines(c: Ctx) -> Lines:
    return _CHARTS[c.chart](c)
