"""Process capability: how well a stable process meets its specification limits.

:func:`capability` compares the spread of a measure with the distance between
its specification limits (Montgomery, *Introduction to Statistical Quality
Control*, 6th ed., ch. 8; Minitab's "Capability Analysis (Normal)" for the
conventions). Two sigmas are used, and the indices are named after them:

- *within* sigma, the short-term, common-cause spread: the mean moving range
  / 1.128 for individual values (subgroup size 1), or the pooled standard
  deviation of the subgroups divided by c4(d), d = sum(n_i - 1) + 1, as
  Minitab's default; Cp, Cpk (Cpu, Cpl) use it;
- *overall* sigma, the sample standard deviation (n - 1) of all values; Pp,
  Ppk (Ppu, Ppl) and Cpm use it.

Expected PPM (parts per million outside a limit) come from the normal model
with the mean and each sigma, through ``math.erfc``. The sigma level follows the
Six Sigma convention: the z-value of the expected overall (long-term) fraction
outside the limits plus a 1.5 sigma shift, so 3.4 PPM beyond one limit is a
sigma level of 6. The numbers mean something only for a process in statistical
control whose values are roughly normal: look at the control chart first.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from statistics import NormalDist
from typing import Any

import numpy as np

from ._constants import c4_scalar
from ._errors import SPCError

__all__ = ["Capability", "capability"]

_D2_MR = 1.128
_SHIFT = 1.5
_SQRT2 = math.sqrt(2.0)


@dataclass(frozen=True, slots=True)
class Capability:
    """The result of :func:`capability`; indices that need a missing limit are None."""

    n: int
    subgroup_size: int
    lsl: float | None
    usl: float | None
    target: float | None
    mean: float
    sigma_within: float
    sigma_within_method: str  # "moving range", "pooled" or "given"
    sigma_overall: float
    cp: float | None
    cpu: float | None
    cpl: float | None
    cpk: float
    pp: float | None
    ppu: float | None
    ppl: float | None
    ppk: float
    cpm: float | None
    ppm_below: float  # expected, overall sigma (long-term performance)
    ppm_above: float
    ppm_total: float
    ppm_within_below: float  # expected, within sigma (potential performance)
    ppm_within_above: float
    ppm_within_total: float
    observed_ppm_below: float
    observed_ppm_above: float
    observed_ppm_total: float
    sigma_level: float  # z of ppm_total + 1.5 (may be inf when nothing is expected outside)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict; infinite values become None."""
        out: dict[str, Any] = asdict(self)
        for key, value in out.items():
            if isinstance(value, float) and not math.isfinite(value):
                out[key] = None
        return out


def capability(
    y: Any,
    lsl: float | None = None,
    usl: float | None = None,
    *,
    target: float | None = None,
    subgroup_size: int = 1,
    sigma_within: float | None = None,
) -> Capability:
    """Capability indices, expected and observed PPM and the sigma level of ``y``.

    Parameters
    ----------
    y
        The measurements in time order (missing values as NaN or None). With
        ``subgroup_size`` m > 1, consecutive runs of m values are the subgroups
        (a 2-D array is taken as one subgroup per row).
    lsl, usl
        Lower and upper specification limits; at least one is required.
    target
        Optional target value (gives Cpm); it must lie within the limits.
    subgroup_size
        1 for individual values (within sigma from moving ranges), more for
        subgroups (pooled within-subgroup standard deviation).
    sigma_within
        A known within sigma, e.g. from the control chart, used instead of
        estimating it.

    Examples
    --------
    >>> r = capability([9.8, 10.1, 10.0, 10.2, 9.9, 10.0, 10.1, 9.9], lsl=9.4, usl=10.6)
    >>> round(r.cp, 2), round(r.cpk, 2), r.sigma_within_method
    (1.21, 1.21, 'moving range')
    """
    lo = _limit(lsl, "lsl")
    hi = _limit(usl, "usl")
    if lo is None and hi is None:
        raise SPCError("Give at least one specification limit (lsl or usl).")
    if lo is not None and hi is not None and not lo < hi:
        raise SPCError(f"The lower specification limit ({lo:g}) must be below the upper ({hi:g}).")
    tgt = _limit(target, "target")
    if tgt is not None and ((lo is not None and tgt < lo) or (hi is not None and tgt > hi)):
        raise SPCError(f"The target ({tgt:g}) must lie within the specification limits.")
    groups = _subgroups(y, subgroup_size)
    size = groups.shape[1]
    values = groups[~np.isnan(groups)]
    n = int(values.size)
    if n < 2:
        raise SPCError(f"Capability needs at least 2 values; got {n}. Collect more data first.")
    mean = float(values.mean())
    overall = float(values.std(ddof=1))

    if sigma_within is not None:
        within = _limit(sigma_within, "sigma_within")
        assert within is not None
        if not within > 0:
            raise SPCError("sigma_within must be a positive number.")
        method = "given"
    elif size == 1:
        within, method = _within_moving_range(groups[:, 0]), "moving range"
    else:
        within, method = _within_pooled(groups), "pooled"
    if not overall > 0 or not within > 0:
        raise SPCError(
            "The values do not vary, so capability cannot be computed; "
            "check the data or the measurement resolution."
        )

    cpu = None if hi is None else (hi - mean) / (3 * within)
    cpl = None if lo is None else (mean - lo) / (3 * within)
    ppu = None if hi is None else (hi - mean) / (3 * overall)
    ppl = None if lo is None else (mean - lo) / (3 * overall)
    both = lo is not None and hi is not None
    cp = (hi - lo) / (6 * within) if both else None  # type: ignore[operator]
    pp = (hi - lo) / (6 * overall) if both else None  # type: ignore[operator]
    cpk = min(v for v in (cpu, cpl) if v is not None)
    ppk = min(v for v in (ppu, ppl) if v is not None)

    cpm = None
    if tgt is not None:
        tau = math.sqrt(float(np.sum((values - tgt) ** 2)) / (n - 1))
        room = [d for d in (None if hi is None else hi - tgt, None if lo is None else tgt - lo)
                if d is not None]  # fmt: skip
        cpm = min(room) / (3 * tau) if tau > 0 else math.inf

    below, above = _tails(mean, overall, lo, hi)
    w_below, w_above = _tails(mean, within, lo, hi)
    obs_below = 1e6 * float(np.count_nonzero(values < lo)) / n if lo is not None else 0.0
    obs_above = 1e6 * float(np.count_nonzero(values > hi)) / n if hi is not None else 0.0

    return Capability(
        n=n, subgroup_size=size, lsl=lo, usl=hi, target=tgt, mean=mean,
        sigma_within=within, sigma_within_method=method, sigma_overall=overall,
        cp=cp, cpu=cpu, cpl=cpl, cpk=cpk, pp=pp, ppu=ppu, ppl=ppl, ppk=ppk, cpm=cpm,
        ppm_below=below, ppm_above=above, ppm_total=below + above,
        ppm_within_below=w_below, ppm_within_above=w_above, ppm_within_total=w_below + w_above,
        observed_ppm_below=obs_below, observed_ppm_above=obs_above,
        observed_ppm_total=obs_below + obs_above,
        sigma_level=_sigma_level((below + above) / 1e6),
    )  # fmt: skip


