"""The idea funnel of an area, for leaders: where recent ideas stand, how fast they are
answered, and which wait longer than their unit promised.

Each function takes a queryset of ideas the caller may see (`Idea.objects.visible_to(user)`,
narrowed to an area) and costs a fixed number of queries, however many ideas and units.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from champion.improvement.ideas.models import (
    BOARD_ORDER,
    DEFAULT_RESPONSE_DAYS,
    IdeaQuerySet,
    UnitIdeaSettings,
)

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
    # The median wait, found in the database: the answered ideas counted, then the middle one
    # (or two) read in the order of their wait, never every wait.
    answered = recent.filter(responded_at__isnull=False).annotate(
        wait=ExpressionWrapper(F("responded_at") - F("created_at"), output_field=DurationField())
    )
    total = answered.count()
    middle: list[datetime.timedelta] = []
    if total:
        first = (total - 1) // 2
        middle = [
            r - c
            for c, r in answered.order_by("wait", "pk").values_list("created_at", "responded_at")[
                first : total // 2 + 1
            ]
            if r is not None
        ]
    return Funnel(
        since=since,
        stages=[(s.value, s.label, counts.get(s.value, 0)) for s in BOARD_ORDER],
        shared=sum(counts.values()),
        answered=total,
        median_response=_median_of_middle(middle),
    )


def _median_of_middle(middle: list[datetime.timedelta]) -> datetime.timedelta | None:
    """The median from the one or two middle waits."""
    if not middle:
        return None
    return middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2


def waiting_too_long(ideas: IdeaQuerySet, now: datetime.datetime | None = None) -> IdeaQuerySet:
    """Unanswered ideas past their unit's response time, longest waiting first (any age).

    A queryset: the units that promised their own response time are few, so each distinct
    promise is one condition (`Idea.is_overdue` in the database), and callers count and
    slice it there."""
    now = now or timezone.now()
    waiting = ideas.awaiting_response()
    promises: dict[int, list[int]] = {}
    for unit_id, days in UnitIdeaSettings.objects.values_list("unit_id", "response_days"):
        promises.setdefault(days, []).append(unit_id)
    custom = [unit_id for ids in promises.values() for unit_id in ids]
    late = Q(created_at__lt=now - datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)) & ~Q(
        unit_id__in=custom
    )
    for days, unit_ids in promises.items():
        late |= Q(unit_id__in=unit_ids, created_at__lt=now - datetime.timedelta(days=days))
    return waiting.filter(late).select_related("unit").order_by("created_at", "pk")
