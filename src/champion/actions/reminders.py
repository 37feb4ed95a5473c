"""Reminders for actions: once when an action is due soon, once when it is overdue.

Run daily (`champion manage send_action_reminders`, see docs/deploy.md), like the idea and
learning reminders. Each reminder is sent once per due date: `due_soon_sent_for` and
`overdue_sent_for` are set to the due date in the same transaction that decides to send,
so a second run the same day, or a retry, sends nothing twice; moving the due date arms
both again. Each owner gets one notification per kind per run, listing their actions.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from champion.actions.models import DUE_SOON_DAYS, Action
from champion.core.notify import notify


def send_action_reminders(today: datetime.date | None = None) -> dict[str, int]:
    """Tell owners about their actions due soon and overdue; returns the counts."""
    today = today or timezone.localdate()
    found: dict[str, dict[Any, list[Action]]] = {
        "soon": defaultdict(list),
        "overdue": defaultdict(list),
    }
    with transaction.atomic():
        live = Action.objects.live().select_related("owner", "unit").select_for_update(of=("self",))
        overdue = list(
            live.filter(due_on__lt=today).filter(
                Q(overdue_sent_for__isnull=True) | ~Q(overdue_sent_for=F("due_on"))
            )
        )
        soon = list(
            live.filter(
                due_on__gte=today, due_on__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
            ).filter(Q(due_soon_sent_for__isnull=True) | ~Q(due_soon_sent_for=F("due_on")))
        )
        for a in overdue:
            found["overdue"][a.owner].append(a)
        for a in soon:
            found["soon"][a.owner].append(a)
        Action.objects.filter(pk__in=[a.pk for a in overdue]).update(overdue_sent_for=F("due_on"))
        Action.objects.filter(pk__in=[a.pk for a in soon]).update(due_soon_sent_for=F("due_on"))
    notes = 0
    for kind, by_owner in found.items():
        for owner, rows in by_owner.items():
            n = len(rows)
            title = (
                f"{n} of your actions {'is' if n == 1 else 'are'} overdue"
                if kind == "overdue"
                else f"{n} of your actions {'is' if n == 1 else 'are'} due soon"
            )
            context = {
                "person": owner,
                "kind": kind,
                "items": [(a, settings.SITE_URL + a.get_absolute_url()) for a in rows],
            }
            url = reverse("actions:list") + ("?status=overdue" if kind == "overdue" else "")
            notify(
                [owner],
                title=title,
                body=render_to_string("actions/email/reminder.txt", context).strip(),
                url=url,
            )
            notes += 1
    return {"due_soon": len(soon), "overdue": len(overdue), "notifications": notes}
