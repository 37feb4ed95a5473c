"""Permission helpers for learning objects (see champion.core.permissions).

Lessons, modules and tiers are shared by every organisation and open to any of their
members; records, evidence and assignments are fetched through their `visible_to`
querysets, so outsiders get 404.
"""

from __future__ import annotations

from typing import Any, Literal

from champion.accounts.models import Unit, User
from champion.core.permissions import VIEW_ONLY, actions, get_for
from champion.improvement.services import Project
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

View = Literal["view"]


def tier_for(user: Any, slug: str, action: View = "view") -> Tier:
    return get_for(user, Tier.objects.all(), slug, action=action, rules=VIEW_ONLY, lookup="slug")


def module_for(user: Any, slug: str, action: View = "view") -> Module:
    return get_for(
        user,
        Module.objects.select_related("tier"),
        slug,
        action=action,
        rules=VIEW_ONLY,
        lookup="slug",
    )


def lesson_for(user: Any, slug: str, action: View = "view") -> Lesson:
    return get_for(
        user,
        Lesson.objects.select_related("module__tier"),
        slug,
        action=action,
        rules=VIEW_ONLY,
        lookup="slug",
    )


AttemptAction = Literal["answer"]
ATTEMPT_ACTIONS = actions(AttemptAction, answer=lambda u, a: a.user_id == u.pk)


def attempt_for(user: Any, pk: Any, action: AttemptAction = "answer") -> QuizAttempt:
    """A quiz attempt is answered and read only by its owner (leaders who see it get 403)."""
    return get_for(
        user,
        QuizAttempt.objects.select_related("lesson__module__tier"),
        pk,
        action=action,
        rules=ATTEMPT_ACTIONS,
    )


SubmissionAction = Literal["view", "edit", "review"]
SUBMISSION_ACTIONS = actions(
    SubmissionAction, view=None, edit=lambda u, s: s.user_id == u.pk, review=can_review
)


def submission_for(user: Any, pk: Any, action: SubmissionAction = "view") -> Submission:
    return get_for(
        user,
        Submission.objects.select_related("user", "tier"),
        pk,
        action=action,
        rules=SUBMISSION_ACTIONS,
    )


ProjectEvidenceAction = Literal["submit"]
PROJECT_EVIDENCE_ACTIONS = actions(
    ProjectEvidenceAction, submit=lambda u, p: p.members.filter(user=u).exists()
)


def project_for_evidence(user: Any, pk: Any, action: ProjectEvidenceAction = "submit") -> Project:
    """A project as Practitioner evidence: only by someone on its team (others who see it: 403)."""
    return get_for(
        user,
        Project.objects.select_related("unit"),
        pk,
        action=action,
        rules=PROJECT_EVIDENCE_ACTIONS,
    )


def evidence_file_for(user: Any, pk: Any, action: View = "view") -> EvidenceFile:
    """A file of evidence, for whoever sees its submission."""
    return get_for(
        user,
        EvidenceFile.objects.select_related("submission"),
        pk,
        action=action,
        rules=VIEW_ONLY,
    )


def certificate_for(user: Any, pk: Any, action: View = "view") -> Certificate:
    return get_for(
        user,
        Certificate.objects.select_related("tier", "user", "submission"),
        pk,
        action=action,
        rules=VIEW_ONLY,
    )


def can_change_assignment(user: Any, assignment: Assignment) -> bool:
    """Whoever made it, or anyone who oversees its whole target (never just its recipient)."""
    if assignment.assigned_by_id == user.pk:
        return True
    if assignment.unit_id:
        return Unit.objects.overseen_by(user).filter(pk=assignment.unit_id).exists()
    return (
        assignment.person_id != user.pk
        and User.objects.visible_to(user).filter(pk=assignment.person_id).exists()
    )


AssignmentAction = Literal["view", "change"]
ASSIGNMENT_ACTIONS = actions(AssignmentAction, view=None, change=can_change_assignment)


def assignment_for(user: Any, pk: Any, action: AssignmentAction = "view") -> Assignment:
    return get_for(user, Assignment.objects.all(), pk, action=action, rules=ASSIGNMENT_ACTIONS)
