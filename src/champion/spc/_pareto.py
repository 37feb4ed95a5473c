"""Pareto analysis: which few categories account for most of the problem.

:func:`pareto` sorts categories by count (largest first), gives each one's share
and the cumulative share, and names the "vital few": the categories needed to
reach 80 % of the total, the one that crosses 80 % included (Juran's Pareto
principle; the 80 % line is a convention for focusing effort, not a law).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import SPCError

__all__ = ["Pareto", "pareto"]

_VITAL_SHARE = (4, 5)  # 80 %, as a fraction of integers so the test is exact


@dataclass(frozen=True, slots=True)
class Pareto:
    """Categories sorted by count (descending; ties by category name)."""

    categories: tuple[Hashable, ...]
    counts: tuple[float, ...]
    percent: tuple[float, ...]
    cumulative_percent: tuple[float, ...]
    vital_few: tuple[Hashable, ...]
    total: float
    missing: int  # labels left out because they were missing (None or NaN)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (categories as given; use strings for JSON keys)."""
        return {
            "categories": list(self.categories),
            "counts": list(self.counts),
            "percent": list(self.percent),
            "cumulative_percent": list(self.cumulative_percent),
            "vital_few": list(self.vital_few),
            "total": self.total,
            "missing": self.missing,
        }


def pareto(categories: Any, counts: Any = None) -> Pareto:
    """Sorted counts, percentages, cumulative percentages and the vital few.

    Parameters
    ----------
    categories
        Either one label per observation (``counts`` None: they are tallied)
        or one label per category with its count in ``counts`` (a label given
        twice has its counts added). Missing labels (None, NaN) are left out
        and counted in ``missing``.
    counts
        Non-negative numbers, one per label (e.g. occurrences or cost).

    Examples
    --------
    >>> p = pareto(["falls", "meds", "falls", "lines", "falls", "meds"])
    >>> p.categories, p.counts, p.vital_few
    (('falls', 'meds', 'lines'), (3, 2, 1), ('falls', 'meds'))
    >>> [round(v, 1) for v in p.cumulative_percent]
    [50.0, 83.3, 100.0]
    """
    labels = _labels(categories)
    totals: dict[Hashable, float] = {}
    missing = 0
    if counts is None:
        tally: Counter[Hashable] = Counter()
        for label in labels:
            if _is_missing(label):
                missing += 1
            else:
                tally[label] += 1
        totals = dict(tally)
    else:
        values = _labels(counts, "counts")
        if len(values) != len(labels):
            raise SPCError(
                f"categories has {len(labels)} labels but counts has {len(values)} values; "
                "give one count per category."
            )
        for label, value in zip(labels, values, strict=True):
            v = _count(value, label)
            if _is_missing(label):
                missing += 1
                continue
            totals[label] = totals.get(label, 0) + v
    if not totals:
        raise SPCError("There are no categories to analyse.")
    total = sum(totals.values())
    if total <= 0:
        raise SPCError("All counts are zero, so there is nothing to rank.")

    order = sorted(totals.items(), key=lambda kv: (-kv[1], str(kv[0])))
    cats = tuple(k for k, _ in order)
    vals = tuple(v for _, v in order)
    running = 0.0
    cumulative = []
    vital: list[Hashable] = []
    num, den = _VITAL_SHARE
    reached = False
    for cat, v in order:
        running += v
        cumulative.append(100.0 * running / total)
        if not reached:
            vital.append(cat)
            reached = running * den >= total * num
    return Pareto(
        categories=cats,
        counts=vals,
        percent=tuple(100.0 * v / total for v in vals),
        cumulative_percent=tuple(cumulative),
        vital_few=tuple(vital),
        total=total,
        missing=missing,
    )


def _labels(values: Any, name: str = "categories") -> list[Any]:
    if isinstance(values, str | bytes | Mapping):
        raise SPCError(f"{name} must be a list of values, not a single {type(values).__name__}.")
    try:
        out = list(values)
    except TypeError:
        raise SPCError(f"{name} must be a list of values.") from None
    if hasattr(values, "ndim") and getattr(values, "ndim", 1) != 1:
        raise SPCError(f"{name} must be one-dimensional.")
    return [v.item() if hasattr(v, "item") and callable(v.item) else v for v in out]


def _is_missing(label: Any) -> bool:
    return label is None or (isinstance(label, float) and math.isnan(label))


def _count(value: Any, label: Any) -> float:
    if isinstance(value, bool) or value is None:
        raise SPCError(f"The count for {label!r} must be a number; got {value!r}.")
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise SPCError(f"The count for {label!r} must be a number; got {value!r}.") from None
    if not math.isfinite(v):
        raise SPCError(f"The count for {label!r} must be a finite number; got {value!r}.")
    if v < 0:
        raise SPCError(f"The count for {label!r} is negative ({value!r}); counts must be >= 0.")
    return int(v) if isinstance(value, int) else v
