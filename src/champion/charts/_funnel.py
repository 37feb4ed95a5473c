"""Vega-Lite spec of a funnel plot: each unit's value against its denominator, the system
average, and the 95 % and 99.8 % limits narrowing as the denominator grows.

Reads an ``spc.funnel`` result (or its ``to_dict()``); the limits and which units lie
beyond them are the engine's, drawn as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._input import ChartError
from ._spc import VEGA_LITE_SCHEMA, format_number
from ._theme import PALETTE, theme_config

__all__ = ["funnel_spec"]

#: A unit beyond the 99.8 % limits is a special cause; beyond 95 % only a warning.
_GROUPS = {
    "high_998": "Beyond 99.8 % limit (high)",
    "low_998": "Beyond 99.8 % limit (low)",
    "high_95": "Beyond 95 % limit (high)",
    "low_95": "Beyond 95 % limit (low)",
    "": "Within the limits",
}


def _group(unit: Mapping[str, Any]) -> str:
    for level in ("99.8", "95"):
        side = unit.get(f"outside_{level}") or ""
        if side:
            return f"{side}_{level.replace('.', '')}"
    return ""


#: The curve's columns: each limit line's key in a row of the sent data, its line and side.
_CURVE_COLUMNS = {
    "l95": ("95", "lower"),
    "u95": ("95", "upper"),
    "l998": ("99.8", "lower"),
    "u998": ("99.8", "upper"),
}

#: The curve is sent wide (a row per denominator, a column per limit line) and made long in
#: the browser: four lines of 100 points sent a row per point were about 45 KB of a page.
_CURVE_TRANSFORM: list[dict[str, Any]] = [
    {"fold": list(_CURVE_COLUMNS), "as": ["key", "limit"]},
    {"filter": "isValid(datum.limit)"},  # a point without a limit is left out of its line
    {
        "calculate": "length(datum.key) > 3 ? '99.8 % limits' : '95 % limits'",
        "as": "line",
    },
    {"calculate": "datum.key[0] == 'l' ? 'lower' : 'upper'", "as": "side"},
]


def _curve_rows(curve: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The limits' curve, a row per denominator: `n` and each line's limit (to 6 significant
    digits, far finer than a drawing's pixel) under its key in `_CURVE_COLUMNS`."""
    columns = {key: curve.get(f"{side}_{level}") for key, (level, side) in _CURVE_COLUMNS.items()}
    rows = []
    for i, n in enumerate(curve["n"]):
        row: dict[str, Any] = {"n": _short(n)}
        for key, values in columns.items():
            if values is not None and values[i] is not None:
                row[key] = _short(values[i])
        rows.append(row)
    return rows


def _short(value: float) -> float:
    return float(f"{value:.6g}")


def funnel_spec(
    result: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    y_label: str = "Value",
    x_label: str = "Denominator",
    improvement: str | None = None,
    width: int | str | None = None,
    height: int = 320,
    theme: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build the funnel plot. ``improvement`` ("up" or "down") colours a unit beyond a limit
    as an improvement or a concern; without it, as neither.

    >>> from champion import spc
    >>> spec = funnel_spec(spc.funnel([10, 30, 5, 60], [100, 200, 80, 300]))
    >>> [row["group"] for row in spec["datasets"]["units"]]
    ['Within the limits', 'Within the limits', 'Beyond 95 % limit (low)', 'Beyond 95 % limit (high)']
    """
    data = result.to_dict() if hasattr(result, "to_dict") else result
    if not isinstance(data, Mapping) or "units" not in data or "curve" not in data:
        raise ChartError("expected an spc.funnel result or its to_dict()")
    target = data["target"]
    units = []
    for u in data["units"]:
        key = _group(u)
        side = key.split("_")[0] if key else ""
        if not side:
            meaning = "common_cause"
        elif improvement in ("up", "down"):
            good = (side == "high") == (improvement == "up")
            meaning = "improvement" if good else "concern"
        else:
            meaning = "neither"
        units.append(
            {
                "label": u["label"],
                "n": u["n"],
                "y": u["y"],
                "group": _GROUPS[key],
                "meaning": meaning,
                "value_text": format_number(u["y"]),
                "n_text": format_number(u["n"]),
                "events_text": format_number(u["events"]),
                "limits_text": f"{format_number(u.get('lower_95'))} to "
                f"{format_number(u.get('upper_95'))} (95 %), "
                f"{format_number(u.get('lower_99.8'))} to {format_number(u.get('upper_99.8'))}"
                " (99.8 %)",
            }
        )
    lines = _curve_rows(data["curve"])
    colours = {
        "common_cause": PALETTE["common_cause"],
        "improvement": PALETTE["improvement"],
        "concern": PALETTE["concern"],
        "neither": PALETTE["neither"],
    }
    beyond = sum(1 for u in units if u["meaning"] != "common_cause")
    name = title or "Funnel plot"
    tooltip = [
        {"field": "label", "title": "Unit"},
        {"field": "value_text", "title": y_label},
        {"field": "events_text", "title": "Events"},
        {"field": "n_text", "title": x_label},
        {"field": "limits_text", "title": "Limits"},
        {"field": "group", "title": "Position"},
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": name, **({"subtitle": subtitle} if subtitle else {})},
        "description": (
            f"{name}: {len(units)} units against the system average of "
            f"{format_number(target)}; {beyond} beyond the 95 % limits."
        ),
        "width": width if width is not None else 640,
        "height": height,
        "datasets": {"units": units, "curve": lines, "target": [{"target": target}]},
        "layer": [
            {
                "data": {"name": "curve"},
                "transform": _CURVE_TRANSFORM,
                "mark": {"type": "line", "color": PALETTE["limit"], "strokeWidth": 1.5},
                "encoding": {
                    "x": {
                        "field": "n",
                        "type": "quantitative",
                        "title": x_label,
                        "scale": {"zero": False},
                    },
                    "y": {"field": "limit", "type": "quantitative", "title": y_label},
                    "detail": [{"field": "line"}, {"field": "side"}],
                    "strokeDash": {
                        "field": "line",
                        "type": "nominal",
                        "scale": {
                            "domain": ["95 % limits", "99.8 % limits"],
                            "range": [[5, 4], [1, 0]],
                        },
                        "legend": {"title": None},
                    },
                },
            },
            {
                "data": {"name": "target"},
                "mark": {"type": "rule", "color": PALETTE["centre"], "strokeWidth": 1.5},
                "encoding": {"y": {"field": "target", "type": "quantitative"}},
            },
            {
                "data": {"name": "units"},
                "mark": {"type": "point", "filled": True, "size": 70, "opacity": 1},
                "encoding": {
                    "x": {"field": "n", "type": "quantitative"},
                    "y": {"field": "y", "type": "quantitative"},
                    "color": {
                        "field": "meaning",
                        "type": "nominal",
                        "scale": {"domain": list(colours), "range": list(colours.values())},
                        "legend": None,
                    },
                    "shape": {
                        "field": "group",
                        "type": "nominal",
                        "scale": {
                            "domain": list(_GROUPS.values()),
                            "range": ["diamond", "diamond", "square", "square", "circle"],
                        },
                        "legend": {"title": None},
                    },
                    "tooltip": tooltip,
                },
            },
        ],
        "config": theme_config(theme),
    }
