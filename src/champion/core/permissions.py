"""The one way views fetch objects: through the object type's visibility and a permission check.

Every object type offers `Model.objects.visible_to(user)` for lists and a helper in its
app's `permissions` module built on `get_for`, which returns the object or raises:

- 404 when the object does not exist *or the person may not see it* (outsiders learn
  nothing, not even that it exists);
- 403 when they may see it but not do `action` to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.http import Http404

M = TypeVar("M", bound=models.Model)


def get_for(
    user: Any,
    queryset: models.QuerySet[M],
    pk: Any,
    *,
    allowed: Callable[[Any, M], bool] | None = None,
) -> M:
    """Return the object `pk` from `queryset.visible_to(user)`, checking `allowed` if given."""
    try:
        obj = queryset.visible_to(user).get(pk=pk)  # type: ignore[attr-defined]
    except (ObjectDoesNotExist, ValueError, TypeError):
        raise Http404("Not found") from None
    if allowed is not None and not allowed(user, obj):
        raise PermissionDenied("You do not have permission to do that.")
    return obj


def require(condition: bool, message: str = "You do not have permission to see this page.") -> None:
    """Raise 403 unless `condition` holds (for pages that are about a role, not one object)."""
    if not condition:
        raise PermissionDenied(message)
