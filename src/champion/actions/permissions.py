"""Who may see and change an action (see champion.core.permissions), and where one may be made.

An action is seen and changed by its owner, its creator and the leaders, coaches and admins
of its unit or of a unit above it. Anyone else gets 404, colleagues of the same ward included:
an action can name a person's shortcomings, so it is not shared more widely than it must be.
"""

from __future__ import annotations

from typing import Any, Literal

from django.db.models import Q

from champion.accounts.models import OVERSIGHT_ROLES, Role, Unit
from champion.actions.models import Action
from champion.core.permissions import actions, get_for

ActionAction = Literal["view", "change"]


def may_change(user: Any, action: Action) -> bool:
    return (
        action.owner_id == user.pk
        or action.created_by_id == user.pk
        or user.has_role_at(action.unit, *OVERSIGHT_ROLES)
    )


ACTION_ACTIONS = actions(ActionAction, view=None, change=may_change)


def action_for(user: Any, pk: Any, action: ActionAction = "view") -> Action:
    """An action `user` may see (404 otherwise), checked for `action`:

    - "view": owner, creator, overseers of its unit;
    - "change": the same people (edit, complete, reopen).
    """
    return get_for(
        user,
        Action.objects.select_related("unit", "owner", "created_by"),
        pk,
        action=action,
        rules=ACTION_ACTIONS,
    )


def creatable_units(user: Any) -> Any:
    """Units where `user` may make an action: every unit they oversee (whole subtrees) and
    each unit where they hold any role (a nurse makes one for their own ward)."""
    mine = [u.pk for u in user.units_with_roles(*Role.values)]
    return (
        Unit.objects.visible_to(user)
        .filter(Q(pk__in=mine) | Q(pk__in=Unit.objects.overseen_by(user).values("pk")))
        .order_by("path")
    )
