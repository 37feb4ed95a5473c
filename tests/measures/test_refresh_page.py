"""Re-analysing every measure of the organisation: a task with progress its admins watch
(issue 15): started by a rule-set change, by the admin, or nightly; others cannot see it."""

import pytest
from django.urls import reverse

from champion.accounts.models import Organisation
from champion.measures.models import DataPoint, Measure, RefreshRun

from .conftest import months

pytestmark = pytest.mark.django_db

URL = reverse("measures:refresh")


def _measures(world, count=3):
    for k in range(count):
        m = Measure.objects.create(unit=world.ward_a, name=f"M{k}", definition="x", chart="i")
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=d, value=float(5 + i % 3)) for i, d in enumerate(months(15))
        )


def test_the_admin_starts_a_run_and_sees_it_done(
    client_for, world, django_capture_on_commit_callbacks
):
    _measures(world)
    client = client_for(world.admin)
    page = client.get(URL).content.decode()
    assert "No re-analysis has run yet." in page and "3 measures" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL)
    assert response.status_code == 302
    run = RefreshRun.objects.get()
    assert (run.status, run.done, run.total, run.requested_by) == ("done", 3, 3, world.admin)
    assert all(m.summary_at is not None for m in Measure.objects.all())
    page = client.get(URL).content.decode()
    assert "Last re-analysis: done" in page and "3 of 3 measures" in page
    assert "Asked for by an admin" in page


def test_a_running_run_is_polled_with_its_progress(client_for, world):
    run = RefreshRun.objects.create(
        organisation=world.org, reason="Nightly re-analysis", status="running", total=200, done=50
    )
    client = client_for(world.admin)
    page = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in page and "50 of 200 measures (25%)" in page
    assert "<html" not in page  # the partial only
    # A second run is not started while one works.
    client.post(URL)
    assert RefreshRun.objects.count() == 1
    assert run.percent == 25


@pytest.mark.parametrize("who", ["member", "leader", "coach"])
def test_only_organisation_admins_see_it(client_for, world, who):
    client = client_for(getattr(world, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL).status_code == 403
    assert not RefreshRun.objects.exists()


def test_another_organisations_admin_sees_none_of_its_runs(client_for, world):
    RefreshRun.objects.create(organisation=world.org, reason="Secret reason here")
    page = client_for(world.outsider).get(URL).content.decode()
    assert "Secret reason here" not in page


def test_a_rule_set_change_starts_a_recorded_run(
    client_for, world, django_capture_on_commit_callbacks
):
    _measures(world, 2)
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:organisation-rules"), {"rule_set": "ihi"})
    assert Organisation.objects.get(pk=world.org.pk).rule_set == "ihi"
    run = RefreshRun.objects.get(organisation=world.org)
    assert run.status == "done" and run.done == 2
    assert "rule set changed" in run.reason
