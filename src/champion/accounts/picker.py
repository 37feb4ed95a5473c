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

from champion.accounts.models import Unit, User

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


# ---------------------------------------------------------------------------------------------
# Units: the same pattern. At health-system scale an organisation has hundreds of units, so no
# form or filter lists them all: a search box returns at most `MAX_RESULTS` by name.


def units_visible(user: Any) -> QuerySet[Any]:
    """Every unit of the user's organisation (filters, projects, ideas)."""
    return Unit.objects.visible_to(user)


def units_managed(user: Any) -> QuerySet[Any]:
    """Units whose people and structure the user administers."""
    return Unit.objects.managed_by(user)


#: Unit scopes by name; rooms add their own in `AppConfig.ready` (`register_unit_scope`).
def units_overseen(user: Any) -> QuerySet[Any]:
    """Units whose people the user leads, coaches or administers (team progress, Lead)."""
    return Unit.objects.overseen_by(user)


UNIT_SCOPES: dict[str, Callable[[Any], QuerySet[Any]]] = {
    "visible": units_visible,
    "managed": units_managed,
    "overseen": units_overseen,
}


def register_unit_scope(name: str, scope: Callable[[Any], QuerySet[Any]]) -> None:
    UNIT_SCOPES[name] = scope


def search_units(units: QuerySet[Any], query: str) -> QuerySet[Any]:
    """At most `MAX_RESULTS` of `units` whose name (or parent's name) contains `query`."""
    query = query.strip()[:100]
    if len(query) < 2:
        return units.none()
    return (
        units.filter(Q(name__icontains=query) | Q(parent__name__icontains=query))
        .select_related("parent")
        .order_by("path")[:MAX_RESULTS]
    )


def unit_picker(
    user: Any, scope: str, name: str, value: Any, *, required: bool = False, label: str = "Unit"
) -> dict[str, Any]:
    """The context of `accounts/_unit_picker.html` for a filter outside a Django form."""
    assert scope in UNIT_SCOPES
    chosen = []
    if str(value).isdigit():
        chosen = list(UNIT_SCOPES[scope](user).filter(pk=int(value)).select_related("parent"))
    return {
        "name": name,
        "id": f"id_{name}",
        "label": label,
        "scope": scope,
        "required": required,
        "chosen": chosen,
        "results": [],
        "url": reverse("accounts:unit-search"),
    }


class UnitPicker(forms.Widget):
    """One unit, chosen by searching its name (htmx); the chosen unit stays a ticked radio
    button. The form field stays a `ModelChoiceField` on the same scope, so an id outside it is
    refused."""

    template_name = "accounts/_unit_picker.html"

    def __init__(self, scope: str, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.scope = scope

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return False

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        queryset = getattr(getattr(self, "choices", None), "queryset", None)
        chosen = []
        if str(value).isdigit() and queryset is not None:
            chosen = list(queryset.filter(pk=int(value)).select_related("parent"))
        context["picker"] = {
            "name": name,
            "id": (attrs or {}).get("id") or f"id_{name}",
            # The form field's error and help text, said on the search box as on any input.
            "invalid": (attrs or {}).get("aria-invalid") == "true",
            "describedby": (attrs or {}).get("aria-describedby", ""),
            "scope": self.scope,
            "required": self.is_required,
            "chosen": chosen,
            "results": [],
            "url": reverse("accounts:unit-search"),
        }
        return context


def use_unit_picker(field: forms.Field, scope: str) -> None:
    """Give a `ModelChoiceField` of units (its queryset already set) the searching widget."""
    assert isinstance(field, forms.ModelChoiceField)
    widget = UnitPicker(scope)
    widget.is_required = field.required
    widget.choices = field.choices  # type: ignore[attr-defined]
    field.widget = widget
