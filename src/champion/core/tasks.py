"""Background tasks shared by every app: e-mailing notifications."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from champion.core.models import Notification


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """E-mail each notification to its person; returns how many were sent."""
    sent = 0
    notes = Notification.objects.filter(pk__in=notification_ids, emailed_at__isnull=True)
    for note in notes.select_related("user"):
        link = f"\n\n{settings.SITE_URL}{note.url}" if note.url else ""
        send_mail(
            subject=f"PI Champion: {note.title}",
            # Generic on purpose: measures, ideas and projects all notify through here.
            message=f"{note.body}{link}\n\nYou receive this because of your part in this work "
            "in PI Champion; your notifications are also in the app. Choose how you receive "
            f"each kind of notice: {settings.SITE_URL}{reverse('core:notification-settings')}",
            from_email=None,
            recipient_list=[note.user.email],
        )
        Notification.objects.filter(pk=note.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent
