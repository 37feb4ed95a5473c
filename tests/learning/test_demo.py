"""The demo has learners at every stage, certificates, overdue assignments; it is idempotent."""

from __future__ import annotations

import pytest

from champion.accounts.models import User
from champion.learning.models import (
    Assignment,
    Certificate,
    LessonProgress,
    Submission,
    SubmissionStatus,
    Tier,
)
from champion.learning.services import evidence, portfolio
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
    foundation = Tier.objects.get(slug="foundation")
    ward = team_progress(leader, foundation)
    assert sum(1 for r in ward if r.certificates) >= 2  # Alex's colleagues
    assert {r.stage for r in ward} >= {"Certified", "In progress"}
    assert any(r.overdue for r in ward)
    executive = User.objects.get(email="executive@riverside.example")
    stages = {r.stage for r in team_progress(executive, foundation)}
    assert stages == {"Certified", "Lessons done", "In progress", "Not started"}
    assert learners(executive).count() > 50


@pytest.mark.django_db
def test_the_demo_has_a_practitioner_certificate_on_a_real_project_and_one_waiting():
    load_demo()
    tier = Tier.objects.get(slug="practitioner")
    submissions = Submission.objects.filter(tier=tier, kind="project").select_related("project")
    by_status = {s.status: s for s in submissions}
    assert set(by_status) == {SubmissionStatus.APPROVED, SubmissionStatus.SUBMITTED}
    for submission in submissions:
        # Both were submitted through the service: the project meets every item, live and
        # in the snapshot the coach reviews.
        assert submission.project.title == "Discharge before noon on Ward 9"
        assert all(item["met"] for item in submission.snapshot["items"])
        assert evidence.gather(submission).complete
        assert submission.snapshot["chart"]["svg"]
    approved = by_status[SubmissionStatus.APPROVED]
    assert approved.snapshot["role"] == "Project lead"
    assert by_status[SubmissionStatus.SUBMITTED].snapshot["role"] == "Team member"
    coach = User.objects.get(email="coach@riverside.example")
    assert list(Submission.objects.reviewable_by(coach).filter(status="submitted")) == [
        by_status[SubmissionStatus.SUBMITTED]
    ]
    lessons = list(tier.live_lessons())
    if lessons:  # the certificate needs the tier's lessons, written on their own branches
        cert = Certificate.objects.get(tier=tier)
        assert cert.user == approved.user and cert.submission == approved
        # People part-way: some lessons done, some only read (quizzes not passed yet).
        progress = LessonProgress.objects.filter(lesson__in=lessons)
        assert progress.filter(completed_at__isnull=True, read_at__isnull=False).exists()
        partial = {
            p.user_id
            for p in progress.filter(completed_at__isnull=False)
            if p.user_id not in {s.user_id for s in submissions}
        }
        assert len(partial) >= 3
    else:
        assert not Certificate.objects.filter(tier=tier).exists()


@pytest.mark.django_db
def test_the_demo_has_a_leader_portfolio_approved_on_real_work_and_a_leader_mid_way():
    load_demo()
    tier = Tier.objects.get(slug="leader")
    approved = Submission.objects.get(tier=tier, status=SubmissionStatus.APPROVED)
    assert approved.user.email == "executive@riverside.example"
    # Submitted through the service: every item met in the snapshot and live, read from the
    # other rooms' demo data (her round, her sponsored project, her board round).
    assert all(item["met"] for item in approved.snapshot["items"])
    assert portfolio.gather(approved).complete
    assert approved.reviews.get().decision == "approved"
    mid = Submission.objects.get(tier=tier, user__email="leader@riverside.example")
    assert mid.status == SubmissionStatus.DRAFT
    assert not portfolio.gather(mid).complete
    lessons = list(tier.live_lessons())
    if lessons:  # the certificate needs the tier's lessons, written on their own branches
        cert = Certificate.objects.get(tier=tier)
        assert cert.user == approved.user and cert.submission == approved
        done = LessonProgress.objects.filter(
            user=mid.user, lesson__in=lessons, completed_at__isnull=False
        ).count()
        assert 0 < done < len(lessons) or len(lessons) < 3
    else:
        assert not Certificate.objects.filter(tier=tier).exists()
