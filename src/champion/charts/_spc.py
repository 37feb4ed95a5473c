"""Vega-Lite v6 specs for SPC and run charts, and the dashboard sparkline.

The spec carries its data inline (named ``datasets``), so the same dict renders
in the browser through vega-embed and offline through ``charts.export``. It is sent
with every chart page, so it says each thing once: a line as the ends of its runs of
equal values, the words points share once, and what the browser can join from a
point's own words (its tooltip's signal, its description) joined there.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from champion import spc

from ._input import ChartError, Series, load_analysis
from ._theme import CATEGORY_LABELS, PALETTE, SHAPES, theme_config

__all__ = [
    "CHART_NAMES",
    "VEGA_LITE_SCHEMA",
    "format_number",
    "sparkline_spec",
    "spc_spec",
]

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

CHART_NAMES: dict[str, str] = {
    "run": "Run chart",
    "i": "I chart (individual values)",
    "mr": "Moving range chart",
    "xbar": "X-bar chart (subgroup means)",
    "r": "R chart (subgroup ranges)",
    "s": "S chart (subgroup standard deviations)",
    "t": "T chart (time between rare events)",
    "p": "P chart (proportions)",
    "np": "NP chart (number of events)",
    "c": "C chart (counts)",
    "u": "U chart (rates)",
    "pp": "P′ chart (Laney proportions)",
    "up": "U′ chart (Laney rates)",
    "g": "G chart (cases between events)",
    "ip": "I′ chart (individual rates)",
}

_CATEGORY_ORDER = spc.VARIATION  # common_cause, improvement, concern, neither
_SIZES = {"common_cause": 36, "improvement": 90, "concern": 90, "neither": 90}
_LIMIT_SERIES = ("ucl", "lcl")
_SIGMA2_SERIES = ("ucl_95", "lcl_95")


def format_number(value: Any, *, percent: bool = False, missing: str = "-") -> str:
    """The one way a number reads, in tooltips, tables, summaries and exports: thousands with
    separators (1,234), otherwise four significant digits (12.35, 0.04567): enough to tell
    a point from its limit, few enough to read. ``missing`` for None, NaN or infinity.

    >>> [format_number(v) for v in (1234.5, 12.345, 0.0456789, 5.0, 0, None)]
    ['1,234', '12.35', '0.04568', '5', '0', '-']
    """
    if value is None or isinstance(value, bool):
        return missing
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return missing
    if percent:
        return f"{number * 100:.1f}%"
    if number == 0:
        return "0"
    if abs(number) >= 1000:
        return f"{number:,.0f}"
    return f"{number:.4g}"


def _line_decimals(s: Series) -> int | None:
    """Decimals for the centre line and limits: one more than the data's own (counts read
    "UCL 6.2", not "6.185"), or None when the plotted values are themselves computed
    (rates, proportions: the usual significant digits)."""
    most = 0
    for v in s.columns["y"]:
        if v is None:
            continue
        text = f"{float(v):.6f}".rstrip("0")
        places = len(text.split(".")[1]) if "." in text else 0
        if places > 3:
            return None
        most = max(most, places)
    return most + 1


def _line_number(value: Any, decimals: int | None, *, percent: bool = False) -> str:
    """A centre line or limit to the data's precision (see `_line_decimals`)."""
    if decimals is None or percent or value is None:
        return format_number(value, percent=percent)
    number = float(value)
    if not math.isfinite(number):
        return format_number(value)
    text = f"{number:,.{decimals}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _x_text(value: Any, kind: str, monthly: bool) -> str:
    if value is None:
        return "-"
    if kind == "temporal":
        try:
            when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return str(value)
        if monthly:
            return when.strftime("%b %Y")
        if len(str(value)) > 10 and (when.hour or when.minute):
            return when.strftime("%d %b %Y %H:%M")
        return when.strftime("%d %b %Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


#: Whole-day and whole-month tick steps: a label per tick, never a date printed twice.
_DAY_STEPS = (1, 2, 7, 14)
_MONTH_STEPS = (1, 2, 3, 6, 12, 24)
_MAX_TICKS = 7


def _time_ticks(s: Series, monthly: bool) -> dict[str, Any] | None:
    """Ticks at whole days or months, for data by day or month: left to itself Vega puts
    ticks every few hours on a narrow daily chart, and each day's label appears twice."""
    days = []
    for v in s.x:
        if v is None:
            continue
        text = str(v).rstrip("Z")
        if len(text) > 10 and text[10:].strip("T:0.") != "":
            return None  # times of day: Vega's own ticks
        try:
            days.append(dt.date.fromisoformat(text[:10]))
        except ValueError:
            return None
    if len(days) < 2:
        return None
    span = (max(days) - min(days)).days
    if not monthly:
        step = next((k for k in _DAY_STEPS if span / k <= _MAX_TICKS), None)
        if step is not None:
            return (
                {"interval": "day", "step": step}
                if step < 7
                else {"interval": "week", "step": step // 7}
            )
    months = span / 30.44
    step = next((k for k in _MONTH_STEPS if months / k <= _MAX_TICKS), None)
    if step is None:
        return {"interval": "year", "step": max(1, math.ceil(months / 12 / _MAX_TICKS))}
    return {"interval": "month", "step": step}


def _is_monthly(s: Series) -> bool:
    if s.x_kind != "temporal":
        return False
    return all(str(v)[8:10] == "01" and len(str(v).rstrip("Z")) <= 19 for v in s.x if v is not None)


def _varies(s: Series, column: str) -> bool:
    """Whether a column changes value within any part (ignoring missing values)."""
    col = s.columns.get(column)
    if col is None:
        return False
    seen: dict[Any, float] = {}
    for part, v in zip(s.columns["part"], col, strict=True):
        if v is None:
            continue
        if part in seen and abs(seen[part] - v) > 1e-12 * max(1.0, abs(v)):
            return True
        seen.setdefault(part, v)
    return False


def _has(s: Series, column: str) -> bool:
    return any(v is not None for v in s.columns.get(column, ()))


def _ordinal_domain(s: Series, notes: Iterable[Any] = ()) -> list[Any]:
    """The x labels in the engine's order, then any note's label not among them.

    Spelled out because the lines keep only some labels (`_run_ends`), and Vega orders
    an unsorted domain by first appearance over the layers' data, the lines' first.
    """
    return list(dict.fromkeys([*s.x, *notes]))


def _x_encoding(
    s: Series, title: str | None, monthly: bool, notes: Iterable[Any] = ()
) -> dict[str, Any]:
    enc: dict[str, Any] = {"field": "x", "title": title}
    if s.x_kind == "temporal":
        enc["type"] = "temporal"
        # UTC throughout, and a few pixels of room so the first point clears the y axis.
        enc["scale"] = {"type": "utc", "padding": 10}
        enc["axis"] = {"format": "%b %Y" if monthly else "%d %b %Y", "labelOverlap": True}
        ticks = _time_ticks(s, monthly)
        if ticks is not None:
            enc["axis"]["tickCount"] = ticks
    elif s.x_kind == "quantitative":
        enc["type"] = "quantitative"
        enc["scale"] = {"zero": False, "nice": False, "padding": 10}
        ints = all(float(v).is_integer() for v in s.x if v is not None)
        enc["axis"] = {"format": "d" if ints else "~g", "tickMinStep": 1 if ints else None}
        if not ints:
            del enc["axis"]["tickMinStep"]
    else:
        enc["type"] = "ordinal"
        enc["sort"] = None  # keep the engine's order, not Vega's alphabetical one
        enc["scale"] = {"domain": _ordinal_domain(s, notes)}
        longest = max((len(str(v)) for v in s.x if v is not None), default=0)
        enc["axis"] = {"labelAngle": -45 if longest * s.n_points > 90 else 0, "labelLimit": 120}
    return enc


def _y_domain(s: Series, series: Iterable[str], target: float | None) -> list[float] | None:
    """The y range of everything drawn, with a margin so no point sits on the frame.

    The margin never pushes the axis below zero when nothing drawn is negative:
    a proportion or a count below zero would look like a possible value.
    """
    values = [v for v in s.columns["y"] if v is not None]
    for name in series:
        values += [v for v in s.columns.get(name, ()) if v is not None]
    if target is not None:
        values.append(float(target))
    if not values:
        return None
    lo, hi = min(values), max(values)
    span = hi - lo or (abs(hi) * 0.1 or 1.0)
    low, high = lo - 0.06 * span, hi + 0.06 * span
    if lo >= 0 > low:
        low = 0.0
    return [low, high]


def _y_encoding(
    field: str, title: str | None, percent: bool, domain: list[float] | None = None
) -> dict[str, Any]:
    enc: dict[str, Any] = {
        "field": field,
        "type": "quantitative",
        "title": title,
        "scale": {"zero": False, "nice": domain is None},
    }
    if domain is not None:
        enc["scale"]["domain"] = domain
    if percent:
        enc["axis"] = {"format": ".0%"}
    return enc


def _line_rows(s: Series, series: Iterable[str]) -> list[dict[str, Any]]:
    """Long-format rows for the centre and limit lines, one path per part and segment.

    A centre line computed from a frozen baseline is solid over the baseline and
    dashed where it is extended; the extension starts at the last baseline
    point so the two segments meet.

    A path keeps only the ends of each run of equal values (`_run_ends`): the rows
    grow with the changes of a line, not with the points, and the path drawn is the same.
    """
    rows: list[dict[str, Any]] = []
    part_col = s.columns["part"]
    baseline = s.columns.get("baseline", [True] * s.n_points)
    runs_parts = {p.get("part") for p in s.parts if p.get("runs_signal")}
    for name in series:
        col = s.columns.get(name)
        if col is None:
            continue
        # Insertion order is the order each path first appears, as Vega draws them.
        paths: dict[tuple[Any, str], list[int]] = {}
        last_base: dict[Any, int] = {}
        for i in range(s.n_points):
            part = part_col[i]
            segment = "baseline" if baseline[i] or name != "cl" else "extension"
            if segment == "extension" and part in last_base:
                paths.setdefault((part, segment), []).append(last_base.pop(part))
            if segment == "baseline":
                last_base[part] = i
            paths.setdefault((part, segment), []).append(i)
        for (part, segment), indices in paths.items():
            for i in _run_ends(col, indices):
                row = {"x": s.x[i], "v": col[i], "series": name, "part": part}
                if name == "cl":  # only the centre line is dashed by segment and coloured
                    row |= {"segment": segment, "runs_signal": part in runs_parts}
                rows.append(row)
    return rows


def _run_ends(values: list[Any], indices: list[int]) -> list[int]:
    """The indices of one path that draw it: the first and last of each run of equal values.

    A point inside a run adds nothing to either interpolation the lines use: "linear"
    draws the run as one horizontal stretch between its ends, and "step" (Vega's
    curveStep) changes value halfway between neighbouring points, so a run still
    changes value halfway between its last point and the next, and the horizontal
    stretch between its ends passes through every point it dropped.
    """
    last = len(indices) - 1
    return [
        i
        for k, i in enumerate(indices)
        if k in (0, last)
        or values[i] != values[indices[k - 1]]
        or values[i] != values[indices[k + 1]]
    ]


def _normalise_annotations(annotations: Iterable[Any], s: Series) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for item in annotations:
        if isinstance(item, Mapping):
            x, text = item.get("x"), item.get("text")
        else:
            try:
                x, text = item
            except (TypeError, ValueError) as exc:
                raise ChartError(
                    f"an annotation must be (x, text) or {{'x': ..., 'text': ...}}, not {item!r}"
                ) from exc
        if isinstance(x, (dt.date, dt.datetime)):
            x = x.isoformat()
        if x is None or text is None:
            raise ChartError(f"an annotation needs both x and text, got {item!r}")
        rows.append({"x": x, "text": str(text)})
    return rows


# Numbered markers of notes closer than this share of the x axis stack in rows
# (a marker is about 17 px wide; plots are at least about 500 px wide, on phones too).
_NOTE_CROWDING = 0.035
_NOTE_ROW_PX = 17
_NOTE_LINE_PX = 15


def _x_position(value: Any, s: Series) -> float | None:
    """Where an x value sits on the axis, in the axis's own units (for spacing notes)."""
    if s.x_kind == "temporal":
        try:
            when = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
        return when.replace(tzinfo=None).timestamp()
    if s.x_kind == "quantitative":
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    labels = [str(v) for v in s.x]
    return float(labels.index(str(value))) if str(value) in labels else None


def _layout_notes(notes: list[dict[str, Any]], s: Series, monthly: bool) -> list[dict[str, Any]]:
    """Number the notes in x order and stack the markers of notes that crowd each other.

    A chart with many changes (a PDSA ramp) cannot carry every note's text above the
    plot without the labels running into each other, so each note gets a numbered
    marker on its rule and its text in a numbered list under the chart.
    """
    placed = [(_x_position(n["x"], s), i, n) for i, n in enumerate(notes)]
    placed.sort(key=lambda t: (t[0] is None, t[0] or 0.0, t[1]))
    known = [p for p, _i, _n in placed if p is not None]
    known += [p for p in (_x_position(v, s) for v in s.x if v is not None) if p is not None]
    span = (max(known) - min(known)) if len(known) > 1 else 0.0
    rows: list[dict[str, Any]] = []
    last_in_row: list[float] = []
    for number, (pos, _i, note) in enumerate(placed, start=1):
        row = 0
        if pos is not None and span > 0:
            while row < len(last_in_row) and pos - last_in_row[row] < _NOTE_CROWDING * span:
                row += 1
            if row == len(last_in_row):
                last_in_row.append(pos)
            last_in_row[row] = pos
        when = _x_text(note["x"], s.x_kind, monthly)
        rows.append(
            {
                **note,
                "number": str(number),
                "row": row,
                "line": f"({number}) {when}: {note['text']}",
            }
        )
    return rows


def _describe(s: Series, title: str, percent: bool) -> str:
    parts = sorted(set(s.columns["part"]), key=lambda p: (str(type(p)), p))
    special = [m for m in s.meaning if m.special]
    bits = [f"{title}. {CHART_NAMES.get(s.chart, s.chart + ' chart')} of {s.n_points} points"]
    if len(parts) > 1:
        bits[0] += f" in {len(parts)} parts"
    cl = s.columns.get("cl", [])
    for part in parts:
        idx = [i for i, p in enumerate(s.columns["part"]) if p == part]
        values = [cl[i] for i in idx if cl and cl[i] is not None]
        if values:
            label = f"part {part}: " if len(parts) > 1 else ""
            lo, hi = min(values), max(values)
            if lo == hi:
                centre = format_number(lo, percent=percent)
            else:
                centre = (
                    f"{format_number(lo, percent=percent)} to {format_number(hi, percent=percent)}"
                )
            bits.append(f"{label}centre line {centre}")
    if special:
        bits.append(f"{len(special)} point{'s' if len(special) != 1 else ''} show special cause")
    else:
        bits.append("no point shows special cause")
    if any(p.get("runs_signal") for p in s.parts):
        bits.append("the runs analysis signals a non-random pattern")
    if s.variation_icon:
        bits.append(f"variation: {s.variation_icon.replace('_', ' ')}")
    if s.assurance_icon:
        bits.append(f"assurance: {s.assurance_icon.replace('_', ' ')}")
    return "; ".join(bits) + "."


@dataclass(frozen=True)
class _Plot:
    """What every layer of one chart shares: the series, its axes and its y range."""

    s: Series
    x: dict[str, Any]
    y_title: str
    percent: bool
    domain: list[float] | None
    has_limits: bool
    monthly: bool

    def y(self, field: str) -> dict[str, Any]:
        return _y_encoding(field, self.y_title, self.percent, self.domain)


#: Lines are drawn one path per part and series, and the centre line per baseline segment.
_LIMIT_DETAIL = [{"field": "part"}, {"field": "series"}]
_CENTRE_DETAIL = [{"field": "part"}, {"field": "segment"}]


def _point_rows(plot: _Plot) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """One row per point: where it goes, its colour category, and what it says in words;
    and the words points share, once each.

    A point's centre line, limits and signal reasons are the same for most points of a
    part, so each distinct set is sent once, as a row of the second list (``t`` its
    number), and a point names its set by that number. The tooltip's signal and the
    screen reader's description repeat words the point already has, and are joined in the
    browser (`_point_texts`). ``excluded`` is left out when a point is not, and a set's
    ``reasons`` when it has none.
    """
    s, percent = plot.s, plot.percent
    places = _line_decimals(s)
    has_n = _has(s, "n")
    rows: list[dict[str, Any]] = []
    shared: dict[tuple[str, str, str], int] = {}
    for m in s.meaning:
        i = m.index
        ucl, lcl = s.value("ucl", i), s.value("lcl", i)
        if ucl is None and lcl is None:
            limits_text = "none"
        else:
            low = _line_number(lcl, places, percent=percent) if lcl is not None else "-"
            high = _line_number(ucl, places, percent=percent) if ucl is not None else "-"
            limits_text = f"{low} to {high}"
        words = (
            _line_number(s.value("cl", i), places, percent=percent),
            limits_text,
            "; ".join(m.reasons),
        )
        row = {
            "x": s.x[i],
            "y": s.columns["y"][i],
            "part": s.columns["part"][i],
            "category": CATEGORY_LABELS[m.category],
            "x_text": _x_text(s.x[i], s.x_kind, plot.monthly),
            "y_text": format_number(s.columns["y"][i], percent=percent),
            "t": shared.setdefault(words, len(shared)),
        }
        if has_n:
            row["n_text"] = format_number(s.value("n", i))
        if m.excluded:
            row["excluded"] = True
        rows.append(row)
    texts = []
    for (cl_text, limits_text, reasons), number in shared.items():
        text = {"t": number, "cl_text": cl_text, "limits_text": limits_text}
        if reasons:
            text["reasons"] = reasons
        texts.append(text)
    return rows, texts


def _point_texts() -> list[dict[str, Any]]:
    """The points layer's transforms: a point's shared words (`_point_rows`), then its signal
    (the tooltip's: "None (common cause)" when it has no reasons, and whether it was left out
    of the calculations) and what a screen reader says of it ("Aug 2024: 17; centre line 10;
    special cause: concern: Above the upper control limit")."""
    return [
        {
            "lookup": "t",
            "from": {
                "data": {"name": "point_texts"},
                "key": "t",
                "fields": ["cl_text", "limits_text", "reasons"],
            },
        },
        {
            "calculate": "(datum.reasons || 'None (common cause)')"
            " + (datum.excluded ? ' (excluded from the calculations)' : '')",
            "as": "reason_text",
        },
        {
            "calculate": "datum.x_text + ': ' + datum.y_text + '; centre line ' + datum.cl_text"
            " + '; ' + lower(datum.category) + (datum.reasons ? ': ' + datum.reasons : '')",
            "as": "aria_text",
        },
    ]


def _limits_layer(plot: _Plot) -> dict[str, Any]:
    """The control limits: dashed, stepped where they vary (changing denominators)."""
    return _paired_lines(plot, "limits", _LIMIT_SERIES, [6, 4], 1.4, PALETTE["limit"])


def _sigma2_layer(plot: _Plot) -> dict[str, Any]:
    """The 2-sigma warning lines, dotted."""
    return _paired_lines(plot, "sigma2_lines", _SIGMA2_SERIES, [1, 3], 1.2, PALETTE["sigma2"])


def _paired_lines(
    plot: _Plot, name: str, series: tuple[str, str], dash: list[int], width: float, color: str
) -> dict[str, Any]:
    """An upper and lower line drawn alike, stepped where either varies."""
    stepped = any(_varies(plot.s, column) for column in series)
    return {
        "name": name,
        "data": {"name": "lines"},
        "transform": [{"filter": {"field": "series", "oneOf": list(series)}}],
        "mark": {
            "type": "line",
            "interpolate": "step" if stepped else "linear",
            "strokeDash": dash,
            "strokeWidth": width,
            "color": color,
            "aria": False,
        },
        "encoding": {"x": plot.x, "y": plot.y("v"), "detail": _LIMIT_DETAIL},
    }


def _target_rows(plot: _Plot, target: float) -> list[dict[str, Any]]:
    label = f"Target {format_number(target, percent=plot.percent)}"
    return [{"x": plot.s.x[-1], "v": float(target), "label": label}]


def _target_layer(plot: _Plot) -> dict[str, Any]:
    """The target: a green dashed rule across the plot, labelled at the last point."""
    return {
        "name": "target",
        "data": {"name": "target"},
        "layer": [
            {
                "mark": {
                    "type": "rule",
                    "color": PALETTE["target"],
                    "strokeWidth": 1.5,
                    "strokeDash": [8, 3],
                },
                "encoding": {"y": plot.y("v")},
            },
            {
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "bottom",
                    "dx": 6,
                    "fontSize": 10,
                    "color": PALETTE["target"],
                },
                "encoding": {"x": plot.x, "y": plot.y("v"), "text": {"field": "label"}},
            },
        ],
    }


def _centre_layer(plot: _Plot) -> dict[str, Any]:
    """The centre line: solid over the baseline, dashed where it is extended."""
    return {
        "name": "centre_line",
        "data": {"name": "lines"},
        "transform": [{"filter": {"field": "series", "equal": "cl"}}],
        "mark": {
            "type": "line",
            "interpolate": "step" if _varies(plot.s, "cl") else "linear",
            "strokeWidth": 1.6,
            "aria": False,
        },
        "encoding": {
            "x": plot.x,
            "y": plot.y("v"),
            "detail": _CENTRE_DETAIL,
            # A part whose runs analysis signals gets a highlighted centre line,
            # as qicharts2 does: the pattern belongs to the part, not to a point.
            "color": {
                "condition": {"test": "datum.runs_signal", "value": PALETTE["neither"]},
                "value": PALETTE["centre"],
            },
            "strokeDash": {
                "field": "segment",
                "type": "nominal",
                "scale": {"domain": ["baseline", "extension"], "range": [[1, 0], [4, 3]]},
                "legend": None,
            },
        },
    }


def _data_line_layer(plot: _Plot) -> dict[str, Any]:
    """The line joining the points."""
    return {
        "name": "data_line",
        "data": {"name": "points"},
        "mark": {"type": "line", "color": PALETTE["line"], "strokeWidth": 1.5, "aria": False},
        "encoding": {"x": plot.x, "y": plot.y("y")},
    }


def _points_layer(plot: _Plot, x_label: str | None) -> dict[str, Any]:
    """The points: colour, shape and size say their category; a tooltip and a description
    say what each shows; an excluded point is hollow."""
    s = plot.s
    # Long series get smaller marks, or the points hide the line they sit on.
    density = 1.0 if s.n_points <= 60 else (0.6 if s.n_points <= 150 else 0.4)
    present = [c for c in _CATEGORY_ORDER if any(m.category == c for m in s.meaning)]
    domain = [CATEGORY_LABELS[c] for c in present]
    colour_scale = {"domain": domain, "range": [PALETTE[c] for c in present]}
    tooltip = [
        {"field": "x_text", "title": x_label or "Point"},
        {"field": "y_text", "title": plot.y_title},
    ]
    if _has(s, "n"):
        tooltip.append({"field": "n_text", "title": "Denominator (n)"})
    tooltip.append({"field": "cl_text", "title": "Centre line"})
    if plot.has_limits:
        tooltip.append({"field": "limits_text", "title": "Control limits"})
    if len(set(s.columns["part"])) > 1:
        tooltip.append({"field": "part", "title": "Part"})
    tooltip.append({"field": "reason_text", "title": "Signal"})
    legend = {"title": None} if len(present) > 1 else None
    return {
        "name": "points",
        "data": {"name": "points"},
        "transform": _point_texts(),
        "mark": {"type": "point", "filled": True, "opacity": 1, "strokeWidth": 1.5},
        "encoding": {
            "x": plot.x,
            "y": plot.y("y"),
            "fill": {
                "field": "category",
                "type": "nominal",
                "scale": colour_scale,
                "legend": legend,
                # An excluded point is drawn hollow: it is shown but not counted.
                "condition": {"test": "datum.excluded", "value": "white"},
            },
            "stroke": {
                "field": "category",
                "type": "nominal",
                "scale": colour_scale,
                "legend": legend,
            },
            "shape": {
                "field": "category",
                "type": "nominal",
                "scale": {"domain": domain, "range": [SHAPES[c] for c in present]},
                "legend": legend,
            },
            # Signal points are larger as well as coloured and shaped differently.
            "size": {
                "condition": {
                    "test": f"datum.category !== '{CATEGORY_LABELS['common_cause']}'",
                    "value": round(_SIZES["concern"] * density),
                },
                "value": round(_SIZES["common_cause"] * density),
            },
            "tooltip": tooltip,
            # What a screen reader says for each point (the lines are hidden from it).
            "description": {"field": "aria_text"},
        },
    }


def _labels_layer(plot: _Plot) -> dict[str, Any]:
    """The values of the centre line and limits, at the right edge."""
    return {
        "name": "line_labels",
        "data": {"name": "labels"},
        "mark": {
            "type": "text",
            "align": "left",
            "baseline": "middle",
            "dx": 6,
            "fontSize": 10,
            "color": PALETTE["muted"],
            "aria": False,
        },
        "encoding": {"x": plot.x, "y": plot.y("v"), "text": {"field": "label"}},
    }


def spc_spec(
    analysis_or_dict: Any,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    y_label: str | None = None,
    x_label: str | None = None,
    show_95: bool = False,
    annotations: Iterable[Any] = (),
    width: int | str | None = None,
    height: int = 320,
    improvement: str | None = None,
    percent: bool = False,
    target: float | None = None,
    theme: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Build a Vega-Lite v6 spec of an SPC or run chart.

    Parameters
    ----------
    analysis_or_dict
        An ``spc.Analysis`` or its ``to_dict()`` result.
    title, subtitle
        Chart title (default: the chart type's name) and an optional subtitle.
    y_label, x_label
        Axis titles (default: none on x, ``"Value"`` on y).
    show_95
        Also draw the 2-sigma lines (dotted).
    annotations
        ``(x, text)`` pairs or ``{"x": ..., "text": ...}`` dicts drawn as
        labelled vertical rules, e.g. the changes a team tested.
    width, height
        Size of the plot area in pixels; ``width="container"`` fills the
        page element in the browser. Default width 640.
    improvement
        ``"up"`` or ``"down"``: colours special causes as improvement (blue) or
        concern (orange). Unknown: a neutral purple.
    percent
        Format y as percentages (for proportions on a 0-1 scale).
    target
        Draw a target line at this value.
    theme
        Vega-Lite ``config`` entries merged over the board theme.

    Returns
    -------
    dict
        A JSON-serialisable Vega-Lite v6 spec with a ``description`` for
        screen readers and a tooltip per point.

    Examples
    --------
    >>> result = {"chart": "run", "points": {"x": [1, 2, 3], "y": [4.0, 6.0, 5.0],
    ...     "cl": [5.0, 5.0, 5.0]}, "parts": []}
    >>> spec = spc_spec(result, title="Falls")
    >>> [layer["name"] for layer in spec["layer"]]
    ['centre_line', 'data_line', 'points', 'line_labels']
    """
    s = load_analysis(analysis_or_dict, improvement=improvement)
    if s.n_points == 0:
        raise ChartError("the analysis has no points to chart")
    monthly = _is_monthly(s)
    chart_title = title if title is not None else CHART_NAMES.get(s.chart, f"{s.chart} chart")
    has_limits = s.chart != "run" and (_has(s, "ucl") or _has(s, "lcl"))
    line_series = ["cl"]
    if has_limits:
        line_series += list(_LIMIT_SERIES) + (list(_SIGMA2_SERIES) if show_95 else [])
    inside, outside = _split_notes(_normalise_annotations(annotations, s), s)
    plot = _Plot(
        s=s,
        x=_x_encoding(s, x_label, monthly, (n["x"] for n in inside)),
        y_title=y_label if y_label is not None else "Value",
        percent=percent,
        domain=_y_domain(s, line_series, target),
        has_limits=has_limits,
        monthly=monthly,
    )
    points, point_texts = _point_rows(plot)
    datasets: dict[str, list[dict[str, Any]]] = {
        "points": points,
        "point_texts": point_texts,
        "lines": _line_rows(s, line_series),
    }
    layers: list[dict[str, Any]] = []
    if has_limits:
        layers.append(_limits_layer(plot))
        if show_95:
            layers.append(_sigma2_layer(plot))
    if target is not None:
        datasets["target"] = _target_rows(plot, target)
        layers.append(_target_layer(plot))
    layers += [_centre_layer(plot), _data_line_layer(plot), _points_layer(plot, x_label)]
    labels = _end_labels(s, line_series, percent)
    if labels:
        datasets["labels"] = labels
        layers.append(_labels_layer(plot))
    notes = _layout_notes(inside, s, monthly)
    lines = notes + _outside_lines(outside, s, monthly)
    config = theme_config(theme)
    if lines:
        layers.append(_notes_layer(notes, lines, plot.x, height))
        if notes:
            datasets["annotations"] = notes
        datasets["note_lines"] = lines
        # The legend goes below the list of notes, never over it.
        legend = config.setdefault("legend", {})
        legend["offset"] = legend.get("offset", 0) + 24 + _NOTE_LINE_PX * len(lines)
    if not (isinstance(width, int) and width >= 600):
        # On a phone (or a container of unknown width) three entries in a row run off the
        # right edge: two a row.
        config.setdefault("legend", {})["columns"] = 2
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "title": {"text": chart_title, **({"subtitle": subtitle} if subtitle else {})},
        "description": _describe(s, chart_title, percent)
        + "".join(f" Note {n['line']}." for n in lines),
        "width": width if width is not None else 640,
        "height": height,
        "datasets": datasets,
        "data": {"name": "points"},
        "layer": layers,
        "config": config,
        # A chart as wide as its container fits in it whole, axes and labels included:
        # on a phone the newest points are never cut off at the right.
        **({"autosize": {"type": "fit-x", "contains": "padding"}} if width == "container" else {}),
    }


def _split_notes(
    notes: list[dict[str, Any]], s: Series
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The notes within the data's range (drawn on the chart) and those before its first
    point or after its last (listed only: a note years away must not stretch the axis)."""
    known = [p for p in (_x_position(v, s) for v in s.x if v is not None) if p is not None]
    if not known or s.x_kind == "ordinal":
        return notes, []
    first, last = min(known), max(known)
    inside, outside = [], []
    for note in notes:
        pos = _x_position(note["x"], s)
        if pos is not None and (pos < first or pos > last):
            outside.append({**note, "side": "before" if pos < first else "after", "pos": pos})
        else:
            inside.append(note)
    return inside, outside


def _outside_lines(notes: list[dict[str, Any]], s: Series, monthly: bool) -> list[dict[str, Any]]:
    """The list lines of notes outside the data's range: "Before this chart's data: ..."."""
    rows = []
    for side in ("before", "after"):
        for note in sorted((n for n in notes if n["side"] == side), key=lambda n: n["pos"]):
            when = _x_text(note["x"], s.x_kind, monthly)
            line = f"{side.capitalize()} this chart's data: {when}: {note['text']}"
            rows.append({"x": note["x"], "text": note["text"], "side": side, "line": line})
    return rows


def _notes_layer(
    notes: list[dict[str, Any]],
    lines: list[dict[str, Any]],
    x_enc: dict[str, Any],
    height: int,
) -> dict[str, Any]:
    """Each note as a dashed rule with a numbered marker above the plot, and the
    numbered list of notes under the x axis (drawn in the chart, so exports keep it),
    then the notes outside the data's range: listed, not drawn."""
    for n in notes:
        n["marker_y"] = -10 - _NOTE_ROW_PX * n["row"]
    for k, n in enumerate(lines):
        n["list_y"] = height + 44 + _NOTE_LINE_PX * k
    pixel = {"type": "quantitative", "scale": None}
    tooltip = [{"field": "line", "title": "Note"}]
    drawn: list[dict[str, Any]] = []
    if notes:
        drawn = [
            {
                "data": {"name": "annotations"},
                "mark": {
                    "type": "rule",
                    "color": PALETTE["annotation"],
                    "strokeDash": [2, 2],
                    "aria": False,
                },
                "encoding": {"x": x_enc},
            },
            {
                "data": {"name": "annotations"},
                "mark": {
                    "type": "circle",
                    "size": 210,
                    "fill": "white",
                    "stroke": PALETTE["annotation"],
                    "strokeWidth": 1.2,
                    "opacity": 1,
                    "aria": False,
                },
                "encoding": {"x": x_enc, "y": {"field": "marker_y", **pixel}, "tooltip": tooltip},
            },
            {
                "data": {"name": "annotations"},
                "mark": {
                    "type": "text",
                    "fontSize": 10,
                    "fontWeight": "bold",
                    "baseline": "middle",
                    "color": PALETTE["annotation"],
                    "aria": False,
                },
                "encoding": {
                    "x": x_enc,
                    "y": {"field": "marker_y", **pixel},
                    "text": {"field": "number"},
                    "tooltip": tooltip,
                },
            },
        ]
    return {
        "name": "annotations",
        "layer": [
            *drawn,
            {
                "data": {"name": "note_lines"},
                "mark": {
                    "type": "text",
                    "align": "left",
                    "baseline": "middle",
                    "fontSize": 11,
                    "color": PALETTE["annotation"],
                    "x": 0,
                    "limit": {"expr": "width"},
                    "aria": False,
                },
                "encoding": {"y": {"field": "list_y", **pixel}, "text": {"field": "line"}},
            },
        ],
    }


def _end_labels(s: Series, series: Iterable[str], percent: bool) -> list[dict[str, Any]]:
    """Values of the lines at the last point that has them, labelled at the right edge."""
    names = {"cl": "CL", "ucl": "UCL", "lcl": "LCL"}
    places = _line_decimals(s)
    rows = []
    for name in series:
        if name not in names or name not in s.columns:
            continue
        col = s.columns[name]
        last = next((i for i in range(s.n_points - 1, -1, -1) if col[i] is not None), None)
        if last is None or s.columns["part"][last] != s.columns["part"][-1]:
            continue
        rows.append(
            {
                "x": s.x[last],
                "v": col[last],
                "label": f"{names[name]} {_line_number(col[last], places, percent=percent)}",
            }
        )
    return rows


def sparkline_spec(
    analysis_or_dict: Any,
    *,
    width: int = 120,
    height: int = 32,
    improvement: str | None = None,
    description: str | None = None,
) -> dict[str, Any]:
    """A tiny chart for dashboards: the data line, the centre line and coloured signals.

    No axes, no title; ``description`` (default: a short summary) is what a
    screen reader says.

    Examples
    --------
    >>> result = {"chart": "run", "points": {"x": [1, 2, 3], "y": [4.0, 6.0, 5.0],
    ...     "cl": [5.0, 5.0, 5.0]}, "parts": []}
    >>> sparkline_spec(result)["width"]
    120
    """
    s = load_analysis(analysis_or_dict, improvement=improvement)
    if s.n_points == 0:
        raise ChartError("the analysis has no points to chart")
    rows = [
        {
            "x": s.x[m.index],
            "y": s.columns["y"][m.index],
            "category": m.category,
            "last": m.index == s.n_points - 1,
        }
        for m in s.meaning
    ]
    x_type = {"temporal": "temporal", "quantitative": "quantitative"}.get(s.x_kind, "ordinal")
    x_enc: dict[str, Any] = {"field": "x", "type": x_type, "axis": None}
    if x_type == "ordinal":
        x_enc["sort"] = None
        x_enc["scale"] = {"domain": _ordinal_domain(s)}
    if x_type == "temporal":
        x_enc["scale"] = {"type": "utc"}
    y_enc = {"type": "quantitative", "axis": None, "scale": {"zero": False}}
    special = sum(1 for m in s.meaning if m.special)
    layers: list[dict[str, Any]] = [
        {
            "name": "centre_line",
            "data": {"name": "lines"},
            "mark": {
                "type": "line",
                "color": PALETTE["limit"],
                "strokeWidth": 1,
                "interpolate": "step",
            },
            "encoding": {"x": x_enc, "y": {**y_enc, "field": "v"}, "detail": {"field": "part"}},
        },
        {
            "name": "data_line",
            "mark": {"type": "line", "color": PALETTE["line"], "strokeWidth": 1.2},
            "encoding": {"x": x_enc, "y": {**y_enc, "field": "y"}},
        },
        {
            "name": "points",
            "transform": [{"filter": "datum.category !== 'common_cause' || datum.last"}],
            "mark": {"type": "circle", "size": 14, "opacity": 1},
            "encoding": {
                "x": x_enc,
                "y": {**y_enc, "field": "y"},
                "color": {
                    "field": "category",
                    "type": "nominal",
                    "scale": {
                        "domain": list(_CATEGORY_ORDER),
                        "range": [PALETTE[c] for c in _CATEGORY_ORDER],
                    },
                    "legend": None,
                },
            },
        },
    ]
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description
        or (
            f"Sparkline of {s.n_points} points; last value "
            f"{format_number(s.columns['y'][-1])}; "
            f"{special} special-cause point{'s' if special != 1 else ''}."
        ),
        "width": width,
        "height": height,
        "padding": 2,
        "datasets": {"points": rows, "lines": _line_rows(s, ["cl"])},
        "data": {"name": "points"},
        "layer": layers,
        "config": {"view": {"stroke": None}, "background": "transparent"},
    }
