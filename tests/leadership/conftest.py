"""A small known world for the Lead overview, on top of the shared `world` personas.

North Hospital (Ward A, Ward B) has learners, projects, ideas and measures whose numbers the
tests know; South Hospital (Ward C) has one of each that North must never count.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from champion.improvement.ideas.models import Idea, Status, UnitIdeaSettings
from champion.improvement.models import (
    MeasureRole,
    PDSACycle,
    Project,
    ProjectMeasure,
    ProjectStatus,
    Stage,
)
from champion.learning.models import Assignment, Certificate, Lesson, LessonProgress, Module, Tier
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure
from tests.measures.conftest import months

CALM = [5.0] * 12
WORRYING = [5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5, 9, 9, 10, 9, 10, 9, 10, 11]


def measure(unit, name, values, **fields):
    m = Measure.objects.create(
        unit=unit, name=name, definition="x", chart="i", improvement="down", **fields
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v)
        for d, v in zip(months(len(values)), values, strict=True)
    )
    refresh(m)
    return m


def idea(unit, person, text, *, days_ago, status=Status.NEW, answered_after=None):
    now = timezone.now()
    created = now - datetime.timedelta(days=days_ago)
    return Idea.objects.create(
        unit=unit,
        submitted_by=person,
        problem="A problem seen at work.",
        idea=text,
        status=status,
        created_at=created,
        responded_at=created + datetime.timedelta(days=answered_after)
        if answered_after is not None
        else None,
    )


def tiers() -> SimpleNamespace:
    t = SimpleNamespace()
    for order, slug in enumerate(("foundation", "practitioner", "leader"), start=1):
        tier = Tier.objects.create(slug=slug, title=f"{slug.title()}: the {slug} path", order=order)
        setattr(t, slug, tier)
    module = Module.objects.create(tier=t.foundation, slug="f-module", title="Basics")
    t.f1 = Lesson.objects.create(module=module, slug="f1", title="F1", body="x", body_html="x")
    t.f2 = Lesson.objects.create(module=module, slug="f2", title="F2", body="x", body_html="x")
    p_module = Module.objects.create(tier=t.practitioner, slug="p-module", title="Practice")
    t.p1 = Lesson.objects.create(module=p_module, slug="p1", title="P1", body="x", body_html="x")
    # A retired lesson never counts: completing Foundation needs only f1 and f2.
    Lesson.objects.create(
        module=module, slug="f-old", title="Old", body="x", body_html="x", retired=True
    )
    return t


@pytest.fixture
def lead_world(world):
    return build_lead_world(world)


def build_lead_world(world):
    w = world
    now = timezone.now()
    today = timezone.localdate()
    w.tiers = t = tiers()
    # Learning: the member finished Foundation (and holds its certificate); the colleague
    # started it and is overdue on a Practitioner assignment to Ward B.
    for lesson in (t.f1, t.f2):
        LessonProgress.objects.create(user=w.member, lesson=lesson, completed_at=now)
    Certificate.objects.create(
        user=w.member, tier=t.foundation, recipient_name="Mia Member", credential="Foundation",
        organisation_name="Testshire Health",
    )  # fmt: skip
    LessonProgress.objects.create(user=w.colleague, lesson=t.f1)
    Assignment.objects.create(
        organisation=w.org, assigned_by=w.admin, tier=t.practitioner, unit=w.ward_b,
        due_on=today - datetime.timedelta(days=1),
    )  # fmt: skip
    # Measures: one concern on Ward A, one calm on Ward B, one concern on Ward C (South).
    w.falls = measure(w.ward_a, "Falls on Ward A", WORRYING, target=4)
    w.calm = measure(w.ward_b, "Calm on Ward B", CALM)
    w.south_measure = measure(w.ward_c, "South concern", WORRYING)
    # Projects.
    w.healthy = Project.objects.create(
        unit=w.ward_a, title="Healthy project", status=ProjectStatus.ACTIVE, method="mfi",
        phase="testing",
    )  # fmt: skip
    ProjectMeasure.objects.create(project=w.healthy, measure=w.falls, role=MeasureRole.OUTCOME)
    PDSACycle.objects.create(
        project=w.healthy, title="Recent test", stage=Stage.DO,
        start_date=today - datetime.timedelta(days=7),
    )  # fmt: skip
    w.stalled = Project.objects.create(
        unit=w.ward_b, title="Stalled project", status=ProjectStatus.ACTIVE, method="dmaic",
        phase="analyse",
    )  # fmt: skip
    PDSACycle.objects.create(
        project=w.stalled, title="Old test", stage=Stage.DONE,
        start_date=today - datetime.timedelta(weeks=12),
        end_date=today - datetime.timedelta(weeks=10),
    )  # fmt: skip
    w.finished = Project.objects.create(
        unit=w.ward_a, title="Finished project", status=ProjectStatus.FINISHED,
        result_summary="Falls halved and stayed down.", finished_on=today,
    )  # fmt: skip
    w.draft = Project.objects.create(
        unit=w.ward_a, title="Draft project", status=ProjectStatus.DRAFT
    )
    w.south_project = Project.objects.create(
        unit=w.ward_c, title="South project", status=ProjectStatus.ACTIVE
    )
    # Ideas: Ward B promises an answer within 3 days.
    UnitIdeaSettings.objects.create(unit=w.ward_b, response_days=3)
    w.idea_late = idea(w.ward_a, w.member, "Late idea on Ward A", days_ago=10)
    w.idea_late_b = idea(w.ward_b, w.colleague, "Late idea on Ward B", days_ago=5)
    w.idea_fresh = idea(w.ward_a, w.member, "Fresh idea on Ward A", days_ago=2)
    idea(w.ward_a, w.member, "Adopted idea", days_ago=20, status=Status.ADOPTED, answered_after=2)
    idea(w.ward_a, w.member, "Testing idea", days_ago=30, status=Status.TESTING, answered_after=4)
    idea(w.ward_a, w.member, "Old idea", days_ago=120, status=Status.ADOPTED, answered_after=1)
    w.south_idea = idea(w.ward_c, w.leader_elsewhere, "South idea", days_ago=30)
    return w
