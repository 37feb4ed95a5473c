"""The board report of a large area (issue 15): month summaries kept and computed again whenever
anything they were computed from changed, a large area's exceptions listed and the rest
counted (agreeing with the CSV and the engine), a large unprepared area prepared by one task
whose progress only those who may see the report see."""

from __future__ import annotations

import csv
import datetime
import io
from collections import Counter
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from champion.leadership import board
from champion.leadership.permissions import area_for
from champion.measures import months
from champion.measures.analysis import BATCH_PREFETCH, as_of, refresh, refresh_many
from champion.measures.models import DataPoint, Exclusion, Measure, MonthSummary, Phase, RefreshRun
from champion.measures.preparing import run_month
from champion.measures.tasks import run_refresh
from tests.leadership.conftest import CALM, WORRYING, measure

pytestmark = pytest.mark.django_db

MONTH = datetime.date(2024, 8, 1)
END = datetime.date(2024, 8, 31)
EARLIER = datetime.date(2023, 12, 1)  # the lead world's measures run monthly from January 2023


def north(w):
    return Measure.objects.filter(unit__path__startswith=w.north.path)


def kept_now(w, month=MONTH):
    """Prepare the month, then each North measure's kept summary (as a dict)."""
    months.prepare(north(w), month)
    return {k.measure_id: k.summary.to_dict() for k in months.kept(north(w), month)}


def engine(w, month=MONTH):
    return {e.measure.pk: e.summary.to_dict() for e in as_of(north(w), months.month_end(month))}


# Kept summaries -------------------------------------------------------------------------


@pytest.mark.parametrize("month", [MONTH, EARLIER])
def test_kept_summaries_are_what_the_engine_says_for_the_month(lead_world, month):
    w = lead_world
    kept = kept_now(w, month)
    assert kept == engine(w, month) and len(kept) == 2
    # Read again: nothing is computed a second time.
    assert months.prepare(north(w), month) == 0


def _point_before_the_end(w):
    DataPoint.objects.filter(measure=w.falls, period=datetime.date(2024, 3, 1)).update(value=30)


def _phase(w):
    Phase.objects.create(measure=w.falls, period=datetime.date(2024, 1, 1), label="New bundle")


def _exclusion(w):
    Exclusion.objects.create(measure=w.falls, period=datetime.date(2024, 3, 1), reason="Audit")


def _settings(w):
    w.falls.target = 12
    w.falls.save()


@pytest.mark.parametrize("change", [_point_before_the_end, _phase, _exclusion, _settings])
def test_a_change_up_to_the_months_end_makes_it_be_computed_again(lead_world, change):
    w = lead_world
    before = kept_now(w)
    change(w)
    w.falls.refresh_from_db()
    refresh(w.falls)  # every service that changes a measure's data or settings refreshes it
    assert list(months.missing(north(w), MONTH)) == [w.falls]
    after = kept_now(w)
    assert after == engine(w)
    assert after[w.falls.pk] != before[w.falls.pk]  # the change shows
    assert after[w.calm.pk] == before[w.calm.pk]


def _refresh_one(m):
    refresh(Measure.objects.get(pk=m.pk))


def _refresh_in_bulk(m):
    refresh_many(
        Measure.objects.filter(pk=m.pk)
        .select_related("unit__organisation")
        .prefetch_related(*BATCH_PREFETCH)
    )


