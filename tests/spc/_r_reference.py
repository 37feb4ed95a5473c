"""Independent reference models of R's qicharts2 0.8.1 and qcc 2.7, for the semantics tests.

Written from a reading of the R sources (not ported line by line, and sharing no
code with the engine): plain Python loops over lists, NaN standing for R's NA.
Each function names the R function whose behaviour it reproduces.

qicharts2 0.8.1, R/helper.functions.R: ``qic.agg`` (aggregation, parts, freeze,
exclude, multiply, sigma signals), ``runs.analysis`` and ``crsignal`` (Anhøj,
bestbox, cutbox), ``qic.run``, ``qic.i``, ``qic.mr``, ``qic.t``, ``qic.p``,
``qic.pp``, ``qic.c``, ``qic.u``, ``qic.up``, ``qic.g``, ``qic.ip``,
``qic.xbar``, ``qic.s``, ``c4``/``c5``/``a3``/``b3``/``b4``; R/qic.R: ``qic``
(complete cases of y and n, dots.only for non-numeric x, freeze ignored with
parts). Moving ranges are screened, as when ``options(qic.screenedmr = TRUE)``
(set by the package's ``.onAttach``).

qcc 2.7, R/qcc.R: ``qcc`` (calibration data and ``newdata``), ``stats.xbar``,
``sd.xbar`` (UWAVE-R, UWAVE-SD, MVLUE-R, MVLUE-SD, RMSDF), ``limits.xbar``,
``stats.S``/``sd.S``/``limits.S``, ``stats.R``/``sd.R``/``limits.R``,
``stats.np``/``limits.np``, ``.qcc.options`` (the d2 = exp.R.unscaled and
d3 = se.R.unscaled tables).
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

NA = math.nan


def isna(v: float) -> bool:
    return v != v


def r_sum(v: list[float], na_rm: bool = True) -> float:
    vals = [a for a in v if not isna(a)] if na_rm else list(v)
    if any(isna(a) for a in vals):
        return NA
    return math.fsum(vals)


def r_mean(v: list[float]) -> float:
    """mean(v, na.rm = TRUE): NaN when nothing is left."""
    vals = [a for a in v if not isna(a)]
    if not vals:
        return NA
    m = math.fsum(vals) / len(vals)
    return m + math.fsum(a - m for a in vals) / len(vals)  # R refines the same way


def r_median(v: list[float]) -> float:
    vals = sorted(a for a in v if not isna(a))
    if not vals:
        return NA
    k = len(vals)
    return (vals[(k - 1) // 2] + vals[k // 2]) / 2


def r_sd(v: list[float], na_rm: bool = True) -> float:
    if not na_rm and any(isna(a) for a in v):
        return NA
    vals = [a for a in v if not isna(a)]
    if len(vals) < 2:
        return NA
    m = math.fsum(vals) / len(vals)
    return math.sqrt(math.fsum((a - m) ** 2 for a in vals) / (len(vals) - 1))


def r_pow(a: float, p: float) -> float:
    """a^p as R computes it: NaN for a negative base and a fractional power."""
    if isna(a) or a < 0:
        return NA
    return a**p


def c4(n: float) -> float:
    if isna(n) or n <= 1:
        return NA
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def c5(n: float) -> float:
    c = c4(n)
    return math.sqrt(1 - c * c) if not isna(c) else NA


def qbinom05(m: int) -> int:
    """qbinom(0.05, m, 0.5): the smallest k with P(X <= k) >= 0.05, in integers."""
    if m <= 0:
        return 0
    acc, term = 0, 1
    for k in range(m + 1):
        acc += term
        if 20 * acc >= 1 << m:
            return k
        term = term * (m - k) // (k + 1)
    return m


# --------------------------------------------------------------------------- qicharts2

# crsignal(): the bestbox / cutbox bounds for n = 10..100 as printed in qicharts2 0.8.1.
BOX_CB = [2, 3, 3, 3, 3, 4, 5, 5, 5, 5, 6, 7, 6, 6, 6, 6, 9, 9, 9, 10, 11, 11, 11, 11, 11, 12,
          13, 14, 13, 15, 15, 15, 14, 14, 17, 17, 17, 17, 19, 19, 19, 19, 19, 21, 21, 21, 21, 23,
          23, 23, 23, 23, 25, 25, 26, 26, 27, 27, 27, 28, 29, 29, 29, 30, 30, 31, 31, 31, 32, 33,
          33, 33, 34, 33, 35, 35, 35, 35, 37, 37, 38, 37, 39, 39, 39, 39, 39, 41, 41, 42, 41]  # fmt: skip
BOX_LB = [6, 7, 6, 6, 6, 7, 8, 7, 7, 7, 7, 8, 7, 7, 7, 7, 9, 8, 8, 8, 10, 9, 8, 8, 8, 8, 9, 10,
          8, 11, 9, 9, 8, 8, 10, 9, 9, 9, 12, 10, 9, 9, 9, 11, 10, 9, 9, 12, 10, 10, 9, 9, 11, 10,
          11, 10, 12, 10, 10, 11, 14, 11, 10, 11, 10, 12, 11, 10, 11, 13, 11, 10, 11, 10, 11, 11,
          10, 10, 12, 11, 12, 10, 13, 11, 11, 10, 10, 12, 11, 12, 10]  # fmt: skip
_ = None
BOX_CBORD = [3, 4, _, _, _, 6, 6, _, 6, 6, _, _, 7, 7, 7, _, 10, 10, 11, _, 12, 14, _, 12, 13, _,
             15, _, _, _, _, 17, _, _, _, _, 19, 20, 20, 21, _, 21, 21, 23, 23, _, 23, 25, 24, 26,
             _, 24, 27, 27, 27, 27, 29, _, 29, 29, 30, 31, 30, 31, _, 32, 34, 33, 33, 37, 35, _,
             36, 36, _, 38, 36, 38, 38, 39, _, 39, 41, 40, 42, _, 41, 42, 44, 43, 42]  # fmt: skip
BOX_LBORD = [5, 6, _, _, _, 6, 7, _, 6, 5, _, _, 6, 6, 6, _, 7, 7, 7, _, 9, 8, _, 7, 7, _, 8, _,
             _, _, _, 8, _, _, _, _, 8, 7, 11, 9, _, 8, 7, 9, 8, _, 8, 11, 9, 8, _, 8, 9, 9, 10,
             9, 10, _, 8, 8, 13, 9, 9, 10, _, 9, 8, 9, 8, 11, 9, _, 10, 7, _, 8, 9, 8, 10, 9, _, 9,
             12, 10, 8, _, 8, 9, 9, 10, 9]  # fmt: skip


def crsignal(n: int, c: int, lr: int, method: str) -> bool:
    """qicharts2 crsignal(): the runs signal for n useful points, c crossings, longest run lr."""
    if method != "anhoej" and (n < 10 or n > 100):
        method = "anhoej"
    if method == "anhoej":
        return not (c >= qbinom05(n - 1) and lr <= round(math.log2(n)) + 3)
    i = n - 10
    cb, lb, cbord, lbord = BOX_CB[i], BOX_LB[i], BOX_CBORD[i], BOX_LBORD[i]
    if method == "bestbox" or cbord is None:
        return not (c >= cb and lr <= lb)
    res = True
    if c >= cb + 1 and lr <= lb - 1:
        res = False
    if c == cb and lr <= lbord:
        res = False
    if c >= cbord and lr <= lb:
        res = False
    return res


def runs_analysis(y: list[float], cl: list[float], include: list[bool], method: str) -> dict:
    """qicharts2 runs.analysis() on one part."""
    yi = [a for a, k in zip(y, include, strict=True) if k]
    ci = [a for a, k in zip(cl, include, strict=True) if k]
    signs = []
    for a, b in zip(yi, ci, strict=True):
        d = a - b
        if isna(d) or d == 0:
            continue
        signs.append(1 if d > 0 else -1)
    n_useful = len(signs)
    rec: dict[str, Any] = {"n_obs": len(yi), "n_useful": n_useful}
    if not n_useful:
        rec.update(longest_run=None, longest_run_max=None, n_crossings=None,
                   n_crossings_min=None, runs_signal=False)  # fmt: skip
        return rec
    lengths = [1]
    for a, b in itertools.pairwise(signs):
        if a == b:
            lengths[-1] += 1
        else:
            lengths.append(1)
    longest = max(lengths)
    crossings = max(len(lengths) - 1, 0)
    rec.update(
        longest_run=longest,
        longest_run_max=round(math.log2(n_useful)) + 3,
        n_crossings=crossings,
        n_crossings_min=qbinom05(n_useful - 1),
        runs_signal=crsignal(n_useful, crossings, longest, method),
    )
    return rec


def _rows_to_groups(y, x, n, agg):
    """qic() and qic.agg(): complete cases, rows without x dropped, one group per x."""
    y = [NA if v is None else float(v) for v in y]
    got_n = n is not None
    if got_n:
        n = [NA if v is None else float(v) for v in n]
        for i in range(len(y)):
            if isna(y[i]) or isna(n[i]):
                y[i] = n[i] = NA
    else:
        n = [NA] * len(y)
    if x is None:
        x = list(range(len(y)))

    def missing(v):  # qic.agg drops rows whose x is NA
        return (
            v is None
            or (isinstance(v, float) and isna(v))
            or (isinstance(v, np.datetime64) and np.isnat(v))
        )

    keys = sorted({v for v in x if not missing(v)})
    groups = []
    for key in keys:
        rows = [i for i, v in enumerate(x) if v == key]
        ys = [y[i] for i in rows]
        ns = [n[i] for i in rows]
        vals = [v for v in ys if not isna(v)]
        g = {
            "x": key,
            # sum(y, na.rm = length(y) > 1)
            "y_sum": r_sum(ys, na_rm=len(ys) > 1),
            "y_length": len(vals),
            "y_mean": r_mean(ys),
            "y_sd": r_sd(ys),
            "n": r_sum(ns, na_rm=True) if got_n else NA,
        }
        if got_n:
            tot = r_sum(ns)
            g["y"] = r_sum(ys) / tot if tot > 0 else (NA if r_sum(ys) == 0 else math.inf)
        elif agg == "mean":
            g["y"] = r_mean(ys)
        elif agg == "median":
            g["y"] = r_median(ys)
        else:  # sum
            g["y"] = r_sum(ys)
        groups.append(g)
    return groups


def _screened_amr(mr: list[float], factor: float) -> float:
    """mean(mr); then keep mr < factor * mean (NA kept as NA) and average again."""
    amr = r_mean(mr)
    kept = [v if (not isna(v) and v < factor * amr) else NA for v in mr]
    return r_mean(kept)


def _base(p):
    return [b and k for b, k in zip(p["baseline"], p["include"], strict=True)]


def _sel(v, mask):
    return [a for a, k in zip(v, mask, strict=True) if k]


def qic_run(p):
    base = _base(p)
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else r_median(_sel(p["y"], base))
    L = len(p["y"])
    return {"y": p["y"], "cl": [cl] * L, "ucl": [NA] * L, "lcl": [NA] * L,
            "ucl_95": [NA] * L, "lcl_95": [NA] * L}  # fmt: skip


def _i_lines(y, base, cl_fixed):
    cl = cl_fixed if cl_fixed is not None else r_mean(_sel(y, base))
    yb = _sel(y, base)
    mr = [abs((b - cl) - (a - cl)) for a, b in itertools.pairwise(yb)]
    sd = _screened_amr(mr, 3.267) / 1.128
    return cl, sd


def qic_i(p):
    cl, sd = _i_lines(p["y"], _base(p), p["cl_fixed"])
    L = len(p["y"])
    return {"y": p["y"], "cl": [cl] * L, "ucl": [cl + 3 * sd] * L, "lcl": [cl - 3 * sd] * L,
            "ucl_95": [cl + 2 * sd] * L, "lcl_95": [cl - 2 * sd] * L}  # fmt: skip


def qic_mr(p):
    y = p["y"]
    mr = [NA] + [abs(b - a) for a, b in itertools.pairwise(y)]
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else r_mean(_sel(mr, _base(p)))
    L = len(y)
    return {"y": mr, "cl": [cl] * L, "ucl": [3.267 * cl] * L, "lcl": [0.0] * L,
            "ucl_95": [(3.267 / 3) * 2 * cl] * L, "lcl_95": [0.0] * L}  # fmt: skip


def qic_t(p):
    y = p["y"]
    if min(v for v in y if not isna(v)) <= 0:
        raise ValueError("Time between events must be greater than zero")
    z = [r_pow(v, 1 / 3.6) for v in y]
    # qic.t hands its cl, if any, to qic.i unchanged (so on the transformed scale).
    cl, sd = _i_lines(z, _base(p), p["cl_fixed"])
    L = len(y)
    lcl = r_pow(cl - 3 * sd, 3.6)
    lcl = 0.0 if isna(lcl) else lcl  # x$lcl[x$lcl < 0 | is.nan(x$lcl)] <- 0
    return {
        "y": [r_pow(v, 3.6) for v in z],
        "cl": [r_pow(cl, 3.6)] * L,
        "ucl": [r_pow(cl + 3 * sd, 3.6)] * L,
        "lcl": [lcl] * L,
        "ucl_95": [r_pow(cl + 2 * sd, 3.6)] * L,
        "lcl_95": [r_pow(cl - 2 * sd, 3.6)] * L,  # NaN, later NA, when negative
    }


def _pooled_rate(p):
    base = _base(p)
    return r_sum(_sel(p["y_sum"], base)) / r_sum(_sel(p["n"], base))


def _clip(v, lo=None, hi=None):
    if lo is not None and math.isfinite(v) and v < lo:
        return lo
    if hi is not None and math.isfinite(v) and v > hi:
        return hi
    return v


def _sym(y, cl, sd, lo=None, hi=None):
    return {
        "y": y,
        "cl": cl,
        "ucl": [_clip(c + 3 * s, hi=hi) for c, s in zip(cl, sd, strict=True)],
        "lcl": [_clip(c - 3 * s, lo=lo) for c, s in zip(cl, sd, strict=True)],
        "ucl_95": [_clip(c + 2 * s, hi=hi) for c, s in zip(cl, sd, strict=True)],
        "lcl_95": [_clip(c - 2 * s, lo=lo) for c, s in zip(cl, sd, strict=True)],
    }


def _sqrt(v):
    return math.sqrt(v) if not isna(v) and v >= 0 else NA


def _div(a, b):
    if isna(a) or isna(b):
        return NA
    if b == 0:
        return NA if a == 0 else math.copysign(math.inf, a)
    return a / b


def qic_p(p):
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else _pooled_rate(p)
    sd = [_sqrt(_div(cl * (1 - cl), n)) for n in p["n"]]
    return _sym(p["y"], [cl] * len(sd), sd, lo=0.0, hi=1.0)


def qic_u(p):
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else _pooled_rate(p)
    sd = [_sqrt(_div(cl, n)) for n in p["n"]]
    return _sym(p["y"], [cl] * len(sd), sd, lo=0.0)


def _laney_sigma_z(p, cl, sd):
    base = _base(p)
    z = [_div(y - cl, s) for y, s in zip(_sel(p["y"], base), _sel(sd, base), strict=True)]
    if p["categorical"]:
        return r_sd(z, na_rm=False)  # stats::sd(z_i), without na.rm
    mr = [abs(b - a) for a, b in itertools.pairwise(z)]
    return _screened_amr(mr, 3.267) / 1.128


def qic_pp(p):
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else _pooled_rate(p)
    sd = [_sqrt(_div(cl * (1 - cl), n)) for n in p["n"]]
    sz = _laney_sigma_z(p, cl, sd)
    return _sym(p["y"], [cl] * len(sd), [s * sz for s in sd], lo=0.0, hi=1.0)


def qic_up(p):
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else _pooled_rate(p)
    sd = [_sqrt(_div(cl, n)) for n in p["n"]]
    sz = _laney_sigma_z(p, cl, sd)
    return _sym(p["y"], [cl] * len(sd), [s * sz for s in sd], lo=0.0)


def qic_c(p):
    y = p["y_sum"]
    cl = p["cl_fixed"] if p["cl_fixed"] is not None else r_mean(_sel(y, _base(p)))
    return _sym(y, [cl] * len(y), [_sqrt(cl)] * len(y), lo=0.0)


def qic_g(p):
    y = p["y"]
    base = _base(p)
    m = p["cl_fixed"] if p["cl_fixed"] is not None else r_mean(_sel(y, base))
    sd = math.sqrt(m * (m + 1))
    out = _sym(y, [m] * len(y), [sd] * len(y), lo=0.0)
    cl = r_median(_sel(y, base)) if p["cl_fixed"] is None else 0.693 * m
    out["cl"] = [cl] * len(y)
    return out


def qic_ip(p):
    y = p["y"]
    n = p["n"] if not all(isna(v) for v in p["n"]) else [float(v) for v in p["y_length"]]
    base = _base(p)
    if p["cl_fixed"] is not None:
        cl = p["cl_fixed"]
    else:
        cl = r_sum([a * b for a, b in zip(_sel(y, base), _sel(n, base), strict=True)]) / r_sum(
            _sel(n, base)
        )
    s = []
    for i in range(1, len(y)):
        d1 = abs(y[i] - y[i - 1])
        d2 = math.sqrt(_div(1, n[i - 1]) + _div(1, n[i])) if n[i - 1] > 0 and n[i] > 0 else math.inf
        s.append(math.sqrt(math.pi / 2) * d1 / d2)
    mean_s = _screened_amr(s, 3.2665)
    sd = [mean_s * _sqrt(_div(1, v)) for v in n]
    out = _sym(y, [cl] * len(y), sd)
    out["n"] = n
    return out


def _var_n(p):
    return len(set(p["y_length"])) > 1


def _pooled_s(p, base):
    num = r_sum([(k - 1) * s * s for k, s in zip(_sel(p["y_length"], base), _sel(p["y_sd"], base), strict=True)])  # fmt: skip
    den = r_sum([float(k - 1) for k in _sel(p["y_length"], base)])
    return math.sqrt(num / den)


def qic_xbar(p):
    base = _base(p)
    if p["cl_fixed"] is not None:
        cl = p["cl_fixed"]
    else:
        ln, mn = _sel(p["y_length"], base), _sel(p["y_mean"], base)
        cl = r_sum([k * m for k, m in zip(ln, mn, strict=True)]) / r_sum([float(k) for k in ln])
    s = _pooled_s(p, base) if _var_n(p) else r_mean(_sel(p["y_sd"], base))
    a3 = [3 / (c4(k) * math.sqrt(k)) if k > 1 else NA for k in p["y_length"]]
    sd = [v / 3 * s for v in a3]
    return _sym(p["y"], [cl] * len(a3), sd)


def qic_s(p):
    base = _base(p)
    if p["cl_fixed"] is not None:
        cl = p["cl_fixed"]
    else:
        cl = _pooled_s(p, base) if _var_n(p) else r_mean(_sel(p["y_sd"], base))
    out: dict[str, list[float]] = {k: [] for k in ("ucl", "lcl", "ucl_95", "lcl_95")}
    for k in p["y_length"]:
        if k <= 1:
            for key in out:
                out[key].append(NA)
            continue
        r = c5(k) / c4(k)
        out["ucl"].append((1 + 3 * r) * cl)
        out["lcl"].append(max(0.0, 1 - 3 * r) * cl)
        out["ucl_95"].append((1 + 2 * r) * cl)
        out["lcl_95"].append(max(0.0, 1 - 2 * r) * cl)
    return {"y": p["y_sd"], "cl": [cl] * len(p["y_sd"]), **out}


QIC_CHARTS = {
    "run": qic_run, "i": qic_i, "mr": qic_mr, "t": qic_t, "p": qic_p, "pp": qic_pp,
    "c": qic_c, "u": qic_u, "up": qic_up, "g": qic_g, "ip": qic_ip, "xbar": qic_xbar,
    "s": qic_s,
}  # fmt: skip


def qic(y, chart="run", x=None, n=None, parts=None, freeze=None, exclude=None, cl=None,
        multiply=1.0, agg="mean", method="anhoej", categorical=False):  # fmt: skip
    """qic(..., return.data = TRUE), screened moving ranges.

    ``parts``, ``freeze`` and ``exclude`` are given as the engine takes them (0-based
    positions of the aggregated points); they are translated to qic's 1-based ones.
    Returns per-point columns and one runs record per part.
    """
    groups = _rows_to_groups(y, x, n, agg)
    L = len(groups)
    cuts = sorted({0, *(parts or [])})
    cuts = [c for c in cuts if 0 <= c < L]
    part_of = []
    for i in range(L):
        part_of.append(sum(1 for c in cuts if c <= i))
    fr = math.inf if (freeze is None or parts) else freeze
    excl = {e + 1 for e in (exclude or [])}
    cols: dict[str, list] = {k: [] for k in ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95")}
    cols["part"], cols["n"] = [], []
    records = []
    for part in sorted(set(part_of)):
        idx = [i for i in range(L) if part_of[i] == part]
        p: dict[str, Any] = {k: [groups[i][k] for i in idx] for k in groups[0] if k != "x"}
        p["baseline"] = [(i + 1) <= fr for i in idx]
        p["include"] = [(i + 1) not in excl for i in idx]
        p["cl_fixed"] = cl
        p["categorical"] = categorical
        out = QIC_CHARTS[chart](p)
        rec = runs_analysis(out["y"], out["cl"], p["include"], method)
        records.append(rec)
        for k in ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95"):
            cols[k].extend(v * multiply for v in out[k])
        cols["part"].extend([part] * len(idx))
        cols["n"].extend(out.get("n", p["n"]))
    for k in ("ucl", "lcl", "ucl_95", "lcl_95"):
        cols[k] = [v if math.isfinite(v) else NA for v in cols[k]]
    cols["sigma_signal"] = [
        (not isna(y) and ((not isna(u) and y > u) or (not isna(lo) and y < lo)))
        for y, u, lo in zip(cols["y"], cols["ucl"], cols["lcl"], strict=True)
    ]
    quiet = categorical or chart == "mr"
    if quiet:
        for r in records:
            r["runs_signal"] = False
    cols["runs_signal"] = [records[q - 1]["runs_signal"] for q in cols["part"]]
    return cols, records


# --------------------------------------------------------------------------------- qcc

# .qcc.options: exp.R.unscaled (d2) and se.R.unscaled (d3), indexed by subgroup size.
QCC_D2 = [NA, NA, 1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258,
          3.336, 3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858, 3.895,
          3.931]  # fmt: skip
QCC_D3 = [NA, NA, 0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378,
          0.8078413, 0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217,
          0.7499188, 0.7440627, 0.7386021, 0.7334929, 0.7286980, 0.7241851, 0.7199267,
          0.7158987, 0.7120802, 0.7084528, 0.7050004, 0.7017086, 0.6985648, 0.6955576,
          0.6926770, 0.6899137, 0.6872596, 0.6847074, 0.6822502, 0.6798821, 0.6775973,
          0.6753910, 0.6732584, 0.6711952, 0.6691976, 0.6672619, 0.6653848, 0.6635632,
          0.6617943, 0.6600754, 0.6584041, 0.6567780, 0.6551950, 0.6536532, 0.6521506]  # fmt: skip


def _rng(g):
    return max(g) - min(g)


def qcc_sd(groups: list[list[float]], method: str) -> float:
    """sd.xbar(data, sizes, std.dev = method) on the calibration subgroups."""
    sizes = [len(g) for g in groups]
    if any(k == 1 for k in sizes):
        raise ValueError("group sizes must be larger than one")
    if method == "UWAVE-R":
        return math.fsum(_rng(g) / QCC_D2[k] for g, k in zip(groups, sizes, strict=True)) / len(
            sizes
        )
    if method == "UWAVE-SD":
        return math.fsum(r_sd(g) / c4(k) for g, k in zip(groups, sizes, strict=True)) / len(sizes)
    if method == "MVLUE-R":
        w = [(QCC_D2[k] / QCC_D3[k]) ** 2 for k in sizes]
        top = math.fsum(_rng(g) / QCC_D2[k] * wi for g, k, wi in zip(groups, sizes, w, strict=True))
        return top / math.fsum(w)
    if method == "MVLUE-SD":
        w = [c4(k) ** 2 / (1 - c4(k) ** 2) for k in sizes]
        top = math.fsum(r_sd(g) / c4(k) * wi for g, k, wi in zip(groups, sizes, w, strict=True))
        return top / math.fsum(w)
    if method == "RMSDF":
        w = [k - 1 for k in sizes]
        ss = math.fsum(r_sd(g) ** 2 * wi for g, wi in zip(groups, w, strict=True))
        return math.sqrt(ss / sum(w)) / c4(sum(w) + 1)
    raise ValueError(method)


def qcc(chart: str, groups: list[list[float]], method: str | None = None, newdata=None,
        nsigmas: float = 3.0) -> dict[str, list[float]]:  # fmt: skip
    """qcc(data, type, std.dev, newdata): centre, and limits for data then newdata.

    ``groups`` are the calibration subgroups (their non-missing values), ``newdata``
    further subgroups judged against them. For "np", ``groups`` is a list of
    (count, size) pairs.
    """
    new = newdata or []
    if chart == "np":
        data = groups
        pbar = math.fsum(d for d, _ in data) / math.fsum(s for _, s in data)
        sizes = [s for _, s in data + new]
        center = [s * pbar for s in sizes]
        # limits.np: pbar <- mean(center / sizes)
        pb = math.fsum(c / s for c, s in zip(center, sizes, strict=True)) / len(sizes)
        tol = [nsigmas * math.sqrt(pb * (1 - pb) * s) for s in sizes]
        return {
            "cl": center,
            "lcl": [max(c - t, 0.0) for c, t in zip(center, tol, strict=True)],
            "ucl": [min(c + t, s) for c, t, s in zip(center, tol, sizes, strict=True)],
        }
    sizes = [len(g) for g in groups + new]
    csz = [len(g) for g in groups]
    if chart == "xbar":
        means = [math.fsum(g) / len(g) for g in groups]
        center = math.fsum(k * m for k, m in zip(csz, means, strict=True)) / sum(csz)
        sd = qcc_sd(groups, method or "UWAVE-R")
        se = [sd / math.sqrt(k) for k in sizes]
        return {"cl": [center] * len(sizes), "lcl": [center - nsigmas * e for e in se],
                "ucl": [center + nsigmas * e for e in se]}  # fmt: skip
    if chart == "S":
        center = math.fsum(k * r_sd(g) for k, g in zip(csz, groups, strict=True)) / sum(csz)
        sd = qcc_sd(groups, method or "UWAVE-SD")
        se = [sd * math.sqrt(1 - c4(k) ** 2) for k in sizes]
        return {"cl": [center] * len(sizes), "lcl": [max(0.0, center - nsigmas * e) for e in se],
                "ucl": [center + nsigmas * e for e in se]}  # fmt: skip
    if chart == "R":
        center = math.fsum(k * _rng(g) for k, g in zip(csz, groups, strict=True)) / sum(csz)
        sd = qcc_sd(groups, method or "UWAVE-R")
        se = [QCC_D3[k] * sd for k in sizes]
        return {"cl": [center] * len(sizes), "lcl": [max(0.0, center - nsigmas * e) for e in se],
                "ucl": [center + nsigmas * e for e in se]}  # fmt: skip
    raise ValueError(chart)
