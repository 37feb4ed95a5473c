"""Evidence and certificates: practicals, projects and portfolios, coach reviews, certificates.

A certificate is never created by hand: `champion.learning.services.certificates` issues it
when the evidence is complete (and, for Practitioner and Leader, approved by a coach).
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from champion.accounts.models import Role, Unit, User
from champion.core.permissions import OrgScopedQuerySet
from champion.learning.models.content import Tier
from champion.learning.signals import RecordsQuerySet


class SubmissionKind(models.TextChoices):
    PRACTICAL = "practical", "Foundation practical"
    PROJECT = "project", "Practitioner project"
    PORTFOLIO = "portfolio", "Leadership portfolio"


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for a coach"
    RETURNED = "returned", "Returned with comments"
    APPROVED = "approved", "Approved"


class SubmissionQuerySet(OrgScopedQuerySet["Submission"]):
    organisation_field = "user__organisation_id"

    def narrow(self, user: Any) -> SubmissionQuerySet:
        """The learner's own, and those of people the user oversees."""
        return self.filter(user__in=User.objects.visible_to(user))

    def reviewable_by(self, user: Any) -> SubmissionQuerySet:
        """Waiting submissions from people in the subtrees the user coaches (never their own)."""
        units = user.units_with_roles(Role.COACH)
        if not units:
            return self.none()
        coached = Unit.objects.visible_to(user).subtree_of(units)
        return (
            self.visible_to(user)
            .filter(user__memberships__unit__in=coached)
            .exclude(user=user)
            .distinct()
        )


class Submission(models.Model):
    """Evidence for a credential: answers per rubric item (text and links) plus uploaded files."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField(max_length=12, choices=SubmissionKind.choices)
    # {item_key: {"text": str, "links": [str, ...]}} for the rubric in learning.rubrics.
    evidence = models.JSONField(default=dict)
    variant = models.CharField(max_length=30, blank=True, help_text="Practical: which one.")
    # Practitioner: the learner's own project, whose records are the evidence (read live).
    project = models.ForeignKey(
        "improvement.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Practitioner: what the project showed when it was submitted (improvement.evidence's
    # checks, the chart, the learner's role), so the coach reviews exactly that and the
    # certificate keeps its evidence if the project changes or goes.
    snapshot = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tier"], name="one_submission_per_tier")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.user}"

    def audit_organisation_id(self) -> int | None:
        return self.user.organisation_id

    @property
    def editable(self) -> bool:
        return self.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


class EvidenceFileQuerySet(OrgScopedQuerySet["EvidenceFile"]):
    """A file is seen by whoever sees its submission."""

    organisation_field = "submission__user__organisation_id"

    def narrow(self, user: Any) -> EvidenceFileQuerySet:
        return self.filter(submission__in=Submission.objects.visible_to(user))


class EvidenceFile(models.Model):
    """An uploaded file of evidence, kept in the database: no state lives on an app server."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    item = models.CharField(max_length=40)
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = models.BinaryField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    objects = EvidenceFileQuerySet.as_manager()

    class Meta:
        ordering = ["item", "uploaded_at"]

    def __str__(self) -> str:
        return self.filename

    def audit_organisation_id(self) -> int | None:
        return self.submission.user.organisation_id


class Review(models.Model):
    """A coach's decision on a submission, with comments: the review history is kept."""

    class Decision(models.TextChoices):
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned with comments"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews_given"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices)
    comment = models.TextField(blank=True)
    # {rubric item key: the coach's comment on that item} (a project returned item by item).
    item_comments = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.reviewer}"

    def audit_organisation_id(self) -> int | None:
        return self.submission.user.organisation_id


def new_public_id() -> str:
    """128 bits of randomness: a verification link cannot be guessed or enumerated."""
    return secrets.token_urlsafe(16)


class CertificateQuerySet(RecordsQuerySet["Certificate"]):
    organisation_field = "user__organisation_id"
    standing_fields = frozenset({"user", "user_id", "tier", "tier_id"})

    def narrow(self, user: Any) -> CertificateQuerySet:
        """The holder's own, and those of people the user oversees."""
        return self.filter(user__in=User.objects.visible_to(user))


class Certificate(models.Model):
    """A credential earned; its public page shows only the name, credential and date."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates"
    )
    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="certificates")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id)
    # Snapshots: the certificate says what was true when it was issued.
    recipient_name = models.CharField(max_length=200)
    credential = models.CharField(max_length=200)
    organisation_name = models.CharField(max_length=200)
    issued_at = models.DateTimeField(default=timezone.now)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tier"], name="one_certificate_per_tier")
        ]

    def __str__(self) -> str:
        return f"{self.credential}: {self.recipient_name}"

    def audit_organisation_id(self) -> int | None:
        return self.user.organisation_id