@pytest.mark.parametrize("refreshed", [_refresh_one, _refresh_in_bulk])
def test_an_error_that_stays_an_error_still_marks_a_change(lead_world, refreshed):
    """The engine refuses the whole series (a later point counts more cases than its
    denominator), yet an earlier month it can analyse is computed again after a change."""
    w = lead_world
    m = Measure.objects.create(
        unit=w.ward_a, name="Rate with a bad point", definition="x", chart="p", improvement="down"
    )
    periods = [datetime.date(2023, k, 1) for k in range(1, 13)] + [datetime.date(2024, 9, 1)]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v, denominator=10)
        for d, v in zip(periods, [5, 6, 5, 4, 5, 6, 5, 5, 4, 6, 5, 5, 200], strict=True)
    )
    refreshed(m)
    m.refresh_from_db()
    assert m.summary.error and m.inputs_digest
    before = kept_now(w)
    assert before[m.pk]["n"] == 12  # August 2024's summary: the bad point is later
    DataPoint.objects.filter(measure=m, period=datetime.date(2023, 3, 1)).update(value=9)
    refreshed(m)
    m.refresh_from_db()
    assert m.summary.error  # still refused...
    assert list(months.missing(north(w), MONTH)) == [m]  # ...but the change is seen
    after = kept_now(w)
    assert after == engine(w) and after[m.pk] != before[m.pk]


def test_a_rule_set_change_is_seen_before_the_re_analysis_runs(lead_world):
    w = lead_world
    kept_now(w)
    assert not months.missing(north(w), MONTH).exists()
    w.org.rule_set = "nelson"
    w.org.save(update_fields=["rule_set"])  # no refresh yet
    assert set(months.missing(north(w), MONTH)) == {w.falls, w.calm}
    assert kept_now(w) == engine(w)
    assert {k.rule_set for k in MonthSummary.objects.filter(month=MONTH)} == {"nelson"}


def test_a_point_after_the_months_end_does_not_change_what_the_report_shows(lead_world):
    w = lead_world
    before = kept_now(w)
    DataPoint.objects.create(measure=w.falls, period=datetime.date(2024, 9, 1), value=1)
    refresh(w.falls)
    # Conservative: the whole series' digest changed, so the month is computed again...
    assert list(months.missing(north(w), MONTH)) == [w.falls]
    # ...and says the same.
    assert kept_now(w) == before


def test_a_measure_never_refreshed_since_digests_were_kept_is_refreshed_first(lead_world):
    w = lead_world
    Measure.objects.filter(pk=w.calm.pk).update(inputs_digest="")
    assert kept_now(w) == engine(w)
    assert Measure.objects.get(pk=w.calm.pk).inputs_digest


def test_the_nightly_re_analysis_prepares_last_month(lead_world):
    w = lead_world
    run = RefreshRun.objects.create(organisation=w.org, reason="Nightly re-analysis")
    run_refresh(run)
    last = months.last_month()
    assert not months.missing(Measure.objects.filter(unit__organisation=w.org), last).exists()
    # As its own step, with its progress: the three measures of North and South.
    run.refresh_from_db()
    assert (run.status, run.prepared_month, run.prepared, run.to_prepare) == ("done", last, 3, 3)
    # The next night finds them kept: nothing to compute, and it says so.
    again = RefreshRun.objects.create(organisation=w.org, reason="Nightly re-analysis")
    run_refresh(again)
    assert (again.prepared, again.to_prepare) == (0, 0)
    assert again.words.endswith(f"{last:%B %Y}'s board report summaries were all kept already")


# A large area ---------------------------------------------------------------------------


@pytest.fixture
def large(monkeypatch):
    """Every area with more than one measure is large."""
    monkeypatch.setattr(board, "LIST_ALL_UP_TO", 1)


def more_measures(w, k):
    for i in range(k):
        measure(w.ward_a, f"More worry {i}", WORRYING, target=4)
        measure(w.ward_b, f"More calm {i}", CALM)


