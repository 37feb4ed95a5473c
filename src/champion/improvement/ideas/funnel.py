"""The idea funnel of an area, for leaders: where recent ideas stand, how fast they are
answered, and which wait longer than their unit promised.

Each function takes a queryset of ideas the caller may see (`Idea.objects.visible_to(user)`,
narrowed to an area) and costs a fixed number of queries, however many ideas and units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from champion.improvement.ideas.models import BOARD_ORDER, Idea, IdeaQuerySet, response_days_for

#: The funnel looks at ideas shared in this many days.
FUNNEL_DAYS = 90


@dataclass(frozen=True)
class Funnel:
    since: datetime.datetime
    stages: list[tuple[str, str, int]]  # (status, label, ideas now at that status)
    shared: int
    answered: int
    median_response: datetime.timedelta | None

    @property
    def median_response_days(self) -> float | None:
        if self.median_response is None:
            return None
        return self.median_response.total_seconds() / 86400


def funnel(ideas: IdeaQuerySet, now: datetime.datetime | None = None) -> Funnel:
    """Ideas shared in the last `FUNNEL_DAYS` days: how many sit at each status today, and the
    median time from sharing to a leader's first answer (of those answered)."""
    now = now or timezone.now()
    since = now - datetime.timedelta(days=FUNNEL_DAYS)
    recent = ideas.filter(created_at__gte=since, created_at__lte=now)
    counts = dict(
        recent.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    waits = sorted(
        responded - created
        for created, responded in recent.filter(responded_at__isnull=False).values_list(
            "created_at", "responded_at"
        )
        if responded is not None
    )
    return Funnel(
        since=since,
        stages=[(s.value, s.label, counts.get(s.value, 0)) for s in BOARD_ORDER],
        shared=sum(counts.values()),
        answered=len(waits),
        median_response=_median(waits),
    )


def _median(sorted_waits: list[datetime.timedelta]) -> datetime.timedelta | None:
    if not sorted_waits:
        return None
    middle = len(sorted_waits) // 2
    if len(sorted_waits) % 2:
        return sorted_waits[middle]
    return (sorted_waits[middle - 1] + sorted_waits[middle]) / 2


def waiting_too_long(ideas: IdeaQuerySet, now: datetime.datetime | None = None) -> list[Idea]:
    """Unanswered ideas past their unit's response time, longest waiting first (any age)."""
    now = now or timezone.now()
    waiting = list(ideas.awaiting_response().select_related("unit").order_by("created_at"))
    days = response_days_for({idea.unit_id for idea in waiting})
    return [idea for idea in waiting if idea.is_overdue(now, days[idea.unit_id])]
