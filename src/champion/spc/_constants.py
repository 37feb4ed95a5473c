"""Control-chart constants and the Anhøj runs-analysis bounds.

The d2 and d3 tables are the published ones, exactly as R's qcc uses them (not
the exact integrals), so that our limits agree with qcc digit for digit. c4 and
the constants built on it are computed from log-gamma, as qicharts2 0.8 does.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

__all__ = [
    "D2",
    "D3",
    "a3",
    "b3",
    "b4",
    "c4",
    "crossings_min",
    "longest_run_max",
]

# d2(n), n = 2..25 (Montgomery, Introduction to SQC, Appendix VI; qcc's table).
_D2_TABLE = (1.128, 1.693, 2.059, 2.326, 2.534, 2.704, 2.847, 2.970, 3.078, 3.173, 3.258,
             3.336, 3.407, 3.472, 3.532, 3.588, 3.640, 3.689, 3.735, 3.778, 3.819, 3.858,
             3.895, 3.931)  # fmt: skip
# d3(n), n = 2..50 (qcc's table).
_D3_TABLE = (0.8525033, 0.8883697, 0.8798108, 0.8640855, 0.8480442, 0.8332108, 0.8198378,
             0.8078413, 0.7970584, 0.7873230, 0.7784873, 0.7704257, 0.7630330, 0.7562217,
             0.7499188, 0.7440627, 0.7386021, 0.7334929, 0.7286980, 0.7241851, 0.7199267,
             0.7158987, 0.7120802, 0.7084528, 0.7050004, 0.7017086, 0.6985648, 0.6955576,
             0.6926770, 0.6899137, 0.6872596, 0.6847074, 0.6822502, 0.6798821, 0.6775973,
             0.6753910, 0.6732584, 0.6711952, 0.6691976, 0.6672619, 0.6653848, 0.6635632,
             0.6617943, 0.6600754, 0.6584041, 0.6567780, 0.6551950, 0.6536532,
             0.6521506)  # fmt: skip

#: d2 indexed by subgroup size (NaN below 2 and above 25).
D2 = np.full(26, np.nan)
D2[2:] = _D2_TABLE
#: d3 indexed by subgroup size (NaN below 2 and above 50).
D3 = np.full(51, np.nan)
D3[2:] = _D3_TABLE
D2_MAX = 25
D3_MAX = 50

#: The moving-range constants, as literals (Montgomery; qicharts2; qcc).
D2_MR = 1.128
MR_SCREEN = 3.267  # D4 for n = 2: moving ranges at or above 3.267 x mean are screened out
MR_UCL = 3.267
MR_UCL_95 = 2.178  # (3.267 / 3) x 2, as qicharts2
IP_SCREEN = 3.2665


def c4(n: np.ndarray) -> np.ndarray:
    """c4(n) = sqrt(2/(n-1)) Γ(n/2)/Γ((n-1)/2), NaN for n < 2 (vectorised)."""
    return _c4_of(n)


@lru_cache(maxsize=4096)
def c4_scalar(n: float) -> float:
    """c4 for one size (cached; NaN below 2)."""
    if n < 2:
        return math.nan
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def _c4_of(n: np.ndarray) -> np.ndarray:
    # Subgroup sizes repeat, so evaluate each distinct size once.
    n = np.asarray(n, dtype=np.float64)
    sizes, inverse = np.unique(n, return_inverse=True)
    vals = np.array([c4_scalar(float(s)) if s == s else math.nan for s in sizes.tolist()])
    return vals[inverse].reshape(n.shape)


def a3(n: np.ndarray, k: float = 3.0) -> np.ndarray:
    """A3(n) = k / (c4(n) sqrt(n)); NaN for n < 2."""
    n = np.asarray(n, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return k / (_c4_of(n) * np.sqrt(np.where(n > 0, n, np.nan)))


def _c5_over_c4(n: np.ndarray) -> np.ndarray:
    c = _c4_of(n)
    return np.sqrt(1 - c * c) / c


def b3(n: np.ndarray, k: float = 3.0) -> np.ndarray:
    """B3(n) = max(0, 1 - k c5/c4); NaN for n < 2."""
    v = 1 - k * _c5_over_c4(n)
    return np.where(v < 0, 0.0, v)


def b4(n: np.ndarray, k: float = 3.0) -> np.ndarray:
    """B4(n) = 1 + k c5/c4; NaN for n < 2."""
    return 1 + k * _c5_over_c4(n)


def c5(n: np.ndarray) -> np.ndarray:
    """c5(n) = sqrt(1 - c4(n)^2); NaN for n < 2."""
    c = _c4_of(n)
    return np.sqrt(1 - c * c)


def longest_run_max(n_useful: int) -> int:
    """Anhøj's upper bound for the longest run: round(log2(n)) + 3 (Schilling 2012)."""
    return round(math.log2(n_useful)) + 3


_EXACT_LIMIT = 2000
_MARGIN = 1e-8  # relative; the float CDF is good to about 1e-12


def _exact_decision(m: int, lo: int, k: int) -> bool:
    """P(X <= k) >= 1/20 for X ~ Bin(m, 1/2), in integers, from j = lo (tail below is < 1e-80)."""
    term = math.comb(m, lo)
    acc = 0
    for j in range(lo, k + 1):
        acc += term
        term = term * (m - j) // (j + 1)
    return 20 * acc >= 1 << m


