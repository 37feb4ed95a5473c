"""The high-reliability maturity self-assessment: rounds, participants, answers and consensus.

A round (`Assessment`) is about one unit (usually the whole organisation or a hospital) and
is run by its facilitator. It moves one way through three states: participants answer on
their own (`open`); the facilitator closes answering and the group agrees a stage for each
component (`discussing`); the round is finished and its report is published (`finished`).
Individual answers are never shown to anyone but their author: others see only how many
people chose each stage, and only after answering has closed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import Unit
from champion.core.permissions import OrgScopedQuerySet
from champion.leadership.maturity.framework import LOCAL, ORGANISATION, Framework, framework_for


class Stage(models.IntegerChoices):
    BEGINNING = 1, "Beginning"
    DEVELOPING = 2, "Developing"
    ADVANCING = 3, "Advancing"
    APPROACHING = 4, "Approaching"


class RoundStatus(models.TextChoices):
    OPEN = "open", "Answering"
    DISCUSSING = "discussing", "Agreeing the consensus"
    FINISHED = "finished", "Finished"


class Scope(models.TextChoices):
    """Which components a round asks (fixed at its start from its unit's place in the tree)."""

    ORGANISATION = ORGANISATION, "Organisation-level"
    LOCAL = LOCAL, "Local (division, department, ward, team or service)"


class Perspective(models.TextChoices):
    LEADER = "leader", "Leader"
    FRONTLINE = "frontline", "Frontline"


class AssessmentQuerySet(OrgScopedQuerySet["Assessment"]):
    organisation_field = "unit__organisation_id"

    def narrow(self, user: Any) -> AssessmentQuerySet:
        """Rounds a person may open: those they facilitate, answer, or that are about a unit
        they lead, coach or administer. Nobody sees another organisation's rounds."""
        return self.filter(
            Q(facilitator=user)
            | Q(pk__in=Participant.objects.filter(user=user).values("assessment"))
            | Q(unit__in=Unit.objects.overseen_by(user))
        )

    def finished(self) -> AssessmentQuerySet:
        return self.filter(status=RoundStatus.FINISHED)


class Assessment(models.Model):
    """One round of the maturity self-assessment for a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="maturity_rounds")
    title = models.CharField(max_length=200)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    # Set once by `rounds.start` from the unit (`rounds.scope_of`); rounds from before the
    # scope existed asked every component, so the default is the organisation's.
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ORGANISATION)
    created_at = models.DateTimeField(default=timezone.now)
    answers_closed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the group will do in the next 90 days about what the round found: actions, owners
    # and dates, written by the facilitator once the round is finished.
    action_plan = models.TextField(blank=True, max_length=5000)
    action_plan_updated_at = models.DateTimeField(null=True, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["unit", "status", "finished_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leadership:maturity-round", args=[self.pk])

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id

    @property
    def framework(self) -> Framework:
        """The components this round asks (all fourteen, or fewer for a local round)."""
        return framework_for(self.scope)

    @property
    def is_local(self) -> bool:
        return self.scope == Scope.LOCAL

    def is_facilitator(self, user: Any) -> bool:
        return self.facilitator_id is not None and self.facilitator_id == user.pk

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN

    @property
    def is_discussing(self) -> bool:
        return self.status == RoundStatus.DISCUSSING

    @property
    def is_finished(self) -> bool:
        return self.status == RoundStatus.FINISHED

    def previous(self) -> Assessment | None:
        """The finished round of the same unit before this one, to compare with."""
        if self.finished_at is None:
            return None
        return (
            Assessment.objects.finished()
            .filter(unit_id=self.unit_id, finished_at__lt=self.finished_at)
            .order_by("-finished_at", "-pk")
            .first()
        )


class Participant(models.Model):
    """A person invited to answer a round, as a leader or as frontline staff."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="maturity_invitations"
    )
    perspective = models.CharField(max_length=10, choices=Perspective.choices)
    invited_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["perspective", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="maturity_one_invitation")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.assessment}"

    def audit_organisation_id(self) -> int:
        return self.assessment.unit.organisation_id


STAGE_RANGE = Q(stage__gte=Stage.BEGINNING) & Q(stage__lte=Stage.APPROACHING)


class StageChoice(models.Model):
    """A stage chosen for one component, with an optional note (an answer or a consensus)."""

    component = models.CharField(max_length=40)
    stage = models.PositiveSmallIntegerField(choices=Stage.choices)
    note = models.TextField(blank=True, max_length=2000)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.component}: {self.get_stage_display()}"


class Answer(StageChoice):
    """One participant's stage for one component, with an optional note. Private to its author."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "component"], name="maturity_one_answer"
            ),
            models.CheckConstraint(condition=STAGE_RANGE, name="maturity_answer_stage"),
        ]

    def audit_organisation_id(self) -> int:
        return self.participant.assessment.unit.organisation_id


class Consensus(StageChoice):
    """The stage a round's group agreed for one component."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="consensus")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "component"], name="maturity_one_consensus"
            ),
            models.CheckConstraint(condition=STAGE_RANGE, name="maturity_consensus_stage"),
        ]

    def audit_organisation_id(self) -> int:
        return self.assessment.unit.organisation_id
