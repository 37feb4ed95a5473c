"""A failed upload at 1280 and 390 px: the banner names the main reason and its fix, the
mapping form comes before the reasons, each reason has its count, lines and likely fix;
changing the mapping and checking again saves it. The page never scrolls sideways, and axe
finds nothing. The staff list's reasons and its preview sentences likewise."""

import pytest
from playwright.sync_api import expect

from champion.accounts.models import StaffImport
from champion.measures.models import Measure
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]


@pytest.mark.parametrize("width", WIDTHS)
def test_an_events_file_uploaded_as_periods_is_explained_and_fixed(
    page, world, login, width, tmp_path
):
    falls = Measure.objects.create(unit=world.ward_a, name="Falls", definition="x", chart="c")
    days = [f"2024-{m:02d}-{d:02d}" for m in (1, 2, 3) for d in range(1, 29)]
    body = "".join(f"{days[i % len(days)]},{i % 4}\n" for i in range(600))
    file = tmp_path / "falls-export.csv"
    file.write_text("date,severity score\n" + body)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{falls.pk}/upload/")
    page.set_input_files("input[type=file]", str(file))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Which column is which?")).to_be_visible()
    page.select_option("#map-value", "severity score")
    page.get_by_role("button", name="Check and save").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Nothing was saved: 516 rows need fixing.")
    expect(alert).to_contain_text("516 rows: the date repeats")
    expect(alert).to_contain_text("One row per event or patient")
    reasons = page.locator("ol.fail-reasons > li")
    expect(reasons).to_have_count(1)
    expect(reasons.first).to_contain_text("(lines 86, 87, 88, 89, 90 …)")
    expect(reasons.first).to_contain_text("Likely fix:")
    # The mapping form is above the reasons.
    form_y = page.get_by_role("heading", name="Which column is which?").bounding_box()["y"]
    reasons_y = page.get_by_role("heading", name="Why rows were not saved").bounding_box()["y"]
    assert form_y < reasons_y
    assert not sideways(page), sideways(page)
    assert violations(page) == []

    page.get_by_label("one event or patient: to be counted per week or month").check()
    page.get_by_role("button", name="Check and save again").click()
    expect(page.get_by_role("status")).to_contain_text("3 points saved")
    assert [p.value for p in falls.data_points.order_by("period")] == [208, 196, 196]


@pytest.mark.parametrize("width", WIDTHS)
def test_a_staff_list_says_why_rows_fail_and_what_a_good_one_will_do(
    page, world, login, width, tmp_path
):
    ward_b = "Testshire Health > North Hospital > Ward B"
    bad = tmp_path / "staff.csv"
    bad.write_text(
        "name,email,unit,role\n"
        + "".join(f"P {i},p{i}@test.example,Ward 9,member\n" for i in range(3))
        + f"Q One,q1@test.example,{ward_b},boss\n"
    )
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.admin)
    page.goto("/people/import/")
    page.set_input_files("input[type=file]", str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was imported: 4 rows need fixing.")
    expect(page.locator("ol.fail-reasons > li").first).to_contain_text(
        "3 rows: the unit is not one of this organisation's"
    )
    assert not sideways(page), sideways(page)
    assert violations(page) == []

    good = tmp_path / "good.csv"
    good.write_text(
        "name,email,unit,role\n"
        + "".join(f"N {i},n{i}@test.example,{ward_b},member\n" for i in range(3))
    )
    page.set_input_files("input[type=file]", str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator("ul.sentences")).to_contain_text("3 new people will be added to Ward B.")
    assert StaffImport.objects.count() == 1
    assert not sideways(page), sideways(page)
    assert violations(page) == []
