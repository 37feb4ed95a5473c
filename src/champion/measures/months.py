"""Kept month summaries: each measure as it stood at a month's end, computed once and kept.

The board report looks back on a closed month, whose data rarely change, over as many as ten
thousand measures. Analysing them all again on every visit (`analysis.as_of`) took half a
minute, so each measure's summary at a month's end is kept (`MonthSummary`) with plain columns
the report sorts and counts by in the database.

When a kept summary is valid: it was computed from inputs whose digest is the measure's
`inputs_digest` today (written by every refresh, also when the engine refused the data:
`analysis.inputs_digest` covers the points, phases, exclusions, frozen baseline, settings,
rule set and the engine's version) and under the rule set the measure follows today (so a
rule-set change is seen at once, before the organisation's re-analysis has run). The digest
is read with the measure before its points, so a summary computed while new data were being
saved carries the older digest and is computed again. Anything else is computed again with
`as_of` and kept: a summary kept here never says what the engine would not say today.

The digest is of the measure's whole series, so a point of a later month also makes the
closed month's summary be computed again, although it cannot change it: conservative, never
wrong, and cheap (a few hundred measures a month get new data after the nightly preparation).
A measure never refreshed since the digests were kept has none; it is refreshed first.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, When
from django.db.models.functions import Lower
from django.utils import timezone

from champion.measures.analysis import BATCH_PREFETCH, AsOf, as_of, refresh_many
from champion.measures.models import Measure, MonthSummary
from champion.measures.summary import Summary

#: Measures analysed and kept per batch (one `as_of` call and one write).
PREPARE_BATCH = 500

#: The columns a kept summary repeats from its `Summary` (kept in step by `keep`).
_UPDATED = [
    "summary",
    "inputs_digest",
    "rule_set",
    "n",
    "attention",
    "variation",
    "assurance",
    "exception",
    "computed_at",
]


def is_exception(summary: Summary) -> bool:
    """A measure a board must discuss: special cause variation of concern, or a target the
    process will consistently miss ("fail")."""
    return summary.variation == "concern" or summary.assurance == "fail"


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def last_month(today: datetime.date | None = None) -> datetime.date:
    """The first day of the last complete month: the one a monthly meeting looks back on."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def _rule_set_today(prefix: str) -> Case:
    """The rule set a measure follows today: its own, else its organisation's."""
    return Case(
        When(**{f"{prefix}rule_set": ""}, then=F(f"{prefix}unit__organisation__rule_set")),
        default=F(f"{prefix}rule_set"),
    )


def kept(measures: QuerySet[Measure], month: datetime.date) -> QuerySet[MonthSummary]:
    """The valid kept summaries of `measures` at the end of `month` (its first day)."""
    rule_set_today = _rule_set_today("measure__")
    return (
        MonthSummary.objects.filter(month=month, measure__in=measures.values("pk"))
        .exclude(inputs_digest="")
        .filter(inputs_digest=F("measure__inputs_digest"))
        .alias(rule_set_today=rule_set_today)
        .filter(rule_set=F("rule_set_today"))
    )


def missing(measures: QuerySet[Measure], month: datetime.date) -> QuerySet[Measure]:
    """Those of `measures` without a valid kept summary at the end of `month` (an anti-join:
    no kept row of the month with the measure's digest and today's rule set)."""
    valid = MonthSummary.objects.filter(
        measure_id=OuterRef("pk"),
        month=month,
        inputs_digest=OuterRef("inputs_digest"),
        rule_set=OuterRef("rule_set_today"),
    )
    return (
        measures.alias(rule_set_today=_rule_set_today(""))
        .alias(has_valid=Exists(valid))
        .filter(Q(inputs_digest="") | Q(has_valid=False))
    )


def keep(entries: list[AsOf], month: datetime.date) -> None:
    """Keep these summaries at the end of `month`, each with the digest and rule set its
    measure had when it was read (before its points): one statement per `PREPARE_BATCH`."""
    now = timezone.now()
    rows = [
        MonthSummary(
            measure_id=e.measure.pk,
            month=month,
            summary=e.summary,
            inputs_digest=e.measure.inputs_digest,
            rule_set=e.measure.rules_used,
            n=e.summary.n,
            attention=e.summary.attention,
            variation=e.summary.variation or "",
            assurance=e.summary.assurance or "",
            exception=is_exception(e.summary),
            computed_at=now,
        )
        for e in entries
    ]
    MonthSummary.objects.bulk_create(
        rows,
        batch_size=PREPARE_BATCH,
        update_conflicts=True,
        unique_fields=["measure", "month"],
        update_fields=_UPDATED,
    )


def prepare(
    measures: QuerySet[Measure],
    month: datetime.date,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Compute and keep the summaries at the end of `month` of those of `measures` that have
    no valid one, a batch at a time (each batch written as it is done, so progress shows and a
    crash keeps what was done); returns how many were computed. `progress(done, total)` is
    called before the first batch and after each."""
    end = month_end(month)
    ids = list(missing(measures, month).order_by("pk").values_list("pk", flat=True))
    if progress is not None:
        progress(0, len(ids))
    done = 0
    for start in range(0, len(ids), PREPARE_BATCH):
        chunk = ids[start : start + PREPARE_BATCH]
        unknown = Measure.objects.filter(pk__in=chunk, inputs_digest="")
        if unknown.exists():  # analysed before digests were kept: refresh them first
            refresh_many(
                unknown.defer("summary")
                .select_related("unit__organisation")
                .prefetch_related(*BATCH_PREFETCH)
            )
        keep(as_of(Measure.objects.filter(pk__in=chunk), end), month)
        done += len(chunk)
        if progress is not None:
            progress(done, len(ids))
    return done


def _read(measures: QuerySet[Measure], month: datetime.date) -> QuerySet[MonthSummary]:
    """The kept rows of `measures` at `month`'s end, valid or not: read just after `prepare`
    (or a `missing` that found none), which made every one valid, they are what the engine
    says (without checking each row's validity again, three times faster on 10,000)."""
    return MonthSummary.objects.filter(month=month, measure__in=measures.values("pk"))


def summaries(measures: QuerySet[Measure], month: datetime.date) -> QuerySet[MonthSummary]:
    """The kept summaries of `measures` at `month`'s end with their measure and unit, the ones
    needing attention first, then by name (call `prepare` first: a missing one is left out)."""
    return (
        _read(measures, month)
        .select_related("measure__unit")
        .defer("measure__summary")  # the measure's latest summary: not this month's
        .order_by("-attention", Lower("measure__name"), "measure_id")
    )


def counts(
    measures: QuerySet[Measure], month: datetime.date
) -> tuple[dict[tuple[Any, Any], int], int]:
    """How many of `measures` have each (variation, assurance) at `month`'s end (None: no
    icon), and how many had no data then: one aggregate query over the kept summaries (call
    `prepare` first)."""
    rows = (
        _read(measures, month)
        .values_list("variation", "assurance")
        .annotate(count=Count("pk"), empty=Count("pk", filter=Q(n=0)))
        .order_by()
    )
    cells: dict[tuple[Any, Any], int] = {}
    no_data = 0
    for variation, assurance, count, empty in rows:
        cells[(variation or None, assurance or None)] = count
        no_data += empty
    return cells, no_data


def each(measures: QuerySet[Measure], month: datetime.date) -> Iterator[MonthSummary]:
    """Every kept summary of `measures` at `month`'s end, read a thousand at a time."""
    return summaries(measures, month).iterator(chunk_size=1000)
