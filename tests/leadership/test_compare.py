"""Comparing units that follow one shared definition: the funnel's numbers, the roll-up sums,
small multiples, and scoping (a leader sees only the units of their area)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import Q
from django.urls import reverse

from champion import spc
from champion.measures import compare
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure, SharedDefinition
from tests.measures.conftest import months
from tests.scale import queries

pytestmark = pytest.mark.django_db

# Falls and bed-days per month on three wards; Ward C is in South Hospital.
WARDS = {
    "ward_a": ([6, 7, 5, 8, 6, 7], [900, 950, 920, 910, 940, 930]),
    "ward_b": ([2, 3, 2, 1, 3, 2], [800, 810, 790, 820, 805, 800]),
    "ward_c": ([9, 8, 10, 9, 11, 10], [1000, 990, 1010, 1005, 995, 1000]),
}


@pytest.fixture
def shared(world):
    d = SharedDefinition.objects.create(
        organisation=world.org, name="Inpatient falls", definition="Falls per bed-day",
        unit_label="falls per 1,000 bed-days", chart="u", multiply=1000, improvement="down",
    )  # fmt: skip
    for key, (events, beds) in WARDS.items():
        unit = getattr(world, key)
        m = Measure.objects.create(
            unit=unit, name="Falls", definition="x", denominator="bed-days", chart="u",
            multiply=1000, improvement="down", shared=d, unit_label="falls per 1,000 bed-days",
        )  # fmt: skip
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=p, value=e, denominator=n)
            for p, e, n in zip(months(6), events, beds, strict=True)
        )
        refresh(m)
    return d


def url(d, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("leadership:compare", args=[d.pk]) + (f"?{query}" if query else "")


def test_totals_sum_each_units_points_in_the_window(world, shared):
    measures = compare.shared_measures(shared, Q(unit__path__startswith=world.root.path))
    start, end = compare.default_window(measures)
    rows = {r.label: r for r in compare.totals(measures, start, end)}
    assert (rows["Ward A"].events, rows["Ward A"].n) == (39, 5550)
    assert (rows["Ward B"].events, rows["Ward B"].n) == (13, 4825)
    assert rows["Ward C"].points == 6


def test_rollup_sums_numerators_and_denominators_per_period(world, shared):
    north = compare.shared_measures(shared, Q(unit__path__startswith=world.north.path))
    rolled = compare.rollup(north)
    assert rolled.events[0] == 6 + 2 and rolled.n[0] == 900 + 800
    assert rolled.events == [
        a + b for a, b in zip(WARDS["ward_a"][0], WARDS["ward_b"][0], strict=True)
    ]
    assert rolled.units == [2] * 6
    # The parent's rate is the sum over the sum, not the mean of the wards' rates.
    result = compare.rollup_analysis(shared, rolled)
    assert result.points["y"][0] == pytest.approx(8 / 1700 * 1000)


def test_by_child_sums_the_wards_into_their_hospitals(world, shared):
    everything = compare.shared_measures(shared, Q(unit__path__startswith=world.root.path))
    start, end = compare.default_window(everything)
    hospitals = {
        r.label: r for r in compare.by_child(world.root, compare.totals(everything, start, end))
    }
    assert (hospitals["North Hospital"].events, hospitals["North Hospital"].n) == (52, 10375)
    assert hospitals["North Hospital"].measures == 2
    assert hospitals["South Hospital"].events == 57


def test_the_funnel_is_the_engines_on_the_summed_numbers(world, shared):
    everything = compare.shared_measures(shared, Q(unit__path__startswith=world.root.path))
    start, end = compare.default_window(everything)
    rows = compare.totals(everything, start, end)
    found = compare.funnel(shared, rows)
    expected = spc.funnel([39, 13, 57], [5550, 4825, 6000], kind="rate", multiply=1000)
    assert found.target == pytest.approx(expected.target)
    assert found.upper[0.998] == pytest.approx(expected.upper[0.998])
    assert found.labels == ("Ward A", "Ward B", "Ward C")


def test_the_admin_sees_every_ward_and_the_funnel(client_for, world, shared):
    page = client_for(world.admin).get(url(shared)).content.decode()
    assert "Funnel plot" in page and "funnel-spec" in page
    for ward in ("Ward A", "Ward B", "Ward C"):
        assert ward in page
    assert "3 units of" in page


def test_a_ward_leader_sees_only_their_ward(client_for, world, shared):
    client = client_for(world.leader)
    page = client.get(url(shared)).content.decode()
    assert "Ward A" in page and "Ward B" not in page and "Ward C" not in page
    assert "at least two units" in page  # one ward cannot be a funnel
    assert client.get(url(shared, unit=world.north.pk)).status_code == 403
    index = client.get(reverse("leadership:compare-index")).content.decode()
    assert "Inpatient falls" in index and "1 unit in your area" in index


def test_a_coach_of_north_compares_north_by_ward_and_never_south(client_for, world, shared):
    client = client_for(world.coach)
    page = client.get(url(shared, unit=world.north.pk)).content.decode()
    assert "Ward A" in page and "Ward B" in page and "Ward C" not in page
    assert client.get(url(shared, unit=world.south.pk)).status_code == 403


def test_members_and_outsiders_are_refused(client_for, world, shared):
    assert client_for(world.member).get(url(shared)).status_code == 403
    assert client_for(world.outsider).get(url(shared)).status_code == 404


def test_bad_window_values_fall_back_with_a_note(client_for, world, shared):
    client = client_for(world.admin)
    page = client.get(url(shared, months="abc", end="2023-13")).content.decode()
    assert "not a number" in page or "YYYY-MM" in page
    assert client.get(url(shared, months=99, od="additive", by="child")).status_code == 200


def test_overdispersion_and_grouping_by_hospital(client_for, world, shared):
    page = (
        client_for(world.admin)
        .get(url(shared, unit=world.root.pk, by="child", od="multiplicative"))
        .content.decode()
    )
    assert "North Hospital" in page and "South Hospital" in page and "φ =" in page


def test_the_measure_form_offers_only_the_organisations_definitions(client_for, world, shared):
    other = SharedDefinition.objects.create(
        organisation=world.other, name="Secret definition", definition="x"
    )
    page = client_for(world.member).get(reverse("measures:create")).content.decode()
    assert "Inpatient falls" in page and other.name not in page


def test_the_page_costs_the_same_with_more_data(client_for, world, shared):
    client = client_for(world.admin)
    before, _ = queries(client, url(shared))
    for m in Measure.objects.filter(shared=shared):
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=p, value=5, denominator=900)
            for p in months(30, start=datetime.date(2020, 1, 1))
        )
        refresh(m)
    after, page = queries(client, url(shared))
    assert after == before and "Funnel plot" in page
