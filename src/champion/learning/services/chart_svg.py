"""A small server-drawn chart for exercises: points, centre line and limits as SVG coordinates.

Drawn on the server (no JavaScript needed) and deliberately plain: before grading it must
not give away which points signal. Each point has a matching checkbox in an accessible list.
"""

from __future__ import annotations

import math
from typing import Any

from champion.learning.grading import spc_data

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


def _ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    span = hi - lo or 1.0
    raw = span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    start = math.ceil(lo / step) * step
    return [round(start + i * step, 10) for i in range(int((hi - start) / step) + 1)]


def exercise_chart(
    data: dict[str, Any],
    *,
    show_centre: bool,
    show_limits: bool = True,
    feedback: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The chart's drawing; `show_centre`/`show_limits` off when the learner must compute them."""
    analysis = spc_data.analyse(data)
    pts = analysis.points
    ys = [float(v) for v in pts["y"]]
    cl = [float(v) for v in pts["cl"]]
    lcl = [float(v) for v in pts["lcl"]]
    ucl = [float(v) for v in pts["ucl"]]
    drawn = ys + (cl if show_centre else []) + (lcl + ucl if show_limits else [])
    values = [v for v in drawn if math.isfinite(v)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = lo - pad, hi + pad
    count = len(ys)

    def sx(i: int) -> float:
        return LEFT + (WIDTH - LEFT - RIGHT) * (i / max(count - 1, 1))

    def sy(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - (v - lo) / (hi - lo))

    marks = {p["index"]: p for p in (feedback or {}).get("points", [])}
    points: list[dict[str, Any]] = []
    for i, y in enumerate(ys):
        mark = marks.get(i, {})
        state = ""
        if mark:
            state = (
                "hit"
                if mark["flagged"] and mark["marked"]
                else "missed"
                if mark["flagged"]
                else "wrong"
                if mark["marked"]
                else ""
            )
        points.append(
            {
                "index": i,
                "cx": round(sx(i), 1),
                "cy": round(sy(y), 1) if math.isfinite(y) else None,
                "x": spc_data.point_label(data, analysis, i),
                "y": spc_data.label(round(y, 4)),
                "state": state,
            }
        )
    line = " ".join(f"{p['cx']},{p['cy']}" for p in points if p["cy"] is not None)

    def series(values: list[float]) -> str:
        return " ".join(
            f"{round(sx(i), 1)},{round(sy(v), 1)}" for i, v in enumerate(values) if math.isfinite(v)
        )

    every = max(1, math.ceil(count / 14))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "points": points,
        "line": line,
        "centre": series(cl) if show_centre else "",
        "centre_value": spc_data.label(round(cl[0], 3)) if show_centre and cl else "",
        "ucl": series(ucl) if show_limits else "",
        "lcl": series(lcl) if show_limits else "",
        "y_ticks": [{"y": round(sy(t), 1), "label": spc_data.label(t)} for t in _ticks(lo, hi)],
        "x_ticks": [p for p in points if p["index"] % every == 0],
        "plot_left": LEFT,
        "plot_right": WIDTH - RIGHT,
        "plot_bottom": HEIGHT - BOTTOM,
        "chart_name": spc_data.CHART_LABELS.get(data["chart"], data["chart"]),
    }
