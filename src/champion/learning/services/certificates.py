"""Certificates are issued by the rules, never by hand, and never without the evidence.

- Foundation: every lesson of the tier complete (read, quiz passed at 80 %, exercise passed)
  and the practical submitted in full.
- Practitioner and Leader: the Foundation certificate, every lesson of the tier complete,
  and the project (or portfolio) approved by a coach.
A tier with no lessons yet cannot be earned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse

from champion.learning.models import (
    Certificate,
    LessonProgress,
    Review,
    Submission,
    SubmissionStatus,
    Tier,
)
from champion.learning.rubrics import KIND_FOR_TIER


@dataclass(frozen=True)
class Requirement:
    label: str
    done: bool
    detail: str = ""
    url: str = ""


def _evidence_approved(submission: Submission | None) -> bool:
    if submission is None or submission.status != SubmissionStatus.APPROVED:
        return False
    if submission.kind == "practical":
        return True
    # Approval counts only when a coach recorded it in a review (never the learner).
    return (
        submission.reviews.filter(decision=Review.Decision.APPROVED)
        .exclude(reviewer=submission.user)
        .exists()
    )


def requirements(user: Any, tier: Tier) -> list[Requirement]:
    lessons = list(tier.live_lessons())
    done = set(
        LessonProgress.objects.filter(
            user=user, lesson__in=lessons, completed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    quizzes = set(
        LessonProgress.objects.filter(
            user=user, lesson__in=lessons, quiz_passed_at__isnull=False
        ).values_list("lesson_id", flat=True)
    )
    result = []
    if tier.slug != "foundation":
        foundation = Certificate.objects.filter(user=user, tier__slug="foundation").exists()
        result.append(Requirement("Foundation certificate", foundation))
    result.append(
        Requirement(
            "Every lesson completed",
            bool(lessons) and len(done) == len(lessons),
            f"{len(done)} of {len(lessons)} lessons",
        )
    )
    result.append(
        Requirement(
            "Every quiz passed (80 % or more)",
            bool(lessons) and len(quizzes) == len(lessons),
            f"{len(quizzes)} of {len(lessons)} quizzes",
        )
    )
    kind = KIND_FOR_TIER[tier.slug]
    submission = Submission.objects.filter(user=user, tier=tier).first()
    label = {
        "practical": "The practical: a waste walk or a personal PDSA",
        "project": "A real improvement project, approved by a coach",
        "portfolio": "A leadership portfolio, approved by a coach",
    }[kind]
    detail = submission.get_status_display() if submission else "Not started"
    result.append(
        Requirement(
            label,
            _evidence_approved(submission),
            detail,
            reverse("learning:evidence", args=[tier.slug]),
        )
    )
    return result


def award_if_eligible(user: Any, tier: Tier) -> Certificate | None:
    """Issue the tier's certificate once every requirement is met; None otherwise."""
    existing = Certificate.objects.filter(user=user, tier=tier).first()
    if existing is not None:
        return existing
    if not all(r.done for r in requirements(user, tier)):
        return None
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                user=user,
                tier=tier,
                recipient_name=user.full_name or user.email,
                credential=tier.credential,
                organisation_name=str(user.organisation or ""),
                submission=Submission.objects.filter(user=user, tier=tier).first(),
            )
    except IntegrityError:  # issued by a concurrent request a moment ago
        return Certificate.objects.filter(user=user, tier=tier).first()
