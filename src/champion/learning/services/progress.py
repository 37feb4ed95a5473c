"""Progress saved as you go: lesson views, reading, quiz attempts (random draws) and exercises."""

from __future__ import annotations

import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from champion.learning.grading import Grade, grade, read_answer
from champion.learning.models import (
    Exercise,
    ExerciseAttempt,
    Lesson,
    LessonProgress,
    QuizAnswer,
    QuizAttempt,
)
from champion.learning.services.certificates import award_if_eligible
from champion.learning.services.own_charts import exercise_data

#: Questions per attempt; the bank has at least 5, usually 6-8, so retakes see fresh ones.
QUESTIONS_PER_ATTEMPT = 5


def progress_for(user: Any, lesson: Lesson) -> LessonProgress:
    progress, _ = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    return progress


def record_view(user: Any, lesson: Lesson) -> LessonProgress:
    """Remember that (and when) the person opened the lesson: this is what "resume" uses."""
    progress, created = LessonProgress.objects.get_or_create(user=user, lesson=lesson)
    if not created:
        progress.last_viewed_at = timezone.now()
        LessonProgress.objects.filter(pk=progress.pk).update(last_viewed_at=progress.last_viewed_at)
    return progress


def _after_change(user: Any, progress: LessonProgress) -> None:
    lesson = progress.lesson
    if progress.refresh_completion(has_exercise=lesson.live_exercise is not None):
        progress.save(update_fields=["completed_at"])
    award_if_eligible(user, lesson.module.tier)


def mark_read(user: Any, lesson: Lesson) -> LessonProgress:
    progress = progress_for(user, lesson)
    if not progress.read_at:
        progress.read_at = timezone.now()
        progress.save(update_fields=["read_at"])
    _after_change(user, progress)
    return progress


def draw_questions(user: Any, lesson: Lesson, rng: random.Random | None = None) -> list[Any]:
    """Questions for a new attempt: ones not in the last attempt come first, at random."""
    rng = rng or random.Random()
    bank = list(lesson.live_questions())
    last = QuizAttempt.objects.filter(user=user, lesson=lesson).first()
    last_ids = set(last.answers.values_list("question_id", flat=True)) if last else set()
    fresh = [q for q in bank if q.pk not in last_ids]
    seen = [q for q in bank if q.pk in last_ids]
    rng.shuffle(fresh)
    rng.shuffle(seen)
    drawn = (fresh + seen)[:QUESTIONS_PER_ATTEMPT]
    rng.shuffle(drawn)
    return drawn


@transaction.atomic
def start_attempt(user: Any, lesson: Lesson, rng: random.Random | None = None) -> QuizAttempt:
    """A new attempt with freshly drawn questions and shuffled choices (retakes are unlimited)."""
    rng = rng or random.Random()
    questions = draw_questions(user, lesson, rng)
    attempt = QuizAttempt.objects.create(user=user, lesson=lesson)
    for order, question in enumerate(questions):
        choice_ids = list(question.choices.values_list("pk", flat=True))
        rng.shuffle(choice_ids)
        QuizAnswer.objects.create(
            attempt=attempt, question=question, order=order, choice_order=choice_ids
        )
    progress_for(user, lesson)
    return attempt


class Unanswered(Exception):
    """Some questions have no answer; the form is shown again with these marked."""

    def __init__(self, missing: list[int]) -> None:
        super().__init__(f"{len(missing)} question(s) unanswered")
        self.missing = missing


@transaction.atomic
def submit_attempt(attempt: QuizAttempt, chosen: dict[int, list[int]]) -> QuizAttempt:
    """Score the attempt: a question is right when exactly its correct choices are chosen."""
    if attempt.submitted_at:
        return attempt
    answers = list(attempt.answers.select_related("question").prefetch_related("question__choices"))
    missing = [a.pk for a in answers if not chosen.get(a.pk)]
    if missing:
        raise Unanswered(missing)
    right = 0
    for answer in answers:
        choices = list(answer.question.choices.all())
        picked = sorted(set(chosen[answer.pk]) & {c.pk for c in choices})
        if answer.question.type == "single":
            picked = picked[:1]
        answer.chosen = picked
        answer.correct = set(picked) == {c.pk for c in choices if c.correct}
        answer.save(update_fields=["chosen", "correct"])
        right += answer.correct
    attempt.score = right / len(answers) if answers else 0
    attempt.passed = bool(answers) and attempt.score >= QuizAttempt.PASS_MARK - 1e-9
    attempt.submitted_at = timezone.now()
    attempt.save(update_fields=["score", "passed", "submitted_at"])
    progress = progress_for(attempt.user, attempt.lesson)
    progress.best_score = max(progress.best_score or 0, attempt.score)
    fields = ["best_score"]
    if attempt.passed and not progress.quiz_passed_at:
        progress.quiz_passed_at = attempt.submitted_at
        fields.append("quiz_passed_at")
    if attempt.passed and not progress.read_at:
        # Passing the quiz shows the lesson was taken in; nobody has to click "read" as well.
        progress.read_at = attempt.submitted_at
        fields.append("read_at")
    progress.save(update_fields=fields)
    _after_change(attempt.user, progress)
    return attempt


@transaction.atomic
def submit_exercise(user: Any, exercise: Exercise, post: Any) -> tuple[ExerciseAttempt, Grade]:
    """Grade an exercise answer (GradingError if it cannot be graded) and record it."""
    data = exercise_data(user, exercise, post)  # the learner's own charts, re-checked
    answer = read_answer(exercise.kind, data, post)
    result = grade(exercise.kind, data, answer)
    attempt = ExerciseAttempt.objects.create(
        user=user,
        exercise=exercise,
        answer=answer,
        score=result.score,
        passed=result.passed,
        feedback=result.feedback,
    )
    progress = progress_for(user, exercise.lesson)
    if result.passed and not progress.exercise_passed_at:
        progress.exercise_passed_at = attempt.submitted_at
        progress.save(update_fields=["exercise_passed_at"])
    _after_change(user, progress)
    return attempt, result
