"""App configuration for actions: tracked tasks with an owner and a due date, made from
anywhere in the platform (a maturity gap, a board-report exception, a huddle, a project step)."""

from __future__ import annotations

from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "champion.actions"
    label = "actions"
    verbose_name = "Actions"

    def ready(self) -> None:
        from champion.actions import models
        from champion.core import audit

        # The reminder bookkeeping is not an edit anybody made.
        audit.register(models.Action, exclude=("due_soon_sent_for", "overdue_sent_for"))
