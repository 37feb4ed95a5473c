"""Rules about people, defined once: who leads a unit, and which unit is a person's home.

The measure board, Improve, ideas and notifications all ask these questions; they ask
them here, so a ward without a leader of its own is answered the same way everywhere.
"""

from __future__ import annotations

from typing import Any

from champion.accounts.models import Membership, Role, Unit, User


def leaders_of(unit: Unit) -> list[User]:
    """The people who lead `unit`: its own active leaders, or, when it has none, the
    nearest active leaders above it (its parent's, else its grandparent's...). Empty
    only when no unit on the way up to the root has an active leader."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    by_unit: dict[int, list[User]] = {}
    for m in (
        Membership.objects.filter(unit_id__in=ids, role=Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__email")
    ):
        by_unit.setdefault(m.unit_id, []).append(m.user)
    for unit_id in reversed(ids):
        if by_unit.get(unit_id):
            return by_unit[unit_id]
    return []


def home_unit(person: Any) -> Unit | None:
    """The unit a person works in: the deepest unit where they hold any role (the first in
    the tree's order when two are as deep), or None for someone with no role anywhere."""
    if not getattr(person, "is_authenticated", False):
        return None
    units = person.units_with_roles(*Role.values)  # in the tree's order
    if not units:
        return None
    deepest = max(u.depth for u in units)
    return next(u for u in units if u.depth == deepest)
