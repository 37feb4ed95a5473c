"""Per-person progress: lessons viewed and completed, quiz attempts, exercise attempts.

A person's learning record is theirs; their leaders, coaches and admins up the unit tree
see it (`visible_to`), nobody else does.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from champion.accounts.models import User
from champion.learning.models.content import Exercise, Lesson, Question, Tier
from champion.learning.signals import RecordsQuerySet


class LearnerQuerySet(RecordsQuerySet[Any]):
    """Records of the people `user` may see (themselves and the subtrees they oversee)."""

    organisation_field = "user__organisation_id"

    def narrow(self, user: Any) -> Any:
        return self.filter(user__in=User.objects.visible_to(user))


class LessonProgressQuerySet(LearnerQuerySet):
    """A person's standing on a tier depends on which lessons they opened and completed."""

    standing_fields = frozenset({"user", "user_id", "lesson", "lesson_id", "completed_at"})


class LessonProgress(models.Model):
    """One person's state on one lesson: saved as they go, so they can resume."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_progress"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="progress")
    first_viewed_at = models.DateTimeField(default=timezone.now)
    last_viewed_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    quiz_passed_at = models.DateTimeField(null=True, blank=True)
    best_score = models.FloatField(null=True, blank=True)
    exercise_passed_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = LessonProgressQuerySet.as_manager()

    class Meta:
        ordering = ["-last_viewed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "lesson"], name="one_progress_per_lesson")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.lesson}"

    def refresh_completion(self, has_exercise: bool) -> bool:
        """Mark complete when read, quiz passed and (if any) exercise passed; True if newly so."""
        if self.completed_at:
            return False
        done = (
            self.read_at and self.quiz_passed_at and (self.exercise_passed_at or not has_exercise)
        )
        if done:
            self.completed_at = timezone.now()
            return True
        return False


class QuizAttempt(models.Model):
    """One sitting of a lesson's quiz: the questions drawn for it and, once submitted, the score."""

    PASS_MARK = 0.8

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE, related_name="quiz_attempts")
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    passed = models.BooleanField(default=False)

    objects = LearnerQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} quiz on {self.lesson} ({self.started_at:%Y-%m-%d})"

    @property
    def percent(self) -> int:
        return round((self.score or 0) * 100)


class QuizAnswer(models.Model):
    """A question drawn for an attempt, the order its choices were shown in, and the answer."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    # PROTECT: a question someone has answered is retired, never deleted, when the bank changes.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    order = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list, help_text="Choice ids, as shown.")
    chosen = models.JSONField(default=list, help_text="Choice ids the person chose.")
    correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["attempt", "order"]

    def __str__(self) -> str:
        return f"{self.attempt}: {self.question.key}"


class ExerciseAttempt(models.Model):
    """A graded answer to an exercise, with the grader's feedback kept for review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exercise_attempts"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="attempts")
    submitted_at = models.DateTimeField(default=timezone.now)
    answer = models.JSONField(default=dict)
    score = models.FloatField(default=0)
    passed = models.BooleanField(default=False)
    feedback = models.JSONField(default=dict)

    objects = LearnerQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} on {self.exercise} ({'passed' if self.passed else 'not yet'})"


class TierStatus(models.Model):
    """Where one person stands on one tier, kept up to date from their lesson progress and
    certificates by `learning.services.status` (the one home of the rule), so head counts over
    thousands of people (the Lead overview's training coverage, team progress) read this small
    table instead of a million progress rows. A row exists only for a person who has opened a
    live lesson of the tier or holds its certificate.

    Derived data: `champion manage rebuild_learning_status` recomputes every row (nightly, and
    after bulk loads).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tier_status"
    )
    tier = models.ForeignKey(Tier, on_delete=models.CASCADE, related_name="+")
    started = models.PositiveIntegerField(default=0, help_text="Live lessons opened.")
    completed = models.PositiveIntegerField(default=0, help_text="Live lessons completed.")
    certified = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "tier"], name="one_status_per_tier"),
        ]
        indexes = [models.Index(fields=["tier", "user"], name="status_by_tier")]

    def __str__(self) -> str:
        return f"{self.user_id} on tier {self.tier_id}"
