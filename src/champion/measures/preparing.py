"""Preparing a month's kept summaries (`months.py`) as a task, for the board report of a large
area: its page starts one and shows its progress. It is a `RefreshRun` with a month, so an
organisation runs one re-analysis or preparation at a time and its admins see it among the
re-analyses."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks import task

from champion.accounts.models import Organisation
from champion.core import audit
from champion.measures import months
from champion.measures.models import Measure, RefreshRun


def working_run(organisation_id: int) -> RefreshRun | None:
    """The organisation's re-analysis or preparation under way, if one is."""
    return (
        RefreshRun.objects.working()
        .filter(organisation_id=organisation_id)
        .order_by("-created_at", "-pk")
        .first()
    )


#: A failed preparation is not started again on its own for this long (the page polls).
RETRY_AFTER = datetime.timedelta(minutes=10)


def failed_lately(organisation_id: int, month: datetime.date) -> RefreshRun | None:
    """The organisation's latest preparation of `month` when it stopped with an error less than
    `RETRY_AFTER` ago: the page then says so rather than starting another every poll."""
    latest = (
        RefreshRun.objects.filter(organisation_id=organisation_id, month=month)
        .order_by("-created_at", "-pk")
        .first()
    )
    if (
        latest is not None
        and latest.status == RefreshRun.Status.FAILED
        and latest.finished_at is not None
        and latest.finished_at > timezone.now() - RETRY_AFTER
    ):
        return latest
    return None


def start_month(organisation_id: int, month: datetime.date, by: Any = None) -> RefreshRun:
    """Queue the preparation of the organisation's kept summaries at the end of `month`, once
    the transaction commits; or return the run already under way (one at a time: the
    organisation's row is locked while looking, so two reloads cannot start two)."""
    with transaction.atomic():
        list(Organisation.objects.select_for_update().filter(pk=organisation_id).values("pk"))
        working = working_run(organisation_id)
        if working is not None:
            return working
        run = RefreshRun.objects.create(
            organisation_id=organisation_id,
            reason=f"Preparing the board report of {month:%B %Y}",
            requested_by=by,
            month=month,
        )
        transaction.on_commit(lambda: prepare_month.enqueue(organisation_id, run.pk))
    return run


def run_month(run: RefreshRun, measures: QuerySet[Measure] | None = None) -> int:
    """Prepare the run's month for the organisation's measures (`months.prepare`), keeping the
    run's progress up to date; returns how many summaries were computed."""
    assert run.month is not None
    if measures is None:
        measures = Measure.objects.filter(unit__organisation_id=run.organisation_id)
    run.started()

    def step(done: int, total: int) -> None:
        run.record(done=done, total=total)

    try:
        count = months.prepare(measures, run.month, progress=step)
    except Exception as exc:  # the page must not show "preparing" for ever
        run.stopped(type(exc).__name__)
        raise
    run.finished()
    return count


@task()
def prepare_month(organisation_id: int, run_id: int) -> int:
    """Compute and keep the month summaries the run asks for (the board report of a large
    area waits on it, showing its progress). Tells nobody."""
    run = RefreshRun.objects.filter(pk=run_id, organisation_id=organisation_id).first()
    if run is None or not run.working:
        return 0
    with audit.acting_as(None):
        return run_month(run)
