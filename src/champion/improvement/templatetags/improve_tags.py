"""Template helpers for improvement pages."""

from __future__ import annotations

from django import template

from champion.charts import format_number

register = template.Library()


@register.filter
def as_image(svg: str, alt: str = "") -> str:
    """An inline SVG as an <img> data URI: PDF renderers size images by their intrinsic ratio."""
    import base64

    from django.utils.html import format_html

    data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="svg-img" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt
    )


@register.filter
def number(value: object) -> str:
    """A number as every chart and table reads it (`charts.format_number`)."""
    return format_number(value)
