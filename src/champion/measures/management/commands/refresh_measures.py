"""Recompute every measure's stored summary (after upgrading the SPC engine, or restoring data).

`champion manage refresh_measures` analyses each measure once; it notifies nobody.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.measures.analysis import refresh
from champion.measures.models import Measure


class Command(BaseCommand):
    help = "Recompute the stored analysis summary of every measure (boards read these)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = 0
        for measure in Measure.objects.select_related("unit").iterator(chunk_size=200):
            refresh(measure)
            count += 1
        self.stdout.write(f"{count} measure summaries refreshed.")
