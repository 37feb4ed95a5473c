"""Words in templates: `quoted` (a name in one pair of curly quotes, `champion.core.words.quoted`)
and `thousands` (a count with separators: 10,043)."""

from __future__ import annotations

from typing import Any

from django import template

from champion.core.words import quoted as _quoted

register = template.Library()


@register.filter
def quoted(value: Any) -> str:
    """{{ measure.name|quoted }} → “Falls”, never ““Falls””."""
    return _quoted(value)


@register.filter
def thousands(value: Any) -> str:
    """{{ 10043|thousands }} → 10,043: counts of a health system read at a glance. Anything not
    a whole number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value is None else str(value)
    return f"{value:,}"
