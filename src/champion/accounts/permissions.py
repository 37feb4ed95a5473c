"""Permission helpers for units, people, roles and staff lists (see champion.core.permissions)."""

from __future__ import annotations

from typing import Any, Literal

from champion.accounts.models import Membership, Role, StaffImport, Unit, User
from champion.core.models import ApiToken
from champion.core.permissions import actions, get_for


def can_manage_unit(user: Any, unit: Unit) -> bool:
    """Admins of a unit, or of any unit above it, change its structure and its people."""
    return user.has_role_at(unit, Role.ADMIN)


def can_manage_person(user: Any, person: User) -> bool:
    return User.objects.managed_by(user).filter(pk=person.pk).exists()


UnitAction = Literal["view", "manage"]
UNIT_ACTIONS = actions(UnitAction, view=None, manage=can_manage_unit)


def unit_for(user: Any, pk: Any, action: UnitAction = "view") -> Unit:
    return get_for(user, Unit.objects.all(), pk, action=action, rules=UNIT_ACTIONS)


PersonAction = Literal["view", "manage"]
PERSON_ACTIONS = actions(PersonAction, view=None, manage=can_manage_person)


def person_for(user: Any, pk: Any, action: PersonAction = "view") -> User:
    return get_for(user, User.objects.all(), pk, action=action, rules=PERSON_ACTIONS)


MembershipAction = Literal["manage"]
MEMBERSHIP_ACTIONS = actions(MembershipAction, manage=lambda user, m: can_manage_unit(user, m.unit))


def membership_for(user: Any, pk: Any, action: MembershipAction = "manage") -> Membership:
    """A role of a person `user` sees (404 otherwise), changed by the admins of its unit (403)."""
    return get_for(
        user,
        Membership.objects.select_related("unit", "user"),
        pk,
        action=action,
        rules=MEMBERSHIP_ACTIONS,
    )


StaffImportAction = Literal["apply"]
STAFF_IMPORT_ACTIONS = actions(StaffImportAction, apply=lambda user, _: user.is_admin)


def staff_import_for(user: Any, pk: Any, action: StaffImportAction = "apply") -> StaffImport:
    """A staff list the admin `user` uploaded (404 for anyone else's), while they are an admin."""
    return get_for(user, StaffImport.objects.all(), pk, action=action, rules=STAFF_IMPORT_ACTIONS)


ProvisioningTokenAction = Literal["revoke"]
PROVISIONING_TOKEN_ACTIONS = actions(
    ProvisioningTokenAction, revoke=lambda user, token: user.is_org_admin
)


def provisioning_token_for(
    user: Any, pk: Any, action: ProvisioningTokenAction = "revoke"
) -> ApiToken:
    """An organisation's SCIM token: revoked by any admin of its top unit."""
    return get_for(
        user, ApiToken.provisioning.all(), pk, action=action, rules=PROVISIONING_TOKEN_ACTIONS
    )
