"""The result object of an analysis: points, per-part runs records and icons."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["PART_KEYS", "POINT_COLUMNS", "Analysis"]

#: The fixed point columns, in order; rule columns ("<set>:<rule>") follow them.
POINT_COLUMNS = ("x", "part", "baseline", "include", "n", "y", "cl", "lcl", "ucl", "lcl_95",
                 "ucl_95", "sigma_signal", "runs_signal")  # fmt: skip
#: The keys of each record in ``Analysis.parts``, in order.
PART_KEYS = ("part", "n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings",
             "n_crossings_min", "runs_signal", "sigma_signal_count")  # fmt: skip


@dataclass(frozen=True, slots=True, eq=False)
class Analysis:
    """The result of :func:`champion.spc.analyze`: read-only, JSON-exportable.

    Attributes
    ----------
    chart : str
        The chart type analysed (``"i"``, ``"p"``, ...).
    points : Mapping[str, numpy.ndarray]
        One read-only array per column, one entry per aggregated point, in x
        order: ``x``, ``part`` (1-based), ``baseline``, ``include``, ``n``,
        ``y``, ``cl``, ``lcl``, ``ucl``, ``lcl_95``, ``ucl_95``,
        ``sigma_signal``, ``runs_signal`` and one boolean column per rule of
        each requested rule set (``"nelson:2"``, ``"mdc:shift"``, ...). Missing
        values and missing limits are NaN. Columns that are constant may be
        zero-copy broadcast views, columns with the same flags (``sigma_signal``,
        ``western-electric:1``, ``nelson:1``, ``mdc:outside``) may be one
        array, the default ``x`` is a view of a shared 0..n-1 array, and ``y``
        may share memory with the input.
    parts : tuple of Mapping
        One record per part with the keys ``part``, ``n_obs``, ``n_useful``,
        ``longest_run``, ``longest_run_max``, ``n_crossings``,
        ``n_crossings_min``, ``runs_signal`` and ``sigma_signal_count`` (the
        four runs numbers are None when a part has no useful points).
    variation_icon, assurance_icon : str or None
        The Making Data Count icons, set when the ``mdc`` rule set was
        requested (assurance needs ``improvement`` and ``target``).
    options : Mapping[str, Any]
        The validated arguments the analysis used (chart-independent ones too).
    x_kind : str
        ``"numeric"``, ``"date"`` or ``"text"`` (categorical).
    """

    chart: str
    points: Mapping[str, np.ndarray]
    parts: tuple[Mapping[str, Any], ...]
    variation_icon: str | None = None
    assurance_icon: str | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    x_kind: str = "numeric"

    def __len__(self) -> int:
        return int(self.points["y"].shape[0])

    @property
    def categorical(self) -> bool:
        """True when x is text, so the order of the points carries no information."""
        return self.x_kind == "text"

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule columns, in order."""
        return tuple(k for k in self.points if ":" in k)

    def __repr__(self) -> str:
        sig = sum(int(p["sigma_signal_count"]) for p in self.parts)
        runs = any(p["runs_signal"] for p in self.parts)
        return (
            f"<Analysis {self.chart} chart: {len(self)} points, {len(self.parts)} part(s), "
            f"{sig} outside the limits, runs signal {'yes' if runs else 'no'}>"
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy: NaN as None, dates as ISO strings, plain Python numbers.

        Examples
        --------
        >>> import json
        >>> from champion import spc
        >>> a = spc.analyze([1.0, 2.0, None, 4.0], chart="i")
        >>> d = a.to_dict()
        >>> d["points"]["y"]
        [1.0, 2.0, None, 4.0]
        >>> d["parts"][0]["n_obs"]
        4
        >>> _ = json.dumps(d, allow_nan=False)
        """
        return {
            "chart": self.chart,
            "points": {k: _to_list(v) for k, v in self.points.items()},
            "parts": [dict(p) for p in self.parts],
            "variation_icon": self.variation_icon,
            "assurance_icon": self.assurance_icon,
        }

    def to_frame(self) -> Any:
        """The points as a Polars DataFrame (or a pandas one when Polars is not installed)."""
        data = {k: np.ascontiguousarray(v) for k, v in self.points.items()}
        try:
            import polars as pl
        except ImportError:  # pragma: no cover - Polars is a project dependency
            import pandas as pd

            return pd.DataFrame(data)
        return pl.DataFrame(data)


def _to_list(arr: np.ndarray) -> list[Any]:
    kind = arr.dtype.kind
    if kind == "M":
        return np.datetime_as_string(arr).tolist()
    values = arr.tolist()
    if kind == "f":
        return [None if (v != v or v in (math.inf, -math.inf)) else v for v in values]
    return values


def frozen(arr: np.ndarray) -> np.ndarray:
    """A read-only view (never makes the caller's own array read-only)."""
    view = arr.view()
    view.flags.writeable = False
    return view
