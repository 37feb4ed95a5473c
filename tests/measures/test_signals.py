"""Signals are rows; the summary is a typed object; the chart page reuses the stored analysis
(issue 9, items 2 and 3)."""

import datetime

import pytest
from django.urls import reverse

from champion import spc
from champion.core.models import Notification
from champion.measures import analysis
from champion.measures.analysis import Span, refresh, signal_spans
from champion.measures.data import Point
from champion.measures.models import Measure, StoredAnalysis
from champion.measures.services import record_data
from champion.measures.summary import VERSION, Spark, Summary

from .conftest import months

pytestmark = pytest.mark.django_db

D = datetime.date
STABLE = [30, 34, 29, 33, 31, 35, 28, 32, 30, 34, 29, 33, 31, 35, 28, 32]


@pytest.fixture
def waits(world):
    # These signals are the Making Data Count rules' (7 points make a shift); Anhøj, the
    # default, needs a longer run.
    world.org.rule_set = "mdc"
    world.org.save()
    m = Measure.objects.create(
        unit=world.ward_a, name="Waits", definition="Minutes", chart="i", improvement="down"
    )
    m.owners.add(world.member)
    record_data(m, [Point(d, float(v)) for d, v in zip(months(16), STABLE, strict=True)])
    return m


def test_the_summary_round_trips_through_its_json_and_stays_small():
    summary = Summary(
        n=40, last_period=D(2025, 3, 1), last_value=4.5, cl=5.0, lcl=1.0, ucl=9.0,
        variation="concern", assurance="hit_and_miss", direction="up",
        last_reasons=("Above the upper control limit",), runs_signal=True, attention=9,
        spark=Spark(y=(1.0, None), cl=(2.0, 2.0), cat=("common_cause", "concern")),
    )  # fmt: skip
    data = summary.to_dict()
    assert data["last_period"] == "2025-03-01" and data["spark"]["y"] == [1.0, None]
    assert Summary.from_dict(data) == summary
    assert Summary.from_dict({}) == Summary(version=1) and Summary().version == VERSION
    # No list in it grows with the series: a long series stores the same keys and a
    # sparkline of at most 36 points.
    assert set(data) == set(Summary.__dataclass_fields__)


def test_a_measure_reads_its_summary_typed_and_stores_json(waits):
    stored = Measure.objects.filter(pk=waits.pk).values_list("summary", flat=True).get()
    assert isinstance(stored, dict) and stored["variation"] == "common_cause"
    fresh = Measure.objects.get(pk=waits.pk)
    assert isinstance(fresh.summary, Summary) and fresh.summary.n == 16
    assert fresh.summary.last_period == D(2024, 4, 1)
    assert len(stored["spark"]["y"]) == 16
    long = Measure.objects.create(unit=waits.unit, name="Long", definition="x", chart="i")
    record_data(long, [Point(d, float(k % 7)) for k, d in enumerate(months(120))])
    long.refresh_from_db()
    assert long.summary.n == 120 and len(long.summary.spark.y) == 36


def test_engine_words_run_from_the_analysis_to_the_summary_and_the_page(client_for, world, waits):
    later = months(30)[16:]
    record_data(waits, [Point(d, 24.0 + k % 2) for k, d in enumerate(later[:8])])
    waits.refresh_from_db()
    assert waits.summary.variation in spc.VARIATION and waits.summary.variation == "improvement"
    page = client_for(world.member).get(reverse("measures:board"), {"unit": world.ward_a.pk})
    assert "Special cause variation: improvement" in page.content.decode()


def test_signal_spans_group_a_pattern_and_keep_each_point_beyond_a_limit():
    def m(category, direction=None, patterns=()):
        return spc.PointMeaning(0, category, direction, tuple(patterns), (), (), (), False)

    meaning = [
        m("common_cause"),
        m("concern", "up", ["shift"]),
        m("concern", "up", ["shift", "outside"]),
        m("concern", "up", ["shift"]),
        m("concern", "up", ["outside"]),  # beyond the limit only: neither joins nor breaks
        m("concern", "up", ["shift"]),
        m("improvement", "down", ["trend"]),
        m("common_cause"),
    ]
    periods = months(8)
    assert signal_spans(periods, meaning) == [
        Span("pattern", "up", "concern", periods[1], periods[5]),
        Span("outside", "up", "concern", periods[2], periods[2]),
        Span("outside", "up", "concern", periods[4], periods[4]),
        Span("pattern", "down", "improvement", periods[6], periods[6]),
    ]


