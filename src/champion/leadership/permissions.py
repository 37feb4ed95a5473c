"""Who sees which area on the Lead pages (see champion.core.permissions).

A person's area is the subtrees of the units where they are a leader, coach or admin. They
may narrow it to any unit inside it; a unit of their organisation outside it is refused (403),
a unit of another organisation or a made-up id does not exist for them (404), and a person who
oversees no unit has no Lead pages at all (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db.models import Q

from champion.accounts.models import OVERSIGHT_ROLES, Unit, UnitQuerySet
from champion.accounts.permissions import unit_for
from champion.accounts.picker import unit_picker
from champion.core.permissions import actions, get_for, require
from champion.leadership.models import Assessment


@dataclass(frozen=True)
class Area:
    """The units a Lead page is about: one chosen unit's subtree, or all of a person's roots."""

    user: Any  # the person looking
    roots: list[Unit]  # the top units the person oversees (none inside another)
    unit: Unit | None  # the unit chosen, or None for all the roots together

    @property
    def units(self) -> UnitQuerySet:
        """Every unit the person may choose (the subtrees of the roots): a queryset, read only
        where a page needs it (a whole system has over 500; pickers search them)."""
        return Unit.objects.overseen_by(self.user)

    def picker(self, *, required: bool = False) -> dict[str, Any]:
        """The unit picker of a Lead page's header (`accounts/_unit_picker.html`): searched
        as you type among the units the person oversees, the chosen one ticked; without
        `required`, "Any unit" stands for all the person's units."""
        chosen = self.unit.pk if self.unit else ""
        return unit_picker(self.user, "overseen", "unit", chosen, required=required)

    @property
    def tops(self) -> list[Unit]:
        """The units whose subtrees make up the area."""
        return [self.unit] if self.unit is not None else self.roots

    @property
    def name(self) -> str:
        return self.unit.name if self.unit is not None else "all your units"

    def within(self, field: str = "unit") -> Q:
        """A filter for rows whose `field` (a unit) lies in the area."""
        condition = Q(pk__in=[])
        for top in self.tops:
            condition |= Q(**{f"{field}__path__startswith": top.path})
        return condition


def oversight_roots(user: Any) -> list[Unit]:
    """The units where `user` leads, coaches or administers, leaving out those inside another."""
    units = sorted(user.units_with_roles(*OVERSIGHT_ROLES), key=lambda u: u.path)
    roots: list[Unit] = []
    for unit in units:
        if not any(unit.is_within(root) for root in roots):
            roots.append(unit)
    return roots


def area_for(user: Any, unit_pk: Any = None) -> Area:
    """The area `user` may look at, narrowed to `unit_pk` when given; 403/404 as above."""
    require(
        bool(getattr(user, "oversees_people", False)),
        "The Lead pages are for leaders, coaches and admins of a unit.",
    )
    roots = oversight_roots(user)
    unit = None
    if unit_pk not in (None, ""):
        unit = unit_for(user, unit_pk)  # 404 for another organisation's unit or a bad id
        require(
            any(unit.is_within(root) for root in roots),
            "That unit is outside the units you lead, coach or administer.",
        )
    elif len(roots) == 1:
        unit = roots[0]
    return Area(user=user, roots=roots, unit=unit)


AssessmentAction = Literal["view", "answer", "facilitate", "act"]


def assessment_for(user: Any, pk: Any, action: AssessmentAction = "view") -> Any:
    """A maturity round `user` may see (404 otherwise), checked for `action`:

    - "view": the facilitator, its participants, and those who oversee its unit;
    - "answer": its participants only;
    - "facilitate": its facilitator only (invite, close answering, agree, finish);
    - "act": its facilitator and those who lead, coach or administer its unit (or a unit
      above it): turn a gap into an action, a project or a learning assignment.
    """
    return get_for(
        user,
        Assessment.objects.select_related("unit", "facilitator"),
        pk,
        action=action,
        rules=ASSESSMENT_ACTIONS,
    )


ASSESSMENT_ACTIONS = actions(
    AssessmentAction,
    view=None,
    answer=lambda u, a: a.participants.filter(user=u).exists(),
    facilitate=lambda u, a: a.is_facilitator(u),
    act=lambda u, a: a.is_facilitator(u) or u.has_role_at(a.unit, *OVERSIGHT_ROLES),
)
