"""The stakeholder commitment chart: where each stakeholder is now and where the change needs them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from champion.improvement.tools.draw import BRAND, INK, SOFT, _svg, _text

STANCES = [
    ("against", "Against"),
    ("doubtful", "Doubtful"),
    ("neutral", "Neutral"),
    ("supportive", "Supportive"),
    ("champion", "Champion"),
]


def commitment_svg(rows: Sequence[dict[str, Any]], ident: str = "commitment") -> str:
    """The change-management commitment chart: where each stakeholder is (●) and must be (◎)."""
    name_w, col_w, row_h, top = 230, 120, 44, 50
    width = name_w + col_w * len(STANCES) + 20
    height = top + max(len(rows), 1) * row_h + 40
    keys = [k for k, _ in STANCES]
    body: list[str] = []
    for i, (_, label) in enumerate(STANCES):
        x = name_w + i * col_w
        body.append(
            f'<rect x="{x}" y="{top}" width="{col_w}" height="{len(rows) * row_h}" fill="{"#f4f6f9" if i % 2 else "#fff"}"/>'
        )
        body.append(
            _text(
                x + col_w / 2,
                top - 14,
                [label],
                size=12.5,
                anchor="middle",
                weight="bold",
                fill=SOFT,
            )
        )
    for r, row in enumerate(rows):
        y = top + r * row_h
        cy = y + row_h / 2
        body.append(
            f'<line x1="10" y1="{y + row_h}" x2="{width - 10}" y2="{y + row_h}" stroke="#d9dee5"/>'
        )
        influence = str(row.get("influence") or "")
        label = str(row.get("stakeholder") or "")
        body.append(
            _text(
                14,
                cy - 2,
                [label if len(label) <= 30 else label[:29] + "…"],
                size=13,
                weight="bold",
            )
        )
        if influence:
            body.append(
                _text(14, cy + 14, [f"{influence.capitalize()} influence"], size=11, fill=SOFT)
            )
        now = keys.index(row["current"]) if row.get("current") in keys else None
        need = keys.index(row["desired"]) if row.get("desired") in keys else None
        if now is not None and need is not None and now != need:
            x1 = name_w + now * col_w + col_w / 2
            x2 = name_w + need * col_w + col_w / 2
            shift = 12 if x2 > x1 else -12
            body.append(
                f'<line x1="{x1 + shift:.1f}" y1="{cy}" x2="{x2 - shift * 1.2:.1f}" y2="{cy}" stroke="{BRAND}" '
                f'stroke-width="2.5" marker-end="url(#{ident}-arrow)"/>'
            )
        if need is not None:
            cx = name_w + need * col_w + col_w / 2
            body.append(
                f'<circle cx="{cx}" cy="{cy}" r="10" fill="#fff" stroke="#1d6b3a" stroke-width="3"/>'
            )
        if now is not None:
            cx = name_w + now * col_w + col_w / 2
            body.append(f'<circle cx="{cx}" cy="{cy}" r="8" fill="{INK}"/>')
    legend_y = top + len(rows) * row_h + 26
    body.append(f'<circle cx="20" cy="{legend_y - 4}" r="6" fill="{INK}"/>')
    body.append(_text(32, legend_y, ["where they are now"], size=12, fill=SOFT))
    body.append(
        f'<circle cx="180" cy="{legend_y - 4}" r="7" fill="#fff" stroke="#1d6b3a" stroke-width="3"/>'
    )
    body.append(_text(194, legend_y, ["where the change needs them"], size=12, fill=SOFT))
    desc = "; ".join(
        f"{r.get('stakeholder')}: now {r.get('current')}, needed {r.get('desired')}" for r in rows
    )
    return _svg(width, height, "Stakeholder commitment chart", desc, body, ident)
