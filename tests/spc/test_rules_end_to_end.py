"""Rule sets through the public ``analyze``: the columns the engine hands to users."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from champion import spc
from champion.spc import _rules


def flagged(a: spc.Analysis, name: str) -> list[int]:
    return np.flatnonzero(a.points[name]).tolist()


def test_run_chart_ihi_rules_against_the_median():
    # Median 5; the points equal to the median neither count nor break the shift.
    y = [1, 2, 1, 5, 2, 1, 5, 2, 9, 8, 9, 7, 9, 8, 5]
    a = spc.analyze(y, chart="run", rules=("ihi",))
    assert a.points["cl"][0] == 5
    assert flagged(a, "ihi:shift") == [0, 1, 2, 4, 5, 7, 8, 9, 10, 11, 12, 13]


def test_run_chart_trend_with_repeats():
    y = [5, 3, 4, 4, 5, 6, 7, 7, 2, 5]
    a = spc.analyze(y, chart="run", rules=("ihi",))
    assert flagged(a, "ihi:trend") == [1, 2, 3, 4, 5, 6, 7]


def test_rules_restart_in_each_part():
    y = [1.0, 2] * 5 + [5.0, 6] * 5
    whole = spc.analyze(y, chart="i", rules=("nelson",))
    split = spc.analyze(y, chart="i", parts=[10], rules=("nelson",))
    assert flagged(whole, "nelson:2") == list(range(20))  # 10 below, 10 above 3.5
    assert flagged(split, "nelson:2") == []  # each part alternates about its own CL
    assert flagged(split, "nelson:4") == []  # 10 alternating points per part only


def test_every_column_is_present_and_boolean():
    a = spc.analyze(
        np.arange(30.0) % 7, chart="i", rules=("ihi", "western-electric", "nelson", "mdc")
    )
    names = [k for k in a.points if ":" in k]
    assert len(names) == 3 + 4 + 8 + 4
    assert all(a.points[k].dtype == bool for k in names)
    assert flagged(a, "nelson:1") == np.flatnonzero(a.points["sigma_signal"]).tolist()


def test_g_chart_applies_only_rule_one_of_the_zone_rules():
    y = [30.0, 28, 31, 29, 27, 30, 32, 28, 29, 30, 200]
    a = spc.analyze(y, chart="g", rules=("western-electric", "nelson"))
    for name in ("western-electric:2", "western-electric:3", "nelson:5", "nelson:6",
                 "nelson:7", "nelson:8"):  # fmt: skip
        assert flagged(a, name) == [], name
    assert flagged(a, "nelson:1") == [10]


def test_t_chart_zones_are_on_the_transformed_scale():
    # A slow wave: long stretches more than 1 sigma from the CL, on the
    # transformed scale z = y ** (1 / 3.6) where the t chart is an i chart.
    y = 20 * np.exp(1.5 * np.sin(np.arange(60) / 2.5))
    a = spc.analyze(y, chart="t", rules=("nelson",))
    z = y ** (1 / 3.6)
    zcl = a.points["cl"][0] ** (1 / 3.6)
    sigma = (a.points["ucl"][0] ** (1 / 3.6) - zcl) / 3  # symmetric on the z scale
    beyond1 = (np.abs(z - zcl) > sigma).astype(int)
    starts = np.convolve(beyond1, np.ones(8, dtype=int), "valid") == 8
    expected = np.convolve(starts.astype(int), np.ones(8, dtype=int)) > 0
    assert expected.any()
    np.testing.assert_array_equal(a.points["nelson:8"], expected)


def test_categorical_x_keeps_only_beyond_limit_rules():
    x = [f"unit {c}" for c in "abcdefghijkl"]
    y = [5.0, 5.1, 5.2, 5.3, 5.4, 5.5, 5.6, 5.7, 5.8, 5.9, 6.0, 20.0]
    a = spc.analyze(y, x=x, chart="i", rules=("nelson", "mdc"))
    assert flagged(a, "nelson:3") == [] and flagged(a, "mdc:trend") == []
    assert flagged(a, "mdc:outside") == np.flatnonzero(a.points["sigma_signal"]).tolist()


def test_long_series_analysed_in_threads_at_once_get_their_own_flags(monkeypatch):
    # Long parts are evaluated in chunks with scratch rows kept per thread: series
    # analysed in several threads at once must not see each other's rows.
    monkeypatch.setattr(_rules, "_CHUNK", 64)
    rng = np.random.default_rng(11)
    ys = [rng.normal(0.0, 1.0, 3_000) + np.repeat(rng.normal(0, 1, 30), 100) for _ in range(6)]
    sets = ("ihi", "western-electric", "nelson", "mdc")
    alone = [spc.analyze(y, chart="i", rules=sets).points for y in ys]
    with ThreadPoolExecutor(max_workers=3) as pool:
        together = list(pool.map(lambda y: spc.analyze(y, chart="i", rules=sets).points, ys * 3))
    for k, points in enumerate(together):
        for name in alone[k % len(ys)]:
            if ":" in name:
                np.testing.assert_array_equal(points[name], alone[k % len(ys)][name], err_msg=name)
