"""A small server-drawn chart for exercises: points, centre line and limits as SVG coordinates.

Drawn on the server (no JavaScript needed) and deliberately plain: before grading it must
not give away which points signal. Each point has a matching checkbox in an accessible list.
"""

from __future__ import annotations

import html
import math
from typing import Any

from champion import spc
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
    spec: dict[str, float] | None = None,
    analysis: spc.Analysis | None = None,
    target: float | None = None,
    chart_id: str = "chart",
) -> dict[str, Any]:
    """The chart's drawing; `show_centre`/`show_limits` off when the learner must compute them.

    `spec` draws specification limits (e.g. {"LSL": 0, "USL": 60}) as labelled lines, and
    `target` a target line. `analysis` is the engine's analysis when the caller has it
    already (a measure's); `chart_id` keeps ids unique when a page shows several charts.
    """
    spec = {name: float(v) for name, v in (spec or {}).items() if v is not None}
    if analysis is None:
        analysis = spc_data.analyse(data)
    lines = dict(spec)
    if target is not None:
        lines["Target"] = float(target)
    pts = analysis.points
    ys = [float(v) for v in pts["y"]]
    cl = [float(v) for v in pts["cl"]]
    lcl = [float(v) for v in pts["lcl"]]
    ucl = [float(v) for v in pts["ucl"]]
    drawn = (
        ys + (cl if show_centre else []) + (lcl + ucl if show_limits else []) + list(lines.values())
    )
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
        "id": chart_id,
        "target": (
            {
                "y": round(sy(float(target)), 1),
                "label_y": round(sy(float(target)) - 6, 1),
                "label": f"Target {spc_data.label(float(target))}",
                "value": spc_data.label(float(target)),
            }
            if target is not None
            else None
        ),
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
        "spec": [
            {
                "y": round(sy(v), 1),
                "label_y": round(sy(v) - 6, 1),
                "label": f"{name} {spc_data.label(v)}",
            }
            for name, v in spec.items()
        ],
    }


# Lesson figures (```figure blocks with `chart:`): drawn once at load time as a plain SVG
# string (no template, no Django), narrow enough to read on a 390 px phone.
FIG_WIDTH, FIG_HEIGHT = 440, 320
FIG_FONT = 'font-family="system-ui, sans-serif" font-size="16" fill="#1f2937"'
INK, CENTRE, LIMIT, SIGNAL, DATA = "#1f2937", "#1d6b3a", "#b3261e", "#b45309", "#4b5563"


def _nice(value: float) -> str:
    """A centre line as a person reads it: 30.2, 13.5, 0.123, 412."""
    if not math.isfinite(value):
        return ""
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 3
    text = f"{value:.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _figure_signals(analysis: Any, rules: list[str]) -> set[int]:
    """The points to highlight: those a point rule flags, and the too-long run of a runs signal.

    The Anhøj runs signal belongs to a whole part, so instead of every point the figure
    highlights the run that is longer than the engine's limit (the engine's `longest_run`).
    """
    pts = analysis.points
    columns = [c for c in pts if any(c.startswith(f"{r}:") for r in rules)] + ["sigma_signal"]
    count = len(pts["y"])
    marked = {i for i in range(count) if any(bool(pts[c][i]) for c in columns)}
    if "anhoej" not in rules:
        return marked
    for info in analysis.parts:
        if not info["longest_run"] > info["longest_run_max"]:
            continue
        members = [i for i in range(count) if int(pts["part"][i]) == info["part"]]
        best: list[int] = []
        run: list[int] = []
        side = 0
        for i in members:
            y, c = float(pts["y"][i]), float(pts["cl"][i])
            if not (math.isfinite(y) and math.isfinite(c)) or y == c:
                continue  # missing points and points on the centre line neither count nor break
            now = 1 if y > c else -1
            run = [*run, i] if now == side else [i]
            side = now
            if len(run) > len(best):
                best = run
        if len(best) == info["longest_run"]:
            marked.update(best)
    return marked


