"""The weekly digest: one e-mail with the notices a person chose to receive weekly and what
happened in their area (their units, and everything below the units they lead).

It lives in `home`, the one layer that knows every room: each room reports its own week
through its services door (`measures.services.signals_since`, `improvement.services.week_in`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champion.accounts.models import OVERSIGHT_ROLES, Role, Unit, User
from champion.core.models import Delivery, Notification, NotificationPreference
from champion.improvement.services import week_in
from champion.measures.services import signals_since

WEEK = datetime.timedelta(days=7)
#: Measures named one by one in the digest; the rest are counted.
NAMED = 5


def area_of(user: Any) -> Any:
    """The person's units, and every unit below those they lead, coach or administer."""
    tops = user.units_with_roles(*OVERSIGHT_ROLES)
    condition = Q(pk__in=[u.pk for u in user.units_with_roles(Role.MEMBER)])
    for unit in tops:
        condition |= Q(path__startswith=unit.path)
    return Unit.objects.filter(organisation_id=user.organisation_id).filter(condition)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def compose(user: Any, now: datetime.datetime) -> tuple[str, list[Notification]] | None:
    """The digest's text and the notices it carries, or None when there is nothing to say."""
    since = now - WEEK
    weekly = list(
        NotificationPreference.objects.filter(user=user, delivery=Delivery.DIGEST).values_list(
            "kind", flat=True
        )
    )
    notes = list(
        Notification.objects.filter(
            user=user, kind__in=weekly, emailed_at__isnull=True, created_at__gte=since
        ).order_by("created_at")[:50]
    )
    units = area_of(user)
    signals = signals_since(units, since)
    week = week_in(units, since)
    lines = [f"Hello {user.get_short_name()},", "", "Your week in PI Champion.", ""]
    if notes:
        lines.append("Notices for you:")
        lines += [
            f"- {n.title}" + (f": {settings.SITE_URL}{n.url}" if n.url else "") for n in notes
        ]
        lines.append("")
    area: list[str] = []
    if signals:
        named = "; ".join(f"{name} ({unit})" for name, unit, _ in signals[:NAMED])
        more = len(signals) - NAMED
        area.append(
            f"- New signals on {_plural(len(signals), 'measure')}: {named}"
            + (f", and {more} more." if more > 0 else ".")
        )
    if week["ideas"]:
        area.append(f"- {_plural(week['ideas'], 'idea')} shared.")
    if week["cycles"]:
        area.append(f"- {_plural(week['cycles'], 'test')} of change (PDSA cycles) started.")
    if week["finished"]:
        area.append(f"- {_plural(week['finished'], 'project')} finished.")
    if area:
        lines += ["In your area this week:", *area, ""]
    if not notes and not area:
        return None
    lines.append(
        "You receive this weekly because you chose it. Change how each kind of notice "
        f"reaches you: {settings.SITE_URL}{reverse('core:notification-settings')}"
    )
    return "\n".join(lines), notes


def send_weekly_digests(now: datetime.datetime | None = None) -> int:
    """E-mail the digest to everyone who chose it for any kind; returns how many were sent.
    Each notice goes out once (marked as e-mailed), so a second run in a week repeats none
    of them."""
    now = now or timezone.now()
    people = User.objects.filter(
        is_active=True, notification_preferences__delivery=Delivery.DIGEST
    ).distinct()
    sent = 0
    for person in people.iterator():
        digest = compose(person, now)
        if digest is None:
            continue
        text, notes = digest
        send_mail(
            subject="PI Champion: your week",
            message=text,
            from_email=None,
            recipient_list=[person.email],
        )
        Notification.objects.filter(pk__in=[n.pk for n in notes]).update(emailed_at=now)
        sent += 1
    return sent
