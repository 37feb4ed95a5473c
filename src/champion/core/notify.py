"""Telling people about something: an in-app notification for each, and an e-mail sent in
the background or gathered into a weekly digest, as each person chooses per kind of notice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from champion.core.models import Delivery, Notification, NotificationPreference
from champion.core.tasks import send_notification_emails

#: The kinds of notice a person chooses how to receive: (label, what it covers, default).
KINDS: dict[str, tuple[str, str, str]] = {
    "signals": (
        "Signals on measures",
        "New data on a measure you own or oversee show a special cause.",
        Delivery.EMAIL,
    ),
    "ideas": (
        "Ideas",
        "Answers to your ideas and comments on them.",
        Delivery.EMAIL,
    ),
    "reminders": (
        "Reminders",
        "Ideas waiting for your answer, actions coming due.",
        Delivery.EMAIL,
    ),
    "work": (
        "Projects, actions and strategy",
        "Actions given to you, goals proposed or returned, reviews of your evidence.",
        Delivery.EMAIL,
    ),
    "maturity": (
        "Maturity self-assessments",
        "Invitations to give your view and reports when they are ready.",
        Delivery.EMAIL,
    ),
    "general": ("Everything else", "Other notices from the platform.", Delivery.EMAIL),
}


def deliveries(user: Any) -> dict[str, str]:
    """The person's choice for every kind (their own, or the kind's default)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: chosen.get(kind, default) for kind, (_, _, default) in KINDS.items()}


def notify(
    users: Iterable[Any], title: str, body: str = "", url: str = "", *, kind: str = "general"
) -> list[Notification]:
    """Notify each distinct active person once. Those who chose e-mail for this kind are
    e-mailed after the transaction commits; those who chose the digest get it in the
    weekly e-mail; everyone sees it in the app."""
    if kind not in KINDS:
        raise ValueError(f"Unknown kind of notice {kind!r}; add it to core.notify.KINDS.")
    seen: set[int] = set()
    created = []
    for user in users:
        if user is None or not user.is_active or user.pk in seen:
            continue
        seen.add(user.pk)
        created.append(
            Notification(user=user, title=title[:300], body=body, url=url[:500], kind=kind)
        )
    created = Notification.objects.bulk_create(created)
    if not created:
        return created
    default = KINDS[kind][2]
    other = dict(
        NotificationPreference.objects.filter(user__in=seen, kind=kind)
        .exclude(delivery=default)
        .values_list("user_id", "delivery")
    )  # fmt: skip
    ids = [n.pk for n in created if other.get(n.user_id, default) == Delivery.EMAIL]
    if ids:
        transaction.on_commit(lambda: send_notification_emails.enqueue(ids))
    return created
