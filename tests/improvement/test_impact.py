"""A project's result in numbers, from its outcome measure's phases: on the project page, the
A3 and the library; never invented (no outcome measure, no phase, a phase before the project)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from champion.improvement.measures_link import impacts, link_measure, project_impact
from champion.improvement.models import Project
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure, Phase
from tests.measures.conftest import FALLS, months

pytestmark = pytest.mark.django_db


@pytest.fixture
def falls(world):
    m = Measure.objects.create(
        unit=world.ward_a, name="Falls", definition="Inpatient falls", denominator="Bed-days",
        chart="u", multiply=1000, improvement="down", unit_label="falls per 1,000 bed-days",
    )  # fmt: skip
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v, denominator=1000 + 10 * i)
        for i, (d, v) in enumerate(zip(months(24), FALLS, strict=True))
    )
    refresh(m)
    return m


def phased(measure):
    Phase.objects.create(measure=measure, period=datetime.date(2024, 1, 1), label="Falls bundle")
    refresh(measure)
    measure.refresh_from_db()
    return measure


def test_no_outcome_measure_says_so(project):
    result = project_impact(project)
    assert result.impact is None and not result.confirmed
    assert "No outcome measure" in result.sentence


def test_a_process_measure_is_not_the_result(world, project, falls):
    link_measure(project, phased(falls), "process", by=world.member)
    assert project_impact(project).impact is None


def test_the_outcome_measures_phase_is_the_result(world, project, falls):
    link_measure(project, phased(falls), "outcome", by=world.member)
    result = project_impact(project)
    assert result.confirmed
    assert result.sentence.startswith(
        "Falls: down from 7.741 to 3.475 falls per 1,000 bed-days (4.266 down, an improvement). "
        "Confirmed by a shift against the level before the change (Anhøj rules), "
        "sustained from Jul 2024."
    )


def test_a_phase_before_the_project_started_is_not_its_result(world, project, falls):
    project.started_on = datetime.date(2025, 1, 1)
    project.save()
    link_measure(project, phased(falls), "outcome", by=world.member)
    result = project_impact(project)
    assert result.impact.status == "no_phase" and not result.confirmed
    assert result.impact.before is None


def test_the_project_page_and_a3_show_the_numbers(world, client_for, project, falls):
    link_measure(project, phased(falls), "outcome", by=world.member)
    client = client_for(world.colleague)
    page = client.get(reverse("improvement:project", args=[project.pk])).content.decode()
    assert "Result in numbers" in page and "7.741" in page and "3.475" in page
    assert "Sustained from" in page and "Jul 2024" in page and "(improvement)" in page
    a3 = client.get(reverse("improvement:a3", args=[project.pk])).content.decode()
    assert "7.741" in a3 and "Confirmed by" in a3


def test_the_page_says_why_there_is_no_result(world, client_for, project, falls):
    link_measure(project, falls, "outcome", by=world.member)
    page = client_for(world.member).get(reverse("improvement:project", args=[project.pk]))
    assert "No phase marks the change" in page.content.decode()


def test_the_library_shows_what_worked_where_in_one_query(
    world, client_for, project, falls, django_assert_max_num_queries
):
    link_measure(project, phased(falls), "outcome", by=world.member)
    with django_assert_max_num_queries(1):
        found = impacts([project])
    assert found[project.pk].confirmed
    page = client_for(world.colleague).get(reverse("improvement:library")).content.decode()
    assert "In numbers:" in page and "an improvement" in page


def test_the_library_filters_changes_that_worked(world, client_for, project, falls):
    link_measure(project, phased(falls), "outcome", by=world.member)
    other = Project.objects.create(unit=world.ward_b, title="Untested idea", status="active")
    client = client_for(world.colleague)
    page = client.get(reverse("improvement:library"), {"worked": "yes"}).content.decode()
    assert project.title in page and other.title not in page
