"""The chart page of a long series in Chromium at 1280 and 390 px: every point drawn, the
moving-range chart fetched as the page scrolls to it, the table's latest periods, a period
picked in the browser's date input (a day without a point refused beside the form, naming
the nearest), nothing sideways and axe finds nothing."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser

#: 1,000 weekdays from Monday 6 January 2020 (a clinic that is shut at weekends).
DAYS = [
    day
    for k in range(1_400)
    if (day := datetime.date(2020, 1, 6) + datetime.timedelta(days=k)).weekday() < 5
][:1_000]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_long_series_page_draws_every_point_and_asks_for_a_period(page, world, login, width):
    measure = Measure.objects.create(
        unit=world.ward_a, name="Clinic waits", definition="Minutes", chart="i",
        improvement="down", frequency="daily", unit_label="minutes",
    )  # fmt: skip
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=day, value=30.0 + k * 7 % 11)
        for k, day in enumerate(DAYS)
    )
    refresh(measure)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.leader)
    page.goto(f"/measures/{measure.pk}/")
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    points = page.locator("#chart svg .mark-symbol.role-mark path[aria-label]")
    expect(points).to_have_count(1_000)
    page.locator("#mr-chart").scroll_into_view_if_needed()
    expect(page.locator("#mr-chart.drawn svg")).to_have_count(1)
    expect(page.locator("#mr-chart svg .mark-symbol.role-mark path[aria-label]")).to_have_count(999)
    _shot(page, f"long-chart-{width}")
    expect(page.get_by_text("The latest 60 of 1,000 periods.")).to_be_visible()
    expect(page.locator("table.data tbody tr")).to_have_count(60)
    assert not sideways(page), sideways(page)
    assert violations(page) == []

    # A Saturday: refused, naming the Friday and Monday around it.
    note = page.get_by_label("At period")
    assert note.get_attribute("type") == "date" and note.get_attribute("min") == "2020-01-06"
    note.fill("2022-03-05")
    page.get_by_label("Note").fill("New triage nurse")
    page.get_by_role("button", name="Add note").click()
    refusal = page.get_by_text(
        "There is no point on 5 Mar 2022; the nearest are 4 Mar 2022 and 7 Mar 2022."
    )
    # Beside the form, in view, what was typed kept and the day in focus.
    expect(refusal).to_be_in_viewport()
    expect(page.get_by_label("At period")).to_be_focused()
    expect(page.get_by_label("Note")).to_have_value("New triage nurse")
    _shot(page, f"long-chart-refused-{width}", full=False)
    assert not measure.annotations.exists()
    page.get_by_label("At period").fill("2022-03-07")
    page.get_by_role("button", name="Add note").click()
    expect(page.get_by_text("The note was added to the chart.")).to_be_visible()
    assert measure.annotations.get().period == datetime.date(2022, 3, 7)

    page.get_by_role("link", name="Show all 1,000").click()
    expect(page.locator("table.data tbody tr")).to_have_count(1_000)
    # The link lands on the table's heading below the sticky header, not under it.
    header = page.locator(".site-header").bounding_box()
    heading = page.get_by_role("heading", name="The data").bounding_box()
    assert header and heading and heading["y"] >= header["y"] + header["height"]
    expect(page.get_by_role("link", name="Show only the latest 60")).to_be_visible()


def _shot(page, name: str, full: bool = True) -> None:
    """A screenshot for a person to look at, where SCREENSHOTS names a folder."""
    if folder := os.environ.get("SCREENSHOTS"):
        page.screenshot(path=f"{folder}/{name}.png", full_page=full)