def test_a_new_signal_is_a_new_row_and_notifies_once(
    world, waits, django_capture_on_commit_callbacks
):
    assert not waits.signals.exists()
    later = months(30)[16:]
    with django_capture_on_commit_callbacks(execute=True):
        record_data(waits, [Point(d, 24.0 + k % 2) for k, d in enumerate(later[:8])])
    shift = waits.signals.get()
    assert (shift.kind, shift.direction, shift.meaning) == ("pattern", "down", "improvement")
    assert (
        shift.notified is not None and Notification.objects.filter(user=world.member).count() == 1
    )
    # Refreshing again (a setting changed, a nightly refresh) finds the same row: not new.
    with django_capture_on_commit_callbacks(execute=True):
        refresh(waits, notify_new_signals=True)
    assert list(waits.signals.all()) == [shift]
    assert Notification.objects.filter(user=world.member).count() == 1
    # A signal is told once, even if two refreshes both found it new.
    analysis._notify(waits, [shift.pk])
    assert Notification.objects.filter(user=world.member).count() == 1


def test_a_signal_that_goes_away_loses_its_row(waits):
    later = months(30)[16:]
    record_data(waits, [Point(d, 24.0 + k % 2) for k, d in enumerate(later[:8])])
    assert waits.signals.exists()
    record_data(waits, [], delete=later[:8])
    assert not waits.signals.exists()


def test_the_first_refresh_after_an_older_summary_tells_nobody(
    world, waits, django_capture_on_commit_callbacks
):
    """Summaries written before signals were rows say nothing of what people were told."""
    Measure.objects.filter(pk=waits.pk).update(summary={"n": 16, "variation": "common_cause"})
    waits.refresh_from_db()
    later = months(30)[16:]
    with django_capture_on_commit_callbacks(execute=True):
        record_data(waits, [Point(d, 24.0 + k % 2) for k, d in enumerate(later[:8])])
    assert waits.signals.count() == 1 and not Notification.objects.exists()
    assert waits.summary.version == VERSION


def test_the_chart_page_uses_the_stored_analysis_while_nothing_has_changed(
    client_for, world, waits, monkeypatch
):
    stored = StoredAnalysis.objects.get(measure=waits)
    assert (
        stored.data
        == spc.analyze(**analysis.engine_arguments(waits, analysis.series(waits))).to_dict()
    )
    calls = []
    real = spc.analyze
    # The I chart's analysis is counted; the moving-range chart drawn under it (chart="mr")
    # is a separate, small analysis made for the page.
    monkeypatch.setattr(
        spc,
        "analyze",
        lambda *a, **k: (k.get("chart") != "mr" and calls.append(1)) or real(*a, **k),
    )
    client = client_for(world.member)
    assert client.get(reverse("measures:detail", args=[waits.pk])).status_code == 200
    assert calls == []  # read back, not recomputed
    # A change that bypassed the services (an admin edit) is noticed: the inputs differ.
    waits.data_points.filter(period=months(1)[0]).update(value=99.0)
    assert client.get(reverse("measures:detail", args=[waits.pk])).status_code == 200
    assert calls == [1]


def test_the_api_analysis_is_still_the_engines_to_dict(client, world, waits):
    from champion.core.models import ApiToken

    token = ApiToken.issue(world.member, "t")[1]
    body = client.get(
        f"/api/v1/measures/{waits.pk}/analysis", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    fresh = spc.analyze(**analysis.engine_arguments(waits, analysis.series(waits))).to_dict()
    assert {k: body[k] for k in fresh} == fresh


def test_one_number_formatter_for_tooltips_tables_and_exports(waits):
    """The chart's tooltips and the page's table and summaries write a number alike."""
    from champion.charts import format_number
    from champion.measures.templatetags.measure_tags import number

    point = waits.data_points.first()
    point.value = 12.3456
    point.save()
    refresh(waits)
    spec = analysis.chart_spec(waits, analysis.analyze(waits))
    assert spec["datasets"]["points"][0]["y_text"] == format_number(12.3456) == "12.35"
    assert number(12.3456) == "12.35"
    assert number(None) == "—" and format_number(None) == "-"
    assert format_number(float("nan")) == "-" and number(1234567.0) == "1,234,567"
