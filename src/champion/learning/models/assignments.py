"""Assignments: a leader asks people (or a whole unit's subtree) to finish a tier or module by a date.

A unit assignment is resolved when read, so people who join the unit later are assigned too.
Reminders are recorded per assignment, person and kind, so none is ever sent twice.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from champion.accounts.models import Membership, Unit, User
from champion.core.permissions import OrgScopedQuerySet
from champion.learning.models.content import Module, Tier


class AssignmentQuerySet(OrgScopedQuerySet["Assignment"]):
    def narrow(self, user: Any) -> AssignmentQuerySet:
        """Assignments of people or units the user oversees, and those addressed to the user."""
        # `User.objects.visible_to(user)` tested per assignment (a look-up of the person's
        # memberships each), not worked out as the set of everyone the user oversees.
        overseen = Unit.objects.overseen_by(user)
        in_overseen = Membership.objects.filter(user_id=OuterRef("person_id"), unit__in=overseen)
        overseen_person = Q(person__organisation_id=user.organisation_id) & (
            Q(person=user) | Exists(in_overseen)
        )
        return self.filter(
            overseen_person | Q(unit__in=overseen) | Q(pk__in=self.for_person(user).values("pk"))
        )

    def for_person(self, person: Any) -> AssignmentQuerySet:
        """What `person` has been asked to do: directly or through a unit at or above theirs."""
        above: set[int] = set()
        for membership in person.memberships.select_related("unit"):
            above.update(int(part) for part in membership.unit.path.strip("/").split("/") if part)
        return self.filter(organisation_id=person.organisation_id).filter(
            Q(person=person) | Q(unit_id__in=above)
        )


class Assignment(models.Model):
    """A tier or a module to finish by `due_on`, for one person or everyone in a unit's subtree."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments_made"
    )
    tier = models.ForeignKey(Tier, null=True, blank=True, on_delete=models.PROTECT)
    module = models.ForeignKey(Module, null=True, blank=True, on_delete=models.PROTECT)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tier__isnull=False, module__isnull=True)
                | Q(tier__isnull=True, module__isnull=False),
                name="assignment_tier_or_module",
            ),
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="assignment_person_or_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_title} for {self.person or self.unit}, due {self.due_on}"

    def audit_organisation_id(self) -> int:
        return self.organisation_id

    @property
    def subject_title(self) -> str:
        return str(self.tier or self.module)

    def people(self) -> models.QuerySet[Any]:
        """Everyone this assignment applies to today."""
        if self.person_id:
            return User.objects.filter(pk=self.person_id, is_active=True)
        assert self.unit is not None
        return User.objects.filter(
            memberships__unit__path__startswith=self.unit.path, is_active=True
        ).distinct()


class ReminderSent(models.Model):
    """A reminder e-mail already sent: the unique key makes the daily job idempotent."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Due within a week"
        OVERDUE = "overdue", "Overdue"

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "user", "kind"], name="one_reminder_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} reminder to {self.user}"
