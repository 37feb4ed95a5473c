"""Event-level rows (one per event or patient) become weekly or monthly counts, shares and averages."""

import polars as pl
import pytest

from champion.measures.data import PERIOD_FORMATS
from champion.measures.imports import aggregate_events
from champion.measures.models import DataImport, Measure

pytestmark = pytest.mark.django_db

EVENTS = pl.DataFrame(
    {
        "date": ["2024-01-03", "2024-01-20", "31/01/2024", "2024-02-01 08:15:00", "2024-02-14"],
        "readmitted": ["yes", "no", "No", "1", "0"],
        "minutes": ["10", "20", "30", "40", "1,000"],
    }
)


def test_counts_per_month():
    rows, errors = aggregate_events(
        EVENTS, {"period": "date", "aggregate": "count", "group": "month"}
    )
    assert errors == []
    assert [(d.isoformat(), v, n) for d, v, n in rows] == [
        ("2024-01-01", 3, None),
        ("2024-02-01", 2, None),
    ]


def test_shares_per_month_give_numerator_and_denominator():
    rows, _ = aggregate_events(
        EVENTS,
        {"period": "date", "aggregate": "proportion", "group": "month", "outcome": "readmitted"},
    )
    assert [(v, n) for _, v, n in rows] == [(1, 3), (1, 2)]


def test_means_per_week_start_on_monday():
    rows, _ = aggregate_events(
        EVENTS, {"period": "date", "aggregate": "mean", "group": "week", "value": "minutes"}
    )
    assert (
        rows[0][0].isoformat() == "2024-01-01"
    )  # Wednesday 3 January is in the week of Monday 1st
    assert rows[0][1] == 10
    assert rows[-1] == (rows[-1][0], 1000.0, None)


def test_bad_event_rows_are_reported_with_their_lines():
    frame = pl.DataFrame({"date": ["2024-01-03", "soon", ""], "readmitted": ["yes", "maybe", "no"]})
    rows, errors = aggregate_events(
        frame,
        {"period": "date", "aggregate": "proportion", "group": "month", "outcome": "readmitted"},
    )
    assert rows == []
    assert errors == [
        (3, "'soon' is not a date. Write dates as 2024-01-31, 31/01/2024 or 2024-01 for a month."),
        (3, "'maybe' in the outcome column is not yes or no."),
        (4, "The date is empty."),
    ]


def test_an_event_upload_saves_monthly_points(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    measure = Measure.objects.create(
        unit=world.ward_a, name="Readmissions", definition="x", denominator="discharges",
        chart="p", multiply=100,
    )  # fmt: skip
    client = client_for(world.member)
    csv = "discharged,readmitted\n" + "".join(
        f"2024-0{m}-1{d},{'yes' if d == 0 else 'no'}\n" for m in (1, 2, 3) for d in range(5)
    )
    client.post(
        reverse("measures:upload", args=[measure.pk]),
        {"file": SimpleUploadedFile("e.csv", csv.encode())},
    )
    imp = DataImport.objects.get()
    assert imp.mapping["layout"] == "events"
    client.post(
        reverse("measures:import", args=[measure.pk, imp.pk]),
        {
            "layout": "events",
            "period": "discharged",
            "group": "month",
            "aggregate": "proportion",
            "outcome": "readmitted",
        },
    )
    assert [(p.value, p.denominator) for p in measure.data_points.all()] == [(1, 5)] * 3


def test_big_files_run_as_a_task_with_progress(
    client_for, world, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from champion.measures import imports

    monkeypatch.setattr(imports, "BACKGROUND_ROWS", 10)
    measure = Measure.objects.create(
        unit=world.ward_a, name="ED arrivals", definition="x", chart="c"
    )
    client = client_for(world.member)
    csv = "arrived\n" + "".join(f"2024-01-{d:02d}\n" for d in range(1, 29)) * 2
    client.post(
        reverse("measures:upload", args=[measure.pk]),
        {"file": SimpleUploadedFile("e.csv", csv.encode())},
    )
    imp = DataImport.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("measures:import", args=[measure.pk, imp.pk]),
            {"layout": "events", "period": "arrived", "group": "week", "aggregate": "count"},
        )
    imp.refresh_from_db()
    # TASKS_BACKEND=immediate runs the task on commit, inline: it is done with full progress.
    assert response.status_code == 302
    assert imp.status == "applied" and imp.progress == 100
    assert sum(p.value for p in measure.data_points.all()) == 56
    progress = client.get(
        reverse("measures:import-progress", args=[measure.pk, imp.pk]), HTTP_HX_REQUEST="true"
    )
    assert progress["HX-Redirect"] == f"/measures/{measure.pk}/"


# A real transaction: db_worker closes its database connection after the work, as a worker does.
@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_the_page_shows_progress_until_a_worker_is_done(
    client_for, world, monkeypatch, settings
):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.urls import reverse

    from champion.measures import imports

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(imports, "BACKGROUND_ROWS", 10)
    measure = Measure.objects.create(unit=world.ward_a, name="Arrivals", definition="x", chart="c")
    client = client_for(world.member)
    csv = "arrived\n" + "".join(f"2024-01-{d:02d}\n" for d in range(1, 29))
    client.post(
        reverse("measures:upload", args=[measure.pk]),
        {"file": SimpleUploadedFile("e.csv", csv.encode())},
    )
    imp = DataImport.objects.get()
    client.post(
        reverse("measures:import", args=[measure.pk, imp.pk]),
        {"layout": "events", "period": "arrived", "group": "week", "aggregate": "count"},
    )
    imp.refresh_from_db()
    assert imp.status == "queued"
    page = client.get(reverse("measures:import", args=[measure.pk, imp.pk])).content.decode()
    assert "Waiting to start" in page and "<progress" in page and 'hx-trigger="every 1s"' in page
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    imp.refresh_from_db()
    assert imp.status == "applied" and measure.data_points.count() == 4


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("31/01/2024 08:15", "2024-01-31"),  # a UK export with a time
        ("31/01/2024 8:15:00", "2024-01-31"),
        ("1/2/2024", "2024-02-01"),
        ("31.01.2024", "2024-01-31"),
        ("2024-01-31 10:00", "2024-01-31"),
        ("2024-01", "2024-01-01"),
        ("31/01/2024 junk", None),
        ("2024-13-01", None),
        ("31/02/2024", None),
    ],
)
def test_event_dates_are_read_by_the_one_period_parser(text, expected):
    """The event aggregation reads dates with `data.parse_period`, the parser of the grid,
    the API and period uploads: an event row is kept exactly when that parser reads it."""
    import datetime

    from champion.measures.data import parse_period

    want = None if expected is None else datetime.date.fromisoformat(expected)
    assert parse_period(text) == want
    rows, errors = aggregate_events(
        pl.DataFrame({"d": [text]}), {"period": "d", "aggregate": "count", "group": "month"}
    )
    if want is None:
        assert rows == [] and errors == [(2, f"'{text}' is not a date. {PERIOD_FORMATS}")]
    else:
        assert errors == [] and rows == [(want.replace(day=1), 1.0, None)]
