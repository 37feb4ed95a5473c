"""Template helpers for improvement pages."""

from __future__ import annotations

from django import template

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
