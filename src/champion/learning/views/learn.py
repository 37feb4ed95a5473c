"""The catalogue, learning paths, modules and lessons."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.accounts.models import Role
from champion.core.http import AuthedRequest
from champion.learning.content.markdown import render as render_markdown
from champion.learning.models import Certificate, QuizAttempt, Submission, SubmissionStatus
from champion.learning.permissions import lesson_for, module_for, tier_for
from champion.learning.services import certificates, overview, progress, rule_sets


def index(request: AuthedRequest) -> HttpResponse:
    """Learn: resume, assignments, the learning paths and certificates."""
    user = request.user
    context = {
        "tiers": overview.catalogue(user),
        "resume": overview.resume(user),
        "assignments": overview.my_assignments(user),
        "certificates": Certificate.objects.filter(user=user).select_related("tier"),
        "is_coach": bool(user.units_with_roles(Role.COACH)),
        "to_review": Submission.objects.reviewable_by(user)
        .filter(status=SubmissionStatus.SUBMITTED)
        .count(),
    }
    return render(request, "learning/index.html", context)


def tier(request: AuthedRequest, slug: str) -> HttpResponse:
    tier = tier_for(request.user, slug)
    state = overview.tier_state(request.user, tier)
    context = {
        "state": state,
        "tier": tier,
        "requirements": certificates.requirements(request.user, tier),
    }
    return render(request, "learning/tier.html", context)


def module(request: AuthedRequest, slug: str) -> HttpResponse:
    module = module_for(request.user, slug)
    state = overview.tier_state(request.user, module.tier)
    module_state = next((m for m in state.modules if m.module.pk == module.pk), None)
    return render(
        request,
        "learning/module.html",
        {"module": module, "state": module_state, "tier": module.tier},
    )


def lesson(request: AuthedRequest, slug: str) -> HttpResponse:
    lesson = lesson_for(request.user, slug)
    record = progress.record_view(request.user, lesson)
    state = overview.tier_state(request.user, lesson.module.tier)
    flat = state.lessons
    position = next(i for i, s in enumerate(flat) if s.lesson.pk == lesson.pk)
    _html, outline = render_markdown(lesson.body)
    context = {
        "lesson": lesson,
        "module": lesson.module,
        "tier": lesson.module.tier,
        "progress": record,
        "lesson_state": flat[position],
        "previous": flat[position - 1] if position > 0 else None,
        "next": flat[position + 1] if position + 1 < len(flat) else None,
        "outline": outline,
        "exercise": lesson.live_exercise,
        "last_attempt": QuizAttempt.objects.filter(user=request.user, lesson=lesson).first(),
        "question_count": lesson.live_questions().count(),
        # The rule set the lesson teaches, when the organisation charts by another one.
        "rule_set_note": rule_sets.note(
            request.user, lesson.body, lesson.live_exercise.data if lesson.live_exercise else None
        ),
    }
    return render(request, "learning/lesson.html", context)


@require_POST
def mark_read(request: AuthedRequest, slug: str) -> HttpResponse:
    """Done reading: straight into a fresh quiz attempt (one click less for busy people)."""
    lesson = lesson_for(request.user, slug)
    progress.mark_read(request.user, lesson)
    open_attempt = QuizAttempt.objects.filter(
        user=request.user, lesson=lesson, submitted_at__isnull=True
    ).first()
    attempt = open_attempt or progress.start_attempt(request.user, lesson)
    return redirect("learning:attempt", pk=attempt.pk)
