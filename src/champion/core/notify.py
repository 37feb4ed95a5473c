"""Telling people about something: an in-app notification for each, and an e-mail sent in the background."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from champion.core.models import Notification
from champion.core.tasks import send_notification_emails


def notify(users: Iterable[Any], title: str, body: str = "", url: str = "") -> list[Notification]:
    """Notify each distinct active person once; e-mails go out after the transaction commits."""
    seen: set[int] = set()
    created = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        created.append(Notification(user=user, title=title[:300], body=body, url=url[:500]))
    created = Notification.objects.bulk_create(created)
    if created:
        ids = [n.pk for n in created]
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created
