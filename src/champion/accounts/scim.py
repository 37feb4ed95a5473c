"""SCIM 2.0 provisioning (RFC 7643 resources, RFC 7644 protocol): Users and Groups.

An identity provider (Microsoft Entra ID, Okta...) creates, updates and deactivates the
people of ONE organisation, and their unit memberships, with a provisioning token an
admin of the organisation's top unit made (core.models.TokenScope.SCIM). Every change is
written as that admin, so the audit log shows it; see docs/deploy.md, "Provisioning
with SCIM".

The mapping:

- a SCIM User is a person: `userName` is their e-mail address (also `emails[0].value`),
  `name.givenName` and `name.familyName` their names (or `name.formatted` or
  `displayName`, split once), `name.honorificPrefix` their title ("Dr"), `title` their
  job title, `active` whether they may sign in. Deactivating keeps every record and
  signs the person out everywhere; DELETE deactivates too (records are never deleted by
  provisioning).
- a SCIM Group is a unit; its `members` are the people with a role there. Adding a member
  gives them the Member role (someone who already holds a role keeps it); removing one
  takes away only a Member role: leader, coach and admin roles are given and taken in
  PI Champion. A group the identity provider creates becomes a new unit under the top
  unit; deleting a group removes its Member roles and keeps the unit.

Anything this module does not support (other filters, sorting, bulk, other attributes) is
refused or ignored as RFC 7644 allows; ignored attributes are listed in docs/deploy.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, QuerySet

from champion.accounts.models import Membership, Organisation, Role, Unit, UnitKind, User
from champion.accounts.names import join_name, split_name
from champion.accounts.sessions import sign_out_everywhere
from champion.core.limits import SHORT

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
BASE_PATH = "/scim/v2"
DEFAULT_COUNT = 100
MAX_COUNT = 200


class ScimError(Exception):
    """An error answered in SCIM's format (RFC 7644 section 3.12)."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "schemas": [ERROR_SCHEMA],
            "status": str(self.status),
            "detail": self.detail,
        }
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def _location(kind: str, pk: int) -> str:
    return f"{settings.SITE_URL}{BASE_PATH}/{kind}/{pk}"


# ---------------------------------------------------------------------------------------
# Reading


def user_resource(user: User) -> dict[str, Any]:
    units = {m.unit for m in user.memberships.all()}  # prefetched by `people`
    return {
        "schemas": [USER_SCHEMA],
        "id": str(user.pk),
        "userName": user.email,
        "name": {
            "formatted": user.full_name,
            "givenName": user.given_name,
            "familyName": user.family_name,
            **({"honorificPrefix": user.title} if user.title else {}),
        },
        "displayName": user.full_name,
        "title": user.job_title,
        "emails": [{"value": user.email, "type": "work", "primary": True}],
        "active": user.is_active,
        "groups": [
            {"value": str(u.pk), "display": u.name, "$ref": _location("Groups", u.pk)}
            for u in sorted(units, key=lambda u: u.pk)
        ],
        "meta": {
            "resourceType": "User",
            "created": user.date_joined.isoformat(),
            "location": _location("Users", user.pk),
        },
    }


def group_resource(unit: Unit, members: bool = True) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": str(unit.pk),
        "displayName": unit.name,
        "meta": {
            "resourceType": "Group",
            "created": unit.created_at.isoformat(),
            "location": _location("Groups", unit.pk),
        },
    }
    if members:
        people = {m.user for m in unit.memberships.all()}  # prefetched by `units`
        resource["members"] = [
            {"value": str(p.pk), "display": p.full_name, "$ref": _location("Users", p.pk)}
            for p in sorted(people, key=lambda p: p.pk)
        ]
    return resource


def people(organisation: Organisation) -> QuerySet[User]:
    return (
        User.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("memberships", Membership.objects.select_related("unit")))
        .order_by("pk")
    )


def units(organisation: Organisation, members: bool = True) -> QuerySet[Unit]:
    found = Unit.objects.filter(organisation=organisation).order_by("pk")
    if members:
        found = found.prefetch_related(
            Prefetch("memberships", Membership.objects.select_related("user"))
        )
    return found


