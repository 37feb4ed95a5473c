"""An import whose worker died is found, marked failed with what happened, and can be retried
or discarded, instead of "Checking and saving… 70 %" for ever."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from champion.core.models import WorkerHeartbeat
from champion.measures.models import DataImport, Measure
from tests.measures.test_upload import map_and_save, upload

pytestmark = pytest.mark.django_db

CSV = "month,count\n2024-01-01,3\n2024-02-01,5\n2024-03-01,4\n"


@pytest.fixture
def cchart(world):
    return Measure.objects.create(unit=world.ward_a, name="Complaints", definition="x", chart="c")


def stuck(client, measure, status, minutes_ago):
    upload(client, measure, "counts.csv", CSV)
    imp = DataImport.objects.get()
    imp.mapping = {"layout": "periods", "period": "month", "value": "count"}
    imp.status, imp.progress = status, 70
    imp.touched_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    imp.save()
    return imp


def page(client, measure, imp):
    return client.get(reverse("measures:import", args=[measure.pk, imp.pk])).content.decode()


def test_running_work_without_progress_for_15_minutes_is_marked_failed_and_can_be_retried(
    client_for, world, cchart
):
    client = client_for(world.member)
    imp = stuck(client, cchart, DataImport.Status.RUNNING, minutes_ago=16)
    text = page(client, cchart, imp)
    imp.refresh_from_db()
    assert imp.status == DataImport.Status.FAILED
    assert "Nothing was saved: the work stopped." in text and "try again, or discard it" in text
    assert "Check and save" in text  # the mapping form is offered again
    response = map_and_save(client, cchart, imp, layout="periods", period="month", value="count")
    assert response.status_code == 302 and cchart.data_points.count() == 3
    imp.refresh_from_db()
    assert imp.status == DataImport.Status.APPLIED and "stopped" not in imp.summary


def test_a_stopped_import_can_be_discarded(client_for, world, cchart):
    client = client_for(world.member)
    imp = stuck(client, cchart, DataImport.Status.RUNNING, minutes_ago=60)
    # The page polls its progress: the poll finds the stale work and reloads the page.
    poll = client.get(reverse("measures:import-progress", args=[cchart.pk, imp.pk]))
    assert poll["HX-Refresh"] == "true"
    client.post(reverse("measures:import-discard", args=[cchart.pk, imp.pk]))
    imp.refresh_from_db()
    assert imp.status == DataImport.Status.DISCARDED and not cchart.data_points.exists()


def test_work_that_moved_recently_is_left_alone(client_for, world, cchart):
    client = client_for(world.member)
    imp = stuck(client, cchart, DataImport.Status.RUNNING, minutes_ago=5)
    assert "Checking and saving" in page(client, cchart, imp)
    imp.refresh_from_db()
    assert imp.status == DataImport.Status.RUNNING


def test_queued_work_waits_its_turn_while_a_worker_is_alive(client_for, world, cchart):
    client = client_for(world.member)
    WorkerHeartbeat.objects.create(worker_id="w1", hostname="app", pid=1)
    imp = stuck(client, cchart, DataImport.Status.QUEUED, minutes_ago=30)
    page(client, cchart, imp)
    imp.refresh_from_db()
    assert imp.status == DataImport.Status.QUEUED


def test_queued_work_with_no_worker_says_so(client_for, world, cchart):
    client = client_for(world.member)
    imp = stuck(client, cchart, DataImport.Status.QUEUED, minutes_ago=30)
    text = page(client, cchart, imp)
    imp.refresh_from_db()
    assert imp.status == DataImport.Status.FAILED
    assert "No background worker has picked this file up" in text
