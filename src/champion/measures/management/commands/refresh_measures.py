"""Recompute every measure's analysis, summary and signals (after upgrading the SPC engine,
changing the rule sets, restoring data, or nightly).

`champion manage refresh_measures` analyses each organisation's measures in batches through
the engine's bulk path (`tasks.run_refresh`, which uses `analysis.refresh_many` and
`spc.analyze_many`), records the run where the organisation's admins see it (Measure >
Re-analyse every measure), and notifies nobody. Each run then prepares last month's kept
summaries (`months.prepare`) for the first-of-month board report. After each batch of either
step it prints what the run has done in the page's words (`RefreshRun.words`); a run stopped
by an error says which step stopped on stderr.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from champion.accounts.models import Organisation
from champion.core import audit
from champion.core.words import thousands
from champion.measures.models import RefreshRun
from champion.measures.tasks import run_refresh


class Command(BaseCommand):
    help = "Recompute the stored analysis, summary and signals of every measure."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--organisation", help="Only this organisation (its name).")

    def handle(self, *args: Any, **options: Any) -> None:
        organisations = Organisation.objects.order_by("pk")
        if options.get("organisation"):
            organisations = organisations.filter(name=options["organisation"])
        count = 0
        began = time.monotonic()
        for organisation in organisations:
            run = RefreshRun.objects.create(organisation=organisation, reason="Nightly re-analysis")

            def say(working: RefreshRun, name: str = organisation.name) -> None:
                self.stdout.write(f"{name}: {working.words}...")

            with audit.acting_as(None):
                try:
                    count += run_refresh(run, progress=say)
                except Exception:  # cron mails this: which step stopped, and what was done
                    self.stderr.write(f"{organisation.name}: {run.words}.")
                    raise
            self.stdout.write(f"{organisation.name}: {run.words}.")
        self.stdout.write(
            f"{thousands(count)} measure {'summary' if count == 1 else 'summaries'} refreshed "
            f"in {time.monotonic() - began:.1f} s."
        )
