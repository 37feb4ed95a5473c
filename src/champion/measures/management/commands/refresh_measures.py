"""Recompute every measure's analysis, summary and signals (after upgrading the SPC engine,
changing the rule sets, restoring data, or nightly).

`champion manage refresh_measures` analyses the measures in batches through the engine's bulk
path (`analysis.refresh_many`, which uses `spc.analyze_many`), says how far it is, and
notifies nobody.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from champion.measures.analysis import BATCH_PREFETCH, refresh_many
from champion.measures.models import Measure

BATCH = 500


class Command(BaseCommand):
    help = "Recompute the stored analysis, summary and signals of every measure."

    def handle(self, *args: Any, **options: Any) -> None:
        total = Measure.objects.count()
        queryset = Measure.objects.select_related("unit").prefetch_related(*BATCH_PREFETCH)
        count = 0
        batch: list[Measure] = []
        for measure in queryset.iterator(chunk_size=BATCH):
            batch.append(measure)
            if len(batch) == BATCH:
                count += refresh_many(batch)
                batch = []
                self.stdout.write(f"{count} of {total} measures refreshed...")
        if batch:
            count += refresh_many(batch)
        self.stdout.write(f"{count} measure summaries refreshed.")
