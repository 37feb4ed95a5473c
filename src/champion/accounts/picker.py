"""A people picker that searches as you type, instead of a select listing everyone.

One widget (`PeoplePicker`) and one search view (`accounts.views.people.people_search`) serve
every form that chooses people. The form field stays a `ModelChoiceField` or
`ModelMultipleChoiceField` on a scoped queryset, so chosen ids are validated against exactly
the people the search may show. The search is scoped by name (`SCOPES`), never by a queryset
sent from the browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse

from champion.accounts.models import User

#: Most people one search returns.
MAX_RESULTS = 20

FIELD_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,40}$")


def colleagues(user: Any) -> QuerySet[Any]:
    """Active people of the user's organisation (owners of a measure, project team members)."""
    return User.objects.filter(organisation_id=user.organisation_id, is_active=True)


def overseen(user: Any) -> QuerySet[Any]:
    """Active people the user may see (themselves and the subtrees they oversee)."""
    return User.objects.visible_to(user).filter(is_active=True)


SCOPES: dict[str, Callable[[Any], QuerySet[Any]]] = {
    "colleagues": colleagues,
    "overseen": overseen,
}


def search(people: QuerySet[Any], query: str) -> QuerySet[Any]:
    """At most `MAX_RESULTS` of `people` whose name or e-mail contains `query`, by name."""
    query = query.strip()[:100]
    if len(query) < 2:
        return people.none()
    return people.filter(Q(full_name__icontains=query) | Q(email__icontains=query)).order_by(
        "full_name", "pk"
    )[:MAX_RESULTS]


class PeoplePicker(forms.Widget):
    """A search box (htmx) over `scope`, with the chosen people as ticked boxes (or a radio
    button for one person). Keyboard use is native: type, Tab to a result, Space to choose."""

    template_name = "accounts/_people_picker.html"

    def __init__(self, scope: str, multiple: bool = True, attrs: Any = None) -> None:
        assert scope in SCOPES
        super().__init__(attrs)
        self.scope = scope
        self.multiple = multiple

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        if self.multiple:
            return data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False  # nothing ticked means nobody chosen

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        values = value if isinstance(value, list | tuple) else [value]
        ids = [int(v) for v in values if str(v).isdigit()]
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        chosen = []
        if ids and queryset is not None:
            chosen = list(queryset.filter(pk__in=ids).order_by("full_name"))
        context["picker"] = {
            "name": name,
            "scope": self.scope,
            "multiple": self.multiple,
            "chosen": chosen,
            "results": [],
            "url": reverse("accounts:people-search"),
        }
        return context
