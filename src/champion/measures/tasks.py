"""Background tasks for measures: processing big uploads with progress, and re-analysing an
organisation's measures after its rule set changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from champion.core import audit
from champion.measures.analysis import BATCH_PREFETCH, refresh_many
from champion.measures.imports import process
from champion.measures.models import DataImport, Measure


@task()
def run_import(import_id: int) -> str:
    """Check and save an upload; the import's progress is visible to the page meanwhile."""
    imp = DataImport.objects.select_related("measure__unit").get(pk=import_id)
    if imp.status not in (DataImport.Status.QUEUED, DataImport.Status.RUNNING):
        return imp.status
    DataImport.objects.filter(pk=imp.pk).update(
        status=DataImport.Status.RUNNING, progress=1, touched_at=timezone.now()
    )

    def progress(percent: int, done: int) -> None:
        # Outside the saving transaction, so the page sees it while the work goes on.
        DataImport.objects.filter(pk=imp.pk).update(
            progress=percent, rows_done=done, touched_at=timezone.now()
        )

    with audit.acting_as(imp.uploaded_by):
        try:
            process(imp, progress)  # saving is one transaction inside; progress stays visible
        except Exception as exc:  # a crash must not leave the page waiting for ever
            DataImport.objects.filter(pk=imp.pk).update(
                status=DataImport.Status.FAILED,
                progress=100,
                errors=[[0, f"The file could not be processed ({type(exc).__name__})."]],
            )
            raise
    return DataImport.objects.get(pk=imp.pk).status


@task()
def refresh_organisation(organisation_id: int) -> int:
    """Re-analyse every measure of an organisation (after its rule set changed): their stored
    analyses, summaries and signals then follow the new set. Tells nobody. Returns how many."""
    measures = (
        Measure.objects.filter(unit__organisation_id=organisation_id)
        .select_related("unit__organisation")
        .prefetch_related(*BATCH_PREFETCH)
        .order_by("pk")
    )
    count = 0
    for start in range(0, measures.count(), 500):
        count += refresh_many(measures[start : start + 500])
    return count


def refresh_after_rule_set_change(sender: Any, organisation: Any, **kwargs: Any) -> None:
    """Re-analyse the organisation's measures once its new rule set is committed (a
    background task when a worker runs, else at once)."""
    pk = organisation.pk
    transaction.on_commit(lambda: refresh_organisation.enqueue(pk))
