"""Server-drawn SVG pictures: fishbone, process map, driver diagram and commitment chart.

Drawn here rather than in the browser so the same picture appears on screen, in the
A3 PDF and in the SVG export, prints crisply, and works without JavaScript. Each SVG
has a <title> and <desc> and a text alternative beside it on the page (the tool's table).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from champion.core.words import quoted
from champion.improvement.tools.commitment import commitment_svg
from champion.improvement.tools.draw import (
    BRAND,
    BRAND_TINT,
    INK,
    LINE,
    SOFT,
    VALUE_STYLE,
    _svg,
    _text,
    wrap,
)

__all__ = [
    "Node",
    "commitment_svg",
    "driver_svg",
    "fishbone_svg",
    "process_map_svg",
    "process_summary",
]


# Fishbone ----------------------------------------------------------------------------------


def fishbone_svg(effect: str, rows: Sequence[dict[str, Any]], ident: str = "fishbone") -> str:
    """Categories alternate above and below the spine; causes hang off each bone.

    Every cause is wrapped, never cut: a bone grows with the lines of its causes, and the
    drawing widens to the left if the wrapped labels of the first bones would fall off it.
    """
    categories: dict[str, list[str]] = {}
    for row in rows:
        categories.setdefault(str(row.get("category") or "Other"), []).append(str(row.get("cause")))
    names = list(categories) or ["Causes"]
    top, bottom = names[0::2], names[1::2]
    columns = max(len(top), len(bottom), 1)
    cause_chars, cause_size, line_h = 27, 12, 15.0
    # Each cause: its wrapped lines; a bone is as long as its causes are tall.
    wrapped = {name: [wrap(c, cause_chars) for c in categories.get(name, [])] for name in names}

    def bone_len(name: str) -> float:
        return sum(len(ls) * line_h + 9 for ls in wrapped[name]) + 40

    bone = max([150.0] + [bone_len(n) for n in names])
    label_w = {n: max(150.0, min(260.0, 8.6 * max(map(len, wrap(n, 26))) + 28)) for n in names}
    label_lines = {n: wrap(n, 26) for n in names}
    label_h = max(30.0, max(len(ls) for ls in label_lines.values()) * 17 + 13)
    spacing = 270
    slant = 0.42
    head_lines = wrap(effect, 22)
    head_w, head_h = 220, max(120.0, len(head_lines) * 19.5 + 36)
    mid = 30 + label_h + bone
    spine_start, spine_end = 30, 30 + columns * spacing + 40
    body: list[str] = []
    left_edge = 0.0  # the leftmost point any label reaches (negative: widen the picture)
    for side, group in ((-1, top), (1, bottom)):
        for j, name in enumerate(group):
            joint_x = spine_start + (j + 1) * spacing + 20
            end_x, end_y = joint_x - bone * slant, mid + side * bone
            body.append(
                f'<line x1="{joint_x:.1f}" y1="{mid}" x2="{end_x:.1f}" y2="{end_y:.1f}" stroke="{SOFT}" stroke-width="2.5"/>'
            )
            w = label_w[name]
            box_y = end_y if side == 1 else end_y - label_h
            left_edge = min(left_edge, end_x - w / 2 - 10)
            body.append(
                f'<rect x="{end_x - w / 2:.1f}" y="{box_y:.1f}" width="{w:.0f}" height="{label_h:.0f}" '
                f'rx="6" fill="{BRAND}"/>'
            )
            lines = label_lines[name]
            body.append(
                _text(
                    end_x,
                    box_y + label_h / 2 + 5 - 8.5 * (len(lines) - 1),
                    lines,
                    size=14,
                    anchor="middle",
                    weight="bold",
                    fill="#fff",
                )
            )
            # Causes from the spine outwards, each below (or above) the one before.
            offset = 22.0
            for cause, lines in zip(categories.get(name, []), wrapped[name], strict=True):
                first_y = (
                    mid + side * offset if side == 1 else mid - offset - (len(lines) - 1) * line_h
                )
                tick_y = first_y - 4
                t = (tick_y - mid) / (end_y - mid)
                x = joint_x + (end_x - joint_x) * t
                body.append(
                    f'<line x1="{x - 14:.1f}" y1="{tick_y:.1f}" x2="{x:.1f}" y2="{tick_y:.1f}" stroke="{LINE}" stroke-width="1.5"/>'
                )
                longest = max(len(line) for line in lines)
                left_edge = min(left_edge, x - 18 - longest * cause_size * 0.56)
                body.append(
                    f"<g><title>{escape(cause)}</title>"
                    + _text(x - 18, first_y, lines, size=cause_size, anchor="end", line_height=1.25)
                    + "</g>"
                )
                offset += len(lines) * line_h + 9
    body[:0] = [
        f'<line x1="{spine_start}" y1="{mid}" x2="{spine_end}" y2="{mid}" stroke="{INK}" stroke-width="4"/>',
        f'<rect x="{spine_end}" y="{mid - head_h / 2:.1f}" width="{head_w}" height="{head_h:.0f}" '
        f'fill="{BRAND_TINT}" stroke="{BRAND}" stroke-width="2" rx="8"/>',
        _text(
            spine_end + head_w / 2,
            mid + 5 - 9.75 * (len(head_lines) - 1),
            head_lines,
            size=15,
            anchor="middle",
            weight="bold",
        ),
    ]
    shift = max(0.0, 12 - left_edge)
    width = spine_end + head_w + 20 + shift
    height = mid + bone + label_h + 30
    if shift:
        body = [f'<g transform="translate({shift:.0f},0)">', *body, "</g>"]
    desc = f"Fishbone for {quoted(effect)}: " + "; ".join(
        f"{name}: {', '.join(causes)}" for name, causes in categories.items()
    )
    return _svg(width, height, f"Fishbone diagram: {effect}", desc, body, ident)


# Process map -------------------------------------------------------------------------------


def process_map_svg(process: str, rows: Sequence[dict[str, Any]], ident: str = "process") -> str:
    """Steps left to right in rows of four, snaking down; each box says who and what kind.

    Step names and owners wrap, never cut: every box is as tall as the wordiest step needs.
    """
    per_row, box_w, gap_x, gap_y = 4, 210, 56, 56
    steps = list(rows) or [{"step": "No steps yet", "value": "nva"}]
    step_lines = [wrap(str(row.get("step") or ""), 23) for row in steps]
    meta_lines = [wrap(_step_meta(row), 29) if _step_meta(row) else [] for row in steps]
    box_h = max(
        104.0,
        *(
            40 + 17 * len(s) + 15.6 * len(m) + 14
            for s, m in zip(step_lines, meta_lines, strict=True)
        ),
    )
    n_rows = math.ceil(len(steps) / per_row)
    width = 40 + per_row * box_w + (per_row - 1) * gap_x
    height = 30 + n_rows * box_h + (n_rows - 1) * gap_y + 90
    body: list[str] = []
    centres = []
    for i, row in enumerate(steps):
        r, c = divmod(i, per_row)
        if r % 2 == 1:
            c = per_row - 1 - c  # snake, so the arrow to the next row is short
        x = 20 + c * (box_w + gap_x)
        y = 20 + r * (box_h + gap_y)
        centres.append((x, y))
        fill, stroke, tag = VALUE_STYLE.get(str(row.get("value")), VALUE_STYLE["nva"])
        dash = ' stroke-dasharray="6 4"' if row.get("value") == "waste" else ""
        body.append(
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{box_h}" rx="10" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="2"{dash}/>'
        )
        body.append(_text(x + 12, y + 22, [f"{i + 1}. {tag}"], size=11, weight="bold", fill=stroke))
        body.append(_text(x + 12, y + 42, step_lines[i], size=13, weight="bold"))
        if meta_lines[i]:
            meta_y = y + box_h - 12 - 15.6 * (len(meta_lines[i]) - 1)
            body.append(_text(x + 12, meta_y, meta_lines[i], size=12, fill=SOFT))
    for (x1, y1), (x2, y2) in itertools.pairwise(centres):
        if y1 == y2:
            start = x1 + box_w if x2 > x1 else x1
            end = x2 if x2 > x1 else x2 + box_w
            body.append(
                f'<line x1="{start}" y1="{y1 + box_h / 2}" x2="{end}" y2="{y2 + box_h / 2}" stroke="{SOFT}" '
                f'stroke-width="2" marker-end="url(#{ident}-arrow)"/>'
            )
        else:
            body.append(
                f'<line x1="{x1 + box_w / 2}" y1="{y1 + box_h}" x2="{x2 + box_w / 2}" y2="{y2}" stroke="{SOFT}" '
                f'stroke-width="2" marker-end="url(#{ident}-arrow)"/>'
            )
    summary = process_summary(steps)
    legend_y = height - 50
    body.append(
        _text(
            20,
            legend_y,
            [
                f"{summary['steps']} steps · {summary['va']} value-adding · {summary['nva']} necessary · {summary['waste']} waste",
                summary["time_text"],
            ],
            size=13,
            fill=SOFT,
        )
    )
    desc = "; ".join(
        f"{i + 1}. {r.get('step')} ({VALUE_STYLE.get(str(r.get('value')), VALUE_STYLE['nva'])[2]}, {r.get('owner') or 'no owner'})"
        for i, r in enumerate(steps)
    )
    return _svg(width, height, f"Process map: {process}", desc, body, ident)


def _step_meta(row: dict[str, Any]) -> str:
    who = str(row.get("owner") or "")
    minutes = row.get("minutes")
    return " · ".join(p for p in (who, f"{minutes} min" if minutes not in (None, "") else "") if p)


def process_summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    counts = {key: sum(1 for r in rows if r.get("value") == key) for key in VALUE_STYLE}
    timed = [r for r in rows if isinstance(r.get("minutes"), int | float)]
    total = sum(float(r["minutes"]) for r in timed)
    va_time = sum(float(r["minutes"]) for r in timed if r.get("value") == "va")
    share = round(100 * va_time / total) if total else None
    text = (
        f"{total:g} minutes in total, {share}% of it value-adding"
        if share is not None
        else "Add minutes to the steps to see how much of the time adds value."
    )
    return {
        "steps": len(rows),
        **counts,
        "total_minutes": total,
        "va_share": share,
        "time_text": text,
    }


# Driver diagram ----------------------------------------------------------------------------


@dataclass
class Node:
    text: str
    children: list[Node] = field(default_factory=list)
    note: str = ""  # e.g. "3 PDSA cycles"
    href: str = ""


def driver_svg(aim: str, primaries: Sequence[Node], ident: str = "drivers") -> str:
    """Aim → primary drivers → secondary drivers → change ideas, left to right.

    Text wraps, never cut: every box is as tall as the wordiest one needs.
    """
    col_w, gap = 230, 44

    def node_lines(node: Node, depth: int) -> list[str]:
        return wrap(node.text, 27 if depth == 1 else 31)

    def walk(nodes: Sequence[Node], depth: int) -> list[tuple[Node, int]]:
        found = []
        for node in nodes:
            found.append((node, depth))
            if depth < 3:
                found += walk(node.children, depth + 1)
        return found

    box_h = max(
        [60.0]
        + [16 + 15.6 * len(node_lines(n, d)) + (18 if n.note else 6) for n, d in walk(primaries, 1)]
    )
    row_h = box_h + 14
    heads = ["Aim", "Primary drivers", "Secondary drivers", "Change ideas"]
    x_of = [20 + i * (col_w + gap) for i in range(4)]
    top = 50.0
    body: list[str] = [
        _text(x + col_w / 2, 28, [h], size=13, anchor="middle", weight="bold", fill=SOFT)
        for x, h in zip(x_of, heads, strict=True)
    ]
    row = 0.0
    links: list[tuple[int, float, int, float]] = []
    boxes: list[tuple[int, float, Node]] = []

    def place(node: Node, depth: int) -> float:
        nonlocal row
        if depth == 3 or not node.children:
            y = top + row * row_h
            row += 1
            boxes.append((depth, y, node))
            return y
        ys = [place(child, depth + 1) for child in node.children]
        y = (ys[0] + ys[-1]) / 2
        boxes.append((depth, y, node))
        for child_y in ys:
            links.append((depth, y, depth + 1, child_y))
        return y

    ys: list[float] = [place(p, 1) for p in primaries] or [top]
    if not primaries:
        row = 1
    aim_y = (ys[0] + ys[-1]) / 2
    for y in ys if primaries else []:
        links.append((0, aim_y, 1, y))
    height: float = top + max(row, 1) * row_h + 10
    aim_lines = wrap(aim or "No aim yet", 26)
    aim_h: float = max(box_h, 18 * len(aim_lines) + 20)
    aim_top = max(top - 4, min(aim_y + box_h / 2 - aim_h / 2, height - aim_h - 10))
    height = max(height, aim_top + aim_h + 10)
    for d1, y1, d2, y2 in links:
        x1 = x_of[d1] + col_w
        x2 = x_of[d2]
        mx = (x1 + x2) / 2
        cy1 = (aim_top + aim_h / 2) if d1 == 0 else y1 + box_h / 2
        cy2 = y2 + box_h / 2
        body.append(
            f'<path d="M{x1},{cy1:.1f} H{mx} V{cy2:.1f} H{x2 - 2}" fill="none" stroke="{LINE}" '
            f'stroke-width="1.6" marker-end="url(#{ident}-arrow)"/>'
        )
    body.append(
        f'<rect x="{x_of[0]}" y="{aim_top:.1f}" width="{col_w}" height="{aim_h}" rx="10" fill="{BRAND}"/>'
    )
    body.append(_text(x_of[0] + 12, aim_top + 22, aim_lines, size=13, weight="bold", fill="#fff"))
    styles = {
        1: (BRAND_TINT, BRAND),
        2: ("#f4f6f9", "#6b7685"),
        3: ("#e5f4ea", "#1d6b3a"),
    }
    for depth, y, node in boxes:
        fill, stroke = styles[depth]
        x = x_of[depth]
        box = (
            f'<rect x="{x}" y="{y:.1f}" width="{col_w}" height="{box_h}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="1.5"/>'
            + _text(
                x + 10,
                y + 20,
                node_lines(node, depth),
                size=12.5 if depth < 3 else 12,
                weight="bold" if depth == 1 else "normal",
            )
        )
        if node.note:
            box += _text(x + 10, y + box_h - 9, [node.note], size=11, fill=stroke, weight="bold")
        if node.href:
            box = f'<a href="{escape(node.href)}">{box}</a>'
        body.append(f"<g><title>{escape(node.text)}</title>{box}</g>")
    width = x_of[3] + col_w + 20
    desc_parts = []
    for p in primaries:
        secondaries = "; ".join(
            f"{s.text} (change ideas: {', '.join(c.text for c in s.children) or 'none'})"
            for s in p.children
        )
        desc_parts.append(f"Primary driver {p.text}: {secondaries or 'no secondary drivers'}")
    linked = any(node.href for _, _, node in boxes)
    return _svg(
        width,
        height,
        f"Driver diagram: {aim}",
        ". ".join(desc_parts),
        body,
        ident,
        role="group" if linked else "img",
    )
