"""Lead's comparison page: a coach of North compares its wards on a funnel plot, the roll-up
and small multiples; the page passes axe at desktop and phone widths and fits a 390 px phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure, SharedDefinition
from tests.browser.test_accessibility import sideways, violations
from tests.measures.conftest import months

pytestmark = pytest.mark.browser

WARDS = {
    "ward_a": ([6, 7, 5, 8, 6, 7, 6, 9, 7, 6, 8, 7], 930),
    "ward_b": ([2, 3, 2, 1, 3, 2, 2, 3, 1, 2, 3, 2], 800),
    "ward_c": ([9, 8, 10, 9, 11, 10, 9, 12, 10, 9, 11, 10], 1000),
}


@pytest.fixture
def shared(world):
    d = SharedDefinition.objects.create(
        organisation=world.org, name="Inpatient falls", definition="Falls per 1,000 bed-days",
        unit_label="falls per 1,000 bed-days", chart="u", multiply=1000, improvement="down",
    )  # fmt: skip
    for key, (events, beds) in WARDS.items():
        m = Measure.objects.create(
            unit=getattr(world, key), name="Falls", definition="x", denominator="bed-days",
            chart="u", multiply=1000, improvement="down", shared=d,
            unit_label="falls per 1,000 bed-days",
        )  # fmt: skip
        DataPoint.objects.bulk_create(
            DataPoint(measure=m, period=p, value=e, denominator=beds)
            for p, e in zip(months(12), events, strict=True)
        )
        refresh(m)
    return d


def test_a_coach_compares_norths_wards(page, world, shared, login):
    login(world.coach)
    page.goto("/lead/")
    page.get_by_role("link", name="Compare units").click()
    page.get_by_role("link", name="Inpatient falls").click()
    expect(page.get_by_role("heading", name="Inpatient falls", level=1)).to_be_visible()
    table = page.get_by_role("region", name="Funnel plot data")
    expect(table.get_by_role("rowheader")).to_have_count(2)  # Ward A and Ward B, not Ward C
    expect(page.locator("#funnel-chart svg")).to_be_visible()
    expect(page.locator("#rollup-chart svg")).to_be_visible()
    expect(page.locator(".small-multiple")).to_have_count(2)
    expect(page.get_by_text("Ward C")).to_have_count(0)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_comparison_pages_pass_axe_and_fit(page, world, shared, login, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(world.admin)
    found = {}
    for path in ("/lead/compare/", f"/lead/compare/{shared.pk}/",
                 f"/lead/compare/{shared.pk}/?unit={world.root.pk}&by=child&od=additive"):  # fmt: skip
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if problems := violations(page):
            found[path] = problems
        if wide := sideways(page):
            found[f"{path}:width"] = [wide]
    assert not found, found
