"""Strategy deployment: objectives at three levels, their monthly plans, the projects that serve
them and the catchball conversation about each.

- The **true north** (one or two lasting statements) and **breakthrough objectives** (three to
  five years) are set by an executive: a leader or admin of the organisation's top unit.
- An **annual goal** belongs to a unit and serves one breakthrough objective. It names its
  owner, the measure that shows it (a Measure of the Measure room), the direction that is
  better, a year-end target and a plan value for each of its twelve months: the bowling chart
  compares each month's plan with the measure's actual value.
- A unit **proposes** an annual goal; a leader above it **accepts** it or **returns** it with a
  comment (catchball). Every step is a `Catch`, the goal's conversation; a goal set by someone
  who may accept it is accepted at once.
- `GoalProject` links an annual goal to the Improve projects that serve it, strongly or weakly
  (the X-matrix's dots).

The measure and the project are named by string ("measures.Measure", "improvement.Project"),
as Improve's `ProjectMeasure` names Measure's model: a foreign key is a database link, not an
import, so Lead's modules read Measure and Improve only through their `services` modules.
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


class Level(models.TextChoices):
    TRUE_NORTH = "true_north", "True north"
    BREAKTHROUGH = "breakthrough", "Breakthrough objective"
    ANNUAL = "annual", "Annual goal"


class GoalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed, waiting for a decision"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"


class Direction(models.TextChoices):
    UP = "up", "Higher is better"
    DOWN = "down", "Lower is better"


class Strength(models.TextChoices):
    STRONG = "strong", "Strong"
    WEAK = "weak", "Weak"


#: The levels set for the whole organisation by an executive.
ORGANISATION_LEVELS = (Level.TRUE_NORTH, Level.BREAKTHROUGH)
#: How many months an annual goal's plan runs.
PLAN_MONTHS = 12


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after `month`'s."""
    index = month.year * 12 + month.month - 1 + n
    return datetime.date(index // 12, index % 12 + 1, 1)


class ObjectiveQuerySet(OrgScopedQuerySet["Objective"]):
    organisation_field = "unit__organisation_id"

    def narrow(self, user: Any) -> ObjectiveQuerySet:
        """The true north and breakthrough objectives are the organisation's: everyone in it
        sees them. An annual goal is seen by those who oversee its unit (leaders, coaches and
        admins of the unit or above it), its owner and the person who proposed it."""
        return self.filter(
            Q(level__in=ORGANISATION_LEVELS)
            | Q(unit__in=Unit.objects.overseen_by(user))
            | Q(owner=user)
            | Q(created_by=user)
        )

    def annual(self) -> ObjectiveQuerySet:
        return self.filter(level=Level.ANNUAL)


class Objective(models.Model):
    """A true north, a breakthrough objective or an annual goal of a unit."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="strategy_objectives")
    level = models.CharField(max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The breakthrough objective an annual goal serves (or the true north a "
        "breakthrough objective serves).",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_objectives",
    )
    #: An annual goal's year is its plan's first month; a breakthrough objective's is its deadline.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    start = models.DateField(
        null=True, blank=True, help_text="An annual goal's first plan month (its first day)."
    )
    measure = models.ForeignKey(
        "measures.Measure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="strategy_goals",
    )
    direction = models.CharField(max_length=4, choices=Direction.choices, blank=True)
    target = models.FloatField(null=True, blank=True, help_text="On the measure's scale.")
    status = models.CharField(
        max_length=10, choices=GoalStatus.choices, default=GoalStatus.ACCEPTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObjectiveQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "title", "pk"]
        indexes = [models.Index(fields=["level", "status", "year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=[c.value for c in Level]), name="objective_known_level"
            ),
            models.CheckConstraint(
                condition=Q(target__isnull=True) | Q(level=Level.ANNUAL),
                name="objective_target_only_on_annual_goals",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("leadership:strategy-objective", args=[self.pk])

    def audit_organisation_id(self) -> int:
        return self.unit.organisation_id

    @property
    def is_annual(self) -> bool:
        return self.level == Level.ANNUAL

    @property
    def is_accepted(self) -> bool:
        return self.status == GoalStatus.ACCEPTED

    @property
    def is_proposed(self) -> bool:
        return self.status == GoalStatus.PROPOSED

    def months(self) -> list[datetime.date]:
        """The first days of the plan's months (none before a start month is set)."""
        if self.start is None:
            return []
        return [add_months(self.start, i) for i in range(PLAN_MONTHS)]


class PlanMonth(models.Model):
    """An annual goal's planned value for one month, on its measure's scale."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="plan")
    month = models.DateField(help_text="The month's first day.")
    plan = models.FloatField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "month"], name="plan_one_per_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="plan_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.objective}: {self.month:%b %Y} plan {self.plan:g}"

    def audit_organisation_id(self) -> int:
        return self.objective.unit.organisation_id


class GoalProject(models.Model):
    """An Improve project that serves an annual goal (a dot in the X-matrix)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="projects")
    project = models.ForeignKey(
        "improvement.Project", on_delete=models.CASCADE, related_name="strategy_links"
    )
    strength = models.CharField(max_length=6, choices=Strength.choices, default=Strength.STRONG)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["objective", "project"], name="goal_project_once")
        ]

    def __str__(self) -> str:
        return f"{self.project} serves {self.objective}"

    def audit_organisation_id(self) -> int:
        return self.objective.unit.organisation_id


class CatchKind(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    COMMENT = "comment", "Commented"
    RETURNED = "returned", "Returned for changes"
    ACCEPTED = "accepted", "Accepted"
    SET = "set", "Set"


class Catch(models.Model):
    """One throw of catchball on an objective: a proposal, a comment, a return or acceptance."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="catches")
    kind = models.CharField(max_length=10, choices=CatchKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name_plural = "catches"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.objective}"

    def audit_organisation_id(self) -> int:
        return self.objective.unit.organisation_id
