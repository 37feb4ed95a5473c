"""One way in for data and for definitions: the typed point, the one period parser, the one
measure service (issue 9, item 1)."""

import datetime
import io

import openpyxl
import polars as pl
import pytest
from django.urls import reverse

from champion.measures.data import (
    PERIOD_FORMATS,
    Point,
    Row,
    check_rows,
    grid_rows,
    parse_number,
    parse_period,
    save_points,
)
from champion.measures.imports import aggregate_events, rows_from_periods
from champion.measures.models import DataImport, Measure
from champion.measures.services import record_data

from .test_api import auth, token  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2024-01-31", D(2024, 1, 31)),
        (" 2024-01-31 ", D(2024, 1, 31)),
        ("2024-01-31T08:15:00", D(2024, 1, 31)),
        ("31/01/2024", D(2024, 1, 31)),
        ("31.01.2024 08:15", D(2024, 1, 31)),
        ("2024-02", D(2024, 2, 1)),
        (D(2024, 3, 5), D(2024, 3, 5)),
        (datetime.datetime(2024, 3, 5, 23, 59), D(2024, 3, 5)),
        ("", None),
        ("   ", None),
        ("2024-02-30", None),
        ("01/31/2024", None),  # a US date: no 31st month
        ("2024-1-5", None),
        ("Jan 2024", None),
        (20240131, None),  # a number is not a date
        (None, None),
    ],
)
def test_the_one_period_parser(given, expected):
    assert parse_period(given) == expected


@pytest.mark.parametrize(
    ("given", "expected"),
    [("1,234", 1234.0), (" 12.5 ", 12.5), ("85%", 85.0), (3, 3.0), (0.1, 0.1), (True, None),
     ("nan", None), (float("inf"), None), ("lots", None), (None, None), ([1], None)],
)  # fmt: skip
def test_numbers_as_typed_or_as_json_sends_them(given, expected):
    assert parse_number(given) == expected


def test_a_checked_row_holds_its_typed_point_and_a_bad_row_its_errors(measure):
    rows = [
        Row(line=1, period_in="2025-01", value_in="4", denominator_in="1,000"),
        Row(line=2, period_in="2025-13-01", value_in="x", denominator_in="1000"),
    ]
    bad = check_rows(measure, rows)
    assert rows[0].point == Point(D(2025, 1, 1), 4.0, 1000.0) and rows[0].errors == []
    assert bad == [rows[1]] and rows[1].point is None
    assert rows[1].errors == [
        f"'2025-13-01' is not a date. {PERIOD_FORMATS}",
        "'x' in the value column is not a number.",
    ]


def test_the_grid_posts_become_rows_and_periods_to_delete():
    post = {
        "rows": "3",
        "period-0": "2024-01-01", "value-0": "5", "original-0": "2024-01-01",
        "period-1": "2024-02-01", "value-1": "", "original-1": "2024-02-01",
        "period-2": "2024-03-15", "value-2": "7", "original-2": "2024-03-01",
    }  # fmt: skip
    rows, originals, keep, deleted = grid_rows(post)
    assert len(rows) == 3
    assert [r.line for r in keep] == [1, 3]
    assert deleted == [D(2024, 2, 1), D(2024, 3, 1)]
    assert originals == ["2024-01-01", "2024-02-01", "2024-03-01"]


def test_both_upload_layouts_give_the_same_typed_points(measure):
    periods = pl.DataFrame({"when": ["31/01/2024", "2024-02"], "n": ["3", "4"], "d": ["10", "10"]})
    rows = rows_from_periods(periods, {"period": "when", "value": "n", "denominator": "d"})
    assert check_rows(measure, rows) == []
    assert [r.point for r in rows] == [
        Point(D(2024, 1, 31), 3.0, 10.0),
        Point(D(2024, 2, 1), 4.0, 10.0),
    ]
    events = pl.DataFrame({"when": ["31/01/2024", "2024-01-02 10:00", "01.02.2024"]})
    points, errors = aggregate_events(
        events, {"period": "when", "aggregate": "count", "group": "month"}
    )
    assert errors == [] and points == [Point(D(2024, 1, 1), 2.0), Point(D(2024, 2, 1), 1.0)]
    assert all(isinstance(p, Point) for p in points)


def test_an_event_upload_checks_the_aggregated_points_as_points(client_for, world):
    """A t chart counts days between events: a mean of 0 days is refused by the same rule as a
    typed 0, said for its period."""
    measure = Measure.objects.create(unit=world.ward_a, name="Days", definition="x", chart="t")
    book = openpyxl.Workbook()
    book.active.append(["Date", "Days"])
    book.active.append(["2024-01-03", 0])
    book.active.append(["2024-02-03", 5])
    buffer = io.BytesIO()
    book.save(buffer)
    imp = DataImport.objects.create(
        measure=measure, filename="t.xlsx", data=buffer.getvalue(), columns=["Date", "Days"],
        rows_total=2,
    )  # fmt: skip
    from champion.measures.imports import submit

    imp = submit(imp, {"layout": "events", "period": "Date", "value": "Days", "group": "month",
                       "aggregate": "mean", "outcome": ""})  # fmt: skip
    assert imp.status == "failed" and not measure.data_points.exists()
    assert imp.errors == [[0, "2024-01-01: The days between events must be above zero."]]


