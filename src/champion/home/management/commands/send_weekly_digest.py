"""`champion manage send_weekly_digest`: run weekly from cron (docs/deploy.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.home.digest import send_weekly_digests


class Command(BaseCommand):
    help = "E-mail the weekly digest to everyone who chose it for any kind of notice."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_weekly_digests()
        self.stdout.write(f"{sent} digest(s) sent.")
