"""Leaders' views of learning: team progress, assignments, reminders and exports.

Everything here starts from `User.objects.visible_to(leader)`: a leader, coach or admin sees
the people of the subtrees they oversee, and nobody else.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone

from champion.accounts.models import User
from champion.learning.models import (
    Assignment,
    Certificate,
    ReminderSent,
    Tier,
)
from champion.learning.services.overview import assignment_lessons, assignment_state

#: Days before the due date when the "due soon" reminder goes out.
DUE_SOON_DAYS = 7


@dataclass
class LearnerRow:
    person: Any
    started: int
    completed: int
    total: int
    last_active: datetime.datetime | None
    certificates: list[Certificate]
    overdue: list[str]

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0

    @property
    def stage(self) -> str:
        if self.certificates:
            return "Certified"
        if self.completed == self.total and self.total:
            return "Lessons done"
        if self.started:
            return "In progress"
        return "Not started"


def learners(leader: Any) -> Any:
    return User.objects.visible_to(leader).filter(is_active=True).exclude(pk=leader.pk)


def team_progress(leader: Any, tier: Tier, unit: Any = None) -> list[LearnerRow]:
    """Progress on `tier` of everyone the leader oversees (optionally only within `unit`)."""
    lessons = list(tier.live_lessons().values_list("pk", flat=True))
    people_qs = learners(leader)
    if unit is not None:
        people_qs = people_qs.filter(memberships__unit__path__startswith=unit.path).distinct()
    people = list(
        people_qs.annotate(
            started=Count(
                "lesson_progress", filter=Q(lesson_progress__lesson__in=lessons), distinct=True
            ),
            done=Count(
                "lesson_progress",
                filter=Q(
                    lesson_progress__lesson__in=lessons, lesson_progress__completed_at__isnull=False
                ),
                distinct=True,
            ),
            last=Max("lesson_progress__last_viewed_at"),
        ).order_by("full_name")
    )
    certificates: dict[int, list[Certificate]] = {}
    for cert in Certificate.objects.filter(user__in=people).select_related("tier"):
        certificates.setdefault(cert.user_id, []).append(cert)
    overdue = overdue_by_person(leader, people)
    return [
        LearnerRow(
            p,
            p.started,
            p.done,
            len(lessons),
            p.last,
            certificates.get(p.pk, []),
            overdue.get(p.pk, []),
        )
        for p in people
    ]


def overdue_by_person(leader: Any, people: list[Any]) -> dict[int, list[str]]:
    today = timezone.localdate()
    wanted = {p.pk for p in people}
    result: dict[int, list[str]] = {}
    for assignment in (
        Assignment.objects.visible_to(leader)
        .filter(due_on__lt=today)
        .select_related("tier", "module", "unit")
    ):
        lesson_ids = assignment_lessons(assignment)
        for person in assignment.people().filter(pk__in=wanted):
            if not assignment_state(assignment, person, lesson_ids).complete:
                result.setdefault(person.pk, []).append(assignment.subject_title)
    return result


def assignment_rows(leader: Any) -> list[dict[str, Any]]:
    """Each visible assignment with how many of its people have finished and are overdue."""
    rows = []
    for assignment in Assignment.objects.visible_to(leader).select_related(
        "tier", "module", "unit", "person", "assigned_by"
    ):
        lesson_ids = assignment_lessons(assignment)
        states = [assignment_state(assignment, p, lesson_ids) for p in assignment.people()]
        rows.append(
            {
                "assignment": assignment,
                "people": len(states),
                "complete": sum(s.complete for s in states),
                "overdue": sum(s.overdue for s in states),
            }
        )
    return rows


def send_reminders(today: datetime.date | None = None) -> int:
    """E-mail each person once before the due date and once after it; returns e-mails sent.

    Idempotent: a ReminderSent row (unique per assignment, person and kind) is written in
    the same transaction as the e-mail is sent, so a rerun or an overlapping run sends
    nothing twice.
    """
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    sent = 0
    candidates = Assignment.objects.filter(due_on__lte=soon).select_related(
        "tier", "module", "unit"
    )
    for assignment in candidates:
        kind = (
            ReminderSent.Kind.OVERDUE if assignment.due_on < today else ReminderSent.Kind.DUE_SOON
        )
        lesson_ids = assignment_lessons(assignment)
        already = set(
            ReminderSent.objects.filter(assignment=assignment, kind=kind).values_list(
                "user_id", flat=True
            )
        )
        for person in assignment.people().exclude(pk__in=already).select_related("organisation"):
            state = assignment_state(assignment, person, lesson_ids)
            if state.complete:
                continue
            try:
                with transaction.atomic():
                    ReminderSent.objects.create(assignment=assignment, user=person, kind=kind)
                    _send(person, state, kind)
            except IntegrityError:
                continue  # another run sent this one
            sent += 1
    return sent


def _send(person: Any, state: Any, kind: str) -> None:
    context = {
        "person": person,
        "state": state,
        "assignment": state.assignment,
        "overdue": kind == ReminderSent.Kind.OVERDUE,
        "url": f"{settings.SITE_URL}{state.url}",
    }
    subject = (
        f"Overdue: {state.assignment.subject_title}"
        if kind == ReminderSent.Kind.OVERDUE
        else f"Due {state.assignment.due_on:%-d %B}: {state.assignment.subject_title}"
    )
    send_mail(
        subject=subject,
        message=render_to_string("learning/email/reminder.txt", context),
        from_email=None,
        recipient_list=[person.email],
    )
