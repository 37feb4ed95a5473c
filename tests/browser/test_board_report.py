"""The board report and the coach's home in a real browser: automated WCAG checks (axe) at a
laptop's and a phone's width, no sideways scrolling, and the report reached from Lead."""

import re

import pytest
from playwright.sync_api import expect

from champion.improvement.models import ProjectMember, TeamRole
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
