"""What a chart spec draws, read back from vl-convert's rendering, for the chart tests.

- `words(spec, field)`: a field of each point as Vega computes it (the words a tooltip or
  a screen reader gets), read from the drawn SVG.
- `geometry(svg)`: the SVG with each polyline reduced to the shape it draws (a vertex
  repeated, or on the straight stretch between its neighbours, adds nothing).
- `as_before(spec, analysis)`: the spec as it was sent before the specs were made compact
  (issue 15): a row per point per line, every word of a point in its row, no shared texts.
  The reference the compact spec must draw exactly like.
"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

from champion.charts import _spc, export
from champion.charts._input import load_analysis

_NUM = r"-?\d*\.?\d+(?:e-?\d+)?"
_POLYLINE = re.compile(rf"(?:[ML]\s*{_NUM}\s*,?\s*{_NUM}\s*)+")
_VERTEX = re.compile(rf"([ML])\s*({_NUM})\s*,?\s*({_NUM})")
_TOLERANCE = 1e-6


def svg(spec: dict[str, Any]) -> str:
    return export(spec, "svg").decode()


def _simplified(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The vertices that turn the line: repeats and straight-through vertices dropped."""
    kept: list[tuple[float, float]] = []
    for p in points:
        if kept and abs(kept[-1][0] - p[0]) < _TOLERANCE and abs(kept[-1][1] - p[1]) < _TOLERANCE:
            continue
        while len(kept) >= 2:
            (ax, ay), (bx, by) = kept[-2], kept[-1]
            cross = (bx - ax) * (p[1] - by) - (by - ay) * (p[0] - bx)
            onward = (bx - ax) * (p[0] - bx) + (by - ay) * (p[1] - by) >= 0
            if abs(cross) < _TOLERANCE and onward:
                kept.pop()
            else:
                break
        kept.append(p)
    return kept


def _shape(d: str) -> str:
    if not _POLYLINE.fullmatch(d.strip()):
        return d  # symbols, rectangles: compared as drawn
    subpaths: list[list[tuple[float, float]]] = []
    for command, x, y in _VERTEX.findall(d):
        if command == "M":
            subpaths.append([])
        subpaths[-1].append((float(x), float(y)))
    return "".join("M" + "L".join(f"{x:.3f},{y:.3f}" for x, y in _simplified(s)) for s in subpaths)


def geometry(drawing: str) -> str:
    return re.sub(r' d="([^"]*)"', lambda m: f' d="{_shape(m.group(1))}"', drawing)


def vertices(drawing: str, layer: str) -> int:
    """How many vertices the paths of a layer (its name) have, as sent to the renderer."""
    total = 0
    for group in re.findall(rf'<g class="[^"]*\b{layer}_marks"[^>]*>(.*?)</g>', drawing, re.S):
        for d in re.findall(r' d="([^"]*)"', group):
            total += len(_VERTEX.findall(d))
    return total


def _layer(spec: dict[str, Any], name: str) -> dict[str, Any]:
    return next(lay for lay in spec["layer"] if lay.get("name") == name)


def words(spec: dict[str, Any], field: str) -> list[str]:
    """Each point's ``field`` as the browser computes it: the spec drawn with the points'
    accessible description set to that field."""
    probe = copy.deepcopy(spec)
    _layer(probe, "points")["encoding"]["description"] = {"field": field}
    drawing = svg(probe)
    group = re.search(r'<g class="[^"]*\bpoints_marks"[^>]*>(.*?)</g>', drawing, re.S)
    assert group is not None
    return [html.unescape(label) for label in re.findall(r'aria-label="([^"]*)"', group[1])]


def tooltip_fields(spec: dict[str, Any]) -> list[str]:
    return [t["field"] for t in _layer(spec, "points")["encoding"]["tooltip"]]


def _full_line_rows(analysis: Any, series: list[str]) -> list[dict[str, Any]]:
    """The lines as they were sent before: a row per point of each path."""
    s = load_analysis(analysis)
    part_col = s.columns["part"]
    baseline = s.columns.get("baseline", [True] * s.n_points)
    runs_parts = {p.get("part") for p in s.parts if p.get("runs_signal")}

    def row(name: str, i: int, segment: str) -> dict[str, Any]:
        part = part_col[i]
        return {"x": s.x[i], "v": s.columns[name][i], "series": name, "part": part,
                "segment": segment, "runs_signal": part in runs_parts}  # fmt: skip

    rows = []
    for name in series:
        last_base: dict[Any, int] = {}
        for i in range(s.n_points):
            part = part_col[i]
            segment = "baseline" if baseline[i] or name != "cl" else "extension"
            if segment == "extension" and part in last_base:
                rows.append(row(name, last_base.pop(part), "extension"))
            if segment == "baseline":
                last_base[part] = i
            rows.append(row(name, i, segment))
    return rows


def _unshared_points(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """The point rows as they were sent before: every word in the row, written in Python."""
    shared = {t["t"]: t for t in spec["datasets"].get("point_texts", [])}
    rows = []
    for point in spec["datasets"]["points"]:
        row = {k: v for k, v in point.items() if k not in ("t", "reasons", "excluded")}
        text = shared.get(point.get("t"), {})
        reasons = text.get("reasons")
        row["excluded"] = point.get("excluded", False)
        if text:
            row["cl_text"], row["limits_text"] = text["cl_text"], text["limits_text"]
            row["reason_text"] = reasons or "None (common cause)"
            if row["excluded"]:
                row["reason_text"] += " (excluded from the calculations)"
            row["aria_text"] = (
                f"{row['x_text']}: {row['y_text']}; centre line {row['cl_text']}; "
                f"{row['category'].lower()}" + (f": {reasons}" if reasons else "")
            )
        rows.append(row)
    return rows


def _without_ordinal_domain(node: Any) -> None:
    """Drop the spelled-out ordinal x domain: before, the data alone set its order."""
    if isinstance(node, dict):
        if node.get("field") == "x" and node.get("type") == "ordinal":
            node.get("scale", {}).pop("domain", None)
            if node.get("scale") == {}:
                del node["scale"]
        for value in node.values():
            _without_ordinal_domain(value)
    elif isinstance(node, list):
        for value in node:
            _without_ordinal_domain(value)


def as_before(spec: dict[str, Any], analysis: Any) -> dict[str, Any]:
    """The spec of the same chart as sent before (see the module's docstring)."""
    before = copy.deepcopy(spec)
    datasets = before["datasets"]
    series = list(dict.fromkeys(r["series"] for r in datasets["lines"]))
    datasets["lines"] = _full_line_rows(analysis, series)
    old_detail = [{"field": "part"}, {"field": "segment"}, {"field": "series"}]
    for lay in before["layer"]:
        if lay.get("encoding", {}).get("detail") in (_spc._LIMIT_DETAIL, _spc._CENTRE_DETAIL):
            lay["encoding"]["detail"] = old_detail
    if "point_texts" in datasets:
        datasets["points"] = _unshared_points(spec)
        del datasets["point_texts"]
        del _layer(before, "points")["transform"]
    _without_ordinal_domain(before)
    return before