@lru_cache(maxsize=8192)
def crossings_min(n_useful: int) -> int:
    """Anhøj's lower bound for crossings: the 5th percentile of Bin(n_useful - 1, 1/2).

    The smallest k with P(X <= k) >= 0.05 (Chen 2010; R's ``qbinom(0.05, n - 1, 0.5)``).
    Exact integer arithmetic up to 2,000 useful points. Above that the CDF is
    summed in log space over the lower tail that matters (below 20 standard
    deviations it is under 1e-80); where the result lies within 1e-8 of 0.05 the
    decision is redone in integers.
    """
    m = n_useful - 1
    if m <= 0:
        return 0
    if m <= _EXACT_LIMIT:
        # 20 * sum_{j<=k} C(m, j) >= 2^m  <=>  P(X <= k) >= 1/20, in integers.
        total = 1 << m
        term = 1
        acc = 0
        for k in range(m + 1):
            acc += term
            if 20 * acc >= total:
                return k
            term = term * (m - k) // (k + 1)
        return m  # pragma: no cover - the loop always returns
    sd = math.sqrt(m) / 2
    lo = max(0, math.floor(m / 2 - 20 * sd))
    hi = math.ceil(m / 2)
    j = np.arange(lo, hi, dtype=np.float64)
    log0 = math.lgamma(m + 1) - math.lgamma(lo + 1) - math.lgamma(m - lo + 1) - m * math.log(2)
    steps = np.log((m - j[:-1]) / (j[:-1] + 1))
    logpmf = np.empty_like(j)
    logpmf[0] = log0
    np.cumsum(steps, out=logpmf[1:])
    logpmf[1:] += log0
    cdf = np.cumsum(np.exp(logpmf))
    i = int(np.searchsorted(cdf, 0.05, side="left"))
    k = lo + i
    near = abs(cdf[i] - 0.05) < _MARGIN * 0.05 or (
        i > 0 and abs(cdf[i - 1] - 0.05) < _MARGIN * 0.05
    )
    if near:
        while k > lo and _exact_decision(m, lo, k - 1):
            k -= 1
        while not _exact_decision(m, lo, k):
            k += 1
    return k


# Anhøj & Wentzel-Larsen (2020), "Smooth run chart rules", as qicharts2 0.8.1; n = 10..100.
_BOX_N0 = 10
_CB = (2, 3, 3, 3, 3, 4, 5, 5, 5, 5, 6, 7, 6, 6, 6, 6, 9, 9, 9, 10, 11, 11, 11, 11, 11, 12, 13,
       14, 13, 15, 15, 15, 14, 14, 17, 17, 17, 17, 19, 19, 19, 19, 19, 21, 21, 21, 21, 23, 23,
       23, 23, 23, 25, 25, 26, 26, 27, 27, 27, 28, 29, 29, 29, 30, 30, 31, 31, 31, 32, 33, 33,
       33, 34, 33, 35, 35, 35, 35, 37, 37, 38, 37, 39, 39, 39, 39, 39, 41, 41, 42, 41)  # fmt: skip
_LB = (6, 7, 6, 6, 6, 7, 8, 7, 7, 7, 7, 8, 7, 7, 7, 7, 9, 8, 8, 8, 10, 9, 8, 8, 8, 8, 9, 10, 8,
       11, 9, 9, 8, 8, 10, 9, 9, 9, 12, 10, 9, 9, 9, 11, 10, 9, 9, 12, 10, 10, 9, 9, 11, 10, 11,
       10, 12, 10, 10, 11, 14, 11, 10, 11, 10, 12, 11, 10, 11, 13, 11, 10, 11, 10, 11, 11, 10,
       10, 12, 11, 12, 10, 13, 11, 11, 10, 10, 12, 11, 12, 10)  # fmt: skip
_N = None
_CBORD = (3, 4, _N, _N, _N, 6, 6, _N, 6, 6, _N, _N, 7, 7, 7, _N, 10, 10, 11, _N, 12, 14, _N, 12,
          13, _N, 15, _N, _N, _N, _N, 17, _N, _N, _N, _N, 19, 20, 20, 21, _N, 21, 21, 23, 23, _N,
          23, 25, 24, 26, _N, 24, 27, 27, 27, 27, 29, _N, 29, 29, 30, 31, 30, 31, _N, 32, 34, 33,
          33, 37, 35, _N, 36, 36, _N, 38, 36, 38, 38, 39, _N, 39, 41, 40, 42, _N, 41, 42, 44, 43,
          42)  # fmt: skip
_LBORD = (5, 6, _N, _N, _N, 6, 7, _N, 6, 5, _N, _N, 6, 6, 6, _N, 7, 7, 7, _N, 9, 8, _N, 7, 7, _N,
          8, _N, _N, _N, _N, 8, _N, _N, _N, _N, 8, 7, 11, 9, _N, 8, 7, 9, 8, _N, 8, 11, 9, 8, _N,
          8, 9, 9, 10, 9, 10, _N, 8, 8, 13, 9, 9, 10, _N, 9, 8, 9, 8, 11, 9, _N, 10, 7, _N, 8, 9,
          8, 10, 9, _N, 9, 12, 10, 8, _N, 8, 9, 9, 10, 9)  # fmt: skip
assert len(_CB) == len(_LB) == len(_CBORD) == len(_LBORD) == 91


def box_signal(method: str, n_useful: int, n_crossings: int, longest_run: int) -> bool | None:
    """The bestbox / cutbox decision, or None where ``anhoej`` decides (n outside 10..100)."""
    if method == "anhoej" or not _BOX_N0 <= n_useful <= 100:
        return None
    i = n_useful - _BOX_N0
    cb, lb = _CB[i], _LB[i]
    cbord, lbord = _CBORD[i], _LBORD[i]
    if method == "bestbox" or cbord is None or lbord is None:
        return not (n_crossings >= cb and longest_run <= lb)
    ok = (
        (n_crossings >= cb + 1 and longest_run <= lb - 1)
        or (n_crossings == cb and longest_run <= lbord)
        or (n_crossings >= cbord and longest_run <= lb)
    )
    return not ok
