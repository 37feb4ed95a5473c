"""A measure's chart page grows little with its points (issue 15, the page budget of 200 KB).

Up to `LONG_SERIES` points the page carries two Vega-Lite specs (the chart and its
moving-range chart), a data table and the settings' period choices, all a row per point.
Before the specs were compact (docs/performance.md), the page below was 204 KB with 104
points and 1,833 KB with 1,000 (1,862 bytes a point); then 106 KB and 751 KB (737 bytes a
point, of which the specs about 250). A longer series' page carries only the chart's spec a
row per point (its table shows the latest periods, its settings ask for a period, its
moving-range chart is fetched): 1,000 points now make 158 KB (tests/measures/test_long_series.py).
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champion.measures import analysis
from champion.measures.models import Annotation, DataPoint, Exclusion, Measure, Phase
from champion.measures.views.chart import LONG_SERIES

pytestmark = pytest.mark.django_db

BUDGET = 200 * 1024
#: HTML bytes a weekly point may add to the page (both specs, the table, the choices).
PER_POINT = 1_000
#: ... and beyond `LONG_SERIES` points (the chart's spec only: about 120).
PER_LONG_POINT = 160


def _page(world, client, n: int) -> tuple[int, int]:
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
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("measures:detail", args=[measure.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-spec"' in html and 'id="mr-chart' in html
    return len(response.content), len(queries)


def _page_bytes(world, client, n: int) -> int:
    return _page(world, client, n)[0]


def test_the_chart_page_of_104_points_is_well_under_the_budget(world, client_for):
    client = client_for(world.leader)
    assert _page_bytes(world, client, 104) < 0.6 * BUDGET


def test_each_point_adds_a_bounded_number_of_bytes(world, client_for):
    client = client_for(world.leader)
    small, large = _page_bytes(world, client, 50), _page_bytes(world, client, LONG_SERIES)
    assert (large - small) / (LONG_SERIES - 50) < PER_POINT


def test_a_long_series_adds_only_its_chart_spec_a_point(world, client_for):
    client = client_for(world.leader)
    small, large = _page_bytes(world, client, 200), _page_bytes(world, client, 1_000)
    assert (large - small) / (1_000 - 200) < PER_LONG_POINT


def test_the_chart_page_of_1000_points_is_under_the_budget(world, client_for):
    """A daily measure over three years, say: 751 KB before its table showed the latest
    periods, its settings asked for a period and its moving-range chart was fetched."""
    assert _page_bytes(world, client_for(world.leader), 1_000) < BUDGET


def test_the_queries_do_not_grow_with_the_points(world, client_for):
    client = client_for(world.leader)
    assert _page(world, client, 50)[1] == _page(world, client, LONG_SERIES)[1]
    assert _page(world, client, 200)[1] == _page(world, client, 1_000)[1]
