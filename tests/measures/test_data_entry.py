"""The data grid: typed rows saved together, every bad row explained, nothing saved when one is bad."""

import datetime

import pytest
from django.urls import reverse

from champion.measures.models import DataPoint, Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def cchart(world):
    return Measure.objects.create(unit=world.ward_a, name="Complaints", definition="x", chart="c")


def post(client, measure, rows, htmx=False):
    data = {"rows": str(len(rows))}
    for i, (period, value, original) in enumerate(rows):
        data.update({f"period-{i}": period, f"value-{i}": value, f"original-{i}": original})
    extra = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    return client.post(reverse("measures:data", args=[measure.pk]), data, **extra)


def test_rows_are_saved_and_cleared_values_deleted(client_for, world, cchart):
    client = client_for(world.member)
    response = post(
        client, cchart, [("2024-01-01", "4", ""), ("01/02/2024", "6", ""), ("2024-03-01", "", "")]
    )
    assert response.status_code == 302
    assert [(p.period.isoformat(), p.value) for p in cchart.data_points.all()] == [
        ("2024-01-01", 4),
        ("2024-02-01", 6),
    ]
    post(client, cchart, [("2024-01-01", "", "2024-01-01"), ("2024-02-01", "7", "2024-02-01")])
    assert [(p.period.isoformat(), p.value) for p in cchart.data_points.all()] == [
        ("2024-02-01", 7)
    ]


def test_bad_rows_are_explained_and_nothing_is_saved(client_for, world, cchart):
    response = post(
        client_for(world.member),
        cchart,
        [
            ("2024-01-01", "4", ""),
            ("2024-02-30", "5", ""),
            ("2024-03-01", "five", ""),
            ("2024-01-01", "2", ""),
            ("2024-04-01", "-1", ""),
        ],
        htmx=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page  # HTMX swaps only 2xx answers
    assert "Row 2: &#x27;2024-02-30&#x27; is not a date" in page
    assert "Row 3: &#x27;five&#x27; in the value column is not a number." in page
    assert "appears twice (also on row 1)" in page
    assert "cannot be negative" in page
    assert not cchart.data_points.exists()


def test_the_htmx_save_returns_the_grid_only(client_for, world, cchart):
    response = post(client_for(world.member), cchart, [("2024-01-01", "4", "")], htmx=True)
    page = response.content.decode()
    assert response.status_code == 200 and "<html" not in page and "Saved: 1 new" in page


def test_without_javascript_bad_rows_answer_422_with_the_whole_page(client_for, world, cchart):
    response = post(client_for(world.member), cchart, [("someday", "4", "")])
    assert response.status_code == 422 and "<html" in response.content.decode()
    assert "&#x27;someday&#x27; is not a date" in response.content.decode()


def test_a_tampered_grid_is_refused_politely(client_for, world, cchart):
    client = client_for(world.member)
    url = reverse("measures:data", args=[cchart.pk])
    assert client.post(url, {"rows": "many"}).status_code == 302  # nothing to save
    response = client.post(
        url, {"rows": "1", "period-0": "2024-01-01", "value-0": "", "original-0": "garbage"}
    )
    assert response.status_code == 302 and not cchart.data_points.exists()


def test_more_rows_keep_what_was_typed_continue_the_periods_and_save_nothing(
    client_for, world, cchart
):
    client = client_for(world.member)
    data = {
        "rows": "2", "add_rows": "1",
        "period-0": "2024-03-01", "value-0": "5", "original-0": "",
        "period-1": "2024-04-01", "value-1": "oops", "original-1": "",
    }  # fmt: skip
    response = client.post(reverse("measures:data", args=[cchart.pk]), data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<input type="hidden" name="rows" value="14">' in page
    assert 'name="value-0" type="text" inputmode="decimal" value="5"' in page
    assert 'name="value-1" type="text" inputmode="decimal" value="oops"' in page
    assert (
        'name="period-2" type="text" inputmode="numeric" placeholder="2024-01-31" value="2024-05-01"'
        in page
    )
    assert 'value="2025-04-01"' in page and 'name="period-14"' not in page
    assert "Nothing was saved" not in page  # adding rows checks nothing yet ...
    assert not cchart.data_points.exists()  # ... and saves nothing


def test_the_grid_can_remove_a_point_stored_outside_the_range(client_for, world, cchart):
    """A year-1 point saved before periods were bounded can still be cleared."""
    DataPoint.objects.create(measure=cchart, period=datetime.date(1, 1, 1), value=3)
    response = post(client_for(world.member), cchart, [("0001-01-01", "", "0001-01-01")])
    assert response.status_code == 302 and not cchart.data_points.exists()


def test_the_grid_refuses_a_new_point_outside_the_range(client_for, world, cchart):
    page = post(client_for(world.member), cchart, [("9999-01-01", "4", "")], htmx=True)
    assert "is outside the range: periods run from 1900 to 2200." in page.content.decode()
    assert not cchart.data_points.exists()
