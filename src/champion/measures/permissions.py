"""Permission helpers for measures (see champion.core.permissions)."""

from __future__ import annotations

from typing import Any

from champion.accounts.models import OVERSIGHT_ROLES, Role
from champion.core.permissions import get_for
from champion.measures.models import DataImport, Measure


def can_change_measure(user: Any, measure: Measure) -> bool:
    """The unit's own members, and leaders, coaches and admins of the unit or any unit above."""
    unit = measure.unit
    if user.has_role_at(unit, *OVERSIGHT_ROLES):
        return True
    return any(u.pk == unit.pk for u in user.units_with_roles(Role.MEMBER))


def measure_for(user: Any, pk: Any, action: str = "view") -> Measure:
    """The measure, or 404 for people outside its organisation, or 403 when they may not change it."""
    return get_for(
        user,
        Measure.objects.select_related("unit"),
        pk,
        allowed=can_change_measure if action == "change" else None,
    )


def import_for(user: Any, measure: Measure, pk: Any) -> DataImport:
    """An upload of `measure` (already checked for change), or 404."""
    from django.http import Http404

    found = DataImport.objects.filter(measure=measure, pk=pk).first() if str(pk).isdigit() else None
    if found is None:
        raise Http404("Not found")
    return found
