"""Each rule of each set on hand-built series whose answer is known.

Series are small and read left to right; ``_ = nan`` marks a missing point.
The default chart has CL 0, sigma 1 on both sides, limits at +-3 and 2-sigma
lines at +-2, one part.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from champion.spc._rules import PERLA_RUNS, RULES, evaluate

_ = np.nan


def run(
    name: str,
    y: list[float],
    *,
    cl: float | list[float] = 0.0,
    sigma: float | list[float] = 1.0,
    parts: list[int] | None = None,
    chart: str = "i",
    categorical: bool = False,
    runs: list[dict[str, Any]] | None = None,
    ucl: list[float] | None = None,
    lcl: list[float] | None = None,
) -> list[int]:
    """Indices flagged by rule ``name`` ("set:rule")."""
    n = len(y)
    ya = np.array(y, dtype=float)
    cla = np.broadcast_to(np.asarray(cl, dtype=float), (n,)).copy()
    sa = np.broadcast_to(np.asarray(sigma, dtype=float), (n,)).copy()
    arrays = {
        "y": ya,
        "cl": cla,
        "ucl": cla + 3 * sa if ucl is None else np.array(ucl, dtype=float),
        "lcl": cla - 3 * sa if lcl is None else np.array(lcl, dtype=float),
        "ucl_95": cla + 2 * sa,
        "lcl_95": cla - 2 * sa,
        "sigma_hi": sa,
        "sigma_lo": sa,
    }
    starts = np.array(parts or [0], dtype=np.int64)
    records = runs or [{"n_useful": 0, "n_crossings": None}] * starts.size
    rule_set = name.split(":")[0]
    out = evaluate(
        (rule_set,), chart=chart, part_start=starts, runs=records, categorical=categorical,
        **arrays,
    )  # fmt: skip
    return np.flatnonzero(out[name]).tolist()


def test_rule_names_and_order_are_the_agreed_interface():
    assert RULES == {
        "ihi": ("shift", "trend", "runs"),
        "western-electric": ("1", "2", "3", "4"),
        "nelson": ("1", "2", "3", "4", "5", "6", "7", "8"),
        "mdc": ("outside", "shift", "trend", "two_of_three"),
    }


# --- shifts -------------------------------------------------------------------------

SHIFTS = [("ihi:shift", 6), ("mdc:shift", 7), ("western-electric:4", 8), ("nelson:2", 9)]


@pytest.mark.parametrize(("name", "k"), SHIFTS)
def test_a_shift_needs_k_points_on_one_side_and_flags_all_of_them(name, k):
    assert run(name, [-1] + [1] * (k - 1) + [-1]) == []
    assert run(name, [-1] + [1] * k + [-1]) == list(range(1, k + 1))
    assert run(name, [1] + [-2] * k) == list(range(1, k + 1))


@pytest.mark.parametrize(("name", "k"), SHIFTS[1:])
def test_a_point_on_the_cl_breaks_a_strict_shift(name, k):
    half = k // 2
    assert run(name, [1] * half + [0] + [1] * (k - half)) == []


def test_ihi_shift_skips_points_on_the_cl_without_flagging_them():
    # Six points above with two on the CL among them: a shift of six.
    assert run("ihi:shift", [1, 1, 0, 1, 1, 0, 1, 1]) == [0, 1, 3, 4, 6, 7]
    # Five above and a point on the CL do not make six.
    assert run("ihi:shift", [1, 1, 0, 1, 1, 1, -1]) == []


@pytest.mark.parametrize(("name", "k"), SHIFTS)
def test_a_missing_point_breaks_a_shift(name, k):
    assert run(name, [1] * (k - 1) + [_] + [1] * (k - 1)) == []
    assert run(name, [1] * k + [_]) == list(range(k))


@pytest.mark.parametrize(("name", "k"), SHIFTS)
def test_a_shift_never_crosses_a_part_boundary(name, k):
    y = [1.0] * (2 * k - 2)
    assert run(name, y, parts=[0, k - 1]) == []
    assert run(name, y, parts=[0]) == list(range(2 * k - 2))


def test_a_shift_is_judged_against_its_own_parts_cl():
    y = [1.0] * 6 + [5.0] * 6
    assert run("ihi:shift", y, cl=[0.0] * 6 + [6.0] * 6, parts=[0, 6]) == list(range(12))
    assert run("ihi:shift", y, cl=[0.0] * 6 + [5.0] * 6, parts=[0, 6]) == list(range(6))


# --- trends -------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "k"), [("nelson:3", 6), ("mdc:trend", 7), ("ihi:trend", 5)])
def test_a_trend_needs_k_points_each_beyond_the_one_before(name, k):
    assert run(name, [9, *list(range(k - 1)), -9]) == []
    up = list(range(k))
    assert run(name, [9, *up, -9]) == list(range(1, k + 1))
    assert run(name, [-9, *up[::-1], 9]) == list(range(1, k + 1))


def test_an_equal_neighbour_breaks_a_strict_trend():
    y = [0, 1, 2, 3, 3, 4, 5, 6, 7, 8]  # 4 rising, a repeat, then 6 rising
    assert run("nelson:3", y) == [4, 5, 6, 7, 8, 9]
    assert run("mdc:trend", y) == []
    assert run("ihi:trend", y) == list(range(10))


def test_ihi_trend_merges_equal_neighbours_and_flags_repeats_at_both_ends():
    # 1 1 2 3 3 4 5 5: distinct values 1 2 3 4 5 rise four times: a trend of five.
    assert run("ihi:trend", [9, 1, 1, 2, 3, 3, 4, 5, 5, 0]) == [1, 2, 3, 4, 5, 6, 7, 8]
    # Four distinct rising values are not enough, however many repeats.
    assert run("ihi:trend", [1, 1, 2, 2, 3, 3, 4, 4]) == []


def test_ihi_trend_plateau_between_two_trends_belongs_to_both():
    y = [0, 1, 2, 3, 4, 4, 3, 2, 1, 0]
    assert run("ihi:trend", y) == list(range(10))


def test_a_missing_point_breaks_a_trend():
    assert run("nelson:3", [0, 1, 2, _, 3, 4, 5]) == []
    assert run("ihi:trend", [0, 1, 2, _, 3, 4]) == []
    assert run("mdc:trend", [0, 1, 2, 3, 4, 5, _, 6]) == []


def test_a_trend_never_crosses_a_part_boundary():
    assert run("nelson:3", list(range(8)), parts=[0, 4]) == []
    assert run("nelson:3", list(range(8)), parts=[0, 2]) == [2, 3, 4, 5, 6, 7]


def test_a_trend_ignores_the_cl():
    assert run("mdc:trend", [-3, -2, -1, 0, 1, 2, 3], cl=0.5) == list(range(7))


# --- Nelson 4, 7, 8 -----------------------------------------------------------------


def test_nelson_4_needs_fourteen_alternating_points():
    zigzag = [0, 1] * 7  # 14 points, 13 alternating steps
    assert run("nelson:4", zigzag) == list(range(14))
    assert run("nelson:4", zigzag[:13]) == []
    broken = [*zigzag[:6], zigzag[5], *zigzag[6:]]  # an equal neighbour in the middle
    assert run("nelson:4", broken) == []
    assert run("nelson:4", [*zigzag[:7], _, *zigzag[7:]]) == []


def test_nelson_7_needs_fifteen_points_within_one_sigma_cl_included():
    y = [0.5, -0.5, 0.0, 1.0, -1.0] * 3  # 15 points, on the CL and on +-1 sigma included
    assert run("nelson:7", y) == list(range(15))
    assert run("nelson:7", y[:14]) == []
    assert run("nelson:7", [*y[:7], 1.01, *y[7:]]) == []


def test_nelson_7_does_not_apply_without_limits():
    assert run("nelson:7", [0.0] * 20, sigma=_) == []


def test_nelson_8_needs_eight_points_beyond_one_sigma_on_either_side():
    y = [2, -2, 1.5, -1.5, 2, 2, -3, 1.1]
    assert run("nelson:8", y) == list(range(8))
    assert run("nelson:8", [1.5] * 8) == list(range(8))  # one side only also counts
    assert run("nelson:8", [2, -2, 1.5, -1.5, 1.0, 2, -3, 1.1, 2]) == []  # exactly 1 sigma


# --- zone windows -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["western-electric:2", "nelson:5"])
def test_two_of_three_beyond_two_sigma_flags_only_the_points_beyond(name):
    assert run(name, [0, 2.5, 0, 2.1, 0]) == [1, 3]
    assert run(name, [0, 2.5, 0, 0, 2.1, 0]) == []  # too far apart
    assert run(name, [0, 2.5, 0, -2.1, 0]) == []  # opposite sides
    assert run(name, [0, 2.0, 2.5, 0]) == []  # exactly 2 sigma is not beyond
    assert run(name, [0, 2.5, 3.5, 0]) == [1, 2]  # beyond the limit counts too


@pytest.mark.parametrize("name", ["western-electric:3", "nelson:6"])
def test_four_of_five_beyond_one_sigma_flags_only_the_points_beyond(name):
    assert run(name, [1.5, 1.5, 0, 1.5, 1.5]) == [0, 1, 3, 4]
    assert run(name, [1.5, 1.5, 0, 1.5, 0]) == []
    assert run(name, [-1.5, -1.5, -1.2, 3, -1.1]) == [0, 1, 2, 4]


def test_a_window_with_a_missing_point_never_fires():
    assert run("western-electric:2", [_, 2.5, 2.5, _]) == []
    assert run("western-electric:2", [0, 2.5, 2.5, _]) == [1, 2]
    assert run("western-electric:3", [1.5, 1.5, _, 1.5, 1.5]) == []


def test_zone_windows_never_cross_a_part_boundary():
    assert run("western-electric:2", [0, 2.5, 2.5, 0], parts=[0, 2]) == []


def test_zones_use_each_points_own_sigma():
    sigma = [1.0, 1.0, 2.0, 2.0]
    # 2.5 is beyond 2 sigma where sigma is 1, not where it is 2.
    assert run("western-electric:2", [2.5, 2.5, 2.5, 2.5], sigma=sigma, cl=0) == [0, 1]


def test_points_without_limits_flag_no_zone_rule_but_side_rules_still_apply():
    y = [3.0] * 9
    for name in ("western-electric:1", "western-electric:2", "western-electric:3", "nelson:8"):
        assert run(name, y, sigma=_) == [], name
    assert run("western-electric:4", y, sigma=_) == list(range(9))
    assert run("nelson:2", y, sigma=_) == list(range(9))


def test_on_a_g_chart_only_the_beyond_limits_zone_rule_applies():
    y = [2.5, 2.5, 1.5, 1.5, 9.0]
    assert run("western-electric:2", y, chart="g") == []
    assert run("western-electric:3", y, chart="g") == []
    assert run("western-electric:1", y, chart="g") == [4]


# --- beyond the limits --------------------------------------------------------------


@pytest.mark.parametrize("name", ["western-electric:1", "nelson:1", "mdc:outside"])
def test_beyond_the_limits_is_strict_and_uses_the_plotted_limits(name):
    assert run(name, [3.0, -3.0, 3.01, -3.01, _]) == [2, 3]
    # A clipped LCL of 0 (a p chart): only values below 0 would be beyond it.
    assert run(name, [0.0, 0.5], lcl=[0.0, 0.0], ucl=[3.0, 3.0]) == []


# --- mdc two of three ---------------------------------------------------------------


def test_mdc_two_of_three_flags_only_the_near_limit_points():
    assert run("mdc:two_of_three", [0.5, 2.5, 0.1, 2.9, 0.5]) == [1, 3]
    # One of the three on the other side of the CL: no signal.
    assert run("mdc:two_of_three", [2.5, -0.1, 2.5]) == []
    # A point beyond the limit is "outside", not near the limit.
    assert run("mdc:two_of_three", [2.5, 3.5, 1.0]) == []
    # Exactly on the 2-sigma line or on the limit: not strictly between.
    assert run("mdc:two_of_three", [2.0, 2.5, 3.0]) == []
    assert run("mdc:two_of_three", [-2.5, -0.2, -2.9]) == [0, 2]


def test_mdc_two_of_three_needs_three_points_on_one_side_not_on_the_cl():
    assert run("mdc:two_of_three", [2.5, 0.0, 2.5]) == []
    assert run("mdc:two_of_three", [2.5, _, 2.5]) == []


# --- ihi runs -----------------------------------------------------------------------


def test_ihi_runs_flags_the_whole_part_on_too_few_or_too_many_runs():
    low, high = PERLA_RUNS[20]
    y = [1.0, -1.0] * 10 + [1.0] * 4
    rec = {"n_useful": 20, "n_crossings": low - 2}  # runs = low - 1
    ok = {"n_useful": 20, "n_crossings": low - 1}  # runs = low
    many = {"n_useful": 20, "n_crossings": high}  # runs = high + 1
    assert run("ihi:runs", y, parts=[0, 20], runs=[rec, ok]) == list(range(20))
    assert run("ihi:runs", y, parts=[0, 20], runs=[ok, many]) == list(range(20, 24))
    assert run("ihi:runs", y, runs=[{"n_useful": 20, "n_crossings": high - 1}]) == []


def test_ihi_runs_only_applies_from_ten_to_sixty_useful_points():
    y = [1.0] * 9
    assert run("ihi:runs", y, runs=[{"n_useful": 9, "n_crossings": 0}]) == []
    assert run("ihi:runs", y, runs=[{"n_useful": 61, "n_crossings": 0}]) == []
    assert run("ihi:runs", y, runs=[{"n_useful": 0, "n_crossings": None}]) == []
    assert run("ihi:runs", y, runs=[{"n_useful": 10, "n_crossings": 0}]) == list(range(9))


def test_ihi_runs_never_fires_on_an_mr_chart_or_categorical_x():
    rec = [{"n_useful": 10, "n_crossings": 0}]
    assert run("ihi:runs", [1.0] * 10, runs=rec, chart="mr") == []
    assert run("ihi:runs", [1.0] * 10, runs=rec, categorical=True) == []


def test_perla_table_is_the_transcription_in_spc_md():
    assert len(PERLA_RUNS) == 51 and min(PERLA_RUNS) == 10 and max(PERLA_RUNS) == 60
    assert PERLA_RUNS[10] == (3, 9) and PERLA_RUNS[27] == (10, 19) and PERLA_RUNS[60] == (24, 38)
    lows = [PERLA_RUNS[n][0] for n in range(10, 61)]
    highs = [PERLA_RUNS[n][1] for n in range(10, 61)]
    assert lows == sorted(lows) and highs == sorted(highs)


# --- categorical x ------------------------------------------------------------------


def test_categorical_x_keeps_beyond_limits_and_drops_order_rules():
    y = [1.0] * 9 + [4.0]
    assert run("nelson:2", y, categorical=True) == []
    assert run("nelson:1", y, categorical=True) == [9]


# --- long series --------------------------------------------------------------------


def test_a_long_series_is_flagged_like_a_short_one():
    rng = np.random.default_rng(7)
    base = rng.normal(size=400)
    base[100:112] = 1.5  # a shift, eight beyond 1 sigma, Nelson 7 broken
    base[300:310] = np.arange(10) * 0.3  # a trend
    y = np.tile(base, 800)  # 320,000 points: several chunks
    arrays = {
        "y": y, "cl": np.zeros(y.size), "ucl": np.full(y.size, 3.0),
        "lcl": np.full(y.size, -3.0), "ucl_95": np.full(y.size, 2.0),
        "lcl_95": np.full(y.size, -2.0), "sigma_hi": np.ones(y.size), "sigma_lo": np.ones(y.size),
    }  # fmt: skip
    runs = [{"n_useful": 0, "n_crossings": None}]
    long = evaluate(("ihi", "western-electric", "nelson", "mdc"), chart="i",
                    part_start=np.array([0]), runs=runs, categorical=False, **arrays)  # fmt: skip
    short = evaluate(("ihi", "western-electric", "nelson", "mdc"), chart="i",
                     part_start=np.array([0]), runs=runs, categorical=False,
                     **{k: v[:400] for k, v in arrays.items()})  # fmt: skip
    for name, col in long.items():
        # Away from the seams between copies, every copy is flagged like the first.
        inner = col.reshape(800, 400)[:, 20:380]
        assert (inner == short[name][20:380]).all(), name
    for name in ("mdc:shift", "nelson:2", "nelson:8", "ihi:shift"):
        assert long[name].reshape(800, 400)[:, 100:112].all(), name
    assert long["nelson:3"].reshape(800, 400)[:, 300:310].all()


def _arrays(y: np.ndarray, cl: np.ndarray, sigma: np.ndarray) -> dict[str, np.ndarray]:
    return {
        "y": y, "cl": cl, "ucl": cl + 3 * sigma, "lcl": cl - 3 * sigma,
        "ucl_95": cl + 2 * sigma, "lcl_95": cl - 2 * sigma, "sigma_hi": sigma, "sigma_lo": sigma,
    }  # fmt: skip


@pytest.mark.parametrize(("parts", "length"), [(400, 25), (2, 40_000)])
def test_many_short_parts_and_a_few_long_ones_match_part_by_part(parts, length):
    # Many short parts take the gap-separated single pass, a few long ones the
    # chunked pass per part; both must equal evaluating each part alone.
    rng = np.random.default_rng(11)
    n = parts * length
    y = np.round(rng.normal(size=n), 1)  # ties and points on the CL happen
    y[rng.integers(0, n, size=n // 50)] = np.nan
    cl = np.repeat(np.round(rng.normal(size=parts), 1) * 0.2, length)
    sigma = np.repeat(rng.uniform(0.5, 1.5, size=parts), length)
    runs = [{"n_useful": int(rng.integers(8, 62)), "n_crossings": int(rng.integers(0, 30))}
            for _ in range(parts)]  # fmt: skip
    sets = ("ihi", "western-electric", "nelson", "mdc")
    whole = evaluate(sets, chart="i", part_start=np.arange(0, n, length), runs=runs,
                     categorical=False, **_arrays(y, cl, sigma))  # fmt: skip
    for i in range(parts):
        sl = slice(i * length, (i + 1) * length)
        alone = evaluate(sets, chart="i", part_start=np.array([0]), runs=[runs[i]],
                         categorical=False, **_arrays(y[sl], cl[sl], sigma[sl]))  # fmt: skip
        for name, col in alone.items():
            np.testing.assert_array_equal(whole[name][sl], col, err_msg=f"{name} part {i}")


@pytest.mark.parametrize("sigma", [1.0, np.nan])
def test_broadcast_constants_give_the_same_flags_as_full_arrays(sigma):
    # The engine passes scalars as stride-0 broadcasts; they take a faster path.
    rng = np.random.default_rng(5)
    n = 3000
    y = np.round(rng.normal(size=n), 1)
    y[::97] = np.nan
    full = _arrays(y, np.full(n, 0.1), np.full(n, sigma))
    broadcast = {k: v if k == "y" else np.broadcast_to(v[0], (n,)) for k, v in full.items()}
    sets = ("ihi", "western-electric", "nelson", "mdc")
    runs = [{"n_useful": 40, "n_crossings": 3}]
    a = evaluate(sets, chart="i", part_start=np.array([0]), runs=runs, categorical=False, **full)
    b = evaluate(sets, chart="i", part_start=np.array([0]), runs=runs, categorical=False,
                 **broadcast)  # fmt: skip
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)
    if np.isnan(sigma):
        assert not a["nelson:7"].any() and not a["western-electric:2"].any()
