"""Shared fixtures: a small organisation and the personas every permission test uses.

Testshire Health
├── North Hospital
│   ├── Ward A   (member, leader)
│   └── Ward B
└── South Hospital
    └── Ward C   (leader_elsewhere)
coach: coach of North Hospital; admin: admin of Testshire Health (the root).
outsider: admin of another organisation, Elsewhere Care.
"""

from __future__ import annotations

import functools
from types import SimpleNamespace

import pytest
from django.contrib.auth.hashers import make_password

from champion.accounts.models import Membership, Organisation, Role, Unit, UnitKind, User

PASSWORD = "correct-horse-battery-staple"


@functools.cache
def password_hash() -> str:
    """One real argon2 hash of PASSWORD, reused: hashing is deliberately slow."""
    return make_password(PASSWORD)


def make_person(
    email: str, org: Organisation, unit: Unit | None = None, role: str = Role.MEMBER, name: str = ""
) -> User:
    user = User(
        email=email,
        full_name=name or email.split("@")[0].title(),
        organisation=org,
        password=password_hash(),
    )
    user.save()
    if unit is not None:
        Membership.objects.create(user=user, unit=unit, role=role)
    return user


@pytest.fixture
def world(db) -> SimpleNamespace:
    org = Organisation.objects.create(name="Testshire Health")
    root = Unit.objects.create(organisation=org, name="Testshire Health", kind=UnitKind.SYSTEM)
    north = Unit.objects.create(
        organisation=org, parent=root, name="North Hospital", kind=UnitKind.HOSPITAL
    )
    south = Unit.objects.create(
        organisation=org, parent=root, name="South Hospital", kind=UnitKind.HOSPITAL
    )
    ward_a = Unit.objects.create(organisation=org, parent=north, name="Ward A", kind=UnitKind.WARD)
    ward_b = Unit.objects.create(organisation=org, parent=north, name="Ward B", kind=UnitKind.WARD)
    ward_c = Unit.objects.create(organisation=org, parent=south, name="Ward C", kind=UnitKind.WARD)
    other = Organisation.objects.create(name="Elsewhere Care")
    other_root = Unit.objects.create(
        organisation=other, name="Elsewhere Care", kind=UnitKind.SYSTEM
    )
    other_ward = Unit.objects.create(
        organisation=other, parent=other_root, name="Ward Z", kind=UnitKind.WARD
    )
    w = SimpleNamespace(
        org=org, root=root, north=north, south=south, ward_a=ward_a, ward_b=ward_b, ward_c=ward_c,
        other=other, other_root=other_root, other_ward=other_ward,
    )  # fmt: skip
    w.member = make_person("member@test.example", org, ward_a, Role.MEMBER, "Mia Member")
    w.colleague = make_person("colleague@test.example", org, ward_b, Role.MEMBER, "Cal Colleague")
    w.leader = make_person("leader@test.example", org, ward_a, Role.LEADER, "Lee Leader")
    w.leader_elsewhere = make_person(
        "elsewhere@test.example", org, ward_c, Role.LEADER, "Eli Elsewhere"
    )
    w.coach = make_person("coach@test.example", org, north, Role.COACH, "Coco Coach")
    w.admin = make_person("admin@test.example", org, root, Role.ADMIN, "Ada Admin")
    w.outsider = make_person(
        "outsider@other.example", other, other_root, Role.ADMIN, "Otto Outsider"
    )
    w.outsider_member = make_person("z@other.example", other, other_ward, Role.MEMBER, "Zed Other")
    return w


@pytest.fixture
def client_for(client):
    """`client_for(user)` returns the test client signed in as `user`."""

    def sign_in(user: User):
        client.force_login(user)
        return client

    return sign_in
