"""PDSA cycles: plan (with a prediction), do, study, act; chained into ramps under a change idea.

A cycle may be saved without a prediction while it is a draft plan, but it is flagged,
and it cannot start: without a prediction there is nothing to learn from the test.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from champion.improvement.models.drivers import ChangeIdea
from champion.improvement.models.project import Project, ProjectPartQuerySet
from champion.improvement.models.versioned import Versioned


class Stage(models.TextChoices):
    PLAN = "plan", "Plan"
    DO = "do", "Do"
    STUDY = "study", "Study"
    ACT = "act", "Act"
    DONE = "done", "Done"


class Decision(models.TextChoices):
    ADOPT = "adopt", "Adopt"
    ADAPT = "adapt", "Adapt"
    ABANDON = "abandon", "Abandon"


class PredictionHeld(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class PDSACycle(Versioned):
    """One test of change."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="cycles")
    change_idea = models.ForeignKey(
        ChangeIdea, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycles"
    )
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles"
    )
    title = models.CharField(max_length=200)
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.PLAN)
    # Plan
    question = models.TextField("what question will this test answer?", blank=True)
    prediction = models.TextField("what do we predict will happen?", blank=True)
    plan_who = models.CharField("who", max_length=300, blank=True)
    plan_what = models.TextField("what", blank=True)
    plan_where = models.CharField("where", max_length=300, blank=True)
    plan_when = models.CharField("when", max_length=300, blank=True)
    data_to_collect = models.TextField("data to collect", blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    # Do
    do_notes = models.TextField("what happened", blank=True)
    # Study
    study_notes = models.TextField("results compared with the prediction", blank=True)
    prediction_held = models.CharField(
        "did the prediction hold?", max_length=10, choices=PredictionHeld.choices, blank=True
    )
    # Act
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    act_notes = models.TextField("what next", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["project", "start_date", "pk"]
        verbose_name = "PDSA cycle"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:cycle", args=[self.pk])

    def audit_organisation_id(self) -> int:
        return self.project.unit.organisation_id

    @property
    def is_draft(self) -> bool:
        return self.stage == Stage.PLAN

    @property
    def lacks_prediction(self) -> bool:
        """The flag on a plan without a prediction."""
        return not self.prediction.strip()

    def ramp(self) -> list[PDSACycle]:
        """The chain this cycle belongs to, from its first cycle to its latest."""
        first: PDSACycle = self
        seen = {self.pk}
        while first.previous is not None and first.previous.pk not in seen:
            first = first.previous
            seen.add(first.pk)
        chain = [first]
        while True:
            following = chain[-1].next_cycles.order_by("pk").first()
            if following is None or following.pk in {c.pk for c in chain}:
                return chain
            chain.append(following)

    def number_in_ramp(self) -> int:
        return [c.pk for c in self.ramp()].index(self.pk) + 1

    # Moving through the cycle --------------------------------------------------------------

    STEPS = {
        Stage.PLAN: Stage.DO,
        Stage.DO: Stage.STUDY,
        Stage.STUDY: Stage.ACT,
        Stage.ACT: Stage.DONE,
    }

    def advance_problems(self) -> list[str]:
        """Why this cycle cannot move to its next stage yet (empty when it can)."""
        if self.stage == Stage.PLAN:
            problems = []
            if self.lacks_prediction:
                problems.append(
                    "Write a prediction before you start: without one there is nothing to learn."
                )
            if not self.question.strip():
                problems.append("Say what question this test will answer.")
            return problems
        if self.stage == Stage.DO and not self.do_notes.strip():
            return ["Record what happened before you study it."]
        if self.stage == Stage.STUDY and not self.study_notes.strip():
            return ["Compare the results with the prediction before you decide."]
        if self.stage == Stage.ACT and not self.decision:
            return ["Decide: adopt, adapt or abandon."]
        if self.stage == Stage.DONE:
            return ["This cycle is complete."]
        return []

    def advance(self, today: datetime.date | None = None) -> str:
        """Move to the next stage (the caller saves with save_versioned)."""
        problems = self.advance_problems()
        if problems:
            raise ValidationError(problems)
        if self.stage == Stage.PLAN and self.start_date is None:
            self.start_date = today or timezone.localdate()
        if self.stage == Stage.ACT and self.end_date is None:
            self.end_date = today or timezone.localdate()
        self.stage = self.STEPS[Stage(self.stage)]
        return self.stage

    def following(self) -> PDSACycle | None:
        """The cycle that came next in the ramp, if one has been started."""
        return self.next_cycles.order_by("pk").first()

    @transaction.atomic
    def start_next(self, *, by: Any) -> PDSACycle:
        """The next cycle of the ramp: same change idea, the question carried forward.

        A ramp is a chain, so a cycle has one next cycle: pressing twice, or pressing on an
        earlier cycle, returns the one already started instead of branching the ramp.
        """
        PDSACycle.objects.select_for_update().filter(pk=self.pk).first()
        existing = self.following()
        if existing is not None:
            return existing
        number = self.number_in_ramp() + 1
        base = self.change_idea.text if self.change_idea else self.title.split(" — ")[0]
        return PDSACycle.objects.create(
            project=self.project,
            change_idea=self.change_idea,
            previous=self,
            title=f"{base[:150]} — cycle {number}",
            question=self.question,
            plan_who=self.plan_who,
            plan_where=self.plan_where,
            data_to_collect=self.data_to_collect,
            created_by=by,
            updated_by=by,
        )
