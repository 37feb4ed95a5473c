"""Drawing helpers shared by the tools' SVG pictures: wrapped text, the <svg> shell, colours."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
INK, SOFT, LINE = "#1b2430", "#4a5565", "#8c96a3"
BRAND, BRAND_TINT = "#0b5cad", "#e7f0fa"
VALUE_STYLE = {
    # fill, stroke, tag: colour is never the only cue, every box also says what it is.
    "va": ("#e5f4ea", "#1d6b3a", "Value-adding"),
    "nva": ("#fdf1e0", "#8a4b00", "Necessary"),
    "waste": ("#fbe9e7", "#b3261e", "Waste"),
}


def wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` characters, all of it (long words are broken)."""
    return textwrap.wrap(" ".join((text or "").split()), width, break_on_hyphens=False) or [""]


def _text(
    x: float,
    y: float,
    lines: Sequence[str],
    *,
    size: float = 13,
    anchor: str = "start",
    weight: str = "normal",
    fill: str = INK,
    line_height: float = 1.3,
) -> str:
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size * line_height:.1f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="{fill}">{spans}</text>'
    )


def _svg(
    width: float,
    height: float,
    title: str,
    desc: str,
    body: list[str],
    ident: str,
    role: str = "img",
) -> str:
    # A picture with links inside is a "group", so its links stay reachable by keyboard and
    # screen reader (an "img" hides its children).
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="{role}" aria-labelledby="{ident}-t {ident}-d" '
        f'font-family="{escape(FONT)}" class="diagram">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{SOFT}"/>'
        f"</marker></defs>"
        f'<rect width="100%" height="100%" fill="#fff"/>' + "".join(body) + "</svg>"
    )
