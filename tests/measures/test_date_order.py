"""Day/month order of slash dates in uploads: read from the whole column, or asked; never guessed."""

import datetime

import pytest
from django.urls import reverse

from champion.measures.data import Row, check_rows, parse_period, slash_date_order
from champion.measures.models import DataImport, DataPoint, Measure

from .test_upload import map_and_save, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def counts(world):
    return Measure.objects.create(
        unit=world.ward_a, name="Falls", definition="x", chart="c", improvement="down"
    )


def csv(*dates):
    return "date,falls\n" + "".join(f"{d},{k + 1}\n" for k, d in enumerate(dates))


def saved(measure):
    return [(p.period, p.value) for p in DataPoint.objects.filter(measure=measure)]


def test_the_rule_has_one_home():
    assert parse_period("01/02/2024") == datetime.date(2024, 2, 1)
    assert parse_period("01/02/2024", day_first=False) == datetime.date(2024, 1, 2)
    assert parse_period("31.01.2024", day_first=False) == datetime.date(2024, 1, 31)  # dots: day
    rows = [(2, "01/02/2024"), (3, "13/02/2024"), (4, "2024-03-01")]
    assert slash_date_order(rows).order == "day"
    assert slash_date_order([(2, "01/02/2024"), (3, "02/13/2024")]).order == "month"
    assert slash_date_order([(2, "01/02/2024"), (3, "02/03/2024")]).order == "ambiguous"
    assert slash_date_order([(2, "13/02/2024"), (9, "02/13/2024")]).order == "mixed"
    assert slash_date_order([(2, "31/31/2024")]).order == ""  # no date either way: an error
    assert slash_date_order([(2, "2024-01-31")]).order == ""


def test_a_month_first_column_is_read_month_first(client_for, world, counts):
    client = client_for(world.member)
    upload(client, counts, "us.csv", csv("01/02/2024", "01/31/2024", "02/01/2024"))
    imp = DataImport.objects.get()
    page = client.get(reverse("measures:import", args=[counts.pk, imp.pk])).content.decode()
    assert "How are the dates written?" not in page  # the column tells: nothing to ask
    response = map_and_save(client, counts, imp, layout="periods", period="date", value="falls")
    assert response.status_code == 302
    assert sorted(saved(counts)) == [
        (datetime.date(2024, 1, 2), 1), (datetime.date(2024, 1, 31), 2),
        (datetime.date(2024, 2, 1), 3),
    ]  # fmt: skip


def test_a_day_first_column_is_read_day_first(client_for, world, counts):
    client = client_for(world.member)
    upload(client, counts, "uk.csv", csv("01/02/2024", "31/01/2024"))
    imp = DataImport.objects.get()
    map_and_save(client, counts, imp, layout="periods", period="date", value="falls")
    assert sorted(saved(counts)) == [
        (datetime.date(2024, 1, 31), 2),
        (datetime.date(2024, 2, 1), 1),
    ]


def test_a_column_with_both_orders_is_refused_with_example_lines(client_for, world, counts):
    client = client_for(world.member)
    upload(client, counts, "mixed.csv", csv("01/02/2024", "31/01/2024", "01/31/2024"))
    imp = DataImport.objects.get()
    response = map_and_save(client, counts, imp, layout="periods", period="date", value="falls")
    assert response.status_code == 422
    page = response.content.decode()
    assert "written both ways" in page
    assert "line 3 &#x27;31/01/2024&#x27;" in page and "line 4 &#x27;01/31/2024&#x27;" in page
    assert saved(counts) == []


def test_an_all_ambiguous_column_is_asked_with_no_default(client_for, world, counts):
    client = client_for(world.member)
    upload(client, counts, "amb.csv", csv("01/02/2024", "02/03/2024", "03/04/2024"))
    imp = DataImport.objects.get()
    page = client.get(reverse("measures:import", args=[counts.pk, imp.pk])).content.decode()
    assert "How are the dates written?" in page
    assert "Day first (31/01/2024)" in page and "Month first (01/31/2024)" in page
    assert 'name="date_order" value="day" >' in page  # neither is chosen for the uploader
    assert 'name="date_order" value="month" >' in page
    response = map_and_save(client, counts, imp, layout="periods", period="date", value="falls")
    assert response.status_code == 422
    assert "Choose how the file writes dates" in response.content.decode()
    assert saved(counts) == []
    response = map_and_save(
        client, counts, imp, layout="periods", period="date", value="falls", date_order="month"
    )
    assert response.status_code == 302
    assert sorted(saved(counts)) == [
        (datetime.date(2024, 1, 2), 1), (datetime.date(2024, 2, 3), 2),
        (datetime.date(2024, 3, 4), 3),
    ]  # fmt: skip


def test_ambiguous_events_are_asked_too_and_counted_in_the_chosen_order(client_for, world, counts):
    client = client_for(world.member)
    upload(client, counts, "events.csv", "when,ward\n01/02/2024,A\n01/03/2024,B\n05/02/2024,A\n")
    imp = DataImport.objects.get()
    mapping = {"layout": "events", "period": "when", "group": "month", "aggregate": "count"}
    assert map_and_save(client, counts, imp, **mapping).status_code == 422
    map_and_save(client, counts, imp, **mapping, date_order="day")
    assert sorted(saved(counts)) == [(datetime.date(2024, 2, 1), 2), (datetime.date(2024, 3, 1), 1)]


def test_the_grid_and_api_stay_day_first(counts):
    """Only uploads detect or ask; the grid and the API read 01/02/2024 as 1 February (docs)."""
    rows = [Row(line=1, period_in="01/02/2024", value_in="3")]
    assert check_rows(counts, rows) == []
    assert rows[0].point.period == datetime.date(2024, 2, 1)


def test_an_upload_stored_before_the_orders_were_kept_is_asked_after_its_first_try(
    client_for, world, counts
):
    client = client_for(world.member)
    upload(client, counts, "amb.csv", csv("01/02/2024", "02/03/2024"))
    imp = DataImport.objects.get()
    DataImport.objects.filter(pk=imp.pk).update(date_orders={})  # as before the migration
    map_and_save(client, counts, imp, layout="periods", period="date", value="falls")
    imp.refresh_from_db()
    assert imp.status == "failed" and saved(counts) == []
    assert "Choose how the file writes dates" in imp.errors[0][1]
    page = client.get(reverse("measures:import", args=[counts.pk, imp.pk])).content.decode()
    assert "How are the dates written?" in page
