"""A brand-new measure's data grid: dated rows for its frequency, up to today, labelled in
words, and a denominator column only where the chart needs one."""

import datetime

import pytest
from django.urls import reverse

from champion.measures.models import DataPoint, Measure
from champion.measures.views import data as grid_view
from champion.measures.views.data import period_words, recent_periods

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 7)  # a Monday


@pytest.fixture
def on_today(monkeypatch):
    """The grid's 'today' is TODAY."""
    monkeypatch.setattr(grid_view.timezone, "localdate", lambda: TODAY)


@pytest.mark.parametrize(
    "frequency,first,last",
    [
        ("monthly", "2025-12-01", "2026-11-01"),  # the months that have ended
        ("weekly", "2026-09-14", "2026-11-30"),  # Mondays of the weeks that have ended
        ("daily", "2026-11-26", "2026-12-07"),  # days up to today
        ("quarterly", "2023-10-01", "2026-07-01"),
    ],
)
def test_the_last_periods_of_each_frequency(frequency, first, last):
    periods = recent_periods(Measure(frequency=frequency), 12, TODAY)
    assert len(periods) == 12 == len(set(periods))
    assert (periods[0], periods[-1]) == (first, last)
    assert periods == sorted(periods)


def test_a_measure_of_events_has_undated_rows():
    assert recent_periods(Measure(frequency="event"), 12, TODAY) == [""] * 12


def test_a_week_that_has_not_ended_is_not_offered():
    """On a Sunday the week is not over: the last row is the week before."""
    sunday = datetime.date(2026, 12, 6)
    assert recent_periods(Measure(frequency="weekly"), 1, sunday) == ["2026-11-23"]


@pytest.mark.parametrize(
    "text,frequency,words",
    [
        ("2026-11-01", "monthly", "November 2026"),
        ("2026-10-01", "quarterly", "Oct to Dec 2026"),
        ("2026-11-30", "weekly", "Week of Mon 30 Nov 2026"),
        ("2026-12-07", "daily", "Mon 7 Dec 2026"),
        ("2026-11-15", "monthly", "Sun 15 Nov 2026"),  # not a month's first day: the day
        ("", "monthly", ""),
        ("soon", "weekly", ""),
    ],
)
def test_periods_in_words(text, frequency, words):
    assert period_words(text, frequency) == words


def _grid(client, measure):
    response = client.get(reverse("measures:data", args=[measure.pk]))
    assert response.status_code == 200
    return response.context, response.content.decode()


def test_a_new_monthly_measure_opens_on_the_last_twelve_months(client_for, world, on_today):
    m = Measure.objects.create(
        unit=world.ward_a, name="Falls", definition="x", chart="u", multiply=1000,
        denominator="Occupied bed-days",
    )  # fmt: skip
    context, page = _grid(client_for(world.member), m)
    periods = [row.period_text for row, _, _ in context["rows"]]
    assert periods == ["2025-12-01"] + [f"2026-{k:02d}-01" for k in range(1, 12)]
    assert "December 2025" in page and "November 2026" in page and "December 2026" not in page
    assert '<input type="hidden" name="rows" value="12">' in page
    assert "Denominator: Occupied bed-days" in page and 'name="denominator-0"' in page


def test_rows_left_empty_are_not_saved(client_for, world, on_today):
    m = Measure.objects.create(unit=world.ward_a, name="Complaints", definition="x", chart="c")
    client = client_for(world.member)
    data = {"rows": "12"}
    for i, period in enumerate(recent_periods(m, 12, datetime.date(2026, 12, 7))):
        data |= {f"period-{i}": period, f"value-{i}": "", f"original-{i}": ""}
    data |= {"value-0": "4", "value-11": "6"}
    assert client.post(reverse("measures:data", args=[m.pk]), data).status_code == 302
    assert list(m.data_points.values_list("period", "value")) == [
        (datetime.date(2025, 12, 1), 4),
        (datetime.date(2026, 11, 1), 6),
    ]
    # Once it has data the grid continues after the last point, as before.
    context, _ = _grid(client, m)
    assert [row.period_text for row, _, _ in context["rows"]][2] == "2026-12-01"


@pytest.mark.parametrize(
    "chart,denominator,column",
    [
        ("p", "Patients", True),
        ("pp", "Attendances", True),
        ("u", "Bed-days", True),
        ("up", "Bed-days", True),
        ("c", "", False),
        ("i", "", False),
        ("xbar", "", False),
        ("t", "", False),
        ("g", "", False),
        ("run", "", False),  # a run chart of counts
        ("run", "Patients seen", True),  # a run chart of a percentage needs one
        ("i", "Bed-days", True),
    ],
)
def test_the_denominator_column_only_where_the_chart_needs_one(
    client_for, world, chart, denominator, column
):
    m = Measure.objects.create(
        unit=world.ward_a, name="M", definition="x", chart=chart, denominator=denominator
    )
    context, page = _grid(client_for(world.member), m)
    assert context["show_denominator"] is column
    assert ('name="denominator-0"' in page) is column
    assert ("Denominator" in page) is column


def test_a_saved_denominator_keeps_its_column(client_for, world):
    """A run chart without a written denominator whose points have one (an older measure):
    the column stays, so saving the grid never drops the saved denominators."""
    m = Measure.objects.create(unit=world.ward_a, name="M", definition="x", chart="run")
    DataPoint.objects.create(measure=m, period=datetime.date(2026, 1, 1), value=3, denominator=40)
    context, page = _grid(client_for(world.member), m)
    assert context["show_denominator"] and 'value="40"' in page
