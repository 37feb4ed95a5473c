"""`champion manage send_idea_reminders`: the daily nudge for ideas nobody has answered."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.core import audit
from champion.improvement.ideas.reminders import send_idea_reminders


class Command(BaseCommand):
    help = "Remind unit leaders of ideas unanswered past the unit's response time (run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.acting_as(None):
            counts = send_idea_reminders()
        self.stdout.write(
            f"Reminded leaders of {counts['ideas']} overdue idea(s) in {counts['emails']} e-mail(s)."
        )
