"""`champion manage send_action_reminders`: the daily nudge for actions due soon or overdue."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.actions.reminders import send_action_reminders
from champion.core import audit


class Command(BaseCommand):
    help = "Remind owners of actions due within three days or overdue, once each (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.acting_as(None):
            counts = send_action_reminders()
        self.stdout.write(
            f"Reminded owners of {counts['due_soon']} action(s) due soon and "
            f"{counts['overdue']} overdue in {counts['notifications']} notification(s)."
        )