def test_the_api_sends_json_numbers_to_the_parser_as_numbers(client, world, token):  # noqa: F811
    measure = Measure.objects.create(unit=world.ward_a, name="Exact", definition="x", chart="i")
    value = 0.1 + 0.2  # 0.30000000000000004: would read differently after a round trip via '%g'
    response = client.post(
        f"/api/v1/measures/{measure.pk}/data",
        {"points": [{"period": "2024-01-31", "value": value}, {"period": "2024-02", "value": 1e-9}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 200, response.content
    assert [(p.period, p.value) for p in measure.data_points.all()] == [
        (D(2024, 1, 31), value),
        (D(2024, 2, 1), 1e-9),
    ]
    response = client.post(
        f"/api/v1/measures/{measure.pk}/data",
        {"points": [{"period": "2024-03-01", "value": True}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422
    assert "'true' in the value column is not a number." in response.json()["errors"][0]["message"]


def test_saving_only_saves_and_the_service_refreshes(measure):
    before = dict(measure.summary) if isinstance(measure.summary, dict) else measure.summary
    saved = save_points(measure, [Point(D(2025, 1, 1), 40.0, 1000.0)])
    assert (saved.created, saved.earliest) == (1, D(2025, 1, 1))
    measure.refresh_from_db()
    assert measure.summary == before  # nothing was analysed
    again = record_data(measure, [Point(D(2025, 2, 1), 4.0, 1000.0)])
    measure.refresh_from_db()
    assert again.changed and measure.summary != before
    assert not record_data(measure, [Point(D(2025, 2, 1), 4.0, 1000.0)]).changed


# One measure service: the form, a project's "add a measure" and the API refuse the same.

FORM = {
    "name": "Days between falls", "kind": "outcome", "definition": "Days from one fall to the next",
    "frequency": "event", "chart": "t", "multiply": "1", "target": "-3",
}  # fmt: skip


def test_a_negative_target_on_a_t_chart_is_refused_by_the_form(client_for, world):
    response = client_for(world.member).post(
        reverse("measures:create"), {**FORM, "unit": world.ward_a.pk}
    )
    assert response.status_code == 200
    assert "Time or cases between events cannot be negative." in response.content.decode()
    assert not Measure.objects.exists()


@pytest.mark.parametrize("chart", ["t", "g"])
def test_a_negative_target_on_a_t_or_g_chart_is_refused_by_the_api(client, world, token, chart):  # noqa: F811
    response = client.post(
        "/api/v1/measures", {"name": "Between", "unit": world.ward_a.pk, "chart": chart, "target": -3},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == (
        "The measure was not created. target: Time or cases between events cannot be negative."
    )
    assert not Measure.objects.exists()
    ok = client.post(
        "/api/v1/measures", {"name": "Between", "unit": world.ward_a.pk, "chart": chart, "target": 30},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert ok.status_code == 201


def test_changing_the_chart_is_checked_against_the_saved_data_by_the_same_rules(measure):
    from django.core.exceptions import ValidationError

    from champion.measures.services import define_measure

    measure.data_points.filter(period=D(2023, 1, 1)).update(denominator=None)
    measure.chart = "p"
    with pytest.raises(ValidationError) as refused:
        define_measure(measure, by=None)
    assert "no denominator" in str(refused.value.message_dict["chart"])


def test_xlsx_date_cells_go_through_the_one_parser_in_both_layouts(world):
    from champion.measures.imports import submit

    measure = Measure.objects.create(unit=world.ward_a, name="Waits", definition="x", chart="i")
    book = openpyxl.Workbook()
    book.active.append(["When", "Minutes"])
    book.active.append([datetime.date(2024, 1, 31), 30])
    book.active.append([datetime.datetime(2024, 2, 29, 8, 15), 45.5])
    buffer = io.BytesIO()
    book.save(buffer)

    def upload(**mapping):
        imp = DataImport.objects.create(
            measure=measure, filename="w.xlsx", data=buffer.getvalue(),
            columns=["When", "Minutes"], rows_total=2,
        )  # fmt: skip
        return submit(imp, {"period": "When", "value": "Minutes", "denominator": "", **mapping})

    assert upload(layout="periods").status == "applied"
    assert [(p.period, p.value) for p in measure.data_points.all()] == [
        (D(2024, 1, 31), 30.0),
        (D(2024, 2, 29), 45.5),
    ]
    measure.data_points.all().delete()
    imp = upload(layout="events", group="month", aggregate="mean", outcome="")
    assert imp.status == "applied", imp.errors
    assert [(p.period, p.value) for p in measure.data_points.all()] == [
        (D(2024, 1, 1), 30.0),
        (D(2024, 2, 1), 45.5),
    ]
