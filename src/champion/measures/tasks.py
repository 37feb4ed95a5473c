"""Background tasks for measures: processing big uploads with progress, re-analysing an
organisation's measures after its rule set changed, and preparing a month's kept summaries
for the board report of a large area (`months.py`). An organisation runs one re-analysis or
preparation at a time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from champion.core import audit
from champion.measures import months
from champion.measures.analysis import BATCH_PREFETCH, refresh_many
from champion.measures.imports import process
from champion.measures.models import DataImport, Measure, RefreshRun


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
                summary={
                    "stopped": f"The file could not be processed ({type(exc).__name__}). "
                    "Nothing from it was saved. Check the mapping and try again, or discard it."
                },
            )
            raise
    return DataImport.objects.get(pk=imp.pk).status


#: Measures analysed per batch (one `refresh_many` call, a few queries per measure).
REFRESH_BATCH = 500


def start_refresh(organisation_id: int, reason: str, by: Any = None) -> RefreshRun:
    """Record a re-analysis of the organisation's measures and queue it once the caller's
    transaction commits (a background task when a worker runs, else at once)."""
    run = RefreshRun.objects.create(organisation_id=organisation_id, reason=reason, requested_by=by)
    transaction.on_commit(lambda: refresh_organisation.enqueue(organisation_id, run.pk))
    return run


def run_refresh(run: RefreshRun, progress: Callable[[RefreshRun], None] | None = None) -> int:
    """Re-analyse every measure of the run's organisation through the engine's bulk path, a
    batch at a time, then prepare last month's kept summaries for the board report, keeping the
    run's progress up to date through both steps (each batch is committed on its own, so the
    page sees it and a crash keeps what was done). `progress(run)` is called after each batch
    of either step. Returns how many measures were re-analysed."""
    measures = Measure.objects.filter(unit__organisation_id=run.organisation_id)
    ids = list(measures.order_by("pk").values_list("pk", flat=True))
    run.started(total=len(ids), done=0)
    count = 0
    try:
        for start in range(0, len(ids), REFRESH_BATCH):
            batch = (
                Measure.objects.filter(pk__in=ids[start : start + REFRESH_BATCH])
                .defer("summary")  # written, never read: decoding it cost more than the rest
                .select_related("unit__organisation")
                .prefetch_related(*BATCH_PREFETCH)
                .order_by("pk")
            )
            with transaction.atomic():
                count += refresh_many(batch)
            run.record(done=count)
            if progress is not None:
                progress(run)
    except Exception as exc:  # the page must not show "running" for ever
        run.stopped(type(exc).__name__)
        raise
    # The month a board meeting looks back on, ready for the first-of-month report: a step of
    # its own (half a minute on a large site's first night), so the page says it is not over.
    month = months.last_month()
    run.preparing(month)
    if progress is not None:
        progress(run)

    def step(done: int, total: int) -> None:
        run.record(prepared=done, to_prepare=total)
        if progress is not None:
            progress(run)

    try:
        months.prepare(measures, month, progress=step)
    except Exception as exc:  # the measures stay re-analysed: the run says which step stopped
        run.stopped(type(exc).__name__)
        raise
    run.finished()
    return count


@task()
def refresh_organisation(organisation_id: int, run_id: int | None = None) -> int:
    """Re-analyse every measure of an organisation (after its rule set changed, nightly, or on
    its admin's request): their stored analyses, summaries and signals then follow the current
    rules. Tells nobody. Returns how many measures were refreshed."""
    run = (
        RefreshRun.objects.filter(pk=run_id, organisation_id=organisation_id).first()
        if run_id is not None
        else None
    )
    if run is None:
        run = RefreshRun.objects.create(organisation_id=organisation_id, reason="Re-analysis")
    elif not run.working:
        return run.done
    with audit.acting_as(None):
        return run_refresh(run)


def refresh_after_rule_set_change(sender: Any, organisation: Any, **kwargs: Any) -> None:
    """Re-analyse the organisation's measures once its new rule set is committed."""
    start_refresh(organisation.pk, f"The rule set changed to {organisation.get_rule_set_display()}")
