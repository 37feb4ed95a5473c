"""Measures fixtures: a falls measure on Ward A (of the shared `world`) with two years of data."""

from __future__ import annotations

import datetime

import pytest

from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure


def months(n: int, start: datetime.date = datetime.date(2023, 1, 1)) -> list[datetime.date]:
    out = []
    y, m = start.year, start.month
    for _ in range(n):
        out.append(datetime.date(y, m, 1))
        m += 1
        if m > 12:
            y, m = y + 1, 1
    return out


FALLS = [9, 7, 8, 10, 6, 9, 8, 7, 9, 8, 10, 7, 4, 5, 3, 4, 5, 4, 3, 5, 4, 3, 4, 5]


@pytest.fixture
def measure(world) -> Measure:
    m = Measure.objects.create(
        unit=world.ward_a,
        name="Falls",
        definition="Inpatient falls reported in Datix",
        denominator="Occupied bed-days",
        chart="u",
        multiply=1000,
        improvement="down",
        target=4.0,
        unit_label="falls per 1,000 bed-days",
    )
    m.owners.add(world.member)
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v, denominator=1000 + 10 * i)
        for i, (d, v) in enumerate(zip(months(24), FALLS, strict=True))
    )
    refresh(m)
    return m


@pytest.fixture
def elsewhere_measure(world) -> Measure:
    """A measure of another organisation: invisible to everyone in `world.org`."""
    return Measure.objects.create(unit=world.other_ward, name="Secret", definition="x", chart="run")
