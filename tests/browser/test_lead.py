"""The executive opens Lead, narrows it to a hospital and follows a link into the work."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import assert_pages_pass
from tests.leadership.conftest import build_lead_world

pytestmark = pytest.mark.browser


@pytest.fixture
def lead_world(world):
    return build_lead_world(world)


def test_the_executive_narrows_lead_to_a_hospital_and_opens_a_stalled_project(
    page, lead_world, login
):
    w = lead_world
    login(w.admin)  # the admin of the whole organisation, as an executive would be
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lead").click()
    expect(page.get_by_role("heading", name="Testshire Health", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="South project").first).to_be_visible()

    # The unit picker searches as you type (a system has hundreds of units), shown whole: Lead's
    # progress bars once shared its class name and squashed it to a 12 px strip.
    search = page.get_by_label("Unit: search units by name")
    picker = page.locator(".unit-search").bounding_box()
    box = search.bounding_box()
    assert picker and box and box["height"] >= 30
    assert picker["y"] <= box["y"] and box["y"] + box["height"] <= picker["y"] + picker["height"]
    search.fill("North")
    page.get_by_role("radio", name=re.compile(r"^North Hospital")).check()
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"unit={w.north.pk}"))
    expect(page.get_by_role("heading", name="North Hospital", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="South project")).to_have_count(0)
    coverage = page.get_by_role("region", name="Training coverage by unit")
    expect(coverage.get_by_role("rowheader")).to_have_count(3)  # Ward A, Ward B, North itself

    nudge = page.locator("li", has_text="Stalled project").filter(has_text="no outcome measure")
    nudge.get_by_role("link", name="Stalled project").click()
    expect(page).to_have_url(re.compile(rf"/improve/projects/{w.stalled.pk}/"))
    expect(page.get_by_role("heading", name="Stalled project")).to_be_visible()


@pytest.mark.parametrize("width", [1280, 375])
def test_the_lead_pages_pass_automated_wcag_checks_and_fit_a_phone(page, lead_world, login, width):
    w = lead_world
    page.set_viewport_size({"width": width, "height": 800})
    assert_pages_pass(
        page,
        login,
        (
            (w.admin, "/lead/"),
            (w.admin, f"/lead/?unit={w.north.pk}"),
            (w.leader, "/lead/"),
            (w.coach, "/people/"),
            (w.coach, "/"),
        ),
    )
