"""E-mails about ideas, sent off the request: the submitter's news and the leaders' reminders."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from champion.ideas.models import IdeaEvent


@task()
def notify_submitter(event_id: int) -> bool:
    """Tell the idea's submitter what happened to it; returns whether an e-mail went out."""
    event = (
        IdeaEvent.objects.select_related("idea__submitted_by", "idea__unit", "actor")
        .filter(pk=event_id, emailed_at__isnull=True)
        .first()
    )
    if event is None:
        return False
    submitter = event.idea.submitted_by
    if not submitter.is_active or (event.actor_id == submitter.pk):
        return False
    url = settings.SITE_URL + reverse("ideas:detail", args=[event.idea.pk])
    context = {"event": event, "idea": event.idea, "person": submitter, "url": url}
    send_mail(
        subject=render_to_string("ideas/email/update_subject.txt", context).strip(),
        message=render_to_string("ideas/email/update.txt", context),
        from_email=None,
        recipient_list=[submitter.email],
    )
    IdeaEvent.objects.filter(pk=event.pk).update(emailed_at=timezone.now())
    return True
