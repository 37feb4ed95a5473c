"""The chart palette and Vega-Lite configuration shared by every chart.

Colours follow the Making Data Count convention (blue for improvement, orange
for concern, grey for common cause, purple when the better direction is not
known), darkened so that every mark keeps at least a 3:1 contrast on white
(WCAG 2.1, 1.4.11) and every text colour at least 4.5:1.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["PALETTE", "SHAPES", "contrast_ratio", "theme_config"]

PALETTE: dict[str, str] = {
    "improvement": "#1764AB",
    "concern": "#B84E00",
    "neither": "#6B3FA0",
    "common_cause": "#6B6B6B",
    "line": "#6B6B6B",
    "centre": "#1F1F1F",
    "limit": "#767676",
    "sigma2": "#8C8C8C",
    "target": "#1B7A3A",
    "annotation": "#4A4A4A",
    "text": "#1F1F1F",
    "muted": "#595959",
    "grid": "#E6E6E6",
    "bar": "#3D6A99",
    "bar_muted": "#7891AB",
}

# Shape carries the meaning too, so the chart reads in greyscale and for
# people who do not see the colours apart.
SHAPES: dict[str, str] = {
    "common_cause": "circle",
    "improvement": "square",
    "concern": "diamond",
    "neither": "triangle-up",
}

# Keyed by the engine's vocabulary (`spc.VARIATION`), from the point to the icon.
CATEGORY_LABELS: dict[str, str] = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neither": "Special cause",
}

_FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"

_BASE_CONFIG: dict[str, Any] = {
    "font": _FONT,
    "background": "white",
    "padding": 12,
    "view": {"stroke": None},
    "title": {
        "fontSize": 16,
        "fontWeight": 600,
        "color": PALETTE["text"],
        "anchor": "start",
        "subtitleFontSize": 12,
        "subtitleColor": PALETTE["muted"],
        "subtitlePadding": 4,
        "offset": 12,
    },
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 12,
        "titleFontWeight": 500,
        "labelColor": PALETTE["muted"],
        "titleColor": PALETTE["text"],
        "gridColor": PALETTE["grid"],
        "domainColor": "#BDBDBD",
        "tickColor": "#BDBDBD",
        "titlePadding": 8,
    },
    "axisX": {"grid": False, "labelAngle": 0, "labelFlush": True},
    "axisY": {"grid": True, "domain": False, "ticks": False, "tickCount": 6},
    "legend": {
        "labelFontSize": 11,
        "titleFontSize": 11,
        "labelColor": PALETTE["muted"],
        "orient": "bottom",
        "direction": "horizontal",
        "symbolStrokeWidth": 1.5,
    },
    "text": {"font": _FONT},
}


def theme_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The board theme as a Vega-Lite ``config``, with ``overrides`` merged in (deeply)."""
    config = copy.deepcopy(_BASE_CONFIG)
    if overrides:
        _merge(config, overrides)
    return config


def _merge(into: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str = "#FFFFFF") -> float:
    """WCAG 2.1 contrast ratio between two ``#RRGGBB`` colours."""
    a, b = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)
