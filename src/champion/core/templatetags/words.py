"""The `quoted` filter: a name in one pair of curly quotes (`champion.core.words.quoted`)."""

from __future__ import annotations

from typing import Any

from django import template

from champion.core.words import quoted as _quoted

register = template.Library()


@register.filter
def quoted(value: Any) -> str:
    """{{ measure.name|quoted }} → “Falls”, never ““Falls””."""
    return _quoted(value)
