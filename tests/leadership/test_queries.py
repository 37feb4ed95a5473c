"""The overview's queries do not grow with the units, people, projects, ideas or measures."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Role, Unit, UnitKind
from champion.improvement.models import PDSACycle, Project, ProjectStatus
from champion.learning.models import Assignment, Certificate, LessonProgress
from tests.conftest import make_person
from tests.leadership.conftest import CALM, WORRYING, idea, measure


def queries(client, unit):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("leadership:overview"), {"unit": unit.pk})
    assert response.status_code == 200
    return len(captured.captured_queries)


def grow(w, n):
    """n more wards under North, each with people, learning, a project, ideas and measures."""
    today = timezone.localdate()
    for k in range(n):
        ward = Unit.objects.create(
            organisation=w.org, parent=w.north, name=f"Extra ward {k}", kind=UnitKind.WARD
        )
        for j in range(3):
            person = make_person(f"p{k}-{j}@test.example", w.org, ward, Role.MEMBER)
            LessonProgress.objects.create(
                user=person, lesson=w.tiers.f1, completed_at=timezone.now()
            )
            LessonProgress.objects.create(user=person, lesson=w.tiers.f2)
        Certificate.objects.create(
            user=person, tier=w.tiers.foundation, recipient_name="x", credential="x",
            organisation_name="x",
        )  # fmt: skip
        Assignment.objects.create(
            organisation=w.org, assigned_by=w.admin, tier=w.tiers.foundation, unit=ward,
            due_on=today - datetime.timedelta(days=2),
        )  # fmt: skip
        project = Project.objects.create(
            unit=ward, title=f"Project {k}", status=ProjectStatus.ACTIVE, method="a3"
        )
        PDSACycle.objects.create(project=project, title="t", start_date=today)
        Project.objects.create(
            unit=ward, title=f"Done {k}", status=ProjectStatus.FINISHED, finished_on=today
        )
        idea(ward, person, f"Idea {k}", days_ago=12)
        idea(ward, person, f"Answered {k}", days_ago=12, status="adopted", answered_after=1)
        measure(ward, f"Concern {k}", WORRYING)
        measure(ward, f"Calm {k}", CALM)


def test_the_overview_costs_the_same_queries_for_a_bigger_area(client_for, lead_world):
    w = lead_world
    client = client_for(w.admin)
    before = queries(client, w.north)
    grow(w, 6)
    after = queries(client, w.north)
    page = client.get(reverse("leadership:overview"), {"unit": w.north.pk}).content.decode()
    assert "Extra ward 5" in page and "Project 5" in page  # the new data are on the page
    assert after == before, f"{before} queries became {after}"