def get_user(organisation: Organisation, pk: str) -> User:
    found = people(organisation).filter(pk=_id(pk)).first()
    if found is None:
        raise ScimError(404, f"There is no User {pk}.")
    return found


def get_unit(organisation: Organisation, pk: str, members: bool = True) -> Unit:
    found = units(organisation, members).filter(pk=_id(pk)).first()
    if found is None:
        raise ScimError(404, f"There is no Group {pk}.")
    return found


def _id(pk: Any) -> int:
    try:
        value = int(str(pk))
    except ValueError:
        return -1
    return value if 0 < value < 2**62 else -1


_FILTER = re.compile(r'^\s*(\w+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def parse_filter(text: str, allowed: dict[str, str]) -> tuple[str, str] | None:
    """`attribute eq "value"` for one of `allowed` (SCIM name, lower case -> field);
    None for no filter; anything else is refused."""
    if not text:
        return None
    match = _FILTER.match(text)
    if not match or match.group(1).lower() not in allowed:
        names = " or ".join(f'{a} eq "..."' for a in allowed)
        raise ScimError(400, f"Only the filter {names} is supported.", "invalidFilter")
    value = re.sub(r"\\(.)", r"\1", match.group(2))
    return allowed[match.group(1).lower()], value


def page(query: QuerySet[Any], params: Any) -> tuple[list[Any], int, int]:
    """The page asked for with `startIndex` (from 1) and `count`: items, total, start."""
    try:
        start = max(int(params.get("startIndex") or 1), 1)
        count = min(max(int(params.get("count") or DEFAULT_COUNT), 0), MAX_COUNT)
    except ValueError:
        raise ScimError(
            400, "startIndex and count must be whole numbers.", "invalidValue"
        ) from None
    total = query.count()
    return list(query[start - 1 : start - 1 + count]), total, start


def list_response(resources: list[dict[str, Any]], total: int, start: int) -> dict[str, Any]:
    return {
        "schemas": [LIST_SCHEMA],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": len(resources),
        "Resources": resources,
    }


# ---------------------------------------------------------------------------------------
# Writing people


def _text(value: Any, what: str, limit: int = SHORT) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ScimError(400, f"{what} must be a string.", "invalidValue")
    value = value.strip()
    if len(value) > limit:
        raise ScimError(
            400, f"{what} is {len(value)} characters long; at most {limit} fit.", "invalidValue"
        )
    return value


def _bool(value: Any) -> bool:
    # Entra ID sends "True"/"False" as strings in PATCH operations.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ScimError(400, "active must be true or false.", "invalidValue")


def _email(value: Any) -> str:
    email = _text(value, "userName", 254).lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ScimError(400, "userName must be an e-mail address.", "invalidValue") from None
    return email


def _set_name(user: User, data: dict[str, Any]) -> None:
    """The name from `name` (given and family names, or formatted as one string, and an
    honorific) or `displayName`; parts not sent are kept."""
    name = data.get("name")
    if name is not None and not isinstance(name, dict):
        raise ScimError(400, "name must be an object.", "invalidValue")
    name = name or {}
    if name.get("givenName") or name.get("familyName"):
        if name.get("givenName"):
            user.given_name = _text(name["givenName"], "name.givenName", 100)
        if name.get("familyName"):
            user.family_name = _text(name["familyName"], "name.familyName", 100)
    elif name.get("formatted") or data.get("displayName"):
        text = _text(name.get("formatted") or data.get("displayName"), "name")
        title, given, family = split_name(text)
        user.given_name, user.family_name = _text(given, "name", 100), _text(family, "name", 100)
        user.title = _text(title, "name.honorificPrefix", 30) or user.title
    if name.get("honorificPrefix") is not None:
        user.title = _text(name["honorificPrefix"], "name.honorificPrefix", 30)
    user.full_name = join_name(user.given_name, user.family_name) or user.full_name


def _check_address_free(email: str, user: User | None) -> None:
    clash = User.objects.filter(email=email)
    if user is not None:
        clash = clash.exclude(pk=user.pk)
    if clash.exists():
        # The same words whether the address is this organisation's or another's.
        raise ScimError(409, "This userName is already in use.", "uniqueness")


def _set_active(user: User, active: bool) -> None:
    user.is_active = active
    if not active:
        sign_out_everywhere(user)  # in the transaction: undone with it


@transaction.atomic
def create_user(organisation: Organisation, data: dict[str, Any]) -> User:
    email = _email(data.get("userName"))
    _check_address_free(email, None)
    user = User(
        email=email,
        job_title=_text(data.get("title"), "title"),
        organisation=organisation,
        is_active=_bool(data.get("active", True)),
    )
    _set_name(user, data)
    user.full_name = user.full_name or email.split("@")[0]
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def replace_user(user: User, data: dict[str, Any]) -> User:
    """PUT: the resource as sent (attributes not sent are cleared, except the name)."""
    email = _email(data.get("userName"))
    _check_address_free(email, user)
    user.email = email
    _set_name(user, data)
    user.job_title = _text(data.get("title"), "title")
    _set_active(user, _bool(data.get("active", True)))
    user.save()
    return user


#: PATCH paths on a User this module applies (lower case); others are ignored.
_USER_PATHS = {
    "active",
    "username",
    "displayname",
    "title",
    "name.formatted",
    "name.givenname",
    "name.familyname",
    "name.honorificprefix",
    'emails[type eq "work"].value',
}


def _operations(data: dict[str, Any]) -> list[dict[str, Any]]:
    if PATCH_SCHEMA not in (data.get("schemas") or []):
        raise ScimError(400, f"A PATCH names the schema {PATCH_SCHEMA}.", "invalidSyntax")
    operations = data.get("Operations")
    if not isinstance(operations, list) or not operations:
        raise ScimError(400, "A PATCH has a list of Operations.", "invalidSyntax")
    for op in operations:
        if not isinstance(op, dict) or str(op.get("op", "")).lower() not in (
            "add",
            "replace",
            "remove",
        ):
            raise ScimError(400, "Each operation's op is add, replace or remove.", "invalidSyntax")
    return operations


@transaction.atomic
def patch_user(user: User, data: dict[str, Any]) -> User:
    for op in _operations(data):
        kind, path, value = str(op["op"]).lower(), str(op.get("path") or ""), op.get("value")
        if kind == "remove":
            if path.lower() == "title":
                user.job_title = ""
            continue  # other attributes cannot be removed (a person keeps a name and address)
        changes = {path: value} if path else value
        if not isinstance(changes, dict):
            raise ScimError(400, "An operation without a path has an object value.", "invalidValue")
        for key, item in changes.items():
            _apply_user_attribute(user, key, item)
    user.save()
    return user


def _apply_user_attribute(user: User, key: str, value: Any) -> None:
    name = key.lower()
    if name == "name" and isinstance(value, dict):
        _set_name(user, {"name": value})
        return
    if name not in _USER_PATHS:
        return  # an attribute PI Champion does not keep (listed in docs/deploy.md)
    if name == "active":
        _set_active(user, _bool(value))
    elif name in ("username", 'emails[type eq "work"].value'):
        email = _email(value)
        _check_address_free(email, user)
        user.email = email
    elif name == "title":
        user.job_title = _text(value, "title")
    elif name == "displayname" or name == "name.formatted":
        _set_name(user, {"name": {"formatted": value}})
    elif name == "name.honorificprefix":
        _set_name(user, {"name": {"honorificPrefix": value}})
    else:
        part = "givenName" if name == "name.givenname" else "familyName"
        _set_name(user, {"name": {part: value}})


@transaction.atomic
def deactivate(user: User) -> None:
    _set_active(user, False)
    user.save()


# ---------------------------------------------------------------------------------------
# Writing units (groups) and memberships


def _member_ids(organisation: Organisation, value: Any) -> set[int]:
    if not isinstance(value, list):
        value = [value]
    ids = set()
    for item in value:
        if not isinstance(item, dict) or "value" not in item:
            raise ScimError(400, 'Each member is an object with a "value".', "invalidValue")
        ids.add(_id(item["value"]))
    known = set(
        User.objects.filter(organisation=organisation, pk__in=ids).values_list("pk", flat=True)
    )
    if ids - known:
        raise ScimError(400, "A member is not a User of this organisation.", "invalidValue")
    return known


def add_members(unit: Unit, ids: Iterable[int]) -> None:
    having = set(Membership.objects.filter(unit=unit).values_list("user_id", flat=True))
    for pk in sorted(set(ids) - having):
        Membership.objects.create(user_id=pk, unit=unit, role=Role.MEMBER)


def remove_members(unit: Unit, ids: Iterable[int] | None) -> None:
    """Take away Member roles in `unit` (of `ids`, or of everyone): one by one, audited."""
    roles = Membership.objects.filter(unit=unit, role=Role.MEMBER)
    if ids is not None:
        roles = roles.filter(user_id__in=list(ids))
    for membership in roles.select_related("unit", "user"):
        membership.delete()


def _unit_name(organisation: Organisation, value: Any, unit: Unit | None) -> str:
    name = _text(value, "displayName")
    if not name or ">" in name:
        raise ScimError(400, "displayName is required and cannot contain '>'.", "invalidValue")
    parent = unit.parent if unit is not None else organisation.root_unit
    siblings = Unit.objects.filter(organisation=organisation, parent=parent, name__iexact=name)
    if unit is not None:
        siblings = siblings.exclude(pk=unit.pk)
    if siblings.exists():
        raise ScimError(409, "A unit with this displayName already exists there.", "uniqueness")
    return name


@transaction.atomic
def create_group(organisation: Organisation, data: dict[str, Any]) -> Unit:
    root = organisation.root_unit
    if root is None:
        raise ScimError(409, "The organisation has no top unit to add units under.")
    unit = Unit(
        organisation=organisation,
        parent=root,
        name=_unit_name(organisation, data.get("displayName"), None),
        kind=UnitKind.TEAM,
    )
    unit.save()
    if data.get("members"):
        add_members(unit, _member_ids(organisation, data["members"]))
    return unit


@transaction.atomic
def replace_group(organisation: Organisation, unit: Unit, data: dict[str, Any]) -> Unit:
    if data.get("displayName") and data["displayName"] != unit.name:
        unit.name = _unit_name(organisation, data["displayName"], unit)
        unit.save()
    wanted = _member_ids(organisation, data.get("members") or [])
    current = set(Membership.objects.filter(unit=unit).values_list("user_id", flat=True))
    remove_members(unit, current - wanted)
    add_members(unit, wanted)
    return unit


_MEMBER_FILTER = re.compile(r'^members\[\s*value\s+eq\s+"([^"]*)"\s*\]$', re.IGNORECASE)


@transaction.atomic
def patch_group(organisation: Organisation, unit: Unit, data: dict[str, Any]) -> Unit:
    for op in _operations(data):
        kind, path, value = str(op["op"]).lower(), str(op.get("path") or ""), op.get("value")
        single = _MEMBER_FILTER.match(path)
        if kind == "remove" and single:
            remove_members(unit, {_id(single.group(1))})
        elif path.lower() == "members":
            ids = _member_ids(organisation, value or [])
            if kind == "add":
                add_members(unit, ids)
            elif kind == "remove":
                remove_members(unit, ids if value else None)
            else:
                current = set(
                    Membership.objects.filter(unit=unit).values_list("user_id", flat=True)
                )
                remove_members(unit, current - ids)
                add_members(unit, ids)
        elif path.lower() == "displayname":
            _rename(organisation, unit, value)
        elif not path and isinstance(value, dict):
            # Okta's spelling: no path, the attributes in an object.
            _rename(organisation, unit, value.get("displayName"))
            if "members" in value:
                member_op = {"op": kind, "path": "members", "value": value["members"]}
                patch_group(
                    organisation, unit, {"schemas": [PATCH_SCHEMA], "Operations": [member_op]}
                )
        elif kind != "remove" and path and path.lower() not in ("externalid",):
            raise ScimError(400, f"Groups cannot change {path!r}.", "invalidPath")
    return unit


def _rename(organisation: Organisation, unit: Unit, name: Any) -> None:
    if name and name != unit.name:
        unit.name = _unit_name(organisation, name, unit)
        unit.save()


@transaction.atomic
def delete_group(unit: Unit) -> None:
    """Provisioning stops managing the unit: its Member roles go, the unit stays."""
    remove_members(unit, None)
