"""The one input validator: every public entry point coerces its arguments here.

Each check raises :class:`SPCError` with a message a person can act on. Nothing
here computes a statistic.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from ._errors import SPCError

CHARTS = ("run", "i", "mr", "xbar", "r", "s", "t", "p", "np", "c", "u", "pp", "up", "g", "ip")
SUBGROUP_CHARTS = frozenset({"xbar", "r", "s"})
#: Charts that need a denominator n.
NEEDS_N = frozenset({"p", "np", "u", "pp", "up"})
#: Charts that may take one.
TAKES_N = NEEDS_N | {"ip", "run", "i"}
#: Charts of counts, where a negative y is impossible.
COUNT_CHARTS = frozenset({"p", "np", "pp", "c", "u", "up", "g"})
#: Charts of a number of events out of n (numerator cannot exceed n).
PROPORTION_CHARTS = frozenset({"p", "np", "pp"})
AGGS = ("mean", "median", "sum")
RUNS_METHODS = ("anhoej", "bestbox", "cutbox")
SIGMA_METHODS: dict[str, tuple[str, ...]] = {
    "xbar": ("pooled", "uwave-r", "uwave-sd", "mvlue-r", "mvlue-sd", "rmsdf"),
    "s": ("pooled", "uwave-sd", "mvlue-sd", "rmsdf"),
    "r": ("uwave-r", "mvlue-r"),
    "i": ("mr", "sd"),
    "t": ("mr", "sd"),  # a t chart is an i chart on transformed times
}
DEFAULT_SIGMA = {"xbar": "pooled", "s": "pooled", "r": "uwave-r", "i": "mr", "t": "mr"}
IMPROVEMENTS = ("up", "down")


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f'"{n}"' for n in names)


def check_choice(value: Any, choices: Sequence[str], what: str) -> str:
    if not isinstance(value, str) or value not in choices:
        raise SPCError(f"unknown {what} {value!r}; use one of {_quoted(choices)}")
    return value


def check_chart(chart: Any) -> str:
    if isinstance(chart, str):
        chart = chart.strip().lower()
    return check_choice(chart, CHARTS, "chart")


def check_sigma_method(chart: str, method: Any) -> str | None:
    allowed = SIGMA_METHODS.get(chart)
    if method is None:
        return DEFAULT_SIGMA.get(chart)
    if allowed is None:
        raise SPCError(
            f'sigma_method applies only to the xbar, s, r, i and t charts, not to a "{chart}" chart; '
            "leave it out"
        )
    return check_choice(method, allowed, f"sigma_method for a {chart} chart")


def check_rules(rules: Any, available: Sequence[str]) -> tuple[str, ...]:
    """The extra rule sets to evaluate, in the order given, without "anhoej" or repeats."""
    if rules is None:
        return ()
    if isinstance(rules, str):
        rules = (rules,)
    try:
        items = list(rules)
    except TypeError:
        raise SPCError(
            f"rules must be a list of rule-set names, e.g. ('anhoej', 'nelson'), not {rules!r}"
        ) from None
    valid = ("anhoej", *available)
    out: list[str] = []
    for r in items:
        name = r.strip().lower() if isinstance(r, str) else r
        if not isinstance(name, str) or name not in valid:
            raise SPCError(f"unknown rule set {r!r}; use any of {_quoted(valid)}")
        if name != "anhoej" and name not in out:
            out.append(name)
    return tuple(out)


def check_improvement(improvement: Any) -> str | None:
    if improvement is None:
        return None
    if isinstance(improvement, str) and improvement.strip().lower() in IMPROVEMENTS:
        return improvement.strip().lower()
    raise SPCError(
        f'improvement must be "up" (higher is better), "down" (lower is better) or None, '
        f"not {improvement!r}"
    )


def check_number(value: Any, what: str, *, allow_none: bool = True) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SPCError(f"{what} must be a number, not {value!r}")
    v = float(value)
    if not math.isfinite(v):
        raise SPCError(f"{what} must be a finite number, not {value!r}")
    return v


def check_multiply(multiply: Any) -> float:
    v = check_number(multiply, "multiply", allow_none=False)
    assert v is not None
    if v <= 0:
        raise SPCError(
            f"multiply must be a positive number (e.g. 100 for percent), not {multiply!r}"
        )
    return v


def check_cl(cl: Any, chart: str) -> float | None:
    v = check_number(cl, "cl")
    if v is None:
        return None
    if chart in ("p", "pp") and not 0 <= v <= 1:
        raise SPCError(f"cl on a {chart} chart is a proportion between 0 and 1, not {cl!r}")
    if chart in ("c", "u", "up", "g", "np", "mr", "r", "s") and v < 0:
        raise SPCError(f"cl on a {chart} chart cannot be negative (got {cl!r})")
    if chart == "t" and v <= 0:
        raise SPCError(f"cl on a t chart is a time between events and must be above 0 (got {cl!r})")
    return v


def as_float_array(values: Any, what: str, *, allow_2d: bool = False) -> np.ndarray:
    """Values as a float64 array, None and NaN meaning missing; no copy when already float64."""
    return float_array_and_sum(values, what, allow_2d=allow_2d)[0]


def float_array_and_sum(
    values: Any, what: str, *, allow_2d: bool = False
) -> tuple[np.ndarray, float]:
    """:func:`as_float_array` and the sum of the values (NaN when one is missing)."""
    if isinstance(values, np.ndarray) and values.dtype == np.float64:
        arr = values
    else:
        try:
            arr = np.asarray(values, dtype=np.float64)
        except (TypeError, ValueError):
            raise SPCError(
                f"{what} must contain numbers (None or NaN for a missing value); "
                f"found something else, e.g. text"
            ) from None
    if arr.ndim == 0:
        raise SPCError(f"{what} must be a sequence of numbers, not a single value")
    if arr.ndim != 1 and not (allow_2d and arr.ndim == 2):
        raise SPCError(f"{what} must be one-dimensional (got shape {arr.shape})")
    # One pass: a finite sum means no NaN and no infinity.
    total = arr.sum()
    if not math.isfinite(total) and np.isinf(arr).any():
        raise SPCError(f"{what} contains an infinite value; use None or NaN for a missing value")
    return arr, float(total)


def check_positions(values: Any, what: str, size: int, *, lowest: int) -> np.ndarray:
    """0-based positions into the aggregated points, sorted and unique."""
    if values is None:
        return np.empty(0, dtype=np.int64)
    if isinstance(values, numbers.Integral) and not isinstance(values, bool):
        values = [values]
    try:
        raw = list(values)
    except TypeError:
        raise SPCError(f"{what} must be a list of 0-based positions, not {values!r}") from None
    out = []
    for v in raw:
        if isinstance(v, bool) or not isinstance(v, numbers.Integral):
            raise SPCError(f"{what} must be whole-number positions (0-based), not {v!r}")
        iv = int(v)
        if not lowest <= iv < size:
            raise SPCError(
                f"{what} position {iv} is out of range: after aggregation there are {size} "
                f"points, so positions run from {lowest} to {size - 1}"
            )
        out.append(iv)
    return np.unique(np.asarray(out, dtype=np.int64))


def check_freeze(freeze: Any, size: int) -> int | None:
    if freeze is None:
        return None
    if isinstance(freeze, bool) or not isinstance(freeze, numbers.Integral):
        raise SPCError(f"freeze must be a whole number of points, not {freeze!r}")
    f = int(freeze)
    if not 1 <= f <= size:
        raise SPCError(
            f"freeze={f} is out of range: it is the number of baseline points and there are "
            f"{size} points after aggregation (use 1 to {size})"
        )
    return f


# ----------------------------------------------------------------------------- x labels

X_NUMERIC, X_DATE, X_TEXT = "numeric", "date", "text"


def _to_datetime64(values: list[Any]) -> np.ndarray:
    if all(isinstance(v, np.datetime64) for v in values):
        return np.array(values)
    if any(isinstance(v, _dt.datetime) for v in values):
        conv = []
        for v in values:
            if isinstance(v, _dt.datetime):
                if v.tzinfo is not None:
                    v = v.astimezone(_dt.UTC).replace(tzinfo=None)
                conv.append(np.datetime64(v, "us"))
            elif isinstance(v, _dt.date):
                conv.append(np.datetime64(v, "D").astype("datetime64[us]"))
            else:
                conv.append(np.datetime64(v).astype("datetime64[us]"))
        return np.array(conv, dtype="datetime64[us]")
    return np.array([np.datetime64(v, "D") if isinstance(v, _dt.date) else v for v in values])


def _is_missing_obj(v: Any) -> bool:
    if v is None:
        return True
    try:
        return bool(v != v)
    except (TypeError, ValueError):
        return False


def coerce_x(x: Any, size: int, what: str = "x") -> tuple[np.ndarray, np.ndarray | None, str]:
    """x labels as (values, keep mask or None, kind).

    values is numeric (int64/float64), datetime64 or a unicode array; keep marks
    the rows whose x is not missing (None when no x is missing).
    """
    arr = x if isinstance(x, np.ndarray) else np.asarray(x)
    if arr.ndim != 1:
        raise SPCError(f"{what} must be one-dimensional (got shape {arr.shape})")
    if arr.shape[0] != size:
        raise SPCError(f"{what} has {arr.shape[0]} values but y has {size}; give one {what} per y")
    kind = arr.dtype.kind
    if kind in "iub":
        return arr.astype(np.int64, copy=False), None, X_NUMERIC
    if kind == "f":
        miss = np.isnan(arr)
        if np.isinf(arr).any():
            raise SPCError(f"{what} contains an infinite value")
        return arr.astype(np.float64, copy=False), (~miss if miss.any() else None), X_NUMERIC
    if kind == "M":
        miss = np.isnat(arr)
        return arr, (~miss if miss.any() else None), X_DATE
    if kind == "U":
        if not isinstance(x, np.ndarray) and not all(isinstance(v, str) for v in x):
            raise SPCError(
                f"{what} mixes text with numbers or dates; use one kind of label for all rows"
            )
        return arr, None, X_TEXT
    if kind == "S":
        return arr.astype(str), None, X_TEXT
    if kind != "O":
        raise SPCError(f"{what} must be numbers, dates or text labels (got dtype {arr.dtype})")
    items = arr.tolist()
    keep = np.array([not _is_missing_obj(v) for v in items], dtype=bool)
    present = [v for v, k in zip(items, keep.tolist(), strict=True) if k]
    kinds = set()
    for v in present:
        if isinstance(v, str):
            kinds.add(X_TEXT)
        elif isinstance(v, _dt.date | np.datetime64):
            kinds.add(X_DATE)
        elif isinstance(v, numbers.Real):
            kinds.add(X_NUMERIC)
        else:
            raise SPCError(f"{what} must be numbers, dates or text labels, not {type(v).__name__}")
    if len(kinds) > 1:
        raise SPCError(
            f"{what} mixes {' and '.join(sorted(kinds))} labels; use one kind of label for all rows"
        )
    kind_name = kinds.pop() if kinds else X_NUMERIC
    if kind_name == X_TEXT:
        vals = np.array(present, dtype=str) if present else np.empty(0, dtype="<U1")
    elif kind_name == X_DATE:
        vals = _to_datetime64(present) if present else np.empty(0, dtype="datetime64[D]")
    else:
        vals = np.array(present, dtype=np.float64)
        if vals.size and np.all(vals == np.round(vals)) and np.abs(vals).max() < 2**53:
            vals = vals.astype(np.int64)
    if keep.all():
        return vals, None, kind_name
    full = _expand(vals, keep)
    return full, keep, kind_name


def _expand(vals: np.ndarray, keep: np.ndarray) -> np.ndarray:
    """Place vals at the kept rows of an array as long as keep (other rows arbitrary)."""
    if vals.dtype.kind == "U":
        out = np.zeros(keep.shape[0], dtype=vals.dtype if vals.size else "<U1")
    else:
        out = np.zeros(keep.shape[0], dtype=vals.dtype)
    out[keep] = vals
    return out
