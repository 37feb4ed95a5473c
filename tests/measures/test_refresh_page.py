"""Re-analysing every measure of the organisation: a task with progress its admins watch
(issue 15): started by a rule-set change, by the admin, or nightly; others cannot see it. Its
last step, preparing last month's board report summaries, has progress of its own: the page
says "finished" only when the whole run is."""

import datetime
from html import unescape

import pytest
from django.urls import reverse

from champion.accounts.models import Organisation
from champion.measures import months as kept
from champion.measures import tasks
from champion.measures.models import DataPoint, Measure, MonthSummary, RefreshRun

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
    page = unescape(client.get(URL).content.decode())
    last = f"{kept.last_month():%B %Y}"
    assert "Last re-analysis: finished" in page
    assert f"Re-analysed 3 of 3 measures; prepared {last}'s board report summaries: 3 of 3" in page
    assert "Asked for by an admin" in page
    assert MonthSummary.objects.filter(month=kept.last_month()).count() == 3


def test_a_running_run_is_polled_with_its_progress(client_for, world):
    run = RefreshRun.objects.create(
        organisation=world.org, reason="Nightly re-analysis", status="running", total=200, done=50
    )
    client = client_for(world.admin)
    page = client.get(URL, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in page and "Re-analysed 50 of 200 measures (25%)" in page
    assert "Step 1 of 2: re-analysing the measures" in page and 'value="25"' in page
    assert "<html" not in page  # the partial only
    # A second run is not started while one works.
    client.post(URL)
    assert RefreshRun.objects.count() == 1
    assert run.percent == 25


@pytest.mark.parametrize("who", ["member", "leader", "coach"])
def test_only_organisation_admins_see_it(client_for, world, who):
    client = client_for(getattr(world, who))
    RefreshRun.objects.create(organisation=world.org, reason="Nightly", status="preparing")
    assert client.get(URL).status_code == 403
    assert client.get(URL, {"shown": "running"}, headers={"HX-Request": "true"}).status_code == 403
    RefreshRun.objects.all().delete()
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


# The last step: preparing last month's board report summaries -----------------------------


NOVEMBER = datetime.date(2026, 11, 1)


def _preparing(world, **fields):
    values = {"status": "preparing", "total": 10043, "done": 10043, "prepared_month": NOVEMBER}
    return RefreshRun.objects.create(
        organisation=world.org, reason="Nightly re-analysis", **(values | fields)
    )


def test_the_preparation_step_has_its_own_progress_and_is_not_finished(client_for, world):
    run = _preparing(world, prepared=2000, to_prepare=10043)
    client = client_for(world.admin)
    page = unescape(client.get(URL, headers={"HX-Request": "true"}).content.decode())
    assert (
        "Re-analysed 10,043 of 10,043 measures; preparing November 2026's board report "
        "summaries: 2,000 of 10,043 (20%)"
    ) in page
    assert "Step 2 of 2: preparing the board report" in page
    assert 'value="20"' in page and 'value="100"' not in page and "100%" not in page
    assert "finished" not in page.lower().replace("it has finished only when this says so", "")
    assert 'hx-trigger="every 2s"' in page  # still polled
    assert run.percent == 20 and run.working
    # It is a run under way: none other starts, and the button to start one is not shown.
    assert "Re-analyse every measure now" not in page
    client.post(URL)
    assert RefreshRun.objects.count() == 1
    assert list(RefreshRun.objects.working()) == [run]


def test_while_the_summaries_are_counted_the_bar_has_no_value(client_for, world):
    _preparing(world)
    page = unescape(
        client_for(world.admin).get(URL, headers={"HX-Request": "true"}).content.decode()
    )
    assert "preparing November 2026's board report summaries: counting those to compute" in page
    bar = '<progress id="refresh-bar" aria-labelledby="refresh-bar-label" max="100"></progress>'
    assert bar in page  # indeterminate: no value, so no 0 % nor 100 %
    assert "<td>November 2026: counting</td>" in page


def test_the_page_follows_a_real_run_through_its_preparation(client_for, world, monkeypatch):
    """Watched while the run works (between its batches), the page is never at 100 % nor
    finished before the summaries are all kept."""
    _measures(world)
    client = client_for(world.admin)
    seen: list[str] = []
    prepare = kept.prepare

    def watched(measures, month, *, progress):
        def step(done, total):
            progress(done, total)
            seen.append(unescape(client.get(URL, headers={"HX-Request": "true"}).content.decode()))

        seen.append(unescape(client.get(URL, headers={"HX-Request": "true"}).content.decode()))
        return prepare(measures, month, progress=step)

    monkeypatch.setattr(kept, "PREPARE_BATCH", 1)
    monkeypatch.setattr(kept, "prepare", watched)
    run = RefreshRun.objects.create(organisation=world.org, reason="Nightly re-analysis")
    tasks.run_refresh(run)
    last = f"{kept.last_month():%B %Y}'s board report summaries"
    assert f"Re-analysed 3 of 3 measures; preparing {last}: counting those to compute" in seen[0]
    assert f"preparing {last}: 0 of 3 (0%)" in seen[1]
    assert f"preparing {last}: 1 of 3 (33%)" in seen[2]
    assert f"preparing {last}: 3 of 3 (100%)" in seen[4]  # the last batch written, then done
    for page in seen:
        assert "Step 2 of 2" in page and 'hx-trigger="every 2s"' in page
        assert "Last re-analysis" not in page
    page = unescape(client.get(URL, headers={"HX-Request": "true"}).content.decode())
    assert "Last re-analysis: finished" in page and "hx-trigger" not in page


def test_a_failure_while_preparing_is_shown_as_such(client_for, world, monkeypatch):
    _measures(world)
    prepare = kept.prepare

    def fails_after_one(measures, month, *, progress):
        def step(done, total):
            progress(done, total)
            if done:
                raise MemoryError

        return prepare(measures, month, progress=step)

    monkeypatch.setattr(kept, "PREPARE_BATCH", 1)
    monkeypatch.setattr(kept, "prepare", fails_after_one)
    run = RefreshRun.objects.create(organisation=world.org, reason="Nightly re-analysis")
    with pytest.raises(MemoryError):
        tasks.run_refresh(run)
    run.refresh_from_db()
    assert (run.status, run.done, run.prepared, run.to_prepare) == ("failed", 3, 1, 3)
    assert run.failed_preparing and not run.working
    # The measures were re-analysed: that work stands and the page says so.
    assert all(m.summary_at is not None for m in Measure.objects.all())
    page = unescape(client_for(world.admin).get(URL).content.decode())
    last = f"{kept.last_month():%B %Y}"
    assert (
        "Last re-analysis: re-analysed; preparing board report summaries stopped by an error"
        in page
    )
    assert (
        f"Re-analysed 3 of 3 measures; preparing {last}'s board report summaries stopped by an "
        "error (MemoryError) after 1 of 3"
    ) in page
    assert "Every measure's analysis, summary and signals are up to date" in page
    assert "then stopped by an error" not in page  # not a failed re-analysis
    assert "Re-analyse every measure now" in page  # another may be started


def test_a_failure_while_re_analysing_is_shown_as_such(client_for, world, monkeypatch):
    _measures(world)

    def broken(batch):
        raise MemoryError

    monkeypatch.setattr(tasks, "refresh_many", broken)
    run = RefreshRun.objects.create(organisation=world.org, reason="Nightly re-analysis")
    with pytest.raises(MemoryError):
        tasks.run_refresh(run)
    run.refresh_from_db()
    assert run.status == "failed" and run.prepared_month is None and not run.failed_preparing
    page = unescape(client_for(world.admin).get(URL).content.decode())
    assert "Last re-analysis: stopped by an error" in page
    assert "Re-analysed 0 of 3 measures, then stopped by an error (MemoryError)" in page
    assert "board report summaries" not in page.split("Recent runs")[0]
    assert not MonthSummary.objects.exists()


def test_a_change_of_step_is_said_once_to_a_screen_reader(client_for, world):
    """The polled part is not a live region (it would be read out every two seconds); the
    status line outside it is filled only when the step the page shows has changed."""
    _preparing(world, prepared=2000, to_prepare=10043)
    client = client_for(world.admin)
    full = unescape(client.get(URL).content.decode())
    assert '<p id="progress-said" class="visually-hidden" role="status"></p>' in full
    assert 'hx-vals=\'{"shown": "preparing"}\'' in full
    assert "aria-live" not in full.split('id="progress"')[1].split(">")[0]
    hx = {"HX-Request": "true"}
    same = unescape(client.get(URL, {"shown": "preparing"}, headers=hx).content.decode())
    assert "progress-said" not in same
    changed = unescape(client.get(URL, {"shown": "running"}, headers=hx).content.decode())
    assert (
        '<p id="progress-said" hx-swap-oob="innerHTML">Preparing board report summaries…</p>'
        in changed
    )
    assert '<section class="card" id="runs"' in same and 'hx-swap-oob="true"' in same
    RefreshRun.objects.update(status="done", prepared=10043)
    over = unescape(client.get(URL, {"shown": "preparing"}, headers=hx).content.decode())
    # The table of runs comes along, so it no longer says the run is preparing.
    runs = over.split('id="runs"')[1]
    assert "<td>Finished</td>" in runs and "Preparing board report summaries" not in runs
    assert (
        "Finished. Re-analysed 10,043 of 10,043 measures; prepared November 2026's board "
        "report summaries: 10,043 of 10,043."
    ) in over
    # A made-up step is only a change: it is not echoed.
    odd = client.get(URL, {"shown": "<script>"}, headers=hx).content.decode()
    assert "<script>" not in odd and "progress-said" in odd
