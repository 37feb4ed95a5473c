"""Drawing for boards: Making Data Count style icons and sparklines as accessible inline SVG.

Drawn here rather than copied from NHS image files: a circle in the MDC colour
convention (grey common cause, blue improvement, orange concern, purple when no
direction is better) with a letter, and a text alternative that says it in words.
Inline SVG renders without JavaScript, prints, and costs no request per measure.
"""

from __future__ import annotations

import math
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

COLOURS = {
    "common": "#5F6368",
    "improvement": "#1764AB",
    "concern": "#B84E00",
    "neutral": "#6B3FA0",
    "pass": "#1764AB",
    "fail": "#B84E00",
    "unknown": "#5F6368",
}

VARIATION = {
    "common_cause": ("common", "Common cause variation: no significant change"),
    "special_cause_improvement": ("improvement", "Special cause variation: improvement"),
    "special_cause_concern": ("concern", "Special cause variation: concern"),
    "special_cause_neither": ("neutral", "Special cause variation: a change, neither better nor worse"),
}  # fmt: skip
ASSURANCE = {
    "consistent_pass": ("pass", "P", "The target will consistently be met"),
    "consistent_fail": ("fail", "F", "The target will consistently be missed"),
    "inconsistent": ("unknown", "?", "The target will be met and missed at random"),
}


@register.simple_tag
def variation_icon(summary: dict[str, Any], size: int = 40) -> SafeString:
    key = summary.get("variation")
    if not key:
        return mark_safe("")
    tone, label = VARIATION.get(key, ("common", key))
    colour = COLOURS[tone]
    direction = summary.get("direction")
    letter = ""
    if tone != "common" and direction in ("up", "down"):
        letter = "H" if direction == "up" else "L"
        label += " (higher)" if direction == "up" else " (lower)"
    mark = (
        # Common cause: a flat wavy line, as the MDC icon shows steady variation.
        '<path d="M10 22 q3 -6 6 0 t6 0 t6 0" fill="none" stroke="{c}" stroke-width="2.5" '
        'stroke-linecap="round"/>'
        if tone == "common"
        else '<text x="20" y="26" text-anchor="middle" font-size="17" font-weight="700" '
        'fill="{c}" font-family="system-ui, sans-serif">{t}</text>'
    )
    return format_html(
        '<svg class="mdc-icon" width="{s}" height="{s}" viewBox="0 0 40 40" role="img" '
        'aria-label="{l}"><title>{l}</title><circle cx="20" cy="20" r="17" fill="#fff" '
        'stroke="{c}" stroke-width="3"/>' + mark + "</svg>",
        s=size,
        l=label,
        c=colour,
        t=letter,
    )


@register.simple_tag
def assurance_icon(summary: dict[str, Any], size: int = 40) -> SafeString:
    key = summary.get("assurance")
    if not key:
        return mark_safe("")
    tone, letter, label = ASSURANCE.get(key, ("unknown", "?", key))
    return format_html(
        '<svg class="mdc-icon" width="{s}" height="{s}" viewBox="0 0 40 40" role="img" '
        'aria-label="{l}"><title>{l}</title><circle cx="20" cy="20" r="17" fill="{c}"/>'
        '<text x="20" y="26.5" text-anchor="middle" font-size="18" font-weight="700" fill="#fff" '
        'font-family="system-ui, sans-serif">{t}</text></svg>',
        s=size,
        l=label,
        c=COLOURS[tone],
        t=letter,
    )


@register.simple_tag
def sparkline(
    summary: dict[str, Any], label: str = "", width: int = 140, height: int = 36
) -> SafeString:
    spark = summary.get("spark") or {}
    ys = spark.get("y") or []
    cls = spark.get("cl") or []
    cats = spark.get("cat") or []
    values = [v for v in [*ys, *cls] if v is not None and math.isfinite(v)]
    if len(ys) < 2 or not values:
        return mark_safe('<span class="muted">No chart yet</span>')
    lo, hi = min(values), max(values)
    span = (hi - lo) or 1.0
    pad = 4

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + i * (width - 2 * pad) / (len(ys) - 1)
        y = height - pad - (v - lo) / span * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    def path(series: list[Any]) -> str:
        out, pen = [], "M"
        for i, v in enumerate(series):
            if v is None:
                pen = "M"
                continue
            x, y = xy(i, v)
            out.append(f"{pen}{x} {y}")
            pen = "L"
        return " ".join(out)

    dots = []
    for i, (v, cat) in enumerate(zip(ys, cats, strict=False)):
        if v is None or (cat == "common" and i != len(ys) - 1):
            continue
        x, y = xy(i, v)
        dots.append(
            f'<circle cx="{x}" cy="{y}" r="2.6" fill="{COLOURS.get(cat, COLOURS["common"])}"/>'
        )
    special = sum(1 for c in cats if c != "common")
    text = label or (f"Sparkline of the last {len(ys)} points; {special} show special cause.")
    return format_html(
        '<svg class="sparkline" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
        'aria-label="{t}"><title>{t}</title>'
        '<path d="{cl}" fill="none" stroke="#8C8C8C" stroke-width="1" stroke-dasharray="3 2"/>'
        '<path d="{line}" fill="none" stroke="#4A4A4A" stroke-width="1.4"/>{dots}</svg>',
        w=width,
        h=height,
        t=text,
        cl=path(cls),
        line=path(ys),
        dots=mark_safe("".join(dots)),
    )


@register.filter
def number(value: Any) -> str:
    """A readable number: 1,234 / 12.3 / 0.0456; a dash when missing."""
    if value is None or value == "":
        return "—"
    try:
        v = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(v):
        return "—"
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == int(v):
        return f"{int(v)}"
    return f"{v:.3g}" if abs(v) < 10 else f"{v:.1f}"


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def period(value: Any, frequency: str = "monthly") -> str:
    """An ISO period as people read it: 'Oct 2026' for a monthly measure's first of the month,
    else the day ('3 Oct 2026'), as for weekly data and events."""
    import datetime

    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "—")
    if day.day == 1 and frequency in ("monthly", "quarterly"):
        return day.strftime("%b %Y")
    return f"{day.day} {day:%b %Y}"


SHORT = {
    "common_cause": "No significant change",
    "special_cause_improvement": "Improving",
    "special_cause_concern": "Needs attention",
    "special_cause_neither": "Changed",
    "consistent_pass": "Will meet the target",
    "consistent_fail": "Will miss the target",
    "inconsistent": "May meet or miss the target",
}


@register.filter
def icon_text(key: str | None) -> str:
    """A few words for an icon, shown beside it so nobody needs to decode it."""
    return SHORT.get(key or "", "")
