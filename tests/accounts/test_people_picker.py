"""People pickers search as you type: no form lists everyone, the search shows only the
people the field accepts, and the field refuses anyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from champion.measures.models import Measure
from tests.scale import add_people, queries

pytestmark = pytest.mark.django_db

SEARCH = "/people/search/"


def test_search_returns_at_most_twenty_matches_of_the_scope(world, client_for):
    add_people(world.org, world.ward_a, 30, "bulk")
    client = client_for(world.member)
    _, page = queries(client, f"{SEARCH}?field=owners&scope=colleagues&multiple=1&owners__q=bulk")
    assert page.count('type="checkbox"') == 20
    assert "Bulk 0000" in page and "Bulk 0025" not in page
    # another organisation's people are never found
    _, page = queries(client, f"{SEARCH}?field=owners&scope=colleagues&owners__q=Zed")
    assert "Zed Other" not in page and "Nobody matches" in page


def test_search_keeps_the_chosen_people_ticked_and_drops_ones_out_of_scope(world, client_for):
    client = client_for(world.leader)
    url = (
        f"{SEARCH}?field=person&scope=overseen&person={world.member.pk}"
        f"&person={world.colleague.pk}&person__q=Mi"
    )
    _, page = queries(client, url)
    assert f'value="{world.member.pk}" checked' in page
    assert "Cal Colleague" not in page  # Ward B is not the leader's to see
    assert 'type="radio"' in page


def test_search_needs_two_letters_and_a_known_scope(world, client_for):
    client = client_for(world.member)
    _, page = queries(client, f"{SEARCH}?field=owners&scope=colleagues&owners__q=a")
    assert "Mia Member" not in page
    assert client.get(f"{SEARCH}?field=owners&scope=everyone&owners__q=Mia").status_code == 400
    assert client.get(f"{SEARCH}?field=<x>&scope=colleagues&owners__q=Mia").status_code == 400


def test_search_queries_do_not_grow_with_the_organisation(world, client_for):
    client = client_for(world.member)
    url = f"{SEARCH}?field=owners&scope=colleagues&multiple=1&owners__q=bulk"
    add_people(world.org, world.ward_a, 20, "bulk")
    small, _ = queries(client, url)
    add_people(world.org, world.ward_b, 380, "bulkier")
    large, page = queries(client, url)
    assert large == small and page.count('type="checkbox"') == 20


def test_measure_form_does_not_list_everyone_and_validates_owners(world, client_for):
    client = client_for(world.member)
    add_people(world.org, world.ward_a, 20, "early")
    small, page = queries(client, reverse("measures:create"))
    assert "Early 0001" not in page and 'name="owners__q"' in page
    add_people(world.org, world.ward_b, 380, "later")
    large, page = queries(client, reverse("measures:create"))
    assert large == small and "Later 0001" not in page and len(page) < 60_000
    form = {
        "name": "Falls",
        "kind": "process",
        "definition": "Observed opportunities where hands were cleaned",
        "numerator": "Opportunities with hand hygiene",
        "denominator": "Opportunities observed",
        "frequency": "monthly",
        "unit_label": "%",
        "improvement": "up",
        "chart": "p",
        "multiply": "100",
        "unit": world.ward_a.pk,
    }
    response = client.post(reverse("measures:create"), {**form, "owners": [world.colleague.pk]})
    assert response.status_code == 302
    assert list(Measure.objects.get(name="Falls").owners.all()) == [world.colleague]
    response = client.post(
        reverse("measures:create"),
        {**form, "name": "Falls 2", "owners": [world.outsider_member.pk]},
    )
    assert response.status_code in (200, 422)
    assert "Select a valid choice" in response.content.decode()
    assert not Measure.objects.filter(name="Falls 2").exists()
