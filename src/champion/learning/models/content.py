"""The curriculum as loaded from content/: tiers, modules, lessons, questions, exercises.

These rows are written only by `champion content load`, keyed by the stable names the
authors chose (tier/module/lesson slugs, question ids), so a revised lesson keeps its
learners' progress. Content that disappears from the files is *retired*, never deleted,
because learners' attempts point at it.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from champion.core.permissions import OrgScopedQuerySet


class TierQuerySet(OrgScopedQuerySet["Tier"]):
    """The curriculum is shared: any member of an organisation sees the tiers on offer."""

    organisation_field = None

    def narrow(self, user: Any) -> TierQuerySet:
        return self.offered()

    def offered(self) -> TierQuerySet:
        """Tiers with at least one live lesson: the catalogue never shows an empty tier."""
        return self.filter(modules__retired=False, modules__lessons__retired=False).distinct()


class Tier(models.Model):
    """A learning path ending in a credential: Foundation, Practitioner, Leader."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    credential = models.CharField(
        max_length=200, help_text="The certificate's name (never an ASQ or IHI certification)."
    )

    objects = TierQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self) -> str:
        return self.title

    def live_lessons(self) -> models.QuerySet[Lesson]:
        return Lesson.objects.filter(module__tier=self, module__retired=False, retired=False)


class ModuleQuerySet(OrgScopedQuerySet["Module"]):
    """Any member of an organisation sees the modules that are not retired."""

    organisation_field = None

    def narrow(self, user: Any) -> ModuleQuerySet:
        return self.filter(retired=False)


class Module(models.Model):
    """A group of lessons within a tier, taken in order."""

    tier = models.ForeignKey(Tier, on_delete=models.PROTECT, related_name="modules")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["tier__order", "order", "slug"]

    def __str__(self) -> str:
        return self.title

    def live_lessons(self) -> models.QuerySet[Lesson]:
        return self.lessons.filter(retired=False)


class LessonQuerySet(OrgScopedQuerySet["Lesson"]):
    """Any member of an organisation sees the lessons that are live (lesson and module)."""

    organisation_field = None

    def narrow(self, user: Any) -> LessonQuerySet:
        return self.filter(retired=False, module__retired=False)


class Lesson(models.Model):
    """A 5-12 minute lesson: objectives, rendered Markdown, a quiz bank, maybe an exercise."""

    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="lessons")
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    minutes = models.PositiveSmallIntegerField(default=8)
    objectives = models.JSONField(default=list)
    # [[key, citation], ...]: the lesson's references, resolved from content/sources*.yaml.
    sources = models.JSONField(default=list)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by"
    )
    body = models.TextField(help_text="The Markdown as written by the authors.")
    body_html = models.TextField(help_text="Rendered and sanitised; lesson: links resolved.")
    source_path = models.CharField(max_length=300, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    retired = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = LessonQuerySet.as_manager()

    class Meta:
        ordering = ["module__tier__order", "module__order", "order"]

    def __str__(self) -> str:
        return self.title

    @property
    def tier(self) -> Tier:
        return self.module.tier

    def live_questions(self) -> models.QuerySet[Question]:
        return self.questions.filter(retired=False)

    @property
    def live_exercise(self) -> Exercise | None:
        exercise = getattr(self, "exercise", None)
        return exercise if exercise is not None and not exercise.retired else None


class QuestionType(models.TextChoices):
    SINGLE = "single", "One answer"
    MULTIPLE = "multiple", "All that apply"


class Question(models.Model):
    """One question of a lesson's bank, identified by the authors' id within the lesson."""

    lesson = models.ForeignKey(Lesson, on_delete=models.PROTECT, related_name="questions")
    key = models.CharField(max_length=100)
    type = models.CharField(max_length=10, choices=QuestionType.choices)
    prompt = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)

    class Meta:
        ordering = ["lesson", "order"]
        constraints = [
            models.UniqueConstraint(fields=["lesson", "key"], name="question_key_unique_in_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.lesson.slug}:{self.key}"


class Choice(models.Model):
    """A possible answer; every choice explains why it is or is not right."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField()
    correct = models.BooleanField(default=False)
    explanation = models.TextField()

    class Meta:
        ordering = ["question", "order"]
        constraints = [
            models.UniqueConstraint(fields=["question", "order"], name="choice_order_unique")
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Exercise(models.Model):
    """A hands-on exercise graded by the platform; `data` holds the kind-specific YAML."""

    class Kind(models.TextChoices):
        CATEGORISE = "categorise", "Sort into categories"
        ORDER_STEPS = "order_steps", "Put steps in order"
        CHOOSE_CHART = "choose_chart", "Choose the chart"
        SPC_SIGNALS = "spc_signals", "Mark the signals"
        COMPUTE_CENTRE_LINE = "compute_centre_line", "Compute the centre line"
        AIM_STATEMENT = "aim_statement", "Write an aim statement"
        DRIVER_DIAGRAM = "driver_diagram", "Build a driver diagram"
        PARETO_VITAL_FEW = "pareto_vital_few", "Find the vital few"
        FMEA_RANK = "fmea_rank", "Rank the failure modes"
        CAPABILITY = "capability", "Compute process capability"
        COMPUTE_VALUE = "compute_value", "Compute the value"
        MDC_ICONS = "mdc_icons", "Read the charts with the Making Data Count icons"

    lesson = models.OneToOneField(Lesson, on_delete=models.PROTECT, related_name="exercise")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    instructions_html = models.TextField()
    data = models.JSONField(default=dict)
    retired = models.BooleanField(default=False)

    def __str__(self) -> str:
        return self.title
