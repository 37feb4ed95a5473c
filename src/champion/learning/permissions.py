"""Permission helpers for learning objects (see champion.core.permissions).

Lessons are open to everyone in an organisation; records, evidence and assignments are
fetched through their `visible_to` querysets, so outsiders get 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from champion.core.permissions import get_for
from champion.learning.models import (
    Assignment,
    Certificate,
    EvidenceFile,
    Lesson,
    Module,
    QuizAttempt,
    Submission,
    Tier,
)
from champion.learning.services.evidence import can_review


def _org_member(user: Any) -> None:
    if not getattr(user, "organisation_id", None):
        raise Http404("Not found")


def tier_for(user: Any, slug: str) -> Tier:
    _org_member(user)
    tier = Tier.objects.offered().filter(slug=slug).first()
    if tier is None:
        raise Http404("Not found")
    return tier


def module_for(user: Any, slug: str) -> Module:
    _org_member(user)
    module = Module.objects.filter(slug=slug, retired=False).select_related("tier").first()
    if module is None:
        raise Http404("Not found")
    return module


def lesson_for(user: Any, slug: str) -> Lesson:
    _org_member(user)
    lesson = (
        Lesson.objects.filter(slug=slug, retired=False, module__retired=False)
        .select_related("module__tier")
        .first()
    )
    if lesson is None:
        raise Http404("Not found")
    return lesson


def attempt_for(user: Any, pk: Any) -> QuizAttempt:
    """A quiz attempt is answered only by its owner; leaders may look at it."""
    return get_for(
        user,
        QuizAttempt.objects.select_related("lesson__module__tier"),
        pk,
        allowed=lambda u, a: a.user_id == u.pk,
    )


def submission_for(user: Any, pk: Any, action: str = "view") -> Submission:
    allowed = {
        "view": None,
        "edit": lambda u, s: s.user_id == u.pk,
        "review": can_review,
    }[action]
    return get_for(user, Submission.objects.select_related("user", "tier"), pk, allowed=allowed)


def evidence_file_for(user: Any, pk: Any) -> EvidenceFile:
    file = EvidenceFile.objects.filter(pk=pk).select_related("submission").first()
    if file is None:
        raise Http404("Not found")
    submission_for(user, file.submission_id)
    return file


def certificate_for(user: Any, pk: Any) -> Certificate:
    return get_for(user, Certificate.objects.select_related("tier", "user"), pk)


def can_change_assignment(user: Any, assignment: Assignment) -> bool:
    """Whoever made it, or anyone who oversees its whole target (never just its recipient)."""
    from champion.accounts.models import Unit, User

    if assignment.assigned_by_id == user.pk:
        return True
    if assignment.unit_id:
        return Unit.objects.overseen_by(user).filter(pk=assignment.unit_id).exists()
    return (
        assignment.person_id != user.pk
        and User.objects.visible_to(user).filter(pk=assignment.person_id).exists()
    )


def assignment_for(user: Any, pk: Any, action: str = "view") -> Assignment:
    return get_for(
        user,
        Assignment.objects.all(),
        pk,
        allowed=can_change_assignment if action == "change" else None,
    )
