"""Small template helpers for the maturity pages."""

from __future__ import annotations

from typing import Any

from django import template

from champion.leadership.models import Stage

register = template.Library()


@register.filter
def get_item(mapping: Any, key: str) -> Any:
    """`mapping|get_item:key`: a dictionary lookup with a variable key (None when absent)."""
    return mapping.get(key) if mapping else None


@register.filter
def stage_percent(stage: int | None) -> int:
    """The width of a stage's bar: a quarter per stage."""
    return 25 * stage if stage else 0


@register.filter
def stage_name(stage: int | None) -> str:
    """The stage's name ("Advancing"), or "not agreed" for a component without one."""
    return Stage(stage).label if stage else "not agreed"
