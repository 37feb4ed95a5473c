"""A ward nurse uploads a data file and sees the chart drawn in the page, with its data table."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from champion.measures.models import Measure
from tests.browser.test_accessibility import sideways
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_a_member_uploads_a_file_and_sees_the_chart(page, world, tmp_path):
    measure = Measure.objects.create(
        unit=world.ward_a, name="Complaints", definition="Formal complaints received", chart="c",
        improvement="down",
    )  # fmt: skip
    data = tmp_path / "complaints.csv"
    data.write_text(
        "month,complaints\n"
        + "".join(
            f"2024-{m:02d}-01,{v}\n"
            for m, v in zip(range(1, 13), [5, 7, 4, 6, 5, 8, 3, 6, 5, 4, 7, 21], strict=True)
        )
    )
    sign_in(page, "member@test.example")
    page.goto(f"/measures/{measure.pk}/upload/")
    page.get_by_label("CSV or Excel (.xlsx) file").set_input_files(str(data))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    page.get_by_role("button", name="Check and save").click()
    expect(page).to_have_url(re.compile(rf"/measures/{measure.pk}/$"))
    # The Vega chart is drawn (an SVG inside the chart container) ...
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    expect(page.locator("#chart svg .mark-symbol.role-mark path")).to_have_count(12)
    # ... and the table below carries the values for screen readers.
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(13)
    expect(table.get_by_role("row").last).to_contain_text("Dec 2024")
    expect(table.get_by_role("row").last).to_contain_text("21")
    expect(table).to_contain_text("Above the upper control limit")


def test_a_leader_reads_the_board_on_a_phone_and_drills_down(page, world):
    from champion.measures.analysis import refresh
    from champion.measures.models import DataPoint

    measure = Measure.objects.create(
        unit=world.ward_a, name="Door to needle", definition="Minutes", chart="i", improvement="down",
        target=30,
    )  # fmt: skip
    values = [40, 42, 38, 41, 39, 43, 40, 41, 30, 29, 31, 28, 30, 29, 27, 30]
    DataPoint.objects.bulk_create(
        DataPoint(
            measure=measure, period=datetime.date(2024, 1, 1) + datetime.timedelta(weeks=k), value=v
        )
        for k, v in enumerate(values)
    )
    refresh(measure)
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "leader@test.example")
    page.goto("/measures/board/")
    expect(page.get_by_role("heading", name="Measure board: Ward A")).to_be_visible()
    expect(
        page.get_by_role("img", name="Special cause variation: improvement (lower)")
    ).to_be_visible()
    assert not sideways(page), ("the board", sideways(page))
    page.get_by_role("link", name="Door to needle").click()
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    assert not sideways(page), ("the chart page", sideways(page))
    page.get_by_role("link", name="Enter data").click()
    expect(page.get_by_role("heading", name="Enter data")).to_be_visible()
    assert not sideways(page), ("the data grid", sideways(page))


def test_the_grid_saves_in_place_and_moves_down_with_enter(page, world):
    measure = Measure.objects.create(
        unit=world.ward_a, name="Complaints", definition="x", chart="c"
    )
    sign_in(page, "member@test.example")
    page.goto(f"/measures/{measure.pk}/data/")
    page.get_by_label("Period, row 1", exact=True).fill("2024-01-01")
    page.get_by_label("Number of events, row 1", exact=True).fill("4")
    page.get_by_label("Number of events, row 1", exact=True).press("Enter")
    expect(page.get_by_label("Number of events, row 2")).to_be_focused()
    page.get_by_label("Period, row 2").fill("2024-02-01")
    page.get_by_label("Number of events, row 2").fill("lots")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Row 2: 'lots' in the value column is not a number."
    )
    assert measure.data_points.count() == 0
    page.get_by_label("Number of events, row 2").fill("6")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: 2 new")
    assert sorted(measure.data_points.values_list("value", flat=True)) == [4, 6]


def test_a_name_without_spaces_keeps_the_board_readable_on_a_desktop_and_a_phone(page, world):
    from champion.measures.analysis import refresh
    from champion.measures.models import DataPoint

    code = "WARD-A-FALLS-" + "X" * 150  # a code pasted as a name: no place to break
    measure = Measure.objects.create(unit=world.ward_a, name=code, definition="x", chart="c")
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=datetime.date(2024, m, 1), value=v)
        for m, v in zip(range(1, 13), [3, 4, 2, 5, 3, 4, 3, 2, 4, 3, 5, 4], strict=True)
    )
    refresh(measure)
    sign_in(page, "leader@test.example")
    page.goto("/measures/board/")
    # The sparkline and the icons stay on screen beside the long name.
    spark = page.locator("table.board td.spark svg").first
    expect(spark).to_be_visible()
    box = spark.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 1280
    expect(page.get_by_role("columnheader", name="Variation")).to_be_in_viewport()
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 800})
        for url in ("/measures/board/", "/measures/", f"/measures/{measure.pk}/"):
            page.goto(url)
            assert not sideways(page), (url, width, sideways(page))
    # On a phone the unit picker is wide enough to read the unit's name.
    page.goto("/measures/board/")
    picker = page.get_by_label("Unit: search units by name").bounding_box()
    assert picker is not None and picker["width"] >= 250


def test_the_grid_grows_without_losing_what_was_typed(page, world):
    measure = Measure.objects.create(
        unit=world.ward_a, name="Complaints", definition="x", chart="c"
    )
    sign_in(page, "member@test.example")
    page.goto(f"/measures/{measure.pk}/data/")
    page.get_by_label("Period, row 1", exact=True).fill("2024-01-01")
    page.get_by_label("Number of events, row 1", exact=True).fill("4")
    # A new monthly measure starts with the last 12 months dated (test_new_grid.py); the 12
    # rows added continue from the latest date in the grid.
    last = datetime.date.fromisoformat(
        page.get_by_label("Period, row 12", exact=True).input_value()
    )

    def months_on(k):
        month = last.month - 1 + k
        return datetime.date(last.year + month // 12, month % 12 + 1, 1)

    page.get_by_role("button", name="Add 12 more rows").click()
    expect(page.get_by_label("Period, row 13")).to_have_value(months_on(1).isoformat())
    expect(page.get_by_label("Period, row 24")).to_have_value(months_on(12).isoformat())
    expect(page.get_by_label("Number of events, row 1", exact=True)).to_have_value("4")
    assert measure.data_points.count() == 0
    page.get_by_label("Number of events, row 24").fill("7")
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: 2 new")
    assert sorted(measure.data_points.values_list("period", "value")) == [
        (datetime.date(2024, 1, 1), 4),
        (months_on(12), 7),
    ]


def test_a_block_pasted_from_a_spreadsheet_fills_the_grid_and_adds_rows(page, world):
    measure = Measure.objects.create(
        unit=world.ward_a, name="Complaints", definition="x", chart="c"
    )
    sign_in(page, "member@test.example")
    page.goto(f"/measures/{measure.pk}/data/")
    block = (
        "\r\n".join(f"{2024 + k // 12}-{k % 12 + 1:02d}-01\t{k + 3}" for k in range(15)) + "\r\n"
    )
    page.get_by_label("Period, row 1", exact=True).focus()
    page.evaluate(
        """text => {
            const data = new DataTransfer();
            data.setData('text/plain', text);
            document.activeElement.dispatchEvent(
                new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        block,
    )
    # Fifteen lines into the twelve rows a new measure starts with: three rows were added,
    # numbered on, and the pasted dates replace the rows' own.
    expect(page.get_by_label("Period, row 15")).to_have_value("2025-03-01")
    expect(page.get_by_label("Number of events, row 15")).to_have_value("17")
    expect(page.locator(".period-words")).to_have_count(0)  # the old dates' words are gone
    expect(page.locator("#paste-status")).to_contain_text("Pasted 15 rows")
    assert measure.data_points.count() == 0  # nothing saved until Save
    page.get_by_role("button", name="Save all rows").click()
    expect(page.get_by_role("status")).to_contain_text("Saved: 15 new")
    assert sorted(measure.data_points.values_list("value", flat=True)) == list(range(3, 18))
