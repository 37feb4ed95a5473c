"""Who may do what to strategy objectives (see champion.core.permissions).

- **Set the organisation's strategy** (true north, breakthrough objectives): a leader or admin
  of the organisation's top unit, the executive team.
- **Decide** an annual goal (accept or return it in catchball): a leader or admin of a unit
  above the goal's unit (of the top unit itself, for a goal of the top unit). Coaches advise;
  they do not decide.
- **Change** an objective: for the organisation's levels, those who set the strategy; for an
  annual goal, those who may decide it, and, until it is accepted, its proposer, its owner and
  those who oversee its unit (what was agreed changes only with the level above).
- **Link** projects and the measure to an annual goal, and **comment**: whoever may change it,
  plus (once accepted) its owner and its unit's overseers, who carry it out.

`objective_for(user, pk, action)` is the one helper: 404 for what a person may not see
(`ObjectiveQuerySet.narrow`), 403 for an action they may not take.
"""

from __future__ import annotations

from typing import Any, Literal

from champion.accounts.models import OVERSIGHT_ROLES, Role, Unit
from champion.core.permissions import actions, get_for
from champion.leadership.strategy.models import ORGANISATION_LEVELS, GoalStatus, Objective

DECIDING_ROLES = (Role.LEADER, Role.ADMIN)


def sets_strategy(user: Any) -> bool:
    """A leader or admin of the organisation's top unit."""
    return any(u.parent_id is None for u in user.units_with_roles(*DECIDING_ROLES))


def decides_over(user: Any, unit: Unit) -> bool:
    """May `user` accept or return an annual goal of `unit`? A leader or admin above it (or of
    the top unit, for the top unit's own goals)."""
    for u in user.units_with_roles(*DECIDING_ROLES):
        if unit.is_within(u) and (u.pk != unit.pk or unit.parent_id is None):
            return True
    return False


def oversees(user: Any, unit: Unit) -> bool:
    return user.has_role_at(unit, *OVERSIGHT_ROLES)


def _is_organisation_level(o: Objective) -> bool:
    return o.level in ORGANISATION_LEVELS


def can_change(user: Any, o: Objective) -> bool:
    if _is_organisation_level(o):
        return sets_strategy(user)
    if decides_over(user, o.unit):
        return True
    if o.status == GoalStatus.ACCEPTED:
        return False
    return user.pk in (o.created_by_id, o.owner_id) or oversees(user, o.unit)


def can_take_part(user: Any, o: Objective) -> bool:
    """Link projects and the measure, comment: those who change it or carry it out."""
    if can_change(user, o):
        return True
    if _is_organisation_level(o):
        return False
    return user.pk in (o.created_by_id, o.owner_id) or oversees(user, o.unit)


def can_decide(user: Any, o: Objective) -> bool:
    return o.level not in ORGANISATION_LEVELS and decides_over(user, o.unit)


ObjectiveAction = Literal["view", "change", "take_part", "decide"]
OBJECTIVE_ACTIONS = actions(
    ObjectiveAction, view=None, change=can_change, take_part=can_take_part, decide=can_decide
)


def objective_for(user: Any, pk: Any, action: ObjectiveAction = "view") -> Objective:
    return get_for(
        user,
        Objective.objects.select_related("unit", "parent", "owner", "measure", "created_by"),
        pk,
        action=action,
        rules=OBJECTIVE_ACTIONS,
    )
