"""Writers to one measure take turns: concurrent pushes sharing periods all succeed and the
stored summary counts every point (PostgreSQL; SQLite runs one writer at a time anyway)."""

import datetime
import threading

import pytest
from django.db import connection, connections

from champion.measures.data import Point
from champion.measures.models import Measure
from champion.measures.services import record_data

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite test databases live in one connection's memory; CI runs this on PostgreSQL",
    ),
]


def test_concurrent_pushes_sharing_periods_all_succeed_and_the_summary_counts_every_point(world):
    measure = Measure.objects.create(unit=world.ward_a, name="Waits", chart="i", improvement="down")
    days = [datetime.date(2025, 1, 1) + datetime.timedelta(days=i) for i in range(20)]
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def push(offset: int) -> None:
        try:
            start.wait()
            # Every push overlaps the others: the same 20 periods, different values.
            record_data(measure, [Point(d, float(i + offset), None) for i, d in enumerate(days)])
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=push, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    measure.refresh_from_db()
    assert measure.data_points.count() == 20
    assert measure.summary.n == 20
