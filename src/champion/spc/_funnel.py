"""Funnel plots for comparing units: each unit's proportion or rate against the system average,
with control limits that narrow as the unit's denominator grows.

Spiegelhalter DJ. Funnel plots for comparing institutional performance. Statistics in
Medicine 2005; 24:1185-1202. The target is the system average (the pooled proportion or
rate: all events over all denominators, or a given value). For a unit with denominator n
the p-limit (p = 0.025 and 0.975 for the 95 % limits, 0.001 and 0.999 for 99.8 %) is:

- ``method="exact"`` (the default; Spiegelhalter's Appendix A.1.1): r_p, the p-quantile of
  Binomial(n, target) for proportions or Poisson(n target) for rates (the smallest r with
  F(r) >= p), interpolated to a continuous limit: alpha = (F(r_p) - p) / (F(r_p) - F(r_p - 1))
  and limit = (r_p - alpha) / n. Binomial denominators must be whole numbers.
- ``method="normal"``: target +/- z_p sqrt(V / n), V = target (1 - target) for proportions
  and target for rates; proportions clipped to [0, 1], rates at 0.

Over-dispersion (Spiegelhalter 2005, section 6; and Spiegelhalter DJ, Handling over-dispersion
of performance indicators, Quality and Safety in Health Care 2005; 14:347-351): each unit's
z-score z_i = (y_i - target) / sqrt(V / n_i) is Winsorised at the 10th and 90th percentiles
(``winsorise``), and phi = mean(z_i^2). ``"multiplicative"`` widens the normal limits to
target +/- z_p sqrt(phi V / n) when phi > 1; ``"additive"`` adds a between-unit variance
tau^2 = (I phi - (I - 1)) / (sum w_i - sum w_i^2 / sum w_i), w_i = n_i / V (zero when
I phi <= I - 1), giving target +/- z_p sqrt(V / n + tau^2). Over-dispersed limits are normal
limits (``method`` is then "normal").

NumPy only, like the rest of the engine: the binomial and Poisson distributions are summed
from their log-probabilities (``math.lgamma``) over a window of +/- 10 standard deviations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._errors import SPCError

__all__ = ["Funnel", "funnel", "normal_quantile"]

KINDS = ("proportion", "rate")
OVERDISPERSION = (None, "multiplicative", "additive")


@dataclass(frozen=True)
class Funnel:
    """A funnel plot's numbers. Values, target and limits are on the plotted scale
    (``multiply`` applied); ``n`` and ``events`` as given.

    ``lower`` / ``upper`` map each level (0.95, 0.998) to the limits at each unit's n;
    ``curve_n`` with ``curve_lower`` / ``curve_upper`` draw the funnel; ``outside`` maps each
    level to "high", "low" or "" per unit (strictly beyond the limit)."""

    kind: str
    method: str
    target: float
    events: np.ndarray
    n: np.ndarray
    y: np.ndarray
    z: np.ndarray
    levels: tuple[float, ...]
    lower: dict[float, np.ndarray]
    upper: dict[float, np.ndarray]
    outside: dict[float, list[str]]
    curve_n: np.ndarray
    curve_lower: dict[float, np.ndarray]
    curve_upper: dict[float, np.ndarray]
    overdispersion: str | None = None
    phi: float = 1.0
    tau2: float = 0.0
    multiply: float = 1.0
    labels: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready (NaN as None)."""

        def plain(values: Any) -> list[Any]:
            return [None if not math.isfinite(v) else float(v) for v in np.asarray(values, float)]

        key = _level_key
        return {
            "kind": self.kind,
            "method": self.method,
            "target": self.target,
            "overdispersion": self.overdispersion,
            "phi": self.phi,
            "tau2": self.tau2,
            "multiply": self.multiply,
            "levels": list(self.levels),
            "units": [
                {
                    "label": self.labels[i] if i < len(self.labels) else str(i),
                    "events": float(self.events[i]),
                    "n": float(self.n[i]),
                    "y": plain(self.y[i : i + 1])[0],
                    "z": plain(self.z[i : i + 1])[0],
                    **{
                        f"lower_{key(lv)}": plain(self.lower[lv][i : i + 1])[0]
                        for lv in self.levels
                    },
                    **{
                        f"upper_{key(lv)}": plain(self.upper[lv][i : i + 1])[0]
                        for lv in self.levels
                    },
                    **{f"outside_{key(lv)}": self.outside[lv][i] for lv in self.levels},
                }
                for i in range(len(self.n))
            ],
            "curve": {
                "n": plain(self.curve_n),
                **{f"lower_{key(lv)}": plain(self.curve_lower[lv]) for lv in self.levels},
                **{f"upper_{key(lv)}": plain(self.curve_upper[lv]) for lv in self.levels},
            },
        }


