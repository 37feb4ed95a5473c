"""The board report: scoped like the Lead overview, its numbers the services' numbers, the month
as it stood at its end, the PDF (page and command line) and the CSV, and bad input refused."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from champion import cli
from champion.improvement.models import MeasureRole, Project, ProjectMeasure
from champion.improvement.services import impacts
from champion.leadership import board
from champion.leadership import overview as lead
from champion.leadership.maturity import rounds
from champion.leadership.permissions import area_for
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Phase
from tests.leadership.conftest import CALM, WORRYING, measure

pytestmark = pytest.mark.django_db

# The lead world's measures run monthly from January 2023: WORRYING turns bad in January 2024.
CALM_MONTH = datetime.date(2023, 12, 1)
LAST_MONTH = datetime.date(2024, 8, 1)


def report_for(user, unit, month=LAST_MONTH, draw=False):
    return board.board_report(user, area_for(user, unit.pk), month, draw=draw)


def page(client, unit, month="2024-08", name="leadership:board"):
    return client.get(reverse(name, args=[unit.pk]), {"month": month})


# Month input ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, says",
    [
        ("2024-13", "from 01 to 12"),
        ("2024-00", "from 01 to 12"),
        ("March", "YYYY-MM"),
        ("2024-3", "YYYY-MM"),
        ("", "YYYY-MM"),
        ("1850-01", "too long ago"),
        ("2999-01", "has not begun"),
    ],
)
def test_a_bad_month_is_refused_with_the_reason(text, says):
    with pytest.raises(board.BadMonth, match=says):
        board.parse_month(text, today=datetime.date(2026, 5, 10))


def test_a_month_is_its_first_day_to_its_last():
    first = board.parse_month("2024-02", today=datetime.date(2026, 5, 10))
    assert first == datetime.date(2024, 2, 1)
    assert board.month_end(first) == datetime.date(2024, 2, 29)
    assert board.last_month(datetime.date(2026, 1, 15)) == datetime.date(2025, 12, 1)
    assert board.parse_month("2026-05", today=datetime.date(2026, 5, 10))  # this month is allowed


@pytest.mark.parametrize("month", ["2024-13", "next month", "2999-01"])
@pytest.mark.parametrize(
    "name", ["leadership:board", "leadership:board-pdf", "leadership:board-csv"]
)
def test_the_pages_refuse_a_bad_month_with_a_clear_message(client_for, lead_world, month, name):
    w = lead_world
    response = page(client_for(w.coach), w.north, month, name)
    assert response.status_code == 400
    text = response.content.decode()
    assert "YYYY-MM" in text or "01 to 12" in text or "has not begun" in text


# Scope ----------------------------------------------------------------------------------


def test_the_report_never_reaches_outside_the_leaders_area(client_for, lead_world):
    w = lead_world
    report = report_for(w.coach, w.north)
    names = {r.measure.name for r in report.rows}
    assert names == {"Falls on Ward A", "Calm on Ward B"}  # not South's
    titles = {p.title for p in report.portfolio.active_projects}
    assert "South project" not in titles
    text = page(client_for(w.coach), w.north).content.decode()
    assert "South concern" not in text and "South project" not in text
    assert "Falls on Ward A" in text


def test_who_may_see_which_report(client_for, lead_world):
    w = lead_world
    assert page(client_for(w.leader), w.ward_a).status_code == 200
    assert page(client_for(w.leader), w.north).status_code == 403  # above their ward
    assert page(client_for(w.leader), w.ward_c).status_code == 403  # another hospital
    assert page(client_for(w.member), w.ward_a).status_code == 403  # oversees nobody
    for name in ("leadership:board", "leadership:board-pdf", "leadership:board-csv"):
        assert page(client_for(w.outsider), w.ward_a, name=name).status_code == 404
    response = client_for(w.outsider).get(reverse("leadership:board", args=[999999]))
    assert response.status_code == 404


def test_the_chooser_goes_to_the_chosen_unit_and_month(client_for, lead_world):
    w = lead_world
    client = client_for(w.coach)
    response = client.get(
        reverse("leadership:board-choose"), {"unit": w.ward_b.pk, "month": "2024-03"}
    )
    assert response.status_code == 302
    assert (
        response["Location"] == reverse("leadership:board", args=[w.ward_b.pk]) + "?month=2024-03"
    )
    assert client.get(reverse("leadership:board-choose"), {"unit": w.ward_c.pk}).status_code == 403


def test_the_lead_overview_links_to_the_board_report(client_for, lead_world):
    w = lead_world
    text = client_for(w.coach).get(reverse("leadership:overview")).content.decode()
    assert reverse("leadership:board-choose") in text and "Board report" in text


# Numbers ----------------------------------------------------------------------------------


def test_projects_started_after_the_month_are_left_out(lead_world):
    w = lead_world
    titles = {p.title for p in report_for(w.coach, w.north).portfolio.active_projects}
    assert titles == set()  # every project of the lead world was started today, after 2024
    now = {
        p.title
        for p in report_for(
            w.coach, w.north, timezone.localdate().replace(day=1)
        ).portfolio.active_projects
    }
    assert "Healthy project" in now
    # A project's start date counts over the day it was written into the platform.
    Project.objects.filter(pk=w.healthy.pk).update(started_on=datetime.date(2024, 8, 31))
    Project.objects.filter(pk=w.stalled.pk).update(started_on=datetime.date(2024, 9, 1))
    titles = {p.title for p in report_for(w.coach, w.north).portfolio.active_projects}
    assert titles == {"Healthy project"}


def test_at_the_latest_month_the_table_says_what_the_measure_pages_say(lead_world):
    w = lead_world
    report = report_for(w.coach, w.north)
    rows = {r.measure.pk: r for r in report.rows}
    for m in (w.falls, w.calm):
        m.refresh_from_db()
        s = rows[m.pk].summary
        assert (s.n, s.last_period, s.last_value) == (
            m.summary.n,
            m.summary.last_period,
            m.summary.last_value,
        )
        assert (s.variation, s.assurance, s.direction) == (
            m.summary.variation,
            m.summary.assurance,
            m.summary.direction,
        )
    falls = rows[w.falls.pk]
    assert falls.exception and not rows[w.calm.pk].exception
    assert report.rows[0].measure == w.falls  # exceptions first
    assert falls.variation_words == "Special cause variation: concern (higher)"
    assert falls.assurance_words == "The target will consistently be missed"
    assert falls.target == "4"


def test_portfolio_training_and_maturity_are_the_services_numbers(lead_world):
    w = lead_world
    area = area_for(w.coach, w.north.pk)
    month = timezone.localdate().replace(day=1)  # this month: every project is in it
    report = board.board_report(w.coach, area, month, draw=False)
    expected = lead.projects(w.coach, area)
    assert report.portfolio.by_status == expected.by_status
    assert [p.pk for p in report.portfolio.active_projects] == [
        p.pk for p in expected.active_projects
    ]
    assert [s.project.pk for s in report.portfolio.stalled] == [
        s.project.pk for s in expected.stalled
    ]
    assert [p.pk for p in report.portfolio.finished] == [p.pk for p in expected.finished]
    training = lead.training(w.coach, area)
    assert report.training.people == training.people
    assert [(t.completed, t.started, t.certified) for t in report.training.tiers] == [
        (t.completed, t.started, t.certified) for t in training.tiers
    ]
    assert report.maturity.latest is None


def test_the_maturity_profile_is_the_latest_round_finished_by_the_months_end(lead_world):
    w = lead_world
    a = rounds.start(unit=w.north, title="North maturity", by=w.coach)
    type(a).objects.filter(pk=a.pk).update(
        status="finished", finished_at=datetime.datetime(2024, 3, 10, tzinfo=datetime.UTC)
    )
    assert report_for(w.coach, w.north, datetime.date(2024, 2, 1)).maturity.latest is None
    assert report_for(w.coach, w.north, datetime.date(2024, 3, 1)).maturity.latest.pk == a.pk
    assert report_for(w.leader, w.ward_a, LAST_MONTH).maturity.latest is None  # North's, not A's


def test_points_after_the_month_are_left_out(lead_world):
    w = lead_world
    rows = {r.measure.pk: r for r in report_for(w.coach, w.north, CALM_MONTH).rows}
    falls = rows[w.falls.pk].summary
    assert falls.n == 12 and falls.last_period == CALM_MONTH and falls.last_value == 5
    assert falls.variation == "common_cause" and not rows[w.falls.pk].exception
    # A point on the month's last day counts; one on the next month's first day does not.
    # Saved as every path saves data: then refreshed (the kept month summary is computed again).
    DataPoint.objects.create(measure=w.calm, period=datetime.date(2023, 12, 31), value=5)
    DataPoint.objects.create(measure=w.calm, period=datetime.date(2024, 1, 1), value=50)
    refresh(w.calm)
    calm = {r.measure.pk: r for r in report_for(w.coach, w.north, CALM_MONTH).rows}[w.calm.pk]
    assert calm.summary.n == 13 and calm.summary.last_period == datetime.date(2023, 12, 31)
    # The measure's own (latest) summary is untouched: only the month's is kept apart.
    w.falls.refresh_from_db()
    assert w.falls.summary.n == len(WORRYING)


def test_an_exceptions_chart_is_drawn_as_svg(lead_world):
    w = lead_world
    report = report_for(w.coach, w.north, draw=True)
    [charted] = report.charted
    assert charted.measure == w.falls
    assert charted.chart.startswith("data:image/svg+xml;base64,")
    assert charted.chart_text


def test_the_page_shows_the_table_and_the_charts(client_for, lead_world):
    w = lead_world
    Project.objects.update(created_at=datetime.datetime(2024, 1, 5, tzinfo=datetime.UTC))
    response = page(client_for(w.coach), w.north)
    text = response.content.decode()
    assert response.status_code == 200
    assert (
        "Special cause variation: concern (higher)" in text
    )  # the icon's words, as on measure pages
    assert 'class="board-chart-img"' in text
    assert "Healthy project" in text and "Falls halved and stayed down." in text
    assert "Training coverage" in text


def test_finished_projects_show_their_computed_result(client_for, lead_world):
    w = lead_world
    falls = measure(w.ward_a, "Falls with a bundle", [*CALM, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2])
    Phase.objects.create(measure=falls, period=datetime.date(2024, 1, 1), label="Falls bundle")
    refresh(falls)
    ProjectMeasure.objects.create(project=w.finished, measure=falls, role=MeasureRole.OUTCOME)
    month = timezone.localdate().replace(day=1)
    report = report_for(w.coach, w.north, month)
    expected = impacts([w.finished])[w.finished.pk]
    [result] = [r for p, r in report.finished if p == w.finished]
    assert result is not None and result.sentence == expected.sentence
    assert expected.confirmed and "Falls with a bundle" in expected.sentence
    text = page(client_for(w.coach), w.north, f"{month:%Y-%m}").content.decode()
    assert "Computed from the data: " in text


def test_each_exception_can_become_an_action(client_for, lead_world):
    w = lead_world
    text = page(client_for(w.coach), w.north).content.decode()
    assert text.count('action-button"') == 1  # Falls on Ward A only, not the calm measure
    href = re.search(r'href="(/actions/new/\?source=[^"]+)"', text)[1]
    form = client_for(w.coach).get(href.replace("&amp;", "&"))
    assert form.status_code == 200
    assert "Board report August 2024: Falls on Ward A (Ward A)" in form.content.decode()
    pdf_html = render_to_string(
        "leadership/board/print.html", {"report": report_for(w.coach, w.north)}
    )
    assert "Make this an action" not in pdf_html  # the PDF is for reading


# Files ----------------------------------------------------------------------------------


def test_the_csv_is_the_table(client_for, lead_world):
    w = lead_world
    w.calm.name = "=HYPERLINK(1)"
    w.calm.save()
    response = page(client_for(w.coach), w.north, name="leadership:board-csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "board-report-north-hospital-2024-08.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(board.CSV_HEADER)
    falls = next(r for r in rows if r[0] == "Falls on Ward A")
    assert falls[2:4] == ["2024-08-01", "11.0"]
    assert falls[5] == "Special cause variation: concern (higher)"
    assert falls[7] == "4.0" and falls[9] == "yes"
    assert any(r[0] == "'=HYPERLINK(1)" for r in rows)  # formulas neutralised


def test_the_pdf_downloads(client_for, lead_world):
    w = lead_world
    response = page(client_for(w.coach), w.north, name="leadership:board-pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_command_line_writes_the_same_pdf(lead_world, tmp_path, capsys):
    w = lead_world
    out = tmp_path / "board.pdf"
    code = cli.main(
        ["report", "board", "--unit", str(w.north.pk), "--month", "2024-08", "--out", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    assert out.read_bytes().startswith(b"%PDF")
    assert "North Hospital" in capsys.readouterr().out


@pytest.mark.parametrize(
    "unit, month, says",
    [
        ("north", "2024-13", "01 to 12"),
        ("nope", "2024-08", "unit's number"),
        ("999999", "2024-08", "no unit 999999"),
    ],
)
def test_the_command_line_refuses_bad_input(lead_world, tmp_path, capsys, unit, month, says):
    w = lead_world
    unit_id = str(w.north.pk) if unit == "north" else unit
    out = tmp_path / "board.pdf"
    code = cli.main(["report", "board", "--unit", unit_id, "--month", month, "--out", str(out)])
    assert code == 2 and says in capsys.readouterr().err
    assert not out.exists()


def test_the_command_line_makes_it_as_the_nearest_overseer(lead_world):
    w = lead_world
    assert board.overseer_of(w.ward_a) == w.leader
    assert board.overseer_of(w.ward_b) == w.coach  # North's coach is nearer than the admin
    assert board.overseer_of(w.ward_a, "admin@test.example") == w.admin
    assert board.overseer_of(w.ward_a, "member@test.example") is None


# Scale ----------------------------------------------------------------------------------


def queries(client, unit, name):
    with CaptureQueriesContext(connection) as captured:
        response = page(client, unit, name=name)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("name", ["leadership:board", "leadership:board-csv"])
def test_the_queries_do_not_grow_with_the_measures(client_for, lead_world, name):
    w = lead_world
    client = client_for(w.coach)
    before = queries(client, w.north, name)
    for k in range(5):
        measure(w.ward_a, f"More worry {k}", WORRYING, target=4)
        measure(w.ward_b, f"More calm {k}", CALM)
    after = queries(client, w.north, name)
    assert after == before, f"{before} queries became {after}"