def csv_of(client, unit):
    url = reverse("leadership:board-csv", args=[unit.pk])
    response = client.get(url, {"month": "2024-08"})
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_a_large_area_lists_its_exceptions_and_counts_every_measure(
    client_for, lead_world, large, monkeypatch
):
    w = lead_world
    more_measures(w, 3)
    monkeypatch.setattr(board, "EXCEPTIONS_SHOWN", 2)
    report = board.board_report(w.coach, area_for(w.coach, w.north.pk), MONTH, draw=False)
    assert report.large and report.total == 8
    assert report.exceptions_total == 4 and report.exceptions_unlisted == 2
    assert len(report.rows) == 2 and all(r.exception for r in report.rows)
    # The counts are the engine's.
    said = Counter((e.summary.variation, e.summary.assurance) for e in as_of(north(w), END))
    assert report.counts.cells == dict(said)
    # ... and the CSV's, which lists every measure.
    rows = csv_of(client_for(w.coach), w.north)
    assert len(rows) == report.total
    assert sum(r["Exception"] == "yes" for r in rows) == report.exceptions_total
    words = Counter((r["Variation"].split(" (")[0], r["Assurance"]) for r in rows)
    for v, _label, cells, _total in report.counts.rows:
        for (a, _words, _), n in zip(report.counts.columns, cells, strict=True):
            v_words = board.VARIATION.get(v, v) if v else ""
            assert words[(v_words, board.ASSURANCE[a][1] if a else "")] == n, (v, a)
    text = client_for(w.coach).get(
        reverse("leadership:board", args=[w.north.pk]), {"month": "2024-08"}
    )
    html = text.content.decode()
    assert "The first 2 of 4" in html and "the other 2" in html
    assert html.count('class="exception"') == 2
    assert "More calm 0" not in html  # the rest are counted, not listed
    assert 'class="board-counts"' in html and 'class="board-chart-img"' not in html


def test_a_small_area_lists_every_measure(client_for, lead_world):
    w = lead_world
    html = (
        client_for(w.coach)
        .get(reverse("leadership:board", args=[w.north.pk]), {"month": "2024-08"})
        .content.decode()
    )
    assert "Calm on Ward B" in html and "Falls on Ward A" in html
    assert 'class="board-counts"' not in html


def test_the_pdf_of_a_large_area_follows_the_page_with_its_charts(client_for, lead_world, large):
    w = lead_world
    report = board.board_report(w.coach, area_for(w.coach, w.north.pk), MONTH, for_print=True)
    assert report.large and [r.measure for r in report.charted] == [w.falls]
    page = board.board_report(w.coach, area_for(w.coach, w.north.pk), MONTH)
    assert page.charted == []  # the page stays small: the charts are in the PDF
    response = client_for(w.coach).get(
        reverse("leadership:board-pdf", args=[w.north.pk]), {"month": "2024-08"}
    )
    assert response.content.startswith(b"%PDF")


def _queries(client, unit):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("leadership:board", args=[unit.pk]), {"month": "2024-08"})
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_a_large_areas_queries_do_not_grow_with_the_measures(client_for, lead_world, large):
    w = lead_world
    client = client_for(w.coach)
    _queries(client, w.north)  # prepares the month
    before = _queries(client, w.north)
    more_measures(w, 6)
    _queries(client, w.north)
    after = _queries(client, w.north)
    assert after == before, f"{before} queries became {after}"


# Preparing a large area -------------------------------------------------------------------


@pytest.fixture
def by_task(monkeypatch, large):
    """Any measure to compute makes the page prepare them in a task."""
    monkeypatch.setattr(board, "INLINE_UP_TO", 0)


