"""A PI coach's home: the projects they coach, evidence waiting for their review, stalled
projects and coming tollgates, in place of the Lead card; never anything outside their area."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from champion.improvement.models import (
    PDSACycle,
    Project,
    ProjectMember,
    ProjectStatus,
    TeamRole,
)
from champion.improvement.services import coach_projects
from champion.learning.models import Submission, SubmissionStatus, Tier
from champion.learning.services.overview import reviews_waiting

pytestmark = pytest.mark.django_db


@pytest.fixture
def coached(world):
    w = world
    today = timezone.localdate()
    w.tier = Tier.objects.create(slug="practitioner", title="Practitioner: x", order=2)
    w.mine = Project.objects.create(
        unit=w.ward_a, title="Coached project", status=ProjectStatus.ACTIVE, method="dmaic",
        phase="measure",
    )  # fmt: skip
    ProjectMember.objects.create(project=w.mine, user=w.coach, role=TeamRole.COACH)
    PDSACycle.objects.create(project=w.mine, title="Recent", start_date=today)
    w.quiet = Project.objects.create(
        unit=w.ward_b, title="Quiet project", status=ProjectStatus.ACTIVE, method="mfi"
    )
    PDSACycle.objects.create(
        project=w.quiet, title="Long ago", start_date=today - datetime.timedelta(weeks=20)
    )
    w.passed = Project.objects.create(
        unit=w.ward_a, title="Gate passed", status=ProjectStatus.ACTIVE, method="dmaic",
        phase="define", tollgates={"define": {"by": "x"}},
    )  # fmt: skip
    PDSACycle.objects.create(project=w.passed, title="Recent", start_date=today)
    w.south = Project.objects.create(
        unit=w.ward_c, title="South quiet project", status=ProjectStatus.ACTIVE, method="dmaic"
    )
    w.waiting = Submission.objects.create(
        user=w.member, tier=w.tier, kind="project", status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )  # fmt: skip
    w.south_submission = Submission.objects.create(
        user=w.leader_elsewhere, tier=w.tier, kind="project", status=SubmissionStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )  # fmt: skip
    Submission.objects.create(user=w.colleague, tier=w.tier, kind="project")  # a draft
    return w


def test_the_coach_sees_what_they_look_after(coached):
    w = coached
    found = coach_projects(w.coach)
    assert [p.title for p in found.coached] == ["Coached project"]
    assert [s.project.title for s in found.stalled] == ["Quiet project"]
    assert [p.title for p in found.tollgates] == ["Coached project"]  # Gate passed is not waiting
    count, first = reviews_waiting(w.coach)
    assert count == 1 and first == [w.waiting]


def test_the_coach_sees_nothing_outside_the_units_they_coach(coached):
    w = coached
    found = coach_projects(w.coach)
    everything = [*found.coached, *(s.project for s in found.stalled), *found.tollgates]
    assert w.south not in everything
    assert w.south_submission not in reviews_waiting(w.coach)[1]


def test_the_coach_home_replaces_the_lead_card(client_for, coached):
    w = coached
    text = client_for(w.coach).get(reverse("home:home")).content.decode()
    assert "Your coaching" in text
    for title in ("Coached project", "Quiet project", "Mia Member"):
        assert title in text
    assert "South quiet project" not in text
    assert "leadership/_home_card" not in text and 'id="your-team"' not in text
    assert reverse("learning:submission", args=[w.waiting.pk]) in text


def test_others_keep_their_home(client_for, coached):
    w = coached
    for person in (w.member, w.leader, w.admin):
        text = client_for(person).get(reverse("home:home")).content.decode()
        assert "Your coaching" not in text


def test_the_coach_home_costs_the_same_queries_with_more_projects(client_for, coached):
    w = coached
    client = client_for(w.coach)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("home:home")).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for k in range(6):
        p = Project.objects.create(
            unit=w.ward_b, title=f"More {k}", status=ProjectStatus.ACTIVE, method="dmaic"
        )
        ProjectMember.objects.create(project=p, user=w.coach, role=TeamRole.COACH)
    assert count() == before
