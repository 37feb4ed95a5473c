"""The subgroup grid (X̄, R, S), the T chart's event-date grid, the moving-range panel under an
I chart and the capability panel, at 1280 and 390 px: typed, pasted and saved with the
keyboard, the page never scrolls sideways, and axe finds nothing."""

import datetime

import pytest
from playwright.sync_api import expect

from champion.measures.analysis import refresh
from champion.measures.data import Subgroup, save_points
from champion.measures.models import DataPoint, Measure
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]


@pytest.mark.parametrize("width", WIDTHS)
def test_subgroups_are_typed_and_pasted_in_the_grid(page, world, login, width):
    m = Measure.objects.create(
        unit=world.ward_a, name="Waits", definition="x", chart="xbar", frequency="weekly",
        unit_label="minutes",
    )  # fmt: skip
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{m.pk}/data/")
    expect(page.get_by_text("Each row is one period (a subgroup)")).to_be_visible()
    assert not sideways(page), sideways(page)  # the grid scrolls inside its card, the page does not
    assert violations(page) == []
    page.fill("#period-0", "2024-01-01")
    page.fill("#sub-0-0", "10")
    page.keyboard.press("Tab")
    page.keyboard.type("12")
    # A spreadsheet block pasted into the second row's date: dates and measurements across.
    page.locator("#period-1").focus()
    page.evaluate(
        """() => {
        const data = new DataTransfer();
        data.setData('text', '2024-01-08\\t11\\t13\\t15\\n2024-01-15\\t9\\t10');
        document.getElementById('period-1').dispatchEvent(
            new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }"""
    )
    expect(page.locator("#sub-2-1")).to_have_value("15")
    expect(page.locator("#sub-1-2")).to_have_value("10")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: 3 new")
    assert [p.values for p in m.data_points.all()] == [[10, 12], [11, 13, 15], [9, 10]]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_bad_subgroup_is_explained_beside_its_row(page, world, login, width):
    m = Measure.objects.create(unit=world.ward_a, name="Waits", definition="x", chart="s")
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{m.pk}/data/")
    page.fill("#period-0", "2024-01-01")
    page.fill("#sub-0-0", "10")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("alert")).to_contain_text("A subgroup needs at least 2 measurements")
    expect(page.locator("#sub-0-0")).to_have_attribute("aria-invalid", "true")
    assert not sideways(page), sideways(page)
    assert violations(page) == []
    assert not m.data_points.exists()


@pytest.mark.parametrize("width", WIDTHS)
def test_t_chart_events_are_typed_as_dates(page, world, login, width):
    m = Measure.objects.create(
        unit=world.ward_a, name="Days between", definition="x", chart="t", frequency="event"
    )
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{m.pk}/data/")
    expect(page.get_by_role("columnheader", name="Date of the event")).to_be_visible()
    for k, day in enumerate(["2024-01-05", "2024-02-04", "2024-02-10"]):
        page.fill(f"#period-{k}", day)
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: 3 new")
    expect(page.locator("td.derived").nth(1)).to_have_text("30")
    expect(page.locator("td.derived").first).to_contain_text("first event")
    assert not sideways(page), sideways(page)
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_moving_range_panel_sits_under_the_i_chart(page, world, login, width):
    m = Measure.objects.create(
        unit=world.ward_a, name="Door to provider", definition="x", chart="i", unit_label="min"
    )
    values = [48, 45, 50, 47, 52, 44, 49, 46, 51, 48, 47, 50, 46, 49]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=datetime.date(2024, 1, 1) + datetime.timedelta(weeks=k),
                  value=v)
        for k, v in enumerate(values)
    )  # fmt: skip
    refresh(m)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{m.pk}/")
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    expect(page.locator("#mr-chart.drawn svg")).to_have_count(1)
    chart = page.locator("#chart").bounding_box()
    mr = page.locator("#mr-chart").bounding_box()
    assert chart and mr and mr["y"] >= chart["y"] + chart["height"] - 1  # beneath, not over
    card = page.locator(".chart-card").bounding_box()
    assert card and mr["x"] + mr["width"] <= card["x"] + card["width"] + 1
    assert not sideways(page), sideways(page)
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_xbar_chart_page_shows_its_capability(page, world, login, width):
    m = Measure.objects.create(
        unit=world.ward_a, name="Waits", definition="x", chart="xbar", frequency="weekly",
        spec_upper=40.0,
    )  # fmt: skip
    rows = [(22, 25, 27), (24, 21, 26), (25, 23, 22), (27, 24, 25), (23, 26, 21), (24, 22, 25),
            (26, 25, 23), (22, 24, 27), (25, 21, 24), (23, 26, 25), (24, 25, 22), (26, 23, 24),
            (25, 22, 26), (23, 24, 25)]  # fmt: skip
    save_points(m, [
        Subgroup(datetime.date(2024, 1, 1) + datetime.timedelta(weeks=k), tuple(map(float, r)))
        for k, r in enumerate(rows)
    ])  # fmt: skip
    refresh(m)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{m.pk}/")
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    panel = page.locator("section", has=page.get_by_role("heading", name="Capability"))
    expect(panel).to_contain_text("100.0% of 42 measurements")
    assert not sideways(page), sideways(page)
    assert violations(page) == []
