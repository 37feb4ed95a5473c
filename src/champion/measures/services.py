"""What other code asks of Measure: define a measure, record its data.

Each is one function that validates, saves and then refreshes the analysis in plain
sight, so the measure form, a project's "add a measure" (`improvement.measures_link`),
the data grid, uploads and the REST API behave alike.

This module is also Measure's door for the other rooms (import-linter checks it): Improve's
`measures_link` and the Lead overview use the names re-exported below (the models they
query, the permission to change a measure, the chart, the attention order), and Learn's
`mdc_icons` exercise the measure permission helper, a measure's series and the icons; Lead's
strategy deployment reads each month's value for its bowling charts (`monthly_values`), and its
board report the kept month summaries (`months`), prepared by a task (`start_month`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from champion.core import audit
from champion.measures import analysis
from champion.measures import compare as compare
from champion.measures import months as months
from champion.measures.analysis import AsOf as AsOf
from champion.measures.analysis import analyze as analyze
from champion.measures.analysis import as_of as as_of
from champion.measures.analysis import chart_spec as chart_spec
from champion.measures.analysis import impact as impact
from champion.measures.analysis import refresh as refresh
from champion.measures.analysis import render as render
from champion.measures.analysis import series as series
from champion.measures.analysis import verdict as verdict
from champion.measures.attention import SignalCounts as SignalCounts
from champion.measures.attention import attention_only as attention_only
from champion.measures.attention import by_attention as by_attention
from champion.measures.attention import counts_of as counts_of
from champion.measures.attention import needs_attention as needs_attention
from champion.measures.attention import ranked as ranked
from champion.measures.attention import signal_counts as signal_counts
from champion.measures.data import Point, Saved, Subgroup, save_points
from champion.measures.forms import MeasureForm as MeasureForm
from champion.measures.impact import Impact as Impact
from champion.measures.models import Annotation as Annotation
from champion.measures.models import DataPoint as DataPoint
from champion.measures.models import Measure as Measure
from champion.measures.models import Phase as Phase
from champion.measures.models import SharedDefinition as SharedDefinition
from champion.measures.models import Signal
from champion.measures.permissions import can_change_measure as can_change_measure
from champion.measures.permissions import can_enter_data as can_enter_data
from champion.measures.permissions import measure_for as measure_for
from champion.measures.permissions import shared_for as shared_for
from champion.measures.preparing import failed_lately as failed_lately
from champion.measures.preparing import start_month as start_month
from champion.measures.preparing import working_run as working_run
from champion.measures.summary import Summary as Summary
from champion.measures.templatetags.measure_tags import ASSURANCE as ASSURANCE
from champion.measures.templatetags.measure_tags import VARIATION as VARIATION
from champion.measures.templatetags.measure_tags import assurance_icon as assurance_icon
from champion.measures.templatetags.measure_tags import period as period
from champion.measures.templatetags.measure_tags import variation_icon as variation_icon


def define_measure(measure: Measure, *, by: Any, owners: Iterable[Any] | None = None) -> Measure:
    """Validate and save a new or changed measure (raises `ValidationError`, saving nothing).

    Every rule is `Measure.clean`; a new measure is owned by `owners`, or by the person who
    defined it when none are named. A changed measure is analysed again at once."""
    new = measure.pk is None
    if new and measure.created_by_id is None:
        measure.created_by = by
    measure.full_clean(exclude=["owners", "created_by"])
    with transaction.atomic():
        measure.save()
        chosen = list(owners) if owners is not None else None
        if new:
            measure.owners.set(chosen or [by])
        else:
            if chosen is not None:
                measure.owners.set(chosen)
            analysis.refresh(measure)
    return measure


def delete_measure(measure: Measure) -> int:
    """Delete a measure and its data in one transaction; returns how many points went.

    The points are deleted in the database and audited as one entry with their count (a
    measure of 200,000 points is one statement, not 200,000 loaded rows and log lines); the
    measure's own deletion, its notes and phases are audited as usual."""
    with transaction.atomic():
        points = audit.delete_rows(measure.data_points.all(), of=measure, label="data points")
        measure.delete()
    return points


def record_data(
    measure: Measure, points: Iterable[Point | Subgroup], *, delete: Iterable[datetime.date] = ()
) -> Saved:
    """Save checked points (and delete periods), then refresh the analysis and tell people
    about new signals, all in one transaction (the notices go after it commits).

    Writers to one measure take turns: the measure's row is locked first (PostgreSQL; SQLite
    runs one write transaction at a time anyway), so two pushes sharing periods cannot both
    insert the same period, and each analysis is computed from every point committed
    before it, never from a snapshot that misses a concurrent push."""
    with transaction.atomic():
        list(Measure.objects.select_for_update().filter(pk=measure.pk).values_list("pk", flat=True))
        saved = save_points(measure, points, delete=delete)
        if saved.changed:
            analysis.refresh(measure, notify_new_signals=True, since=saved.earliest)
    return saved


def monthly_values(
    measures: Iterable[Measure], first: datetime.date, last: datetime.date
) -> dict[int, dict[datetime.date, float]]:
    """Each measure's value for every calendar month from `first` to `last` (first days) that
    has data, on the measure's plotted scale: the month's point for a monthly measure; for
    one recorded more often, the month's pooled rate (its numerators summed over its
    denominators) when it has denominators, else the mean of its values; times the measure's
    `multiply`, as the chart draws it. Aggregated in the database: one query for any number
    of measures and months."""
    by_id = {m.pk: m for m in measures}
    if not by_id:
        return {}
    end = datetime.date(last.year + (last.month == 12), last.month % 12 + 1, 1)
    rows = (
        DataPoint.objects.filter(measure_id__in=list(by_id), period__gte=first, period__lt=end)
        .annotate(month=TruncMonth("period"))
        .values("measure_id", "month")
        .annotate(total=Sum("value"), under=Sum("denominator"), n=Count("pk"))
        .order_by()
    )
    found: dict[int, dict[datetime.date, float]] = {}
    for row in rows:
        m = by_id[row["measure_id"]]
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        if m.takes_denominator and row["under"]:
            value = row["total"] / row["under"]
        elif m.needs_denominator:
            continue  # a rate without its denominators has no value
        else:
            value = row["total"] / row["n"]
        found.setdefault(m.pk, {})[month] = value * (m.multiply or 1.0)
    return found


def signals_since(units: Any, since: datetime.datetime) -> list[tuple[str, str, int]]:
    """Measures of `units` (a Unit queryset) with signals first seen since `since`:
    (measure, unit, how many), most first; one aggregate query."""
    rows = (
        Signal.objects.filter(measure__unit__in=units, first_seen__gte=since)
        .values("measure__name", "measure__unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "measure__name")
    )
    return [(r["measure__name"], r["measure__unit__name"], r["n"]) for r in rows]
