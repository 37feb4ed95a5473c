"""Reminders for ideas left unanswered past their unit's response time.

Run daily (`champion manage send_idea_reminders`, see docs/deploy.md). Each idea
reminds its unit's leaders once: `Idea.reminded_at` is set in the same transaction
that decides to send, so a second run the same day, or a retry, sends nothing twice.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from champion.accounts.people import leaders_of
from champion.core.notify import notify
from champion.improvement.ideas.models import Idea


def send_idea_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind leaders of overdue ideas; returns counts of ideas and e-mails."""
    now = now or timezone.now()
    overdue: dict[Any, list[Idea]] = defaultdict(list)
    with transaction.atomic():
        candidates = (
            Idea.objects.awaiting_response()
            .filter(reminded_at__isnull=True)
            .select_related("unit", "submitted_by")
            .select_for_update(of=("self",))
        )
        reminded = []
        for idea in candidates:
            if not idea.is_overdue(now):
                continue
            reminded.append(idea.pk)
            for leader in leaders_of(idea.unit):
                overdue[leader].append(idea)
        Idea.objects.filter(pk__in=reminded).update(reminded_at=now)
    sent = 0
    for leader, ideas in overdue.items():
        context = {
            "person": leader,
            "ideas": ideas,
            "items": [(i, settings.SITE_URL + reverse("ideas:detail", args=[i.pk])) for i in ideas],
        }
        # One notification per leader per run, listing every idea waiting for them.
        notify(
            [leader],
            title=f"{len(ideas)} idea{'s' if len(ideas) != 1 else ''} waiting for your answer",
            body=render_to_string("ideas/email/reminder.txt", context).strip(),
            url=reverse("ideas:list") + "?status=new",
            kind="reminders",
        )
        sent += 1
    return {"ideas": len(reminded), "emails": sent}
