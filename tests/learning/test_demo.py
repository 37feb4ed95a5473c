"""The demo has learners at every stage, certificates, overdue assignments; it is idempotent."""

from __future__ import annotations

import pytest

from champion.accounts.models import User
from champion.learning.models import Assignment, Certificate, LessonProgress
from champion.learning.services.overview import resume
from champion.learning.services.team import learners, team_progress
from champion.web.demo import load_demo


@pytest.mark.django_db
def test_the_demo_shows_every_stage_and_is_idempotent():
    load_demo()
    counts = (
        LessonProgress.objects.count(),
        Certificate.objects.count(),
        Assignment.objects.count(),
    )
    load_demo()
    assert (
        LessonProgress.objects.count(),
        Certificate.objects.count(),
        Assignment.objects.count(),
    ) == counts
    member = User.objects.get(email="member@riverside.example")
    assert resume(member) is not None and not Certificate.objects.filter(user=member).exists()
    leader = User.objects.get(email="leader@riverside.example")
    ward = team_progress(leader, Certificate.objects.first().tier)
    assert sum(1 for r in ward if r.certificates) >= 2  # Alex's colleagues
    assert {r.stage for r in ward} >= {"Certified", "In progress"}
    assert any(r.overdue for r in ward)
    executive = User.objects.get(email="executive@riverside.example")
    stages = {r.stage for r in team_progress(executive, Certificate.objects.first().tier)}
    assert stages == {"Certified", "Lessons done", "In progress", "Not started"}
    assert learners(executive).count() > 50
