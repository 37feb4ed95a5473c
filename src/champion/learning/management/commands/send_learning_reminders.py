"""`champion manage send_learning_reminders`: run daily from cron; never sends a reminder twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.core import audit
from champion.learning.services.team import send_reminders


class Command(BaseCommand):
    help = "E-mail people whose assigned learning is due within a week or overdue (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with audit.acting_as(None):
            sent = send_reminders()
        self.stdout.write(f"{sent} reminder(s) sent.")
