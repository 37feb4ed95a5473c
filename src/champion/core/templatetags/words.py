"""Words in templates: `quoted` (a name in one pair of curly quotes, `champion.core.words.quoted`)
and `thousands` (a count with separators: 10,043, `champion.core.words.thousands`)."""

from __future__ import annotations

from typing import Any

from django import template

from champion.core.words import quoted as _quoted
from champion.core.words import thousands as _thousands

register = template.Library()


@register.filter
def quoted(value: Any) -> str:
    """{{ measure.name|quoted }} → “Falls”, never ““Falls””."""
    return _quoted(value)


@register.filter
def thousands(value: Any) -> str:
    """{{ 10043|thousands }} → 10,043."""
    return _thousands(value)
