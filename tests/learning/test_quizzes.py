"""Quizzes: five questions drawn at random, fresh ones on retakes, 80 % to pass, teaching feedback."""

from __future__ import annotations

import random

import pytest

from champion.learning.models import LessonProgress, QuizAttempt
from champion.learning.services import progress


def answer(attempt: QuizAttempt, right: int) -> dict[int, list[int]]:
    """Answer the first `right` questions correctly and the rest wrongly."""
    chosen = {}
    for i, a in enumerate(attempt.answers.select_related("question")):
        choices = list(a.question.choices.all())
        pick = [c.pk for c in choices if c.correct == (i < right)][:1]
        chosen[a.pk] = pick
    return chosen


def test_an_attempt_draws_five_questions_with_shuffled_choices(curriculum, world):
    attempt = progress.start_attempt(world.member, curriculum["first"], random.Random(1))
    answers = list(attempt.answers.all())
    assert len(answers) == 5 and len({a.question_id for a in answers}) == 5
    assert all(
        sorted(a.choice_order) == sorted(a.question.choices.values_list("pk", flat=True))
        for a in answers
    )


def test_a_retake_starts_with_the_questions_not_seen_last_time(curriculum, world):
    first = progress.start_attempt(world.member, curriculum["first"], random.Random(1))
    seen = set(first.answers.values_list("question_id", flat=True))
    second = progress.start_attempt(world.member, curriculum["first"], random.Random(2))
    drawn = set(second.answers.values_list("question_id", flat=True))
    # A bank of 6: the one unseen question is always drawn, plus four repeats.
    unseen = set(curriculum["first"].live_questions().values_list("pk", flat=True)) - seen
    assert unseen <= drawn and len(drawn) == 5


@pytest.mark.parametrize(("right", "passed"), [(5, True), (4, True), (3, False), (0, False)])
def test_the_pass_mark_is_80_percent(curriculum, world, right, passed):
    attempt = progress.start_attempt(world.member, curriculum["first"])
    progress.submit_attempt(attempt, answer(attempt, right))
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(right / 5) and attempt.passed is passed
    record = LessonProgress.objects.get(user=world.member, lesson=curriculum["first"])
    assert (record.quiz_passed_at is not None) is passed


def test_a_multiple_question_needs_exactly_the_correct_choices(curriculum, world):
    attempt = progress.start_attempt(world.member, curriculum["first"])
    target = attempt.answers.first()
    question = target.question
    question.type = "multiple"
    question.save()
    correct = list(question.choices.filter(correct=True).values_list("pk", flat=True))
    other = question.choices.filter(correct=False).first()
    other.correct = True
    other.save()
    chosen = answer(attempt, 5)
    chosen[target.pk] = correct  # misses the second correct choice
    progress.submit_attempt(attempt, chosen)
    target.refresh_from_db()
    assert target.correct is False


def test_unanswered_questions_are_refused_and_nothing_is_scored(curriculum, world):
    attempt = progress.start_attempt(world.member, curriculum["first"])
    chosen = answer(attempt, 5)
    chosen.pop(next(iter(chosen)))
    with pytest.raises(progress.Unanswered):
        progress.submit_attempt(attempt, chosen)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None


def test_retakes_are_unlimited_and_feedback_explains_every_answer(curriculum, world, client_for):
    client = client_for(world.member)
    for _ in range(3):
        response = client.post(f"/learn/lessons/{curriculum['first'].slug}/quiz/start/")
        assert response.status_code == 302
    attempt = QuizAttempt.objects.filter(user=world.member).first()
    chosen = answer(attempt, 2)
    data = {f"q-{pk}": ids for pk, ids in chosen.items()}
    response = client.post(f"/learn/quiz/{attempt.pk}/", data)
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "40 %" in page and "Try again" in page
    wrong = attempt.answers.filter(correct=False).first()
    chosen_choice = wrong.question.choices.get(pk=wrong.chosen[0])
    right_choice = wrong.question.choices.get(correct=True)
    assert chosen_choice.explanation in page and right_choice.explanation in page
    # Only the finished attempts count, and only one attempt is ever open at a time.
    assert QuizAttempt.objects.filter(user=world.member, submitted_at__isnull=True).count() == 0


def test_someone_elses_attempt_cannot_be_answered(curriculum, world, client_for):
    attempt = progress.start_attempt(world.member, curriculum["first"])
    assert client_for(world.colleague).get(f"/learn/quiz/{attempt.pk}/").status_code == 404
    assert client_for(world.leader).post(f"/learn/quiz/{attempt.pk}/", {}).status_code == 403
    assert client_for(world.outsider).get(f"/learn/quiz/{attempt.pk}/").status_code == 404
