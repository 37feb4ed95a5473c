"""Permission helpers for measures (see champion.core.permissions)."""

from __future__ import annotations

from typing import Any, Literal

from champion.accounts.models import OVERSIGHT_ROLES, Role
from champion.core.permissions import actions, get_for
from champion.measures.models import Annotation, DataImport, Exclusion, Measure, Phase


def can_change_measure(user: Any, measure: Measure) -> bool:
    """Govern the measure: its definition, baseline, phases, exclusions, deleting it.

    Its owners, and leaders, coaches and admins of its unit or any unit above. Governance
    data (what a board reads) changes only in the hands of the people answerable for it."""
    if user.has_role_at(measure.unit, *OVERSIGHT_ROLES):
        return True
    return measure.owners.filter(pk=user.pk).exists()


def can_enter_data(user: Any, measure: Measure) -> bool:
    """Enter and upload data, and add notes to the chart: the unit's own members as well
    as everyone who governs the measure."""
    if any(u.pk == measure.unit_id for u in user.units_with_roles(Role.MEMBER)):
        return True
    return can_change_measure(user, measure)


MeasureAction = Literal["view", "enter", "change"]
MEASURE_ACTIONS = actions(MeasureAction, view=None, enter=can_enter_data, change=can_change_measure)


def measure_for(user: Any, pk: Any, action: MeasureAction = "view") -> Measure:
    """The measure, or 404 for people outside its organisation, or 403 when they may not change it."""
    return get_for(
        user, Measure.objects.select_related("unit"), pk, action=action, rules=MEASURE_ACTIONS
    )


MeasurePartAction = Literal["change"]
IMPORT_ACTIONS = actions(
    MeasurePartAction, change=lambda user, imp: can_enter_data(user, imp.measure)
)


def _may_remove(user: Any, item: Annotation | Phase | Exclusion) -> bool:
    """Phases and exclusions by those who govern the measure; a note also by its author."""
    if can_change_measure(user, item.measure):
        return True
    return isinstance(item, Annotation) and item.created_by_id == user.pk


SETTING_ACTIONS = actions(MeasurePartAction, change=_may_remove)


def import_for(
    user: Any, measure: Measure, pk: Any, action: MeasurePartAction = "change"
) -> DataImport:
    """An upload of `measure` (404 if it is another measure's), for those who enter its data."""
    return get_for(
        user,
        DataImport.objects.filter(measure=measure).select_related("measure__unit"),
        pk,
        action=action,
        rules=IMPORT_ACTIONS,
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
        rules=SETTING_ACTIONS,
    )
