"""A charter's aim checked against its outcome measure: baseline, units, direction, progress
toward the target and the deadline."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from champion.improvement.aim_data import check
from champion.improvement.measures_link import link_measure
from tests.improvement.test_impact import falls, phased  # noqa: F401 - the falls fixture

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 1, 1)
# The falls fixture: before the change 7.741 per 1,000 bed-days, after it 3.475.


def aim(project, text):
    project.aim_statement = text
    project.save()
    return project


def items(result):
    return {i.label: i for i in result.items}


def test_an_aim_that_agrees_with_the_data(world, project, falls):  # noqa: F811
    link_measure(project, phased(falls), "outcome", by=world.member)
    aim(project, "Reduce falls on Ward A from 8 to 4 per 1,000 bed days by 31 March 2026")
    result = check(project, today=TODAY)
    found = items(result)
    assert found["Baseline"].ok is True and "7.741" in found["Baseline"].text
    assert found["Units"].ok is True
    assert found["Direction"].ok is True
    # From 8 to 4, now 3.475: the target is reached (more than 100 % of the way).
    assert found["Progress"].ok is True and result.progress == pytest.approx(
        (8 - 3.4752) / 4 * 100, abs=0.01
    )
    assert result.progress_bar == 100
    assert found["Deadline"].ok is True and "89 days left" in found["Deadline"].text


def test_a_baseline_far_from_the_data_and_wrong_units(world, project, falls):  # noqa: F811
    link_measure(project, phased(falls), "outcome", by=world.member)
    aim(project, "Reduce falls on Ward A from 20% to 10% by June 2025")
    found = items(check(project, today=TODAY))
    assert found["Baseline"].ok is False and "check the baseline" in found["Baseline"].text
    assert found["Units"].ok is False and "falls per 1,000 bed-days" in found["Units"].text
    assert found["Deadline"].ok is False and "passed" in found["Deadline"].text


def test_the_wrong_direction_is_caught(world, project, falls):  # noqa: F811
    link_measure(project, phased(falls), "outcome", by=world.member)
    aim(project, "Increase falls on Ward A from 8 to 12 per 1,000 bed days by 2027")
    found = items(check(project, today=TODAY))
    assert found["Direction"].ok is False


def test_progress_part_of_the_way_without_a_phase(world, project, falls):  # noqa: F811
    # No phase: one centre line for the whole chart (98 + 49 falls over 26,760 bed-days).
    link_measure(project, falls, "outcome", by=world.member)
    aim(project, "Reduce falls on Ward A from 6 to 2 per 1,000 bed days by 2027")
    result = check(project, today=TODAY)
    level = (98 + 49) / sum(1000 + 10 * i for i in range(24)) * 1000
    assert result.now == pytest.approx(level)
    assert result.progress == pytest.approx((6 - level) / 4 * 100)
    assert items(result)["Progress"].ok is None


def test_nothing_to_check_says_so(world, project):
    aim(project, "Improve handover")
    assert check(project) is None
    aim(project, "Reduce falls from 8 to 4 a month by 2027")
    (only,) = check(project).items
    assert only.ok is None and "outcome measure" in only.text


def test_the_charter_shows_the_check(world, client_for, project, falls):  # noqa: F811
    link_measure(project, phased(falls), "outcome", by=world.member)
    aim(project, "Reduce falls on Ward A from 8 to 4 per 1,000 bed days by 31 March 2030")
    page = client_for(world.member).get(reverse("improvement:project", args=[project.pk]))
    html = page.content.decode()
    assert "The aim against the data" in html and "<progress" in html
    a3 = client_for(world.member).get(reverse("improvement:a3", args=[project.pk]))
    assert "The aim against the data" in a3.content.decode()
