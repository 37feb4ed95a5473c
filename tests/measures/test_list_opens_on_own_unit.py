"""The Measures page opens on the person's own unit (the unit the board opens on), with an
obvious way to every unit's measures; paginated and costing the same queries whatever the
data."""

import pytest
from django.urls import reverse

from champion.measures.models import Measure
from tests.scale import add_work, queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(world):
    for unit in (world.ward_a, world.ward_b, world.ward_c):
        Measure.objects.create(unit=unit, name=f"Falls on {unit.name}", definition="x", chart="c")


def _shown(page: str) -> set[str]:
    return {name for name in ("Ward A", "Ward B", "Ward C") if f"Falls on {name}" in page}


@pytest.mark.parametrize(
    "persona,heading,shown",
    [
        ("member", "Measures: Ward A", {"Ward A"}),  # their membership's unit
        ("colleague", "Measures: Ward B", {"Ward B"}),
        ("leader", "Measures: Ward A", {"Ward A"}),  # the unit they lead
        ("leader_elsewhere", "Measures: Ward C", {"Ward C"}),
        ("coach", "Measures: North Hospital", {"Ward A", "Ward B"}),  # the unit they oversee
        ("admin", "<h1>Measures</h1>", {"Ward A", "Ward B", "Ward C"}),  # the whole organisation
    ],
)
def test_the_list_opens_on_the_persons_own_unit(client_for, world, three, persona, heading, shown):
    page = client_for(getattr(world, persona)).get(reverse("measures:index")).content.decode()
    assert heading in page and _shown(page) == shown
    if persona == "admin":
        assert "Everything Testshire Health measures" in page
        assert "Show every unit's measures" not in page  # already every unit
    else:
        assert '<a href="?unit=">Show every unit\'s measures</a>' in page


def test_every_unit_is_one_click_away_and_the_way_back_too(client_for, world, three):
    client = client_for(world.member)
    page = client.get(reverse("measures:index"), {"unit": ""}).content.decode()
    assert _shown(page) == {"Ward A", "Ward B", "Ward C"}
    assert "Everything Testshire Health measures" in page
    assert f'<a href="?unit={world.ward_a.pk}">Back to Ward A</a>' in page
    # Another unit chosen in the filter: read-only, but shown.
    page = client.get(reverse("measures:index"), {"unit": world.ward_c.pk}).content.decode()
    assert _shown(page) == {"Ward C"} and "Back to Ward A" in page


def test_only_my_measures_within_my_unit(client_for, world, three):
    mine = Measure.objects.create(unit=world.ward_b, name="Mine", definition="x", chart="c")
    mine.owners.add(world.member)
    client = client_for(world.member)
    page = client.get(reverse("measures:index"), {"mine": "1"}).content.decode()
    assert "Mine" not in page and "No measures in Ward A that you own yet" in page
    page = client.get(reverse("measures:index"), {"mine": "1", "unit": ""}).content.decode()
    assert "Mine" in page and _shown(page) == set()


def test_a_unit_of_another_organisation_is_not_found(client_for, world):
    response = client_for(world.member).get(
        reverse("measures:index"), {"unit": world.other_ward.pk}
    )
    assert response.status_code == 404


def test_every_unit_is_paginated_and_the_pages_keep_the_choice(client_for, world):
    add_work(world.org, world.ward_b, 60, "later")
    client = client_for(world.member)
    _, page = queries(client, "/measures/")
    assert "later measure" not in page  # Ward B's measures are not the member's unit's
    _, page = queries(client, "/measures/?unit=")
    assert page.count("later measure 0") == 50 and "Page 1 of 2" in page
    assert 'href="?unit=&amp;page=2"' in page


def test_the_own_unit_costs_the_same_queries_with_more_data(client_for, world):
    client = client_for(world.member)
    add_work(world.org, world.ward_a, 5, "early")
    small, _ = queries(client, "/measures/")
    add_work(world.org, world.ward_a, 120, "later")
    add_work(world.org, world.ward_b, 120, "other")
    large, page = queries(client, "/measures/")
    assert large <= small and page.count("later measure 0") > 0