def _level_key(level: float) -> str:
    """0.95 -> "95", 0.998 -> "99.8"."""
    return f"{level * 100:g}"


# Acklam's rational approximation of the inverse normal CDF, refined by one Halley step
# with math.erfc (accurate to about 1e-15).
_A = (-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
      1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00)  # fmt: skip
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
      6.680131188771972e01, -1.328068155288572e01)  # fmt: skip
_C = (-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
      -2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00)  # fmt: skip
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
      3.754408661907416e00)  # fmt: skip


def normal_quantile(p: float) -> float:
    """The standard normal p-quantile (0 < p < 1)."""
    if not 0.0 < p < 1.0:
        raise SPCError(f"A probability must be between 0 and 1 (got {p}).")
    low = 0.02425
    if p < low:
        q = math.sqrt(-2 * math.log(p))
        x = (((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
        )
    elif p <= 1 - low:
        q = p - 0.5
        r = q * q
        x = (
            (((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5])
            * q
            / (((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1)
        )
    else:
        q = math.sqrt(-2 * math.log(1 - p))
        x = -(((((_C[0] * q + _C[1]) * q + _C[2]) * q + _C[3]) * q + _C[4]) * q + _C[5]) / (
            (((_D[0] * q + _D[1]) * q + _D[2]) * q + _D[3]) * q + 1
        )
    e = 0.5 * math.erfc(-x / math.sqrt(2)) - p
    u = e * math.sqrt(2 * math.pi) * math.exp(x * x / 2)
    return x - u / (1 + x * u / 2)


_LGAMMA = np.frompyfunc(math.lgamma, 1, 1)


def _lgamma(values: np.ndarray) -> np.ndarray:
    return np.asarray(_LGAMMA(values), dtype=float)


def _exact_limit(kind: str, n: float, target: float, p: float) -> float:
    """Spiegelhalter's interpolated exact p-limit for one denominator."""
    mean = n * target
    sd = math.sqrt(mean * (1 - target)) if kind == "proportion" else math.sqrt(mean)
    lo = max(0, math.floor(mean - 10 * sd - 10))
    hi = math.ceil(mean + 10 * sd + 10)
    if kind == "proportion":
        hi = min(int(n), hi)
    k = np.arange(lo, hi + 1, dtype=float)
    if kind == "proportion":
        logp = (
            math.lgamma(n + 1)
            - _lgamma(k + 1)
            - _lgamma(n - k + 1)
            + k * math.log(target)
            + (n - k) * math.log1p(-target)
        )
    else:
        logp = k * math.log(mean) - mean - _lgamma(k + 1)
    cdf = np.cumsum(np.exp(logp))
    r_index = int(np.searchsorted(cdf, p, side="left"))
    r_index = min(r_index, len(k) - 1)
    f_r = cdf[r_index]
    f_before = cdf[r_index - 1] if r_index > 0 else 0.0
    step = f_r - f_before
    alpha = (f_r - p) / step if step > 0 else 0.0
    return (k[r_index] - alpha) / n


def _as_array(values: Sequence[float] | np.ndarray, name: str) -> np.ndarray:
    try:
        out = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise SPCError(f"{name} must be numbers.") from exc
    if out.ndim != 1:
        raise SPCError(f"{name} must be a list of numbers, one per unit.")
    return out


def funnel(
    events: Sequence[float] | np.ndarray,
    n: Sequence[float] | np.ndarray,
    *,
    kind: str = "proportion",
    target: float | None = None,
    levels: Sequence[float] = (0.95, 0.998),
    method: str = "exact",
    overdispersion: str | None = None,
    winsorise: float = 0.1,
    multiply: float = 1.0,
    labels: Sequence[str] | None = None,
    curve_points: int = 100,
) -> Funnel:
    """Each unit's proportion (events / n) or rate (events / exposure) against the target, with
    Spiegelhalter's funnel limits at each unit's n and along a curve for drawing.

    >>> f = funnel([10, 30], [100, 200], method="normal")
    >>> round(f.target, 4), [round(v, 4) for v in f.upper[0.95]]
    (0.1333, [0.2, 0.1804])
    """
    if kind not in KINDS:
        raise SPCError(f"Unknown funnel kind '{kind}': use 'proportion' or 'rate'.")
    if method not in ("exact", "normal"):
        raise SPCError(f"Unknown method '{method}': use 'exact' or 'normal'.")
    if overdispersion not in OVERDISPERSION:
        raise SPCError(
            f"Unknown over-dispersion '{overdispersion}': use 'multiplicative' or 'additive'."
        )
    if not 0 <= winsorise < 0.5:
        raise SPCError("Winsorise a share of each tail between 0 and 0.5 (0.1 is 10 %).")
    if not math.isfinite(multiply) or multiply <= 0:
        raise SPCError("Multiply by a number above zero.")
    o = _as_array(events, "Events")
    d = _as_array(n, "Denominators")
    if len(o) != len(d):
        raise SPCError(f"Events ({len(o)}) and denominators ({len(d)}) differ in length.")
    if len(o) < 2:
        raise SPCError("A funnel plot compares at least two units.")
    if not (np.isfinite(o).all() and np.isfinite(d).all()):
        raise SPCError("Every unit needs its events and its denominator (no missing values).")
    if (d <= 0).any():
        raise SPCError("Every denominator must be above zero.")
    if (o < 0).any():
        raise SPCError("Events cannot be negative.")
    if kind == "proportion" and (o > d).any():
        raise SPCError("A unit has more events than its denominator: that is not a proportion.")
    if kind == "proportion" and method == "exact" and (d != np.round(d)).any():
        raise SPCError("Exact binomial limits need whole-number denominators; use 'normal'.")
    for level in levels:
        if not 0 < level < 1:
            raise SPCError(f"A level must be between 0 and 1 (got {level}); 0.95 is 95 %.")
    theta = float(o.sum() / d.sum()) if target is None else float(target) / multiply
    if not math.isfinite(theta) or theta <= 0 or (kind == "proportion" and theta >= 1):
        raise SPCError(
            "The system average must be above zero"
            + (" and below 100 %" if kind == "proportion" else "")
            + ": with no events (or only events) there is nothing to compare."
        )
    variance = theta * (1 - theta) if kind == "proportion" else theta
    y = o / d
    z = (y - theta) / np.sqrt(variance / d)
    phi, tau2, inflate = 1.0, 0.0, 1.0
    if overdispersion is not None:
        method = "normal"
        zw = z
        if winsorise > 0:
            low, high = np.quantile(z, [winsorise, 1 - winsorise])
            zw = np.clip(z, low, high)
        count = len(z)
        phi = float(np.mean(zw**2))
        if overdispersion == "multiplicative":
            inflate = max(phi, 1.0)
        else:
            w = d / variance
            denominator = float(w.sum() - (w**2).sum() / w.sum())
            excess = count * phi - (count - 1)
            tau2 = max(0.0, excess / denominator) if denominator > 0 else 0.0
        z = (y - theta) / np.sqrt(inflate * variance / d + tau2)
    low_n, high_n = max(1.0, float(d.min()) * 0.8), float(d.max()) * 1.2
    grid = np.geomspace(low_n, high_n, max(2, curve_points))
    if kind == "proportion" and method == "exact":
        grid = np.unique(np.round(grid))

    def limits(at: np.ndarray, p: float) -> np.ndarray:
        if method == "exact":
            return np.array([_exact_limit(kind, float(v), theta, p) for v in at])
        spread = np.sqrt(inflate * variance / at + tau2)
        out = theta + normal_quantile(p) * spread
        return np.clip(out, 0.0, 1.0) if kind == "proportion" else np.maximum(out, 0.0)

    lower, upper, curve_lower, curve_upper, outside = {}, {}, {}, {}, {}
    for level in levels:
        tail = (1 - level) / 2
        lower[level], upper[level] = limits(d, tail), limits(d, 1 - tail)
        curve_lower[level], curve_upper[level] = limits(grid, tail), limits(grid, 1 - tail)
        outside[level] = [
            "high" if y[i] > upper[level][i] else "low" if y[i] < lower[level][i] else ""
            for i in range(len(y))
        ]
    scale = float(multiply)
    return Funnel(
        kind=kind,
        method=method,
        target=theta * scale,
        events=o,
        n=d,
        y=y * scale,
        z=z,
        levels=tuple(levels),
        lower={k: v * scale for k, v in lower.items()},
        upper={k: v * scale for k, v in upper.items()},
        outside=outside,
        curve_n=grid,
        curve_lower={k: v * scale for k, v in curve_lower.items()},
        curve_upper={k: v * scale for k, v in curve_upper.items()},
        overdispersion=overdispersion,
        phi=phi,
        tau2=tau2,
        multiply=scale,
        labels=tuple(labels or ()),
    )
