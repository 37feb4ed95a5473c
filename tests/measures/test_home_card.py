"""The home page's Measure card: your unit's measures, and the ones that need a look first."""

import pytest
from django.urls import reverse

from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure
from tests.measures.conftest import months

pytestmark = pytest.mark.django_db

RISING = [5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5, 9, 9, 10, 9, 10, 9, 10, 11]


def measure_with(world, name, values, unit=None):
    m = Measure.objects.create(
        unit=unit or world.ward_a, name=name, definition="x", chart="i", improvement="down"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v)
        for d, v in zip(months(len(values)), values, strict=True)
    )
    refresh(m)
    return m


def card(client):
    page = client.get(reverse("home:home")).content.decode()
    if 'id="measure-card"' not in page:
        return None
    return page.split('id="measure-card"')[1].split("</section>")[0]


def test_a_member_sees_their_wards_measures_with_what_needs_a_look(world, client_for):
    measure_with(world, "Calm", [5.0] * 12)
    measure_with(world, "Worrying", RISING)
    measure_with(world, "Elsewhere worrying", RISING, unit=world.ward_b)
    text = card(client_for(world.member))
    assert "2 measures, <strong>1 needs a look</strong>" in text
    assert "Worrying" in text and ">Calm<" not in text and "Elsewhere" not in text
    assert "Special cause" in text  # the Making Data Count icon, labelled
    assert f"?unit={world.ward_a.pk}" in text


def test_no_card_without_measures_and_nothing_from_another_organisation(world, client_for):
    assert card(client_for(world.member)) is None
    measure_with(world, "Secret", RISING, unit=world.other_ward)
    assert card(client_for(world.outsider_member)) is not None
    assert card(client_for(world.member)) is None