def _limit(value: Any, name: str) -> float | None:
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SPCError(f"{name} must be a number; got {value!r}.") from None
    if not math.isfinite(v):
        raise SPCError(f"{name} must be a finite number; got {value!r}.")
    return v


def _subgroups(y: Any, subgroup_size: int) -> np.ndarray:
    """The values as a (subgroups, size) float array."""
    if isinstance(y, str | bytes | Mapping):
        raise SPCError("y must be a sequence of numbers.")
    try:
        arr = np.array(
            [np.nan if v is None else v for v in np.asarray(y, dtype=object).ravel()],
            dtype=np.float64,
        ).reshape(np.shape(y))
    except (TypeError, ValueError):
        raise SPCError("y must contain only numbers (missing values as None or NaN).") from None
    if np.isinf(arr).any():
        raise SPCError("y contains an infinite value.")
    if not isinstance(subgroup_size, int | np.integer) or isinstance(subgroup_size, bool):
        raise SPCError(f"subgroup_size must be a whole number; got {subgroup_size!r}.")
    if arr.ndim == 2:
        if subgroup_size not in (1, arr.shape[1]):
            raise SPCError(
                f"y has subgroups of {arr.shape[1]} values but subgroup_size is {subgroup_size}."
            )
        return arr
    if arr.ndim != 1:
        raise SPCError("y must be one-dimensional (or one subgroup per row).")
    if subgroup_size < 1:
        raise SPCError("subgroup_size must be at least 1.")
    if arr.size % subgroup_size:
        raise SPCError(
            f"{arr.size} values do not split into subgroups of {subgroup_size}; "
            "give complete subgroups (missing values as NaN)."
        )
    return arr.reshape(-1, int(subgroup_size))


def _within_moving_range(y: np.ndarray) -> float:
    # A missing value makes both moving ranges that touch it missing (as the i chart).
    mr = np.abs(np.diff(y))
    mr = mr[~np.isnan(mr)]
    if mr.size == 0:
        raise SPCError(
            "Capability needs at least two consecutive values to estimate the within sigma."
        )
    return float(mr.mean()) / _D2_MR


def _within_pooled(groups: np.ndarray) -> float:
    ok = ~np.isnan(groups)
    sizes = ok.sum(axis=1)
    use = sizes >= 2
    if not use.any():
        raise SPCError("Capability needs at least one subgroup with two or more values.")
    g = np.where(ok, groups, 0.0)[use]
    k = sizes[use].astype(np.float64)
    means = g.sum(axis=1) / k
    ss = np.where(ok[use], (groups[use] - means[:, None]) ** 2, 0.0).sum(axis=1)
    dof = float((k - 1).sum())
    return math.sqrt(float(ss.sum()) / dof) / c4_scalar(dof + 1)


def _tails(mean: float, sigma: float, lo: float | None, hi: float | None) -> tuple[float, float]:
    """Expected PPM below ``lo`` and above ``hi`` for a normal(mean, sigma)."""
    below = 0.0 if lo is None else 0.5e6 * math.erfc((mean - lo) / (sigma * _SQRT2))
    above = 0.0 if hi is None else 0.5e6 * math.erfc((hi - mean) / (sigma * _SQRT2))
    return below, above


def _sigma_level(p: float) -> float:
    if p <= 0.0:
        return math.inf
    if p >= 1.0:
        return -math.inf
    # -inv_cdf(p) keeps its precision for tiny p, where inv_cdf(1 - p) would not.
    return -NormalDist().inv_cdf(p) + _SHIFT
