"""The board report and the coach's home in a real browser: automated WCAG checks (axe) at a
laptop's and a phone's width, no sideways scrolling, and the report reached from Lead."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from champion.improvement.models import ProjectMember, TeamRole
from champion.leadership import board
from champion.measures.models import RefreshRun
from tests.browser.test_accessibility import assert_pages_pass
from tests.leadership.conftest import build_lead_world

pytestmark = pytest.mark.browser


@pytest.fixture
def lead_world(world):
    w = build_lead_world(world)
    ProjectMember.objects.create(project=w.stalled, user=w.coach, role=TeamRole.COACH)
    return w


def test_a_leader_opens_the_board_report_from_lead(page, lead_world, login):
    w = lead_world
    login(w.coach)
    page.goto(f"/lead/?unit={w.north.pk}")
    page.get_by_role("link", name=re.compile(r"^Board report for ")).click()
    expect(page).to_have_url(re.compile(rf"/lead/board/{w.north.pk}/\?month="))
    page.get_by_label("Month", exact=True).select_option("2024-08")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="North Hospital, August 2024", level=1)).to_be_visible()
    table = page.get_by_role("region", name="Making Data Count summary")
    expect(table.get_by_role("rowheader", name=re.compile("Falls on Ward A"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Falls on Ward A")).first).to_be_visible()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_board_report_and_coach_home_pass_wcag_checks_and_fit_a_phone(
    page, lead_world, login, width
):
    w = lead_world
    page.set_viewport_size({"width": width, "height": 800})
    assert_pages_pass(
        page,
        login,
        (
            (w.coach, f"/lead/board/{w.north.pk}/?month=2024-08"),
            (w.coach, f"/lead/board/{w.north.pk}/?month=2024-13"),
            (w.coach, "/"),
        ),
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_a_large_areas_report_and_its_preparation_pass_wcag_checks_and_fit_a_phone(
    page, lead_world, login, width, monkeypatch
):
    """A large area lists its exceptions and counts every measure; one still being prepared
    shows the task's progress."""
    w = lead_world
    monkeypatch.setattr(board, "LIST_ALL_UP_TO", 1)
    page.set_viewport_size({"width": width, "height": 800})
    login(w.coach)
    page.goto(f"/lead/board/{w.north.pk}/?month=2024-08")
    counts = page.get_by_role("region", name="Measures by variation and assurance")
    expect(counts.get_by_role("rowheader", name="Special cause variation: concern")).to_be_visible()
    listed = page.get_by_role("region", name="Making Data Count summary")
    expect(listed.get_by_role("rowheader", name=re.compile("Falls on Ward A"))).to_be_visible()
    expect(listed.get_by_role("rowheader", name=re.compile("Calm on Ward B"))).to_have_count(0)
    # A month not prepared yet, while the organisation's preparation waits to start.
    monkeypatch.setattr(board, "INLINE_UP_TO", 0)
    RefreshRun.objects.create(
        organisation=w.org, reason="Preparing the board report of July 2024",
        month=datetime.date(2024, 7, 1),
    )  # fmt: skip
    page.goto(f"/lead/board/{w.north.pk}/?month=2024-07")
    expect(page.get_by_role("heading", name="Preparing July 2024's report")).to_be_visible()
    expect(page.get_by_label(re.compile("Waiting to start"))).to_be_visible()
    assert_pages_pass(
        page,
        login,
        (
            (w.coach, f"/lead/board/{w.north.pk}/?month=2024-08"),
            (w.coach, f"/lead/board/{w.north.pk}/?month=2024-07"),
        ),
    )
