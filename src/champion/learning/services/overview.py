"""What a learner sees at a glance: paths with their progress, where to resume, what is due."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from champion.learning.models import (
    Assignment,
    Certificate,
    Lesson,
    LessonProgress,
    Module,
    Submission,
    SubmissionStatus,
    Tier,
)


@dataclass
class LessonState:
    lesson: Lesson
    progress: LessonProgress | None
    missing_prerequisites: list[Lesson] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.progress is None:
            return "not-started"
        if self.progress.completed_at:
            return "completed"
        return "in-progress"

    @property
    def status_label(self) -> str:
        return {
            "not-started": "Not started",
            "in-progress": "In progress",
            "completed": "Completed",
        }[self.status]

    @property
    def locked(self) -> bool:
        """Suggested order, not a wall: the page says what to take first but still opens."""
        return bool(self.missing_prerequisites) and self.status == "not-started"


@dataclass
class ModuleState:
    module: Module
    lessons: list[LessonState]

    @property
    def completed(self) -> int:
        return sum(s.status == "completed" for s in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / len(self.lessons)) if self.lessons else 0

    @property
    def minutes(self) -> int:
        return sum(s.lesson.minutes for s in self.lessons)


@dataclass
class TierState:
    tier: Tier
    modules: list[ModuleState]
    certificate: Certificate | None

    @property
    def lessons(self) -> list[LessonState]:
        return [s for m in self.modules for s in m.lessons]

    @property
    def completed(self) -> int:
        return sum(s.status == "completed" for s in self.lessons)

    @property
    def percent(self) -> int:
        total = len(self.lessons)
        return round(100 * self.completed / total) if total else 0

    @property
    def next_lesson(self) -> LessonState | None:
        pending = [s for s in self.lessons if s.status != "completed"]
        started = [s for s in pending if s.status == "in-progress"]
        return (started or pending)[0] if pending else None


def tier_state(user: Any, tier: Tier) -> TierState:
    lessons = list(
        tier.live_lessons().select_related("module", "exercise").prefetch_related("prerequisites")
    )
    progress = {
        p.lesson_id: p for p in LessonProgress.objects.filter(user=user, lesson__in=lessons)
    }
    completed = {pk for pk, p in progress.items() if p.completed_at}
    modules: dict[int, ModuleState] = {}
    for lesson in lessons:
        state = LessonState(
            lesson,
            progress.get(lesson.pk),
            [p for p in lesson.prerequisites.all() if p.pk not in completed and not p.retired],
        )
        modules.setdefault(lesson.module_id, ModuleState(lesson.module, [])).lessons.append(state)
    return TierState(
        tier,
        sorted(modules.values(), key=lambda m: m.module.order),
        Certificate.objects.filter(user=user, tier=tier).first(),
    )


def catalogue(user: Any) -> list[TierState]:
    """The tiers that have lessons, each with the person's progress."""
    return [tier_state(user, tier) for tier in Tier.objects.offered()]


def resume(user: Any) -> LessonProgress | None:
    """The lesson last opened and not yet completed: "resume where you left off"."""
    return (
        LessonProgress.objects.filter(user=user, completed_at__isnull=True, lesson__retired=False)
        .select_related("lesson__module__tier")
        .order_by("-last_viewed_at")
        .first()
    )


@dataclass
class AssignmentState:
    assignment: Assignment
    done: int
    total: int
    completed_on: datetime.date | None

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done == self.total

    @property
    def overdue(self) -> bool:
        return not self.complete and self.assignment.due_on < timezone.localdate()

    @property
    def url(self) -> str:
        a = self.assignment
        if a.module_id:
            return reverse("learning:module", args=[a.module.slug])  # type: ignore[union-attr]
        return reverse("learning:tier", args=[a.tier.slug])  # type: ignore[union-attr]


def assignment_lessons(assignment: Assignment) -> list[int]:
    if assignment.module_id:
        return list(
            Lesson.objects.filter(module_id=assignment.module_id, retired=False).values_list(
                "pk", flat=True
            )
        )
    return list(assignment.tier.live_lessons().values_list("pk", flat=True))  # type: ignore[union-attr]


def assignment_state(
    assignment: Assignment, person: Any, lesson_ids: list[int] | None = None
) -> AssignmentState:
    lesson_ids = assignment_lessons(assignment) if lesson_ids is None else lesson_ids
    finished = list(
        LessonProgress.objects.filter(
            user=person, lesson_id__in=lesson_ids, completed_at__isnull=False
        ).values_list("completed_at", flat=True)
    )
    completed_on = max(finished).date() if finished and len(finished) == len(lesson_ids) else None
    return AssignmentState(assignment, len(finished), len(lesson_ids), completed_on)


def my_assignments(user: Any) -> list[AssignmentState]:
    assignments = Assignment.objects.for_person(user).select_related(
        "tier", "module", "assigned_by"
    )
    return [assignment_state(a, user) for a in assignments]


def home_card(user: Any) -> dict[str, Any]:
    """The Learn card on the home page."""
    assignments = [a for a in my_assignments(user) if not a.complete]
    return {
        "template": "learning/_home_card.html",
        "resume": resume(user),
        "assignments": assignments[:3],
        "certificates": list(Certificate.objects.filter(user=user).select_related("tier")),
        "started": LessonProgress.objects.filter(user=user).exists(),
    }


def reviews_waiting(user: Any, shown: int = 6) -> tuple[int, list[Any]]:
    """Evidence waiting for this coach's review (certification submissions from the people they
    coach, never their own): how many, and the longest-waiting `shown` of them (two queries)."""
    queue = Submission.objects.reviewable_by(user).filter(status=SubmissionStatus.SUBMITTED)
    first = list(
        queue.select_related("user", "tier")
        .defer("snapshot", "evidence")
        .order_by("submitted_at", "pk")[:shown]
    )
    return queue.count(), first
