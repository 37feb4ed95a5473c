"""The re-analysis page in a real browser: while the run prepares last month's board report
summaries it shows that step's progress (not a full bar), polls until the whole run is over,
says the change of step and the end once through its status line, and passes axe at a laptop's
and a phone's width."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from champion.measures.models import RefreshRun
from tests.browser.test_accessibility import assert_pages_pass

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1280, 390])
def test_the_preparation_step_is_watched_until_the_run_is_finished(page, world, login, width):
    run = RefreshRun.objects.create(
        organisation=world.org,
        reason="Nightly re-analysis",
        status=RefreshRun.Status.RUNNING,
        total=10043,
        done=9500,
    )
    page.set_viewport_size({"width": width, "height": 800})
    login(world.admin)
    page.goto("/measures/re-analyse/")
    expect(
        page.get_by_role("heading", name="Step 1 of 2: re-analysing the measures…")
    ).to_be_visible()
    said = page.locator("#progress-said")
    expect(said).to_have_text("")  # nothing read out on arrival: the page itself says it
    # The measures are re-analysed; the summaries are being prepared.
    RefreshRun.objects.filter(pk=run.pk).update(
        status=RefreshRun.Status.PREPARING,
        done=10043,
        prepared_month=datetime.date(2026, 11, 1),
        prepared=2000,
        to_prepare=10043,
    )
    bar = page.get_by_role("progressbar", name=re.compile("preparing November 2026"))
    expect(bar).to_have_attribute("value", "20")
    expect(page.get_by_text(
        "Re-analysed 10,043 of 10,043 measures; preparing November 2026's board report "
        "summaries: 2,000 of 10,043 (20%)"
    )).to_be_visible()  # fmt: skip
    expect(said).to_have_text("Preparing board report summaries…")
    expect(page.get_by_role("status")).to_have_count(1)
    assert_pages_pass(page, login, ((world.admin, "/measures/re-analyse/"),))
    page.screenshot(path=f"/tmp/re-analyse-preparing-{width}.png", full_page=True)
    # The whole run is over: only now does the page say so, and it stops polling.
    RefreshRun.objects.filter(pk=run.pk).update(status=RefreshRun.Status.DONE, prepared=10043)
    expect(page.get_by_role("heading", name="Last re-analysis: finished")).to_be_visible()
    expect(said).to_have_text(re.compile(r"^Finished\. Re-analysed 10,043 of 10,043 measures"))
    expect(page.get_by_role("progressbar")).to_have_count(0)
    runs = page.get_by_role("region", name="Recent runs")
    expect(runs.get_by_role("cell", name="Finished", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Re-analyse every measure now")).to_be_visible()
    page.screenshot(path=f"/tmp/re-analyse-finished-{width}.png", full_page=True)
    assert_pages_pass(page, login, ((world.admin, "/measures/re-analyse/"),))
