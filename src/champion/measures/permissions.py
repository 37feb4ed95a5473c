"""Permission helpers for measures (see champion.core.permissions)."""

from __future__ import annotations

from typing import Any, Literal

from champion.accounts.models import OVERSIGHT_ROLES, Role
from champion.core.permissions import actions, get_for
from champion.measures.models import (
    Annotation,
    DataImport,
    Exclusion,
    Measure,
    Phase,
    SharedDefinition,
)


def can_change_measure(user: Any, measure: Measure) -> bool:
    """The unit's own members, and leaders, coaches and admins of the unit or any unit above."""
    unit = measure.unit
    if user.has_role_at(unit, *OVERSIGHT_ROLES):
        return True
    return any(u.pk == unit.pk for u in user.units_with_roles(Role.MEMBER))


MeasureAction = Literal["view", "change"]
MEASURE_ACTIONS = actions(MeasureAction, view=None, change=can_change_measure)


def measure_for(user: Any, pk: Any, action: MeasureAction = "view") -> Measure:
    """The measure, or 404 for people outside its organisation, or 403 when they may not change it."""
    return get_for(
        user, Measure.objects.select_related("unit"), pk, action=action, rules=MEASURE_ACTIONS
    )


MeasurePartAction = Literal["change"]
MEASURE_PART_ACTIONS = actions(
    MeasurePartAction, change=lambda user, imp: can_change_measure(user, imp.measure)
)


def import_for(
    user: Any, measure: Measure, pk: Any, action: MeasurePartAction = "change"
) -> DataImport:
    """An upload of `measure` (404 if it is another measure's), for those who change the measure."""
    return get_for(
        user,
        DataImport.objects.filter(measure=measure).select_related("measure__unit"),
        pk,
        action=action,
        rules=MEASURE_PART_ACTIONS,
    )


#: The chart settings a measure's page adds and removes, by the name in their URLs.
SETTINGS = {"annotate": Annotation, "phase": Phase, "exclude": Exclusion}


def setting_for(
    user: Any, measure: Measure, kind: str, pk: Any, action: MeasurePartAction = "change"
) -> Annotation | Phase | Exclusion:
    """A note, phase or exclusion of `measure` (404 for another measure's, or an unknown kind)."""
    model = SETTINGS.get(kind)
    rows = model.objects.filter(measure=measure) if model else Annotation.objects.none()
    return get_for(
        user,
        rows.select_related("measure__unit"),
        pk,
        action=action,
        rules=MEASURE_PART_ACTIONS,
    )


SharedAction = Literal["view"]
SHARED_ACTIONS = actions(SharedAction, view=None)


def shared_for(user: Any, pk: Any, action: SharedAction = "view") -> SharedDefinition:
    """A shared definition of the person's organisation (404 for anyone else)."""
    return get_for(user, SharedDefinition.objects.all(), pk, action=action, rules=SHARED_ACTIONS)
