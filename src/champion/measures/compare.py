"""Comparing units that measure the same thing: one shared definition, many units' measures.

Every number here is summed in the database (a fixed number of queries whatever the number
of units or points): each unit's numerators and denominators over a window of periods (the
funnel plot), and the units' points summed period by period (the roll-up to a parent unit:
the parent's rate is the sum of its units' events over the sum of their denominators, never
an average of rates). The statistics are the engine's (`spc.funnel`, `spc.analyze`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, Max, Q, QuerySet, Sum

from champion import spc
from champion.accounts.models import Unit
from champion.measures.models import DataPoint, Measure, SharedDefinition

#: The window a funnel compares by default: the last twelve periods with data.
WINDOW_MONTHS = 12


@dataclass(frozen=True)
class UnitTotal:
    """One group's sums over the window: a unit's own measure, or a parent's units summed."""

    label: str
    unit: Unit
    events: float
    n: float
    points: int
    measures: int = 1

    @property
    def value(self) -> float | None:
        return self.events / self.n if self.n else None


def shared_measures(definition: SharedDefinition, within: Q) -> QuerySet[Measure]:
    """The measures following `definition` in the units `within` selects (a filter on `unit`)."""
    return (
        Measure.objects.filter(shared=definition)
        .filter(within)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def default_window(measures: QuerySet[Measure]) -> tuple[datetime.date, datetime.date] | None:
    """The last `WINDOW_MONTHS` months up to the latest period any of the measures has."""
    latest = DataPoint.objects.filter(measure__in=measures).aggregate(last=Max("period"))["last"]
    if latest is None:
        return None
    month = latest.year * 12 + latest.month - 1 - (WINDOW_MONTHS - 1)
    return datetime.date(month // 12, month % 12 + 1, 1), latest


def totals(
    measures: QuerySet[Measure], start: datetime.date, end: datetime.date
) -> list[UnitTotal]:
    """Each measure's events and denominators summed over [start, end], in one query. Points
    without a denominator are left out of both sums (a rate needs both)."""
    rows = (
        DataPoint.objects.filter(
            measure__in=measures,
            period__gte=start,
            period__lte=end,
            denominator__isnull=False,
        )
        .values("measure_id")
        .annotate(events=Sum("value"), n=Sum("denominator"), points=Count("id"))
    )
    sums = {r["measure_id"]: r for r in rows}
    out = []
    for m in measures:
        r = sums.get(m.pk)
        if r and r["n"]:
            out.append(UnitTotal(m.unit.name, m.unit, r["events"], r["n"], r["points"]))
    return out


def by_child(parent: Unit, rows: list[UnitTotal]) -> list[UnitTotal]:
    """The rows summed up to each child of `parent` (a unit's rows join the child whose subtree
    holds it; rows of the parent itself stay its own)."""
    children = list(Unit.objects.filter(parent=parent).order_by("name"))
    groups: dict[int, list[UnitTotal]] = {}
    keys: dict[int, Unit] = {}
    for row in rows:
        owner = next((c for c in children if row.unit.path.startswith(c.path)), parent)
        groups.setdefault(owner.pk, []).append(row)
        keys[owner.pk] = owner
    return [
        UnitTotal(
            keys[pk].name,
            keys[pk],
            sum(r.events for r in members),
            sum(r.n for r in members),
            sum(r.points for r in members),
            measures=len(members),
        )
        for pk, members in sorted(groups.items(), key=lambda kv: keys[kv[0]].name)
    ]


def funnel(definition: SharedDefinition, rows: list[UnitTotal]) -> spc.Funnel | None:
    """The funnel plot of the rows against their pooled average (None with fewer than two
    groups or a definition without denominators). Raises spc.SPCError for data it refuses."""
    kind = definition.funnel_kind
    if kind is None or len(rows) < 2:
        return None
    exact = kind == "rate" or all(float(r.n).is_integer() for r in rows)
    return spc.funnel(
        [r.events for r in rows],
        [r.n for r in rows],
        kind=kind,
        method="exact" if exact else "normal",
        multiply=definition.multiply or 1.0,
        labels=[r.label for r in rows],
    )


@dataclass(frozen=True)
class Rollup:
    """The units' points summed period by period: the parent unit's own series."""

    periods: list[datetime.date]
    events: list[float]
    n: list[float]
    units: list[int]  # how many measures reported in each period


def rollup(measures: QuerySet[Measure]) -> Rollup:
    """Sum numerators and denominators per period across the measures, in one query."""
    rows = list(
        DataPoint.objects.filter(measure__in=measures, denominator__isnull=False)
        .values("period")
        .annotate(events=Sum("value"), n=Sum("denominator"), units=Count("measure_id"))
        .order_by("period")
    )
    return Rollup(
        periods=[r["period"] for r in rows],
        events=[r["events"] for r in rows],
        n=[r["n"] for r in rows],
        units=[r["units"] for r in rows],
    )


def rollup_analysis(definition: SharedDefinition, rolled: Rollup) -> spc.Analysis | None:
    """The rolled-up series on the definition's chart (p or u; None without denominators)."""
    if definition.funnel_kind is None or len(rolled.periods) < 2:
        return None
    chart = "p" if definition.funnel_kind == "proportion" else "u"
    return spc.analyze(
        y=rolled.events,
        n=rolled.n,
        x=np.array(rolled.periods, dtype="datetime64[D]"),
        chart=chart,
        multiply=definition.multiply or 1.0,
        rules=("anhoej", "mdc"),
        improvement=definition.improvement or None,
    )
