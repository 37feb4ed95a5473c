"""Turn an ``spc.Analysis`` or its ``to_dict()`` into one validated, plain structure.

Every chart builder starts here, so a malformed result fails in one place with
one clear message instead of deep inside a Vega-Lite spec. What each point means
is the engine's (``spc.explain``); the charts only draw it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from champion import spc

__all__ = ["ChartError", "Series", "load_analysis"]

# A strict ISO date (optionally with a time): text labels that merely start
# with digits ("2024 Q1", "Ward 7") must stay categorical.
_ISO_DATE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)

_POINT_COLUMNS = ("x", "y")
_OPTIONAL_NUMERIC = ("n", "cl", "lcl", "ucl", "lcl_95", "ucl_95")
_OPTIONAL_BOOL = ("baseline", "include", "sigma_signal", "runs_signal")


_ENGINE_KIND = {"quantitative": "numeric", "temporal": "date", "ordinal": "text"}


class ChartError(ValueError):
    """A chart cannot be built from the input; the message says what to fix."""


@dataclass(frozen=True)
class Series:
    """The columns of an analysis as Python lists, with the x axis kind decided."""

    chart: str
    n_points: int
    x: list[Any]
    x_kind: str  # "temporal" | "quantitative" | "ordinal"
    columns: dict[str, list[Any]]
    rules: list[str]  # "<set>:<rule>" column names, in their original order
    parts: list[dict[str, Any]]
    variation_icon: str | None = None
    assurance_icon: str | None = None
    improvement: str | None = None
    #: The engine's reading of each point (category, direction, reasons), in point order.
    meaning: tuple[spc.PointMeaning, ...] = ()

    def value(self, column: str, i: int) -> Any:
        col = self.columns.get(column)
        return None if col is None else col[i]


def _to_plain(value: Any) -> Any:
    """NumPy scalars, NaN and dates to JSON-friendly Python values."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        with contextlib.suppress(ValueError, TypeError):
            value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _as_dict(analysis: Any) -> Mapping[str, Any]:
    if isinstance(analysis, Mapping):
        return analysis
    to_dict = getattr(analysis, "to_dict", None)
    if callable(to_dict):
        result = to_dict()
        if isinstance(result, Mapping):
            return result
    raise ChartError(
        f"expected an spc.Analysis or its to_dict() result, got {type(analysis).__name__}"
    )


def _x_kind(values: Sequence[Any]) -> str:
    present = [v for v in values if v is not None]
    if not present:
        return "quantitative"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "quantitative"
    if all(isinstance(v, str) and _ISO_DATE.match(v) for v in present):
        return "temporal"
    return "ordinal"


def _normalise_date(value: str) -> str:
    # A date-time without a zone is read as *local* time by browsers but the
    # date-only form as UTC; pin both to UTC so a chart shows the same day
    # wherever it is opened.
    if len(value) > 10 and not re.search(r"(Z|[+-]\d{2}:?\d{2})$", value):
        return value.replace(" ", "T") + "Z"
    return value


def load_analysis(analysis: Any, *, improvement: str | None = None) -> Series:
    """Validate an analysis (object or dict) and return it as a :class:`Series`."""
    data = _as_dict(analysis)
    chart = data.get("chart")
    if not isinstance(chart, str) or not chart:
        raise ChartError("the analysis has no 'chart' name (expected e.g. 'i', 'p', 'run')")
    points = data.get("points")
    if not isinstance(points, Mapping):
        raise ChartError("the analysis has no 'points' mapping of column name to values")
    missing = [c for c in _POINT_COLUMNS if c not in points]
    if missing:
        raise ChartError(f"the analysis points lack the column(s) {', '.join(missing)}")

    columns: dict[str, list[Any]] = {}
    length: int | None = None
    for name, values in points.items():
        if isinstance(values, (str, bytes, Mapping)):
            raise ChartError(f"points column {name!r} is not a list of values")
        try:
            as_list = [_to_plain(v) for v in values]
        except TypeError as exc:
            raise ChartError(f"points column {name!r} is not a list of values") from exc
        if length is None:
            length = len(as_list)
        elif len(as_list) != length:
            raise ChartError(
                f"points column {name!r} has {len(as_list)} values but 'x' has {length}; "
                "every column needs one value per point"
            )
        columns[str(name)] = as_list
    n_points = length or 0

    for name in ("y", *_OPTIONAL_NUMERIC):
        for v in columns.get(name, ()):
            if v is not None and (isinstance(v, bool) or not isinstance(v, (int, float))):
                raise ChartError(f"points column {name!r} must hold numbers or null, found {v!r}")
    for name in _OPTIONAL_BOOL:
        if name in columns:
            columns[name] = [bool(v) if v is not None else False for v in columns[name]]
    rules = [c for c in columns if ":" in c]
    for name in rules:
        columns[name] = [bool(v) if v is not None else False for v in columns[name]]
    if "part" not in columns:
        columns["part"] = [1] * n_points

    # The engine knows whether x was text or dates; a dict only has strings.
    engine_kind = {v: k for k, v in _ENGINE_KIND.items()}.get(str(getattr(analysis, "x_kind", "")))
    x_kind = engine_kind or _x_kind(columns["x"])
    x = columns["x"]
    if x_kind == "temporal":
        x = [_normalise_date(v) if isinstance(v, str) else v for v in x]
        columns["x"] = x

    parts_raw = data.get("parts") or []
    if not isinstance(parts_raw, Sequence) or isinstance(parts_raw, (str, bytes)):
        raise ChartError("the analysis 'parts' must be a list of records")
    parts = [dict(p) for p in parts_raw if isinstance(p, Mapping)]

    direction = improvement if improvement is not None else data.get("improvement")
    if direction is None:
        options = getattr(analysis, "options", None)
        if isinstance(options, Mapping):
            direction = options.get("improvement")
    if direction not in (None, "up", "down"):
        raise ChartError(f"improvement must be 'up', 'down' or None, not {direction!r}")
    try:
        engine = (
            analysis
            if isinstance(analysis, spc.Analysis)
            else spc.Analysis.from_dict(data, x_kind=_ENGINE_KIND.get(x_kind))
        )
        meaning = spc.explain(engine, improvement=direction)
    except (spc.SPCError, TypeError, ValueError) as exc:
        raise ChartError(f"the analysis cannot be read: {exc}") from exc
    return Series(
        chart=chart,
        n_points=n_points,
        x=x,
        x_kind=x_kind,
        columns=columns,
        rules=rules,
        parts=parts,
        variation_icon=data.get("variation_icon"),
        assurance_icon=data.get("assurance_icon"),
        improvement=direction,
        meaning=meaning,
    )
