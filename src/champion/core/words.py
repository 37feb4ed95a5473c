"""How names are quoted and counts written in what the platform says (one home each).

A template or a message that wraps a name in quotes must not double them when the name was
typed with quotes of its own ("“Falls”", "'Falls'"): `quoted` strips any quotes around the
name, then puts one pair of curly quotes around it. Templates use the `quoted` filter
(`champion.core.templatetags.words`, built in: no `{% load %}` needed, except in templates
the form renderer draws, such as the pickers' results, which `{% load words %}`).
"""

from __future__ import annotations

from typing import Any

#: Quote marks that may open or close a name as typed.
_OPENING = "\"'“‘«„‚"
_CLOSING = "\"'”’»“‘"


def unquoted(value: Any) -> str:
    """The text without the quote marks around it (as many layers as there are)."""
    text = "" if value is None else str(value).strip()
    while len(text) >= 2 and text[0] in _OPENING and text[-1] in _CLOSING:
        text = text[1:-1].strip()
    return text


def quoted(value: Any) -> str:
    """The name in one pair of curly quotes: “Falls” (whether typed Falls, "Falls" or
    “Falls”); double quotes inside it become single ones; empty text stays empty."""
    text = unquoted(value)
    if not text:
        return ""
    # Quotes inside the name become single ones, as nested quotes are written: “‘Safe’ care”.
    text = text.replace("“", "‘").replace("”", "’")
    parts = text.split('"')
    text = "".join(
        part + ("" if k == len(parts) - 1 else ("‘" if k % 2 == 0 else "’"))
        for k, part in enumerate(parts)
    )
    return f"“{text}”"


def thousands(value: Any) -> str:
    """10043 → "10,043": counts of a health system read at a glance. Anything not a whole
    number is shown as it is."""
    if isinstance(value, bool) or not isinstance(value, int):
        return "" if value is None else str(value)
    return f"{value:,}"
