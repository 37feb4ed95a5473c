"""Permission helpers for units and people (see champion.core.permissions)."""

from __future__ import annotations

from typing import Any

from champion.accounts.models import Role, Unit, User
from champion.core.permissions import get_for


def can_manage_unit(user: Any, unit: Unit) -> bool:
    """Admins of a unit, or of any unit above it, change its structure and its people."""
    return user.has_role_at(unit, Role.ADMIN)


def can_manage_person(user: Any, person: User) -> bool:
    return User.objects.managed_by(user).filter(pk=person.pk).exists()


def unit_for(user: Any, pk: Any, action: str = "view") -> Unit:
    return get_for(
        user, Unit.objects.all(), pk, allowed=can_manage_unit if action == "manage" else None
    )


def person_for(user: Any, pk: Any, action: str = "view") -> User:
    return get_for(
        user, User.objects.all(), pk, allowed=can_manage_person if action == "manage" else None
    )
