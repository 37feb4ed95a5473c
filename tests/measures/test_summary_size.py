"""A measure's stored summary stays small however many points are flagged (issue 16, "store
signals compactly"): the signals are rows, the summary a few fields and a short sparkline, so
the home page's queries and size do not grow with the series."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from champion.measures import analysis
from champion.measures.models import DataPoint, Measure, Signal

pytestmark = pytest.mark.django_db

POINTS = 200_000


def _measure(world, name, n):
    measure = Measure.objects.create(
        unit=world.ward_a, name=name, definition="x", chart="i", improvement="down", target=5.0
    )
    start = datetime.date(1900, 1, 1)
    # Alternating blocks of 10 low and 10 high values: shifts and points beyond the limits
    # all the way along, so a great many points are flagged.
    DataPoint.objects.bulk_create(
        (
            DataPoint(
                measure=measure,
                period=start + datetime.timedelta(days=k),
                value=float(5 + (k // 10) % 2 * 20 + k % 3),
            )
            for k in range(n)
        ),
        batch_size=5_000,
    )
    analysis.refresh(measure)
    measure.refresh_from_db()
    return measure


def _stored_summary(measure):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT summary FROM {Measure._meta.db_table} WHERE id = %s", [measure.pk])
        (raw,) = cursor.fetchone()
    return raw if isinstance(raw, str) else json.dumps(raw)


def _home(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home:home"))
    assert response.status_code == 200
    return len(queries.captured_queries), len(response.content)


def test_the_summary_of_a_200000_point_measure_with_many_signals_stays_small(world, client_for):
    client = client_for(world.member)
    small = _measure(world, "Small", 200)
    queries_small, size_small = _home(client)
    big = _measure(world, "Big", POINTS)
    assert big.summary.n == POINTS
    assert Signal.objects.filter(measure=big).count() > 1_000  # many flagged stretches
    assert len(_stored_summary(big)) < 4_000  # bytes: a few fields and a short sparkline
    assert len(_stored_summary(big)) < 2 * len(_stored_summary(small)) + 500
    queries_big, size_big = _home(client)
    # The home page reads summaries only: one more measure, not 200,000 more points.
    assert queries_big <= queries_small + 2
    assert size_big < size_small + 20_000
