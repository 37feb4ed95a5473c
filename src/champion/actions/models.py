"""An action: one task with an owner, a due date, a status and where it came from.

Actions sit in a layer between `accounts` and the rooms: Lead (maturity gaps, the board
report), Improve (huddle boards, project steps) and any other room create them through
`champion.actions.services` without importing each other. An action points at its source
generically (`source_kind` + `source_id`, with the label and link the creating room gave),
so no room's table is named here and deleting the source leaves the action readable.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Unit
from champion.core.permissions import OrgScopedQuerySet

#: An action is "due soon" from this many days before its due date.
DUE_SOON_DAYS = 3


class Status(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


#: Statuses that still need someone to do something (reminders, the home card, "overdue").
LIVE = (Status.OPEN, Status.IN_PROGRESS)


class SourceKind(models.TextChoices):
    NONE = "", "Nothing"
    MATURITY_GAP = "maturity_gap", "Maturity gap"
    BOARD_EXCEPTION = "board_exception", "Board-report exception"
    HUDDLE = "huddle", "Huddle board"
    PROJECT_STEP = "project_step", "Project step"


class ActionQuerySet(OrgScopedQuerySet["Action"]):
    organisation_field = "unit__organisation_id"

    def narrow(self, user: Any) -> ActionQuerySet:
        """An action is seen by its owner, its creator and whoever leads, coaches or
        administers its unit (or a unit above it); nobody else, not even colleagues."""
        return self.filter(
            Q(owner=user) | Q(created_by=user) | Q(unit__in=Unit.objects.overseen_by(user))
        )

    def live(self) -> ActionQuerySet:
        return self.filter(status__in=LIVE)

    def overdue(self, today: datetime.date) -> ActionQuerySet:
        return self.live().filter(due_on__lt=today)

    def due_soon(self, today: datetime.date) -> ActionQuerySet:
        return self.live().filter(
            due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
        )


class Action(models.Model):
    """Something one person will do by a date, in a unit, perhaps about something else."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True, max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions_owned"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    # Where it came from: a kind, the source's id in its own room (text: "12:trust" names a
    # component of a maturity round), and the words and link the creating room gave.
    source_kind = models.CharField(max_length=20, choices=SourceKind.choices, blank=True)
    source_id = models.CharField(max_length=60, blank=True)
    source_label = models.CharField(max_length=300, blank=True)
    source_url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    # Reminders: the due date each reminder was sent for, so each is sent once per due date
    # (moving the date arms them again).
    due_soon_sent_for = models.DateField(null=True, blank=True)
    overdue_sent_for = models.DateField(null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["unit", "status", "due_on"]),
            models.Index(fields=["source_kind", "source_id"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("actions:detail", args=[self.pk])

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id

    @property
    def is_live(self) -> bool:
        return self.status in LIVE

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return self.is_live and self.due_on < (today or timezone.localdate())

    def is_due_soon(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.is_live and today <= self.due_on <= today + datetime.timedelta(DUE_SOON_DAYS)

    @property
    def has_source(self) -> bool:
        return bool(self.source_kind)
