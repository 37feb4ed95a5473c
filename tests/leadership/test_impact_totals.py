"""Lead sums the confirmed results of the area's projects by measure, unit, topic and method,
in a fixed number of queries, and never counts what no rule confirmed or what lies outside
the leader's area."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champion.improvement.impact_totals import impact_totals as totals
from champion.improvement.measures_link import link_measure
from champion.improvement.models import Project, ProjectStatus
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure, Phase, SharedDefinition
from tests.measures.conftest import FALLS, months

pytestmark = pytest.mark.django_db

CHANGE = datetime.date(2024, 1, 1)


def finished_project(world, unit, title, *, shift=0.0, phase=True, shared=None, topic="falls"):
    """A finished project whose falls measure drops from about 8 to about 4 (+ shift)."""
    m = Measure.objects.create(
        unit=unit, name=f"Falls {title}", definition="x", denominator="bed-days", chart="u",
        multiply=1000, improvement="down", unit_label="falls per 1,000 bed-days", shared=shared,
    )  # fmt: skip
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v + (shift if i >= 12 else 0), denominator=1000)
        for i, (d, v) in enumerate(zip(months(24), FALLS, strict=True))
    )
    if phase:
        Phase.objects.create(measure=m, period=CHANGE, label="Bundle")
    refresh(m)
    p = Project.objects.create(
        unit=unit, title=title, status=ProjectStatus.FINISHED, topic=topic, method="mfi"
    )
    link_measure(p, m, "outcome", by=world.admin)
    return p, m


@pytest.fixture
def results(world):
    shared = SharedDefinition.objects.create(
        organisation=world.org,
        name="Falls per 1,000 bed-days",
        definition="x",
        unit_label="falls per 1,000 bed-days",
    )
    finished_project(world, world.ward_a, "A", shared=shared)
    finished_project(world, world.ward_b, "B", shift=1.0, shared=shared)
    finished_project(world, world.ward_c, "C", shared=shared, topic="falls, night")
    finished_project(world, world.ward_a, "No phase", phase=False)
    return shared


# Before: 98 falls in 12,000 bed-days = 8.1667 per 1,000; after: 49 in 12,000 = 4.0833
# (Ward B: 61 in 12,000 = 5.0833). Differences: -4.0833, -3.0833, -4.0833.
A = 49 / 12 - 98 / 12
B = 61 / 12 - 98 / 12


def test_sums_by_shared_measure_across_the_wards(world, results):
    found = totals(Project.objects.filter(unit__organisation=world.org).select_related("unit"))
    assert found.confirmed == 3 and found.improvements == 3 and found.without == 1
    (group,) = found.by_measure
    assert group.direction == "down" and len(group.units) == 3
    assert group.total == pytest.approx(2 * A + B)
    assert group.mean == pytest.approx((2 * A + B) / 3)
    assert (
        group.sentence == "Falls per 1,000 bed-days down 3.75 on average on 3 wards (11.25 summed)"
    )
    assert set(found.by_topic) == {"falls", "night"}
    assert len(found.by_topic["night"][0].units) == 1
    assert list(found.by_method) == ["Model for Improvement"]
    assert set(found.by_unit) == {"Ward A", "Ward B", "Ward C"}


def test_the_leader_sees_only_their_wards_results(client_for, world, results):
    page = client_for(world.leader).get(reverse("leadership:overview")).content.decode()
    assert "Results in numbers" in page
    assert "Falls per 1,000 bed-days down 4.083 on 1 ward" in page
    assert "3 wards" not in page and "Ward C" not in page


def test_the_admin_sees_the_whole_organisation(client_for, world, results):
    page = client_for(world.admin).get(reverse("leadership:overview")).content.decode()
    assert "down 3.75 on average on 3 wards" in page


def test_queries_do_not_grow_with_projects(world, results):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            totals(Project.objects.filter(unit__organisation=world.org).select_related("unit"))
        return len(captured)

    small = count()
    for i in range(5):
        finished_project(world, world.ward_b, f"More {i}")
    assert count() == small <= 3


def test_a_queryset_is_counted_in_the_database_as_the_list_of_its_projects(world, results):
    """With a queryset only the projects with an outcome measure are read as rows, the rest
    counted: the same totals as the same projects given as a list (read one by one)."""
    Project.objects.bulk_create(
        Project(unit=world.ward_b, title=f"Quiet {i}", status=ProjectStatus.ACTIVE)
        for i in range(5)
    )
    projects = Project.objects.filter(unit__organisation=world.org).select_related("unit")

    def numbers(found):
        def groups(gs):
            return [(g.key, g.direction, g.differences, sorted(g.units), g.sentence) for g in gs]

        by = (found.by_unit, found.by_topic, found.by_method)
        return (
            groups(found.by_measure),
            [{k: groups(v) for k, v in d.items()} for d in by],
            (found.confirmed, found.improvements, found.deteriorations, found.without),
        )

    from_db, from_list = totals(projects), totals(list(projects))
    assert numbers(from_db) == numbers(from_list)
    assert from_db.without == 1 + 5 and from_db.confirmed == 3
