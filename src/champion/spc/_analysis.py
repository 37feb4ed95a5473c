"""The result object of an analysis: points, per-part runs records and icons."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

from ._errors import SPCError

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

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, x_kind: str | None = None) -> Analysis:
        """The analysis back from its :meth:`to_dict` form (a stored or sent result).

        ``x_kind`` (``"numeric"``, ``"date"`` or ``"text"``) is read from the x values
        when not given: ISO date strings are dates, numbers are numbers, anything else
        is text. Missing fixed columns get their neutral values (part 1, in the
        baseline, included, no limits, no signal). An ``improvement`` key, when
        present, is kept in ``options``.

        Examples
        --------
        >>> from champion import spc
        >>> a = spc.analyze([1.0, 2.0, 4.0], x=["2024-01-01", "2024-02-01", "2024-03-01"],
        ...                 chart="run")
        >>> b = spc.Analysis.from_dict(a.to_dict())
        >>> (b.x_kind, b.to_dict() == a.to_dict())
        ('date', True)
        """
        points = data.get("points")
        if not isinstance(data.get("chart"), str) or not isinstance(points, Mapping):
            raise SPCError("an analysis needs a 'chart' name and a 'points' mapping")
        if "x" not in points or "y" not in points:
            raise SPCError("an analysis's points need the columns 'x' and 'y'")
        size = len(points["y"])
        xs = list(points["x"])
        kind = x_kind or _x_kind_of(xs)
        columns: dict[str, np.ndarray] = {}
        for name in (*POINT_COLUMNS, *(k for k in points if k not in POINT_COLUMNS)):
            values = points.get(name)
            if values is not None and len(values) != size:
                raise SPCError(f"points column {name!r} has {len(values)} values, not {size}")
            if name == "x":
                columns[name] = _x_array(xs, kind)
            elif name == "part":
                columns[name] = np.asarray([1] * size if values is None else values, dtype=np.int64)
            elif name in ("baseline", "include"):
                columns[name] = np.asarray(
                    [True] * size if values is None else [bool(v) for v in values], dtype=bool
                )
            elif name in _BOOL_COLUMNS or ":" in name:
                columns[name] = np.asarray(
                    [False] * size if values is None else [bool(v) for v in values], dtype=bool
                )
            else:
                columns[name] = np.asarray(
                    [math.nan] * size if values is None
                    else [math.nan if v is None else float(v) for v in values],
                    dtype=np.float64,
                )  # fmt: skip
        options = {"improvement": data["improvement"]} if data.get("improvement") else {}
        return cls(
            chart=str(data["chart"]),
            points=MappingProxyType({k: frozen(v) for k, v in columns.items()}),
            parts=tuple(MappingProxyType(dict(p)) for p in data.get("parts") or ()),
            variation_icon=data.get("variation_icon"),
            assurance_icon=data.get("assurance_icon"),
            options=MappingProxyType(options),
            x_kind=kind,
        )

    def to_frame(self) -> Any:
        """The points as a Polars DataFrame (or a pandas one when Polars is not installed)."""
        data = {k: np.ascontiguousarray(v) for k, v in self.points.items()}
        try:
            import polars as pl
        except ImportError:  # pragma: no cover - Polars is a project dependency
            import pandas as pd

            return pd.DataFrame(data)
        return pl.DataFrame(data)


_BOOL_COLUMNS = ("sigma_signal", "runs_signal")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?Z?$")


def _x_kind_of(xs: list[Any]) -> str:
    present = [v for v in xs if v is not None]
    if all(isinstance(v, int | float) and not isinstance(v, bool) for v in present):
        return "numeric"
    if all(isinstance(v, str) and _ISO_DATE.match(v) for v in present):
        return "date"
    return "text"


def _x_array(xs: list[Any], kind: str) -> np.ndarray:
    if kind == "date":
        return np.array(
            ["NaT" if v is None else str(v).rstrip("Z").replace(" ", "T") for v in xs],
            dtype="datetime64",
        )
    if kind == "numeric":
        if all(isinstance(v, int) for v in xs):
            return np.asarray(xs, dtype=np.int64)
        return np.asarray([math.nan if v is None else v for v in xs], dtype=np.float64)
    return np.asarray(["" if v is None else str(v) for v in xs], dtype=str)


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
