"""The unit tree: paths, subtrees, moves, names, and who may change it."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from champion.accounts.models import Unit, UnitKind
from tests.scale import queries


def test_paths_describe_the_tree(world):
    assert world.ward_a.path == f"/{world.root.pk}/{world.north.pk}/{world.ward_a.pk}/"
    assert world.ward_a.depth == 2
    assert world.ward_a.full_path == "Testshire Health > North Hospital > Ward A"
    assert world.ward_a.is_within(world.north) and not world.ward_a.is_within(world.south)


def test_subtree_of_a_hospital_is_its_wards_and_itself(world):
    names = set(Unit.objects.subtree_of([world.north]).values_list("name", flat=True))
    assert names == {"North Hospital", "Ward A", "Ward B"}


def test_moving_a_unit_moves_its_descendants(world):
    bay = Unit.objects.create(
        organisation=world.org, parent=world.ward_a, name="Bay 1", kind=UnitKind.TEAM
    )
    world.ward_a.parent = world.south
    world.ward_a.save()
    bay.refresh_from_db()
    assert bay.path == f"/{world.root.pk}/{world.south.pk}/{world.ward_a.pk}/{bay.pk}/"
    assert bay.depth == 3
    assert set(Unit.objects.subtree_of([world.north]).values_list("name", flat=True)) == {
        "North Hospital",
        "Ward B",
    }


def test_two_units_in_one_parent_cannot_share_a_name(world):
    with pytest.raises(IntegrityError):
        Unit.objects.create(organisation=world.org, parent=world.north, name="Ward A")


def test_units_are_visible_only_inside_the_organisation(world):
    assert world.other_ward not in Unit.objects.visible_to(world.member)
    assert world.ward_c in Unit.objects.visible_to(world.member)
    assert not Unit.objects.visible_to(world.outsider).filter(organisation=world.org).exists()


def test_admin_adds_a_unit_under_a_hospital(world, client_for):
    response = client_for(world.admin).post(
        reverse("accounts:unit-add"), {"name": "Ward D", "kind": "ward", "parent": world.south.pk}
    )
    unit = Unit.objects.get(name="Ward D")
    assert (
        response.status_code == 302
        and unit.parent == world.south
        and unit.organisation == world.org
    )


def test_a_duplicate_unit_name_is_refused_with_a_message(world, client_for):
    response = client_for(world.admin).post(
        reverse("accounts:unit-add"), {"name": "ward a", "kind": "ward", "parent": world.north.pk}
    )
    assert response.status_code == 200
    assert "already has a unit called" in response.content.decode()
    assert Unit.objects.filter(parent=world.north).count() == 2


def test_a_unit_cannot_be_moved_under_itself(world, client_for):
    client = client_for(world.admin)
    response = client.post(
        reverse("accounts:unit-edit", args=[world.north.pk]),
        {"name": "North Hospital", "kind": "hospital", "parent": world.ward_a.pk},
    )
    assert (
        response.status_code == 200
    )  # the form shows the error; ward_a is not offered as a parent
    world.north.refresh_from_db()
    assert world.north.parent == world.root


@pytest.mark.parametrize("persona", ["member", "leader", "coach", "leader_elsewhere"])
def test_only_admins_add_or_edit_units(world, client_for, persona):
    client = client_for(getattr(world, persona))
    assert (
        client.post(
            reverse("accounts:unit-add"), {"name": "X", "kind": "ward", "parent": world.north.pk}
        ).status_code
        == 403
    )
    assert client.get(reverse("accounts:unit-edit", args=[world.ward_a.pk])).status_code == 403
    assert not Unit.objects.filter(name="X").exists()


def test_an_outsider_cannot_see_or_edit_our_units(world, client_for):
    client = client_for(world.outsider)
    assert client.get(reverse("accounts:unit", args=[world.ward_a.pk])).status_code == 404
    assert (
        client.post(
            reverse("accounts:unit-edit", args=[world.ward_a.pk]),
            {"name": "Hacked", "kind": "ward"},
        ).status_code
        == 404
    )
    world.ward_a.refresh_from_db()
    assert world.ward_a.name == "Ward A"


def test_unit_page_shows_people_only_to_those_who_oversee_it(world, client_for):
    url = reverse("accounts:unit", args=[world.ward_a.pk])
    member_page = client_for(world.member).get(url).content.decode()
    assert (
        "People in this unit" not in member_page and "Lee Leader" in member_page
    )  # leaders are public
    coach_page = client_for(world.coach).get(url).content.decode()
    assert "People in this unit" in coach_page and "Mia Member" in coach_page


def test_the_units_page_title_is_only_its_name(client_for, world):
    page = client_for(world.admin).get("/units/").content.decode()
    title = page.split("<title>")[1].split("</title>")[0]
    assert title.startswith("Units") and "<" not in title and "section" not in title


def test_the_units_page_shows_the_tree_a_hundred_units_at_a_time(client_for, world):
    """Issue 15: the tree is paged in path order (each page continues the last), with the
    same number of queries for a few units and for many."""
    client = client_for(world.admin)
    small, page = queries(client, "/units/")
    assert "Ward A" in page and "Page 1 of" not in page
    Unit.objects.bulk_create(
        Unit(organisation=world.org, parent=world.south, name=f"Bay {i:03d}", kind=UnitKind.WARD,
             path=f"{world.south.path}b{i:03d}/", depth=world.south.depth + 1)
        for i in range(150)
    )  # fmt: skip
    large, page = queries(client, "/units/")
    assert large <= small and "Page 1 of 2" in page
    assert page.count('class="tree-indent"') == 100
    _, second = queries(client, "/units/?page=2")
    shown = {f"Bay {i:03d}" for i in range(150) if f"Bay {i:03d}<" in page + second}
    assert len(shown) == 150  # every unit, on one page or the other
    assert "Elsewhere" not in page + second  # another organisation's units never
