"""The moving-range chart under every I chart: on the page and in the downloads."""

import json

import pytest
from django.urls import reverse

from champion.measures import analysis
from champion.measures.models import DataPoint, Measure

from .conftest import months

pytestmark = pytest.mark.django_db

Y = [30, 34, 29, 33, 31, 35, 28, 32, 30, 34, 29, 33, 31, 35, 28, 32]


@pytest.fixture
def waits(world):
    m = Measure.objects.create(
        unit=world.ward_a, name="Waits", definition="Minutes", chart="i", improvement="down"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=float(v)) for d, v in zip(months(16), Y, strict=True)
    )
    analysis.refresh(m)
    return m


def test_the_mr_chart_has_its_mean_and_upper_limit(waits):
    spec = analysis.moving_range_spec(waits, width=600)
    text = json.dumps(spec)
    mean_mr = sum(abs(a - b) for a, b in zip(Y[1:], Y[:-1], strict=True)) / 15
    assert spec is not None and "moving range" in spec["title"]["text"]
    assert f"{mean_mr:.2f}"[:4] in text or f"{mean_mr:.3f}"[:5] in text
    assert f"{3.267 * mean_mr:.2f}"[:4] in text


def test_only_i_charts_get_one(world, measure):
    assert analysis.moving_range_spec(measure) is None


def test_the_page_and_the_svg_show_it(client_for, world, waits):
    client = client_for(world.member)
    page = client.get(reverse("measures:detail", args=[waits.pk])).content.decode()
    assert 'data-vega-spec="mr-chart-spec"' in page
    svg = client.get(reverse("measures:chart-file", args=[waits.pk, "svg"])).content.decode()
    assert "moving range" in svg
