"""A measure's chart page grows little with its points (issue 15, the page budget of 200 KB).

The page carries two Vega-Lite specs (the chart and its moving-range chart), a data table
and the settings' period choices, all a row per point. Before the specs were compact
(docs/performance.md), the page below was 204 KB with 104 points and 1,833 KB with 1,000
(1,862 bytes a point); now 106 KB and 751 KB (737 bytes a point, of which the specs are
about 250: a line is sent as the ends of its runs of equal values, the words points share
once).
"""

import datetime

import pytest
from django.urls import reverse

from champion.measures import analysis
from champion.measures.models import Annotation, DataPoint, Exclusion, Measure, Phase

pytestmark = pytest.mark.django_db

BUDGET = 200 * 1024
#: HTML bytes a weekly point may add to the page (both specs, the table, the choices).
PER_POINT = 1_000


def _page_bytes(world, client, n: int) -> int:
    """The chart page of an I chart of `n` weekly points with a phase, a shift, a note and
    an excluded point, opened by the ward's leader (who also gets the settings)."""
    measure = Measure.objects.create(
        unit=world.ward_a, name=f"Door to provider ({n})", definition="Minutes", chart="i",
        improvement="down", frequency="weekly", unit_label="minutes", target=30.0,
    )  # fmt: skip
    weeks = [datetime.date(2020, 1, 6) + datetime.timedelta(weeks=k) for k in range(n)]
    half = n // 2
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=week, value=(47.0 if k < half else 32.0) + k * 7 % 9)
        for k, week in enumerate(weeks)
    )
    Phase.objects.create(measure=measure, period=weeks[half], label="Rapid assessment zone")
    Annotation.objects.create(measure=measure, period=weeks[half], text="Rapid assessment zone")
    Exclusion.objects.create(measure=measure, period=weeks[3], reason="The scanner was down")
    analysis.refresh(measure)
    response = client.get(reverse("measures:detail", args=[measure.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-spec"' in html and 'id="mr-chart-spec"' in html
    return len(response.content)


def test_the_chart_page_of_104_points_is_well_under_the_budget(world, client_for):
    client = client_for(world.leader)
    assert _page_bytes(world, client, 104) < 0.6 * BUDGET


def test_each_point_adds_a_bounded_number_of_bytes(world, client_for):
    client = client_for(world.leader)
    small, large = _page_bytes(world, client, 104), _page_bytes(world, client, 1_000)
    assert (large - small) / (1_000 - 104) < PER_POINT
