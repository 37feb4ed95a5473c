"""`champion manage rebuild_learning_status`: recompute every person's standing on every tier
(nightly from cron, and after bulk loads); reports how many stored rows it corrected."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.learning.services import status


class Command(BaseCommand):
    help = (
        "Recompute each person's standing per tier (started, completed, certified) from "
        "their lesson progress and certificates; fixes any drift."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        fixed = status.rebuild()
        self.stdout.write(f"Learning status rebuilt: {fixed} row(s) corrected.")
