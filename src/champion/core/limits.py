"""How long free text may be: one constant per kind of text, and the one check that says so.

Every field people type into has a maximum, enforced at the boundary (forms, the tools'
validator, the evidence form, the API schemas): a database TEXT column holds anything, so
nothing else would stop a 20,000-character idea. Existing longer text stays valid: a form
refuses text over the limit only when it was changed (`limit_text`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

#: Names and titles: a person, a project, a measure, a tool, a unit label.
SHORT = 200
#: A paragraph: an idea, a comment, a note, an annotation, a tool cell, a measure definition,
#: a PDSA field.
TEXT = 2_000
#: Long-form writing: a charter's statements, a project's results, evidence for a certificate.
LONG = 10_000


def too_long(text: str, limit: int, label: str = "") -> str:
    """The message for text over `limit` characters ("" when it fits)."""
    if len(text) <= limit:
        return ""
    what = f"{label} is" if label else "This is"
    return (
        f"{what} {len(text):,} characters long; the most is {limit:,}. Shorten it "
        "(or attach a document where one is allowed)."
    )


def check(text: str, limit: int, label: str = "") -> None:
    """Raise a `ValidationError` with `too_long`'s message when `text` is over `limit`."""
    message = too_long(text, limit, label)
    if message:
        raise ValidationError(message, code="max_length")


class _Limit:
    """A form field's validator: refuses changed text over the limit, keeps old text valid."""

    def __init__(self, limit: int, initial: Any) -> None:
        self.limit = limit
        self.initial = "" if initial is None else str(initial)

    def __call__(self, value: Any) -> None:
        text = "" if value is None else str(value)
        if text.strip() != self.initial.strip():
            check(text, self.limit)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Limit) and other.limit == self.limit


def limit_text(form: forms.BaseForm, limits: dict[str, int] | None = None) -> None:
    """Give every free-text field of `form` its maximum: `limits[name]`, else the field's own
    `max_length`, else TEXT for a text area and SHORT for a one-line input. Call it at the end
    of the form's `__init__`. The browser is told too (`maxlength`)."""
    limits = limits or {}
    for name, field in form.fields.items():
        if not isinstance(field, forms.CharField) or isinstance(field.widget, forms.HiddenInput):
            continue
        if isinstance(field, forms.EmailField | forms.URLField | forms.SlugField):
            continue
        own = getattr(field, "max_length", None)
        area = isinstance(field.widget, forms.Textarea)
        limit = limits.get(name) or own or (TEXT if area else SHORT)
        initial = form.initial.get(name, field.initial)
        field.validators.append(_Limit(limit, initial))
        field.widget.attrs["maxlength"] = str(limit)


class LimitedText:
    """A form mixin (list it first): every free-text field gets its maximum (`limit_text`);
    `text_limits` names the fields that differ from the defaults."""

    text_limits: dict[str, int] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_text(self, self.text_limits)  # type: ignore[arg-type]
