"""Charts look right at 1280 and 390 px: the page never scrolls sideways, the newest point is
in view, one label per date, the legend never covers the notes, and axe finds nothing."""

import datetime

import pytest
from playwright.sync_api import expect

from champion.learning.content.load import load_content
from champion.measures.models import Annotation, DataPoint, Measure
from tests.browser.test_accessibility import sideways, violations
from tests.learning.conftest import make_tree, write_lesson

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]
FALLS = [9, 7, 8, 10, 6, 9, 8, 7, 9, 8, 10, 7, 4, 5, 3, 4, 5, 4, 3, 5, 4, 3, 4, 5]


def _falls(world, frequency="monthly", days=None):
    from champion.measures.analysis import refresh

    m = Measure.objects.create(
        unit=world.ward_a, name="Falls", definition="Falls", chart="c", improvement="down",
        frequency=frequency,
    )  # fmt: skip
    start = datetime.date(2023, 1, 1)
    if days:
        periods = [start + datetime.timedelta(days=k) for k in range(len(FALLS))]
    else:
        periods = [datetime.date(2023 + k // 12, k % 12 + 1, 1) for k in range(len(FALLS))]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=p, value=v) for p, v in zip(periods, FALLS, strict=True)
    )
    Annotation.objects.create(measure=m, period=periods[10], text="PDSA 2: Bedside handover")
    Annotation.objects.create(measure=m, period=datetime.date(2020, 1, 1), text="PDSA 1: Old")
    refresh(m)
    return m


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None
    return box


@pytest.mark.parametrize("width", WIDTHS)
def test_the_chart_page_fits_and_shows_the_newest_point(page, world, login, width):
    measure = _falls(world)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.leader)
    page.goto(f"/measures/{measure.pk}/")
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    assert not sideways(page), sideways(page)
    # The newest point is inside the chart card's visible box.
    card = _box(page.locator(".chart-card"))
    points = page.locator("#chart svg .mark-symbol.role-mark path[aria-label]")  # not the notes
    expect(points).to_have_count(24)
    newest = max((_box(points.nth(k)) for k in range(24)), key=lambda b: b["x"])
    assert card["x"] <= newest["x"] and newest["x"] + newest["width"] <= card["x"] + card["width"]
    # One label per date on the x axis.
    labels = [t for t in page.locator("#chart svg .role-axis-label text").all_text_contents() if t]
    dated = [t for t in labels if any(c.isalpha() for c in t)]
    assert dated and len(dated) == len(set(dated))
    # The legend sits below the notes list, never over it.
    notes = page.locator("#chart svg text", has_text="Before this chart's data")
    expect(notes).to_have_count(1)
    legend = page.locator("#chart svg .role-legend")
    if legend.count():
        assert _box(legend.first)["y"] >= _box(notes)["y"] + _box(notes)["height"] - 1
    # The one-click phase offer, and the data table's signal column stays readable.
    expect(page.get_by_role("button", name="Start a new phase at Jan 2024")).to_be_visible()
    signal = page.locator("table.data td.signal", has_text="Improvement").first
    assert _box(signal)["width"] >= 150
    assert violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_a_daily_chart_prints_each_date_once(page, world, login, width):
    measure = _falls(world, frequency="daily", days=True)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto(f"/measures/{measure.pk}/")
    expect(page.locator("#chart.drawn svg")).to_have_count(1)
    labels = [t for t in page.locator("#chart svg .role-axis-label text").all_text_contents() if t]
    dated = [t for t in labels if any(c.isalpha() for c in t)]
    assert dated and len(dated) == len(set(dated))
    assert not sideways(page), sideways(page)


EXERCISE = """
kind: spc_signals
title: Find the shift
instructions: Mark the points that signal.
chart: run
rules: [anhoej]
x: [{weeks}]
y: [14, 13, 15, 14, 12, 15, 13, 14, 16, 13, 14, 15, 13, 14, 15, 14, 9, 8, 10, 9, 8, 9, 10, 8, 9, 8, 9, 10]
explanation: A shift from week 17.
""".format(weeks=", ".join(f'"W{k}"' for k in range(1, 29)))


@pytest.mark.parametrize("width", WIDTHS)
def test_the_exercise_chart_shows_all_28_weeks(page, world, login, tmp_path, width):
    root = make_tree(tmp_path)
    write_lesson(root / "foundation" / "01-basics", "03-shift", "shift", exercise=EXERCISE)
    load_content(root)
    page.set_default_timeout(90_000)
    page.set_viewport_size({"width": width, "height": 900})
    login(world.member)
    page.goto("/learn/lessons/shift/exercise/")
    figure = page.locator(".chart-figure")
    points = figure.locator("circle.pt")
    expect(points).to_have_count(28)
    frame = _box(figure)
    for k in (0, 15, 27):
        box = _box(points.nth(k))
        assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    # Labels whole on the left: the y labels start inside the figure.
    for label in figure.locator("svg > text[text-anchor='end']").all():
        assert _box(label)["x"] >= frame["x"]
    assert not sideways(page), sideways(page)
    assert violations(page) == []
