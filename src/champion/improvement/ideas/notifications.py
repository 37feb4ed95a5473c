"""Telling people about ideas through the platform's notifications (in the app and by e-mail).

The submitter hears of every status change and every comment by someone else; leaders
hear of ideas waiting past their unit's response time (see `reminders`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.template.loader import render_to_string

from champion.core.notify import notify

if TYPE_CHECKING:  # the models call this module, so it names their types only
    from champion.improvement.ideas.models import IdeaEvent


def tell_submitter(event: IdeaEvent) -> bool:
    """Notify the idea's author of `event`, unless they caused it; returns whether they were."""
    idea = event.idea
    submitter = idea.submitted_by
    if event.actor_id == submitter.pk:
        return False
    context = {"event": event, "idea": idea, "person": submitter}
    created = notify(
        [submitter],
        title=render_to_string("ideas/email/update_subject.txt", context).strip(),
        body=render_to_string("ideas/email/update.txt", context).strip(),
        url=idea.get_absolute_url(),
        kind="ideas",
    )
    return bool(created)
