"""In Chromium, each point of a measure's charts tells its words: the tooltip on hovering it
and its description for screen readers, joined in the browser from the compact spec
(issue 15) exactly as vl-convert joins them (tests/charts/test_compact_specs.py proves those
are the words sent before)."""

import datetime
import os

import pytest
from playwright.sync_api import expect

from champion.measures import analysis
from champion.measures.models import DataPoint, Exclusion, Measure, Phase
from tests.charts.drawn import words

pytestmark = pytest.mark.browser

WEEKS = [datetime.date(2025, 1, 6) + datetime.timedelta(weeks=k) for k in range(24)]


def _measure(world) -> Measure:
    measure = Measure.objects.create(
        unit=world.ward_a, name="Door to provider", definition="Minutes", chart="i",
        improvement="down", frequency="weekly", unit_label="minutes",
    )  # fmt: skip
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=week, value=(47.0 if k < 12 else 32.0) + k * 7 % 9)
        for k, week in enumerate(WEEKS)
    )
    Phase.objects.create(measure=measure, period=WEEKS[12], label="Rapid assessment zone")
    Exclusion.objects.create(measure=measure, period=WEEKS[3], reason="The scanner was down")
    analysis.refresh(measure)
    return measure


def test_each_point_tells_its_words_on_hover_and_to_screen_readers(page, world, login):
    measure = _measure(world)
    spec = analysis.chart_spec(measure, analysis.analyze(measure), width="container")
    mr_spec = analysis.moving_range_spec(measure, width="container")
    assert mr_spec is not None
    page.set_default_timeout(90_000)
    login(world.leader)
    page.goto(f"/measures/{measure.pk}/")
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    expect(page.locator("#mr-chart.drawn svg")).to_have_count(1)
    for chart, drawn in (("#chart", spec), ("#mr-chart", mr_spec)):
        points = page.locator(f"{chart} svg .mark-symbol.role-mark.points_marks path[aria-label]")
        said = [points.nth(k).get_attribute("aria-label") for k in range(points.count())]
        assert said == words(drawn, "aria_text")
    if os.environ.get("CHART_SCREENSHOT"):
        page.screenshot(path=os.environ["CHART_SCREENSHOT"], full_page=True)
    # The excluded point's tooltip: its date, value, centre line, limits and signal.
    points = page.locator("#chart svg .mark-symbol.role-mark.points_marks path[aria-label]")
    points.nth(3).hover()
    tooltip = page.locator("#vg-tooltip-element")
    expect(tooltip).to_be_visible()
    for field in ("x_text", "y_text", "cl_text", "limits_text", "reason_text"):
        expect(tooltip).to_contain_text(words(spec, field)[3])
    expect(tooltip).to_contain_text("(excluded from the calculations)")
    expect(tooltip).to_contain_text("Control limits")
    if os.environ.get("CHART_SCREENSHOT"):
        page.screenshot(path=os.environ["CHART_SCREENSHOT"].replace(".png", "-tooltip.png"))