def test_a_large_unprepared_area_starts_one_task_shows_progress_then_the_report(
    client_for, lead_world, by_task
):
    w = lead_world
    client = client_for(w.coach)
    url = reverse("leadership:board", args=[w.north.pk])
    first = client.get(url, {"month": "2024-08"})
    html = first.content.decode()
    assert first.status_code == 200
    assert "Preparing August 2024" in html and 'id="board-progress"' in html
    assert "Falls on Ward A" not in html
    client.get(url, {"month": "2024-08"})  # a reload
    [run] = RefreshRun.objects.filter(organisation=w.org)
    assert run.month == MONTH and run.working
    # The polled progress is the section alone.
    polled = client.get(url, {"month": "2024-08"}, headers={"HX-Request": "true"})
    assert polled.content.decode().lstrip().startswith('<section class="card board-preparing"')
    # The files wait for it too.
    csv_response = client.get(
        reverse("leadership:board-csv", args=[w.north.pk]), {"month": "2024-08"}
    )
    assert csv_response.status_code == 302
    run_month(run)
    run.refresh_from_db()
    # The whole organisation's month is prepared (North and South: three measures).
    assert run.status == RefreshRun.Status.DONE and run.done == run.total == 3
    done = client.get(url, {"month": "2024-08"}, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true"
    html = client.get(url, {"month": "2024-08"}).content.decode()
    assert "Falls on Ward A" in html and "Preparing" not in html
    assert RefreshRun.objects.filter(organisation=w.org).count() == 1


def test_only_those_who_see_the_report_see_its_progress(client_for, lead_world, by_task):
    w = lead_world
    url = reverse("leadership:board", args=[w.north.pk])
    assert client_for(w.coach).get(url, {"month": "2024-08"}).status_code == 200
    for person in (w.outsider, w.member):
        response = client_for(person).get(url, {"month": "2024-08"}, headers={"HX-Request": "true"})
        assert response.status_code in (403, 404)
        assert b"board-progress" not in response.content
    # The outsider's own organisation prepares nothing of ours.
    assert not RefreshRun.objects.filter(organisation=w.outsider.organisation).exists()


def test_a_preparation_that_stopped_is_said_and_not_started_again_every_poll(
    client_for, lead_world, by_task
):
    w = lead_world
    RefreshRun.objects.create(
        organisation=w.org,
        reason="Preparing the board report of August 2024",
        month=MONTH,
        status=RefreshRun.Status.FAILED,
        message="MemoryError",
        total=3,
        done=1,
        finished_at=timezone.now(),
    )
    url = reverse("leadership:board", args=[w.north.pk])
    html = unescape(client_for(w.coach).get(url, {"month": "2024-08"}).content.decode())
    assert "report stopped" in html
    assert (
        "Preparing August 2024's board report summaries stopped by an error (MemoryError) "
        "after 1 of 3. What was prepared is kept."
    ) in html
    assert 'hx-trigger="every' not in html  # no polling
    assert RefreshRun.objects.filter(organisation=w.org).count() == 1
    # Ten minutes later it is tried again.
    RefreshRun.objects.update(finished_at=timezone.now() - datetime.timedelta(minutes=11))
    html = client_for(w.coach).get(url, {"month": "2024-08"}).content.decode()
    assert "Preparing August 2024" in html
    assert RefreshRun.objects.filter(organisation=w.org, status="queued").count() == 1


def test_a_report_waiting_for_a_re_analysis_says_which_step_it_is_in(
    client_for, lead_world, by_task
):
    """A re-analysis preparing its summaries is under way: the report waits for it, with the
    progress of that step, not a bar full since the measures were re-analysed."""
    w = lead_world
    run = RefreshRun.objects.create(
        organisation=w.org,
        reason="Nightly re-analysis",
        status=RefreshRun.Status.PREPARING,
        total=3,
        done=3,
        prepared_month=MONTH,
        prepared=1,
        to_prepare=3,
    )
    url = reverse("leadership:board", args=[w.north.pk])
    client = client_for(w.coach)

    def polled(month):
        response = client.get(url, {"month": month}, headers={"HX-Request": "true"})
        return unescape(response.content.decode())

    html = polled("2024-08")  # the very month it prepares
    assert "Preparing August 2024's report" in html
    assert (
        "Re-analysed 3 of 3 measures; preparing August 2024's board report summaries: 1 of 3 (33%)"
    ) in html
    assert 'value="33"' in html and "100%" not in html
    html = polled("2024-07")  # another month waits for it
    assert "The report waits for another task" in html and 'value="33"' in html
    assert RefreshRun.objects.filter(organisation=w.org).get() == run  # none other started
