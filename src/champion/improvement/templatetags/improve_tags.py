"""`{% improve_block %}`: the small "Improve" card on the home page (your ideas and projects).

An inclusion tag, so the shared home template needs two lines, not a view change.
"""

from __future__ import annotations

from typing import Any

from django import template

from champion.ideas.models import Idea, IdeaEvent
from champion.improvement.models import Project

register = template.Library()


@register.inclusion_tag("improvement/_home_block.html", takes_context=True)
def improve_block(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    return {
        "projects": Project.objects.visible_to(user).filter(members__user=user).distinct()[:4],
        "ideas": Idea.objects.visible_to(user).filter(submitted_by=user)[:3],
        "news": IdeaEvent.objects.filter(idea__submitted_by=user).exclude(actor=user).count(),
        "awaiting": Idea.objects.respondable_by(user).awaiting_response().count(),
    }


@register.filter
def as_image(svg: str, alt: str = "") -> str:
    """An inline SVG as an <img> data URI: PDF renderers size images by their intrinsic ratio."""
    import base64

    from django.utils.html import format_html

    data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
    return format_html(
        '<img class="svg-img" src="data:image/svg+xml;base64,{}" alt="{}">', data, alt
    )
