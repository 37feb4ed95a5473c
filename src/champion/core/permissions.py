"""The one way views fetch objects: through the object type's visibility and a permission check.

Every object type's queryset offers `visible_to(user)` for lists. Those of objects that
belong to an organisation derive from `OrgScopedQuerySet`, which holds the one
organisation guard: nobody sees anything of another organisation, and a visitor without
an organisation sees nothing at all. Each app's `permissions` module has a `*_for(user,
pk, action)` helper per object type, built on `get_for`, which returns the object or raises:

- 404 when the object does not exist *or the person may not see it* (outsiders learn
  nothing, not even that it exists);
- 403 when they may see it but not do `action` to it;
- `UnknownAction` (a programming error, so a 500 and a failing test) when `action` is not
  one of the helper's closed set of actions: a mistyped action never falls back to "view".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, ClassVar, Self, TypeVar, get_args

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)
_T = TypeVar("_T", bound=models.Model)

#: A rule for one action: may `user` do it to the object? None: seeing the object is enough.
Rule = Callable[[Any, Any], bool] | None


class UnknownAction(Exception):
    """A permission helper was asked about an action outside its closed set."""


def belongs_to_an_organisation(user: Any) -> bool:
    """True for a signed-in person of an organisation (the only people who see any data)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "organisation_id", None))


class OrgScopedQuerySet(models.QuerySet[_T]):
    """Rows that belong to one organisation, reached through `organisation_field`.

    `visible_to(user)` keeps the rows of the user's organisation (none for anyone without
    one) and then lets `narrow(user)` keep those this person may see within it. A subclass
    names the field path to its organisation and, when not everyone in the organisation
    sees every row, overrides `narrow`. With `organisation_field = None` the rows are
    shared by every organisation (the curriculum) and seen by any member of one.
    """

    organisation_field: ClassVar[str | None] = "organisation_id"

    def visible_to(self, user: Any) -> Self:
        if not belongs_to_an_organisation(user):
            return self.none()  # `narrow` may ask about roles: never for such a visitor
        return self.of_organisation(user).narrow(user)

    def of_organisation(self, user: Any) -> Self:
        """Every row of `user`'s organisation (none without one): the guard, before `narrow`."""
        if not belongs_to_an_organisation(user):
            return self.none()
        if self.organisation_field is None:
            return self
        return self.filter(**{self.organisation_field: user.organisation_id})

    def narrow(self, user: Any) -> Self:
        """The rows of `user`'s organisation that `user` may see (all of them unless overridden)."""
        return self


def actions(names: Any, **rules: Rule) -> Mapping[str, Rule]:
    """A helper's closed set of actions, checked against its `Literal` type when imported.

    `names` is the `Literal[...]` the helper's `action` parameter is typed with; `rules`
    gives each of them its rule. A name without a rule, or a rule without a name, is a
    mistake found at import time rather than a door left open.
    """
    declared = set(get_args(names))
    if declared != set(rules):
        raise UnknownAction(f"Actions {sorted(declared)} and rules {sorted(rules)} differ.")
    return MappingProxyType(rules)


VIEW_ONLY = MappingProxyType({"view": None})


def get_for(
    user: Any,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    action: str = "view",
    rules: Mapping[str, Rule] = VIEW_ONLY,
    lookup: str = "pk",
) -> M:
    """Return the object whose `lookup` is `pk` from `queryset.visible_to(user)`, allowed `action`.

    `rules` maps each action the object type knows to its rule; any other action raises
    `UnknownAction` before anything is fetched.
    """
    if action not in rules:
        raise UnknownAction(
            f"{action!r} is not an action on {queryset.model.__name__}: "
            f"use one of {', '.join(sorted(rules))}."
        )
    try:
        obj = queryset.visible_to(user).get(**{lookup: pk})  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
    allowed = rules[action]
    if allowed is not None and not allowed(user, obj):
        raise PermissionDenied("You do not have permission to do that.")
    return obj


def require(condition: bool, message: str = "You do not have permission to see this page.") -> None:
    """Raise 403 unless `condition` holds (for pages that are about a role, not one object)."""
    if not condition:
        raise PermissionDenied(message)
