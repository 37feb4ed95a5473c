"""Rules about people, defined once in champion.accounts.people: who leads a unit, a person's home unit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from champion.accounts.models import Membership, Role, Unit, UnitKind, User
from champion.accounts.people import home_unit, leaders_of

from ..conftest import make_person

pytestmark = pytest.mark.django_db


def test_a_unit_with_leaders_is_led_by_them_alone(world):
    Membership.objects.create(user=world.leader_elsewhere, unit=world.north, role=Role.LEADER)
    assert leaders_of(world.ward_a) == [world.leader]


def test_a_unit_without_a_leader_is_led_by_the_nearest_leaders_above(world):
    assert leaders_of(world.ward_b) == []  # a coach above is not a leader, nor an admin
    Membership.objects.create(user=world.leader_elsewhere, unit=world.root, role=Role.LEADER)
    assert leaders_of(world.ward_b) == [world.leader_elsewhere]  # from the root, two up
    second = make_person("second@test.example", world.org, world.north, Role.LEADER, "Ann Second")
    assert leaders_of(world.ward_b) == [second]  # the nearest level wins
    deep = Unit.objects.create(
        organisation=world.org, parent=world.ward_b, name="Bay 1", kind=UnitKind.TEAM
    )
    assert leaders_of(deep) == [second]


def test_inactive_leaders_lead_nobody(world):
    Membership.objects.create(user=world.leader_elsewhere, unit=world.north, role=Role.LEADER)
    world.leader.is_active = False
    world.leader.save()
    assert leaders_of(world.ward_a) == [world.leader_elsewhere]


def test_the_home_unit_is_the_deepest_unit_a_person_has_a_role_in(world):
    assert home_unit(world.member) == world.ward_a
    assert home_unit(world.coach) == world.north
    Membership.objects.create(user=world.coach, unit=world.ward_b, role=Role.MEMBER)
    assert (
        home_unit(User.objects.get(pk=world.coach.pk)) == world.ward_b
    )  # roles cached per instance
    Membership.objects.create(user=world.admin, unit=world.ward_c, role=Role.MEMBER)
    Membership.objects.create(user=world.admin, unit=world.ward_a, role=Role.MEMBER)
    first_in_tree = min(world.ward_a, world.ward_c, key=lambda u: u.path)
    assert home_unit(User.objects.get(pk=world.admin.pk)) == first_in_tree  # as deep: tree order


def test_nobody_without_a_role_has_a_home_unit(world):
    loner = make_person("loner@test.example", world.org)
    assert home_unit(loner) is None
    assert home_unit(AnonymousUser()) is None
