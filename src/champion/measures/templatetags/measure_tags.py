"""Drawing for boards: Making Data Count style icons and sparklines as accessible inline SVG.

Drawn here rather than copied from NHS image files: a circle in the MDC colour
convention (grey common cause, blue improvement, orange concern, purple when no
direction is better) with a letter, and a text alternative that says it in words.
Inline SVG renders without JavaScript, prints, and costs no request per measure.
"""

from __future__ import annotations

import datetime
import functools
import math
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from champion.charts import ASSURANCE as ASSURANCE
from champion.charts import VARIATION as VARIATION
from champion.charts import format_number
from champion.measures.summary import Spark, Summary

register = template.Library()

# Keyed by the engine's own words (`spc.VARIATION`, `spc.ASSURANCE`), as the summary stores them.
COLOURS = {
    "common_cause": "#5F6368",
    "improvement": "#1764AB",
    "concern": "#B84E00",
    "neither": "#6B3FA0",
    "pass": "#1764AB",
    "fail": "#B84E00",
    "hit_and_miss": "#5F6368",
}


@register.simple_tag
def variation_icon(summary: Summary, size: int = 40) -> SafeString:
    key = summary.variation
    if not key:
        return mark_safe("")
    label = VARIATION.get(key, key)
    colour = COLOURS.get(key, COLOURS["common_cause"])
    direction = summary.direction
    letter = ""
    common = key == "common_cause"
    if not common and direction in ("up", "down"):
        letter = "H" if direction == "up" else "L"
        label += " (higher)" if direction == "up" else " (lower)"
    mark = (
        # Common cause: a flat wavy line, as the MDC icon shows steady variation.
        '<path d="M10 22 q3 -6 6 0 t6 0 t6 0" fill="none" stroke="{c}" stroke-width="2.5" '
        'stroke-linecap="round"/>'
        if common
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
def assurance_icon(summary: Summary, size: int = 40) -> SafeString:
    key = summary.assurance
    if not key:
        return mark_safe("")
    letter, label = ASSURANCE.get(key, ("?", key))
    return format_html(
        '<svg class="mdc-icon" width="{s}" height="{s}" viewBox="0 0 40 40" role="img" '
        'aria-label="{l}"><title>{l}</title><circle cx="20" cy="20" r="17" fill="{c}"/>'
        '<text x="20" y="26.5" text-anchor="middle" font-size="18" font-weight="700" fill="#fff" '
        'font-family="system-ui, sans-serif">{t}</text></svg>',
        s=size,
        l=label,
        c=COLOURS.get(key, COLOURS["hit_and_miss"]),
        t=letter,
    )


@register.simple_tag
def sparkline(summary: Summary, label: str = "", width: int = 140, height: int = 36) -> SafeString:
    return _sparkline(summary.spark, label, width, height)


def _n(v: float) -> str:
    """A coordinate to one decimal, without a trailing ".0"."""
    return f"{v:.1f}".removesuffix(".0")


@functools.lru_cache(maxsize=4096)
def _sparkline(spark: Spark, label: str, width: int, height: int) -> SafeString:
    """The sparkline's SVG, kept per process for each stored sparkline (a summary's `Spark` is
    immutable, so the same one always draws the same): a board of 50 measures redraws none
    until their summaries change. Written compactly (a dot is a round-capped zero-length line,
    a flat run of the centre line one segment): the same drawing in half the bytes."""
    ys, cls, cats = spark.y, spark.cl, spark.cat
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

    def path(series: tuple[float | None, ...]) -> str:
        out: list[str] = []
        last: tuple[float, float] | None = None  # the pen's point; None: lifted
        flat = False  # the last segment drawn was level (extended, not repeated)
        for i, v in enumerate(series):
            if v is None:
                last, flat = None, False
                continue
            x, y = xy(i, v)
            if last is None:
                out.append(f"M{_n(x)} {_n(y)}")
            elif y == last[1]:
                if flat:
                    out.pop()  # a level run is one segment to its end
                out.append(f"H{_n(x)}")
                flat = True
            else:
                out.append(f"L{_n(x)} {_n(y)}")
                flat = False
            last = (x, y)
        return "".join(out)

    dots: dict[str, list[str]] = {}
    for i, (v, cat) in enumerate(zip(ys, cats, strict=False)):
        if v is None or (cat == "common_cause" and i != len(ys) - 1):
            continue
        x, y = xy(i, v)
        colour = COLOURS.get(cat, COLOURS["common_cause"])
        dots.setdefault(colour, []).append(f"M{_n(x)} {_n(y)}h0")
    special = sum(1 for c in cats if c != "common_cause")
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
        # A dot of radius 2.6: a zero-length line 5.2 wide with round caps.
        dots=mark_safe(
            "".join(
                f'<path d="{"".join(d)}" stroke="{c}" stroke-width="5.2" stroke-linecap="round"/>'
                for c, d in dots.items()
            )
        ),
    )


@register.filter
def number(value: Any) -> str:
    """A readable number, as the chart's tooltips and exports write it (`charts.format_number`);
    a dash when missing."""
    if value == "":
        return "—"
    return format_number(value, missing="—")


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    return mapping.get(key, "") if hasattr(mapping, "get") else ""


@register.filter
def period(value: Any, frequency: str = "monthly") -> str:
    """An ISO period as people read it: 'Oct 2026' for a monthly measure's first of the month,
    else the day ('3 Oct 2026'), as for weekly data and events."""
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "—")
    if day.day == 1 and frequency in ("monthly", "quarterly"):
        return day.strftime("%b %Y")
    return f"{day.day} {day:%b %Y}"


@register.filter
def period_in_words(value: Any, frequency: str = "monthly") -> str:
    """A period as a sentence names it, for verdicts and headlines (one home): "the week of
    17 Mar 2025" for weekly data, "March 2025" for a month, "the quarter starting January
    2025", "17 Mar 2025" for a day or an event. The engine puts the preposition before it
    ("In the week of…", "In March 2025", "On 17 Mar 2025", `spc.verdict`)."""
    try:
        day = datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "—")
    if frequency == "weekly":
        return f"the week of {day.day} {day:%b %Y}"
    if frequency == "monthly" and day.day == 1:
        return day.strftime("%B %Y")
    if frequency == "quarterly":
        return (
            f"the quarter starting {day:%B %Y}"
            if day.day == 1
            else f"the quarter starting {day.day} {day:%b %Y}"
        )
    return f"{day.day} {day:%b %Y}"


SHORT = {
    "common_cause": "No significant change",
    "improvement": "Improving",
    "concern": "Needs attention",
    "neither": "Changed",
    "pass": "Will meet the target",
    "fail": "Will miss the target",
    "hit_and_miss": "May meet or miss the target",
}


@register.filter
def icon_text(key: str | None) -> str:
    """A few words for an icon, shown beside it so nobody needs to decode it."""
    return SHORT.get(key or "", "")
