"""One verdict per chart: grouped signals, a headline about the current phase, too few points."""

import datetime

import numpy as np
import pytest

from champion import spc

# 12 months around 13, then 10 months around 7 (the falls chart of issue 10).
BEFORE = [13, 14, 12, 13, 15, 13, 12, 14, 13, 12, 14, 13]
AFTER = [7, 8, 7, 6, 7, 8, 7, 7, 6, 8]
MONTHS = [datetime.date(2025, m, 1) for m in range(1, 13)] + [
    datetime.date(2026, m, 1) for m in range(1, 11)
]
# A stable baseline (the limits are frozen on it), then 9 points higher.
STEP_UP = [9, 11, 10, 12, 9, 11, 10, 9, 12, 10, 11, 9, 13, 12, 13, 12, 14, 13, 12, 13, 12]
STEP_DOWN = [20 - v for v in STEP_UP]
# Common cause only (seeded normal values), under every rule set.
RANDOM = [9.3, 9.8, 11.7, 10.7, 8.4, 10.0, 9.4, 10.1, 8.4, 10.2, 10.2, 11.6,
          10.3, 10.5, 8.5, 12.3, 8.1, 11.1, 9.7, 9.1, 9.3, 9.3, 10.4, 9.9]  # fmt: skip
ALL_SETS = ("anhoej", "ihi", "western-electric", "nelson", "mdc")


def dates(values):
    return np.array(values, dtype="datetime64[D]")


@pytest.mark.parametrize(
    ("y", "improvement", "side", "category", "because"),
    [
        (STEP_UP, "down", "above", "concern", "a concern, because lower is better"),
        (STEP_UP, "up", "above", "improvement", "an improvement, because higher is better"),
        (STEP_DOWN, "down", "below", "improvement", "an improvement, because lower is better"),
        (STEP_DOWN, "up", "below", "concern", "a concern, because higher is better"),
    ],
)
def test_a_shift_is_one_signal_judged_against_the_better_direction(
    y, improvement, side, category, because
):
    v = spc.verdict(spc.analyze(y, chart="i", freeze=12, rules=("mdc",)), improvement=improvement)
    assert v.enough_data
    shifts = [s for s in v.signals if s.kind == "shift"]
    assert len(shifts) == 1, v.signals
    shift = shifts[0]
    assert (shift.start, shift.end, shift.first, shift.last) == (13, 21, 12, 20)
    assert shift.direction == ("up" if side == "above" else "down")
    assert shift.category == category
    assert "mdc:shift" in shift.rules and "runs_signal" in shift.rules
    assert v.headline == (
        f"Since point 13, 9 points in a row {side} the centre line: a shift ({because})."
    )


def test_the_falls_chart_of_the_issue_reads_as_one_improving_shift_per_side():
    a = spc.analyze(BEFORE + AFTER, x=dates(MONTHS), chart="i", rules=("anhoej", "mdc"))
    v = spc.verdict(a, improvement="down")
    # Never "no significant change" for a drop from about 13 to 7 when lower is better.
    assert "No signal" not in v.headline and "no significant" not in v.headline.lower()
    assert v.headline.startswith(
        "Since January 2026, 10 points in a row below the centre line "
        "(7 of them beyond the lower control limit): a shift (an improvement, because lower is "
        "better)."
    )
    assert [(s.kind, s.direction, s.category) for s in v.signals] == [
        ("shift", "up", "concern"),
        ("shift", "down", "improvement"),
    ]
    first = v.signals[0]
    assert (first.start, first.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 1))
    assert first.text.startswith("From January 2025 to December 2025, 12 points in a row above")
    # The points beyond the limits are said once, inside their shift, not one by one.
    assert {"sigma_signal", "mdc:outside"} <= set(first.rules)


def test_period_words_and_labels_come_from_the_caller():
    a = spc.analyze(BEFORE + AFTER, x=dates(MONTHS), chart="i", rules=("anhoej", "mdc"))
    v = spc.verdict(a, improvement="down", label=lambda d: f"{d:%b %Y}", period_word="months")
    assert v.headline.startswith("Since Jan 2026, 10 months in a row below the centre line")


def test_a_trend_is_one_signal_with_its_direction():
    y = [10, 11, 10, 9, 11, 10, 10, 9, 11, 10, 10.5, 11, 11.5, 12, 12.5, 13, 13.5]
    v = spc.verdict(spc.analyze(y, chart="run", rules=("mdc",)), improvement="up")
    trends = [s for s in v.signals if s.kind == "trend"]
    assert len(trends) == 1
    assert (trends[0].first, trends[0].last, trends[0].direction) == (9, 16, "up")
    assert trends[0].category == "improvement" and trends[0].rules == ("mdc:trend",)
    assert v.headline == (
        "Since point 10, 8 points in a row rising: a trend "
        "(an improvement, because higher is better). 1 more signal in the list."
    )


def test_a_single_point_outside_the_limits():
    y = [10, 12, 11, 13, 12, 11, 12, 10, 11, 13, 12, 11, 40, 12, 11, 10, 12, 11, 12, 13]
    v = spc.verdict(spc.analyze(y, chart="i", rules=("mdc",)), improvement="down")
    assert [(s.kind, s.first, s.last, s.direction, s.category) for s in v.signals] == [
        ("outside", 12, 12, "up", "concern")
    ]
    assert v.signals[0].rules == ("sigma_signal", "mdc:outside")
    assert v.headline == (
        "At point 13, a point above the upper control limit: outside the control limits "
        "(a concern, because lower is better)."
    )