def lesson_chart_svg(data: dict[str, Any], *, alt: str) -> str:
    """A lesson figure's chart as SVG: points, centre line, limits and highlighted signals.

    The data go through `champion.spc` exactly as an exercise's do (freeze, parts and cl
    included), and the signals highlighted are the engine's for the block's `rules`
    (default: the Anhøj runs rules).
    """
    rules = list(data.get("rules") or ["anhoej"])
    analysis = spc_data.analyse({**data, "rules": rules})
    pts = analysis.points
    ys = [float(v) for v in pts["y"]]
    cl = [float(v) for v in pts["cl"]]
    lcl = [float(v) for v in pts["lcl"]]
    ucl = [float(v) for v in pts["ucl"]]
    part = [int(v) for v in pts["part"]]
    flagged = _figure_signals(analysis, rules)
    count = len(ys)
    title = str(data.get("title") or spc_data.CHART_LABELS.get(data["chart"], data["chart"]))
    values = [v for v in ys + cl + lcl + ucl if math.isfinite(v)]
    lo, hi = min(values), max(values)
    pad = (hi - lo) * 0.08 or 1.0
    lo, hi = lo - pad, hi + pad
    left, right, top, bottom = 46, 12, 16, 68
    plot_w, plot_h = FIG_WIDTH - left - right, FIG_HEIGHT - top - bottom

    def sx(i: float) -> float:
        return round(left + plot_w * (i / max(count - 1, 1)), 1)

    def sy(v: float) -> float:
        return round(top + plot_h * (1 - (v - lo) / (hi - lo)), 1)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {FIG_WIDTH} {FIG_HEIGHT}" '
        f'role="img" aria-label="{_esc(alt)}">',
        f"<title>{_esc(title)}</title>",
    ]
    for tick in _ticks(lo, hi, 4):
        y = sy(tick)
        out.append(
            f'<line x1="{left}" x2="{FIG_WIDTH - right}" y1="{y}" y2="{y}" stroke="#d1d5db"/>'
            f'<text x="{left - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f"{FIG_FONT}>{_esc(spc_data.label(tick))}</text>"
        )
    axis_y = top + plot_h
    out.append(
        f'<line x1="{left}" x2="{FIG_WIDTH - right}" y1="{axis_y}" y2="{axis_y}" stroke="{INK}"/>'
    )
    labels = [spc_data.point_label(data, analysis, i) for i in range(count)]
    widest = max((len(s) for s in labels), default=1) * 9 + 12
    every = max(1, math.ceil(count / max(1, int(plot_w // widest))))
    for i in range(0, count, every):
        out.append(
            f'<text x="{sx(i)}" y="{axis_y + 20}" text-anchor="middle" {FIG_FONT}>'
            f"{_esc(labels[i])}</text>"
        )
    # One line segment per part, so a new phase's centre line starts afresh.
    segments: list[list[int]] = []
    for i in range(count):
        if i == 0 or part[i] != part[i - 1]:
            segments.append([])
            if i:
                x = round((sx(i - 1) + sx(i)) / 2, 1)
                out.append(
                    f'<line x1="{x}" x2="{x}" y1="{top}" y2="{axis_y}" stroke="{INK}" '
                    'stroke-dasharray="2 4"/>'
                )
        segments[-1].append(i)
    # The end of a frozen baseline: the centre line after it is carried forward, not recomputed.
    base = [bool(v) for v in pts["baseline"]]
    if data.get("freeze") and not all(base):
        end = max((i for i, b in enumerate(base) if b), default=-1)
        if 0 <= end < count - 1:
            x = round((sx(end) + sx(end + 1)) / 2, 1)
            out.append(
                f'<line x1="{x}" x2="{x}" y1="{top}" y2="{axis_y}" stroke="{INK}" '
                'stroke-dasharray="2 4"/>'
                f'<text x="{x - 4}" y="{top + 14}" text-anchor="end" {FIG_FONT}>baseline</text>'
            )

    def polyline(series: list[float], idx: list[int], colour: str, extra: str = "") -> None:
        coords = " ".join(f"{sx(i)},{sy(series[i])}" for i in idx if math.isfinite(series[i]))
        if coords:
            out.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" {extra}/>'.replace(
                    "  ", " "
                )
            )

    has_limits = any(math.isfinite(v) for v in ucl + lcl)
    for seg in segments:
        polyline(ucl, seg, LIMIT, 'stroke-width="1.5" stroke-dasharray="6 4"')
        polyline(lcl, seg, LIMIT, 'stroke-width="1.5" stroke-dasharray="6 4"')
        polyline(cl, seg, CENTRE, 'stroke-width="2"')
    polyline(ys, list(range(count)), DATA, 'stroke-width="1.5"')
    for i, y in enumerate(ys):
        if not math.isfinite(y):
            continue
        cx, cy = sx(i), sy(y)
        tip = f"<title>{_esc(labels[i])}: {_esc(spc_data.label(round(y, 4)))}</title>"
        if i in flagged:
            out.append(
                f'<polygon points="{cx},{cy - 7} {cx + 7},{cy} {cx},{cy + 7} {cx - 7},{cy}" '
                f'fill="{SIGNAL}" stroke="{INK}">{tip}</polygon>'
            )
        else:
            out.append(f'<circle cx="{cx}" cy="{cy}" r="4" fill="{INK}">{tip}</circle>')
    # The legend, in words as well as colours.
    centre_name = "median" if data["chart"] == "run" else "centre line"
    first_cl = next((v for v in cl if math.isfinite(v)), float("nan"))
    legend_y = FIG_HEIGHT - 14
    # One centre value in the legend only when there is one centre line.
    single = len({round(v, 9) for v in cl if math.isfinite(v)}) == 1
    centre_text = f"{centre_name} {_nice(first_cl)}" if single else f"{centre_name}s"
    items = [(CENTRE, "line", centre_text)]
    if has_limits:
        items.append((LIMIT, "dash", "limits"))
    if flagged:
        items.append((SIGNAL, "diamond", "signal"))
    x = left
    for colour, shape, text in items:
        if shape == "diamond":
            out.append(
                f'<polygon points="{x + 9},{legend_y - 12} {x + 16},{legend_y - 5} '
                f'{x + 9},{legend_y + 2} {x + 2},{legend_y - 5}" fill="{colour}" stroke="{INK}"/>'
            )
        else:
            dash = ' stroke-dasharray="6 4"' if shape == "dash" else ""
            out.append(
                f'<line x1="{x}" x2="{x + 20}" y1="{legend_y - 5}" y2="{legend_y - 5}" '
                f'stroke="{colour}" stroke-width="2"{dash}/>'
            )
        out.append(f'<text x="{x + 26}" y="{legend_y}" {FIG_FONT}>{_esc(text)}</text>')
        x += 26 + int(len(text) * 9) + 18
    out.append("</svg>")
    return "".join(out)
