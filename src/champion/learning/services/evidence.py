"""Evidence for credentials: saving drafts, submitting, and coaches' reviews."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from champion.accounts.models import Role
from champion.core import limits
from champion.learning.models import (
    EvidenceFile,
    Review,
    Submission,
    SubmissionStatus,
    Tier,
)
from champion.learning.rubrics import KIND_FOR_TIER, PRACTICALS, items_for, missing_items
from champion.learning.services.certificates import award_if_eligible

MAX_LINKS = 10


def submission_for_tier(user: Any, tier: Tier) -> Submission:
    submission, _ = Submission.objects.get_or_create(
        user=user, tier=tier, defaults={"kind": KIND_FOR_TIER[tier.slug]}
    )
    return submission


def _links(text: str) -> list[str]:
    links = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if not line.startswith(("https://", "http://")):
            raise ValidationError(f"Links start with https:// or http:// ({line[:60]!r}).")
        links.append(line[:500])
    return links[:MAX_LINKS]


@transaction.atomic
def save_evidence(submission: Submission, post: Any, files: Any, *, submit: bool) -> list[str]:
    """Save the form; on submit, check completeness. Returns problems (empty when accepted)."""
    if not submission.editable:
        raise PermissionDenied("This evidence is with a coach or approved; it cannot change now.")
    if submission.kind == "practical":
        variant = str(post.get("variant", submission.variant or ""))
        submission.variant = variant if variant in PRACTICALS else ""
    problems: list[str] = []
    evidence = dict(submission.evidence)
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    for item in items_for(submission.kind, submission.variant):
        text = str(post.get(f"{item.key}-text", "")).strip()
        if message := limits.too_long(text, limits.LONG, item.label):
            problems.append(message)
            text = str(evidence.get(item.key, {}).get("text", ""))  # keep what was saved
        entry: dict[str, object] = {"text": text}
        try:
            entry["links"] = _links(str(post.get(f"{item.key}-links", "")))
        except ValidationError as exc:
            problems.append(f"{item.label}: {exc.messages[0]}")
            entry["links"] = []
        evidence[item.key] = entry
        for upload in files.getlist(f"{item.key}-files") if item.files else []:
            if upload.size > limit:
                problems.append(
                    f"{item.label}: {upload.name} is larger than {settings.MAX_UPLOAD_MB} MB."
                )
                continue
            EvidenceFile.objects.create(
                submission=submission,
                item=item.key,
                filename=upload.name[:255],
                content_type=(upload.content_type or "application/octet-stream")[:100],
                size=upload.size,
                content=upload.read(),
            )
    submission.evidence = evidence
    if submit:
        if submission.kind == "practical" and not submission.variant:
            problems.append("Choose which practical you did.")
        problems += [
            f"{item.label}: write at least a few sentences."
            for item in missing_items(submission.kind, submission.variant, evidence)
        ]
    if problems and submit:
        submission.save()
        return problems
    if submit:
        submission.submitted_at = timezone.now()
        # The Foundation practical is checked by the platform; projects go to a coach.
        submission.status = (
            SubmissionStatus.APPROVED
            if submission.kind == "practical"
            else SubmissionStatus.SUBMITTED
        )
        if submission.kind == "practical":
            submission.decided_at = submission.submitted_at
    submission.save()
    if submit:
        award_if_eligible(submission.user, submission.tier)
    return problems


def can_review(user: Any, submission: Submission) -> bool:
    """Only a coach over the learner's units (never the learner) reviews a project or portfolio."""
    if submission.user_id == user.pk or submission.kind == "practical":
        return False
    units = [m.unit for m in submission.user.memberships.select_related("unit")]
    return any(user.has_role_at(unit, Role.COACH) for unit in units)


@transaction.atomic
def review(submission: Submission, reviewer: Any, *, approve: bool, comment: str) -> Review:
    if not can_review(reviewer, submission):
        raise PermissionDenied("Only a coach for this person's unit can review their evidence.")
    if submission.status != SubmissionStatus.SUBMITTED:
        raise PermissionDenied("This evidence is not waiting for a review.")
    if not approve and not comment.strip():
        raise ValidationError("Say what to improve when you return evidence.")
    limits.check(comment.strip(), limits.LONG, "The comment")
    decision = Review.Decision.APPROVED if approve else Review.Decision.RETURNED
    result = Review.objects.create(
        submission=submission, reviewer=reviewer, decision=decision, comment=comment.strip()
    )
    submission.status = SubmissionStatus.APPROVED if approve else SubmissionStatus.RETURNED
    submission.decided_at = timezone.now()
    submission.save(update_fields=["status", "decided_at"])
    if approve:
        award_if_eligible(submission.user, submission.tier)
    return result
