"""Measures at scale: importing a 1,000,000-row event file, and the board of 500 measures.

Both run the real code paths in a throw-away SQLite database: the upload (read,
patient-identifier check, stored file), the event aggregation and the all-or-nothing
save; and the board page through Django's test client, with its server time and
its number of queries at 50 and at 500 measures (which must be the same: the board
reads stored summaries and never analyses while a person waits).
"""

from __future__ import annotations

import datetime
import functools
import os
import tempfile
import time
from typing import Any

import numpy as np
from harness import Context, Table, fmt_seconds, section

EVENT_ROWS = 1_000_000
BOARD_SIZES = (50, 500)


@functools.cache
def _django() -> dict[str, Any]:
    """Django on a fresh SQLite file, migrated, with one organisation, unit and person."""
    folder = tempfile.mkdtemp(prefix="champion-bench-")
    os.environ.setdefault("DEBUG", "1")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "champion.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, and e-mails kept in memory
    call_command("migrate", verbosity=0)
    from champion.accounts.models import Membership, Organisation, Role, Unit, User

    org = Organisation.objects.create(name="Bench Health")
    root = Unit.objects.create(organisation=org, name="Bench Health", kind="system")
    ward = Unit.objects.create(organisation=org, parent=root, name="Bench Ward", kind="ward")
    user = User.objects.create_user("bench@example.org", full_name="Bench Leader", organisation=org)
    Membership.objects.create(user=user, unit=root, role=Role.LEADER)
    return {"org": org, "root": root, "ward": ward, "user": user}


def _event_file(rows: int) -> bytes:
    """Discharges over five years with a yes/no readmission outcome, as a CSV export would be."""
    rng = np.random.default_rng(20261125)
    start = np.datetime64("2021-01-01")
    days = start + rng.integers(0, 5 * 365, rows).astype("timedelta64[D]")
    outcome = np.where(rng.random(rows) < 0.11, "yes", "no")
    lines = np.char.add(np.char.add(days.astype(str), ","), outcome)
    return ("discharged,readmitted\n" + "\n".join(lines.tolist()) + "\n").encode()


@section("import", "Importing a 1,000,000-row event file")
def import_events(ctx: Context) -> list[Table]:
    env = _django()
    from champion.core import audit
    from champion.measures import imports
    from champion.measures.models import Measure

    rows = 100_000 if ctx.quick else EVENT_ROWS
    data = _event_file(rows)
    measure = Measure.objects.create(
        unit=env["ward"], name=f"Readmissions {rows}", definition="x", denominator="discharges",
        chart="p", multiply=100,
    )  # fmt: skip
    table = Table(
        f"{rows:,} event rows ({len(data) / 1e6:.0f} MB CSV) to monthly proportions",
        ["step", "time", "rows per second"],
    )
    with audit.acting_as(env["user"]):
        t0 = time.perf_counter()
        imp = imports.start(measure, env["user"], "events.csv", data)
        t1 = time.perf_counter()
        mapping = {"layout": "events", "period": "discharged", "group": "month",
                   "aggregate": "proportion", "outcome": "readmitted"}  # fmt: skip
        imports.submit(imp, mapping)  # over BACKGROUND_ROWS: queued as a task (run at once here)
        t2 = time.perf_counter()
    imp.refresh_from_db()
    assert imp.status == "applied", imp.errors[:3]
    table.rows.append(
        ["upload: read, identifier check, store", fmt_seconds(t1 - t0), f"{rows / (t1 - t0):,.0f}"]
    )
    table.rows.append(
        ["task: aggregate, check, save, analyse", fmt_seconds(t2 - t1), f"{rows / (t2 - t1):,.0f}"]
    )
    table.rows.append(["total", fmt_seconds(t2 - t0), f"{rows / (t2 - t0):,.0f}"])
    table.notes.append(
        f"{measure.data_points.count()} monthly points saved; rows are aggregated in Polars, each "
        "distinct date read once by the one period parser."
    )
    ctx.budget("1e6-row event import", fmt_seconds(t2 - t0), "(no budget set; evidence)", None)
    return [table]


def _board_measures(env: dict[str, Any], count: int) -> float:
    """Create measures (36 monthly points each) up to `count`; returns the time to refresh their summaries."""
    from champion.measures.analysis import refresh
    from champion.measures.models import DataPoint, Measure

    rng = np.random.default_rng(count)
    have = Measure.objects.filter(name__startswith="Board ").count()
    months = [datetime.date(2023 + (m // 12), m % 12 + 1, 1) for m in range(36)]
    new = []
    for k in range(have, count):
        chart = ("i", "p", "u", "c", "run")[k % 5]
        new.append(Measure(
            unit=env["ward"], name=f"Board {k:04d}", definition="x", chart=chart,
            denominator="d" if chart in ("p", "u") else "", improvement="down", target=50.0,
            multiply=100 if chart in ("p", "u") else 1,
        ))  # fmt: skip
    Measure.objects.bulk_create(new)
    created = list(Measure.objects.filter(name__startswith="Board ").order_by("name")[have:count])
    points = []
    for m in created:
        den = rng.integers(80, 120, 36)
        y = rng.binomial(den, 0.3) if m.chart in ("p", "u") else rng.poisson(40, 36)
        points += [
            DataPoint(measure=m, period=d, value=float(v),
                      denominator=float(n) if m.chart in ("p", "u") else None)
            for d, v, n in zip(months, y, den, strict=True)
        ]  # fmt: skip
    DataPoint.objects.bulk_create(points, batch_size=5000)
    t0 = time.perf_counter()
    for m in created:
        refresh(m)
    return (time.perf_counter() - t0) / max(1, len(created))


@section("board", "The measure board of 500 measures")
def board(ctx: Context) -> list[Table]:
    env = _django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(env["user"])
    table = Table(
        "GET /measures/board/ (server time, test client, best of 5)",
        ["measures", "time", "queries", "page size", "refresh per measure"],
    )
    queries: dict[int, int] = {}
    for size in BOARD_SIZES:
        per_refresh = _board_measures(env, size)
        url = f"/measures/board/?unit={env['root'].pk}"
        client.get(url)  # warm: templates compiled, caches filled
        best = float("inf")
        for _ in range(2 if ctx.quick else 5):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get(url)
                best = min(best, time.perf_counter() - t0)
        assert response.status_code == 200
        queries[size] = len(captured.captured_queries)
        table.rows.append([size, fmt_seconds(best), queries[size], f"{len(response.content) / 1024:.0f} KB",
                           fmt_seconds(per_refresh)])  # fmt: skip
    table.notes.append("'refresh per measure' is the analysis stored when a measure's data change.")
    small, large = BOARD_SIZES
    ctx.budget(
        "board queries do not grow",
        f"{queries[small]} at {small}, {queries[large]} at {large}",
        "equal",
        queries[small] == queries[large],
    )
    return [table]
