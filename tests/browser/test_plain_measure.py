"""A ward manager defines a measure in plain words and enters its first points, at 1280 and
390 px: the Measures page opens on their ward, the form asks what they know (statistics wait
under "Advanced"), a mistake is explained with nothing lost, the new grid is dated, and axe
finds nothing on any page."""

import pytest
from playwright.sync_api import expect

from champion.measures.models import Measure
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_a_ward_manager_defines_a_measure_in_plain_words_and_enters_data(page, world, login, width):
    page.set_default_timeout(60_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.leader)  # leads Ward A
    page.goto("/measures/")
    expect(page.get_by_role("heading", name="Measures: Ward A", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Show every unit's measures")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("link", name="Define a measure").click()

    expect(page.get_by_role("heading", name="Define a measure", level=1)).to_be_visible()
    advanced = page.locator("details.advanced")
    expect(advanced).not_to_have_attribute("open", "")
    expect(page.get_by_label("Chart", exact=True)).not_to_be_visible()
    assert not sideways(page), sideways(page)
    assert violations(page) == []

    page.get_by_label("Name:", exact=True).fill("Inpatient falls")
    page.get_by_label("What is counted or measured?").fill("Inpatient falls reported on Datix")
    page.get_by_label("Out of what? (optional)").fill("Occupied bed-days")
    page.get_by_label("Lower is better").check()
    page.get_by_label("Target (optional)").fill("4")
    # Forgot "How is it shown?": explained, nothing saved, nothing typed lost.
    page.get_by_role("button", name="Define the measure").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was saved yet")
    expect(page.get_by_text("Choose how it is shown")).to_be_visible()
    expect(page.get_by_label("Name:", exact=True)).to_have_value("Inpatient falls")
    expect(page.get_by_label("Out of what? (optional)")).to_have_value("Occupied bed-days")
    expect(page.get_by_label("Lower is better")).to_be_checked()
    assert not Measure.objects.exists()
    assert violations(page) == []

    page.get_by_label("A rate per 1,000 (falls per 1,000 bed-days)").check()
    # The line under the question says which chart the answer gives, as it is chosen.
    expect(page.locator("#chart-hint")).to_have_text(
        "Chart: U chart (rate of events per exposure)."
    )
    page.get_by_label("A count: how many").check()
    expect(page.locator("#chart-hint")).to_have_text("Chart: C chart (counts of events).")
    page.get_by_label("A rate per 1,000 (falls per 1,000 bed-days)").check()
    page.get_by_role("button", name="Define the measure").click()

    expect(page.get_by_role("heading", name="Enter data")).to_be_visible()
    measure = Measure.objects.get(name="Inpatient falls")
    assert (measure.chart, measure.multiply, measure.improvement, measure.target) == (
        "u", 1000, "down", 4
    )  # fmt: skip
    assert list(measure.owners.all()) == [world.leader]
    # Twelve dated rows, each named in words, with the denominator the U chart needs.
    grid = page.locator("table.grid-entry")
    expect(grid.locator("tbody tr")).to_have_count(12)
    expect(grid.locator(".period-words")).to_have_count(12)
    expect(grid.get_by_role("columnheader", name="Denominator: Occupied bed-days")).to_be_visible()
    first = page.get_by_label("Period, row 1", exact=True).input_value()
    second = page.get_by_label("Period, row 2", exact=True).input_value()
    assert first and second > first
    assert not sideways(page), sideways(page)
    assert violations(page) == []

    page.get_by_label("Number of events, row 1", exact=True).fill("5")
    page.get_by_label("Denominator, row 1", exact=True).fill("1000")
    page.get_by_label("Number of events, row 2", exact=True).fill("3")
    page.get_by_label("Denominator, row 2", exact=True).fill("980")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("status").filter(has_text="Saved: 2 new")).to_be_visible()
    assert [(p.period.isoformat(), p.value, p.denominator) for p in measure.data_points.all()] == [
        (first, 5, 1000),
        (second, 3, 980),
    ]
    assert violations(page) == []