@pytest.mark.parametrize(
    ("chart", "count", "headline"),
    [
        ("i", 7, "12 points are needed for limits; 7 so far, so no verdict yet."),
        ("p", 11, "12 points are needed for limits; 11 so far, so no verdict yet."),
        ("i", 1, "12 points are needed for limits; 1 so far, so no verdict yet."),
        ("run", 7, "10 points are needed for the runs analysis; 7 so far, so no verdict yet."),
        ("run", 1, "10 points are needed for the runs analysis; 1 so far, so no verdict yet."),
    ],
)
def test_too_few_points_say_so_instead_of_stable(chart, count, headline):
    y = RANDOM[:count]
    n = [50] * count if chart == "p" else None
    a = spc.analyze([round(v) for v in y] if n else y, n=n, chart=chart, rules=("mdc",))
    v = spc.verdict(a, improvement="up")
    assert not v.enough_data
    assert v.headline == headline
    assert "stable" not in v.headline and "No signal" not in v.headline
    assert spc.MIN_POINTS == {"limits": 12, "runs": 10}


def test_enough_points_give_a_verdict():
    v = spc.verdict(spc.analyze(RANDOM[:12], chart="i"))
    assert v.enough_data and v.headline.startswith("No signal")


def test_with_phases_the_verdict_speaks_of_the_current_phase():
    y = BEFORE + AFTER + [7, 6, 8]
    x = dates(MONTHS + [datetime.date(2026, m, 1) for m in (11, 12)] + [datetime.date(2027, 1, 1)])
    a = spc.analyze(y, x=x, chart="i", parts=[12], rules=("anhoej", "mdc"))
    v = spc.verdict(a, improvement="down")
    assert [(p.part, p.n, p.enough_data) for p in v.phases] == [(1, 12, True), (2, 13, True)]
    assert v.phases[1].start == datetime.date(2026, 1, 1)
    # The drop is the phase change itself: within the new phase nothing special happens.
    assert v.headline == (
        "In the current phase (since January 2026): No signal: the 13 points vary around the "
        "centre line by chance alone (common-cause variation only)."
    )
    short = spc.analyze(BEFORE + AFTER, x=dates(MONTHS), chart="i", parts=[12])
    v = spc.verdict(short, improvement="down")
    assert not v.enough_data
    assert v.headline == (
        "In the current phase (since January 2026): 12 points are needed for limits; "
        "10 so far, so no verdict yet."
    )


def test_a_signal_of_an_earlier_phase_is_listed_but_not_headlined():
    y = STEP_UP + RANDOM[:12]
    a = spc.analyze(y, chart="i", parts=[len(STEP_UP)], rules=("mdc",))
    v = spc.verdict(a, improvement="down")
    assert [s.part for s in v.signals] and all(s.part == 1 for s in v.signals)
    assert v.headline.startswith("In the current phase (since point 22): No signal")


@pytest.mark.parametrize("rules", [(), *((s,) for s in ALL_SETS)])
def test_random_data_give_no_signal(rules):
    v = spc.verdict(spc.analyze(RANDOM, chart="i", rules=rules), improvement="down")
    assert v.signals == ()
    assert v.headline == (
        "No signal: the 24 points vary around the centre line by chance alone "
        "(common-cause variation only)."
    )


@pytest.mark.parametrize("rules", [(s,) for s in ALL_SETS])
def test_never_random_and_a_signal_at_once(rules):
    """Whenever any rule or the runs analysis flags the current phase, the headline names a
    signal; "no signal" only when nothing does."""
    for y in (STEP_UP, STEP_DOWN, BEFORE + AFTER, RANDOM):
        a = spc.analyze(y, chart="i", rules=rules)
        v = spc.verdict(a, improvement="up")
        flagged = any(m.signal for m in spc.explain(a))
        assert flagged == bool(v.signals)
        assert v.headline.startswith("No signal") == (not flagged)


def test_without_a_better_direction_signals_are_neither():
    v = spc.verdict(spc.analyze(STEP_UP, chart="i", freeze=12))
    assert {s.category for s in v.signals} == {"neither"}
    assert "no better direction is set" in v.headline


def test_bad_improvement_is_refused():
    with pytest.raises(spc.SPCError):
        spc.verdict(spc.analyze(RANDOM, chart="i"), improvement="sideways")


def test_the_summary_is_json():
    import json

    a = spc.analyze(BEFORE + AFTER, x=dates(MONTHS), chart="i", rules=("anhoej", "mdc"))
    d = spc.verdict(a, improvement="down").to_dict()
    assert set(d) == {"headline", "enough_data", "signals", "phases", "rule_set"}
    assert d["rule_set"] == "mdc"
    assert d["signals"][0]["start"] == "2025-01-01"
    json.dumps(d, allow_nan=False)


def test_too_few_points_still_name_an_early_sign():
    a = spc.analyze([10, 11, 10, 12, 11, 30, 10], chart="i", freeze=5)
    v = spc.verdict(a, improvement="down")
    assert not v.enough_data
    assert [(s.kind, s.first) for s in v.signals] == [("outside", 5)]
    assert v.headline == (
        "12 points are needed for limits; 7 so far, so no verdict yet. Early sign: At point 6, "
        "a point above the upper control limit: outside the control limits (a concern, because "
        "lower is better)."
    )


def test_a_long_series_is_counted_with_thousands_separators():
    said = spc.verdict(spc.analyze(RANDOM * 50, chart="i"), period_word="days")
    assert f"No signal: the {len(RANDOM) * 50:,} days vary around the centre line" in said.headline
