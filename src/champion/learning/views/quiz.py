"""Quizzes: a fresh random draw per attempt, scored at 80 %, feedback for every answer."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.core.http import AuthedRequest
from champion.learning.models import Choice, QuizAttempt
from champion.learning.permissions import attempt_for, lesson_for
from champion.learning.services import progress


def quiz(request: AuthedRequest, slug: str) -> HttpResponse:
    """The quiz's front page: the open attempt if there is one, otherwise past results."""
    lesson = lesson_for(request.user, slug)
    attempts = QuizAttempt.objects.filter(user=request.user, lesson=lesson)
    open_attempt = attempts.filter(submitted_at__isnull=True).first()
    if open_attempt is not None:
        return redirect("learning:attempt", pk=open_attempt.pk)
    context = {
        "lesson": lesson,
        "attempts": attempts.filter(submitted_at__isnull=False)[:10],
        "bank": lesson.live_questions().count(),
        "per_attempt": min(progress.QUESTIONS_PER_ATTEMPT, lesson.live_questions().count()),
        "pass_percent": round(QuizAttempt.PASS_MARK * 100),
    }
    return render(request, "learning/quiz_start.html", context)


@require_POST
def start(request: AuthedRequest, slug: str) -> HttpResponse:
    lesson = lesson_for(request.user, slug)
    QuizAttempt.objects.filter(user=request.user, lesson=lesson, submitted_at__isnull=True).delete()
    attempt = progress.start_attempt(request.user, lesson)
    return redirect("learning:attempt", pk=attempt.pk)


def _questions(attempt: QuizAttempt) -> list[dict[str, object]]:
    answers = list(attempt.answers.select_related("question"))
    choices = {
        c.pk: c for c in Choice.objects.filter(question__in=[a.question_id for a in answers])
    }
    return [
        {
            "answer": a,
            "question": a.question,
            "choices": [choices[pk] for pk in a.choice_order if pk in choices],
            "chosen": set(a.chosen),
        }
        for a in answers
    ]


def attempt(request: AuthedRequest, pk: int) -> HttpResponse:
    """Answer the drawn questions (GET shows them, POST scores them), then see the feedback."""
    attempt = attempt_for(request.user, pk)
    missing: list[int] = []
    if request.method == "POST" and not attempt.submitted_at:
        chosen = {
            a.pk: [int(v) for v in request.POST.getlist(f"q-{a.pk}") if v.isdigit()]
            for a in attempt.answers.all()
        }
        try:
            progress.submit_attempt(attempt, chosen)
            return redirect("learning:attempt", pk=attempt.pk)
        except progress.Unanswered as exc:
            missing = exc.missing
    context = {
        "attempt": attempt,
        "lesson": attempt.lesson,
        "questions": _questions(attempt),
        "missing": missing,
        "pass_percent": round(QuizAttempt.PASS_MARK * 100),
    }
    status = 422 if missing else 200
    return render(request, "learning/quiz.html", context, status=status)
