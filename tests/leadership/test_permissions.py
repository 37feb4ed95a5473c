"""Who sees the Lead section, and which area: a leader their subtree, nobody else anything."""

from __future__ import annotations

import pytest
from django.urls import reverse

from champion.accounts.models import Role
from tests.conftest import make_person

URL = reverse("leadership:overview")


def get(client, **params):
    return client.get(URL, params)


def test_a_member_has_no_lead_section(client_for, lead_world):
    client = client_for(lead_world.member)
    assert get(client).status_code == 403
    assert get(client, unit=lead_world.ward_a.pk).status_code == 403
    assert f'href="{URL}"' not in client.get(reverse("home:home")).content.decode()


def test_a_ward_leader_sees_only_their_ward(client_for, lead_world):
    w = lead_world
    client = client_for(w.leader)
    page = get(client).content.decode()
    assert "<h1>Ward A</h1>" in page
    assert "Healthy project" in page and "Falls on Ward A" in page
    assert "Stalled project" not in page and "Calm on Ward B" not in page  # Ward B is not theirs
    # Narrowing to a unit above or beside theirs is refused; their own unit is fine.
    assert get(client, unit=w.north.pk).status_code == 403
    assert get(client, unit=w.ward_b.pk).status_code == 403
    assert get(client, unit=w.ward_a.pk).status_code == 200


def test_the_organisations_admin_sees_every_unit_and_narrows_to_any(client_for, lead_world):
    w = lead_world
    client = client_for(w.admin)
    page = get(client).content.decode()
    assert "<h1>Testshire Health</h1>" in page
    assert "South project" in page and "Stalled project" in page
    south = get(client, unit=w.south.pk).content.decode()
    assert "South project" in south and "Stalled project" not in south


def test_a_leader_of_two_areas_sees_both_and_can_pick_either(client_for, lead_world):
    w = lead_world
    both = make_person("two@test.example", w.org, w.ward_b, Role.LEADER, "Tess Two")
    both.memberships.create(unit=w.ward_c, role=Role.LEADER)
    client = client_for(both)
    page = get(client).content.decode()
    assert "<h1>All your units</h1>" in page
    assert "Stalled project" in page and "South project" in page and "Healthy project" not in page
    assert "Stalled project" not in get(client, unit=w.ward_c.pk).content.decode()


def test_another_organisation_sees_nothing(client_for, lead_world):
    w = lead_world
    client = client_for(w.outsider)  # admin of Elsewhere Care
    assert get(client, unit=w.north.pk).status_code == 404
    assert get(client, unit=w.ward_a.pk).status_code == 404
    page = get(client).content.decode()
    assert "<h1>Elsewhere Care</h1>" in page
    for name in ("Testshire", "Ward A", "Healthy project", "Falls on Ward A", "Late idea", "Mia"):
        assert name not in page


@pytest.mark.parametrize("bad", ["abc", "999999", "1.5", "-1"])
def test_a_bad_unit_is_not_found(client_for, lead_world, bad):
    assert get(client_for(lead_world.admin), unit=bad).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, lead_world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/sign-in/" in response.url


def test_lead_is_in_the_menu_for_those_who_oversee_people_and_marks_the_people_list(
    client_for, lead_world
):
    client = client_for(lead_world.coach)
    home = client.get(reverse("home:home")).content.decode()
    assert f'<a href="{URL}" >Lead</a>' in home or f'<a href="{URL}">Lead</a>' in home
    people = client.get(reverse("accounts:people")).content.decode()
    assert f'<a href="{URL}" aria-current="page">Lead</a>' in people
    assert 'aria-label="Lead"' in people  # the section's own links, with People current
    assert f'href="{reverse("accounts:people")}" aria-current="page">People</a>' in people
