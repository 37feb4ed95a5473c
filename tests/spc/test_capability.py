"""Process capability against hand computation and Montgomery's fallout table."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest

from champion import spc
from champion.spc import _capability
from champion.spc._constants import c4_scalar


def _standardised(n: int, mean: float, sd: float) -> np.ndarray:
    """n values with exactly this mean and sample standard deviation."""
    x = np.sin(np.arange(1, n + 1) * 1.7)  # deterministic, not monotone
    z = (x - x.mean()) / x.std(ddof=1)
    return mean + sd * z


def test_individuals_by_hand():
    y = [10.0, 12.0, 11.0, 13.0, 12.0, 11.0, 10.0, 12.0]
    r = spc.capability(y, lsl=7.0, usl=16.0)
    mrbar = (2 + 1 + 2 + 1 + 1 + 1 + 2) / 7
    within = mrbar / 1.128
    mean = sum(y) / 8
    overall = math.sqrt(sum((v - mean) ** 2 for v in y) / 7)
    assert r.sigma_within_method == "moving range"
    assert r.mean == pytest.approx(mean)
    assert r.sigma_within == pytest.approx(within)
    assert r.sigma_overall == pytest.approx(overall)
    assert r.cp == pytest.approx(9 / (6 * within))
    assert r.cpu == pytest.approx((16 - mean) / (3 * within))
    assert r.cpl == pytest.approx((mean - 7) / (3 * within))
    assert r.cpk == pytest.approx(min(r.cpu, r.cpl))
    assert r.pp == pytest.approx(9 / (6 * overall))
    assert r.ppk == pytest.approx(min((16 - mean), (mean - 7)) / (3 * overall))
    below = 0.5 * math.erfc((mean - 7) / (overall * math.sqrt(2))) * 1e6
    assert r.ppm_below == pytest.approx(below)
    assert r.ppm_total == pytest.approx(r.ppm_below + r.ppm_above)


def test_a_missing_value_drops_the_two_moving_ranges_that_touch_it():
    r = spc.capability([1.0, 3.0, None, 10.0, 11.0], lsl=-20, usl=30)
    assert r.n == 4
    assert r.sigma_within == pytest.approx(((2 + 1) / 2) / 1.128)


def test_subgroups_use_the_pooled_sd_over_c4():
    y = [[1, 2, 3], [2, 3, 4], [1, 3, 5]]
    r = spc.capability(y, lsl=0, usl=6)
    pooled = math.sqrt((2 + 2 + 8) / 6)
    assert r.sigma_within_method == "pooled"
    assert r.sigma_within == pytest.approx(pooled / c4_scalar(7))
    flat = spc.capability(np.ravel(y), lsl=0, usl=6, subgroup_size=3)
    assert flat.sigma_within == r.sigma_within and flat.subgroup_size == 3


@pytest.mark.parametrize(
    ("index", "ppm"),
    # The fallout of a centred normal process with two-sided specifications,
    # 2 Phi(-3 Cp) in parts per million, as tabulated (rounded) in Montgomery,
    # Introduction to Statistical Quality Control, 6th ed., Table 8.3.
    [(0.5, 133_614), (1.0, 2_700), (1.1, 967), (1.2, 318), (1.3, 96), (1.5, 7)],
)
def test_expected_ppm_matches_montgomerys_fallout_table(index, ppm):
    y = _standardised(50, 100.0, 2.0)
    half = 3 * index * 2.0
    r = spc.capability(y, lsl=100 - half, usl=100 + half, sigma_within=2.0)
    assert r.cp == pytest.approx(index) and r.pp == pytest.approx(index)
    assert r.ppm_within_total == pytest.approx(ppm, rel=5e-3, abs=0.5)
    assert r.ppm_total == pytest.approx(r.ppm_within_total)


def test_six_sigma_is_3_4_ppm_beyond_one_limit_with_the_1_5_shift():
    y = _standardised(40, 0.0, 1.0)
    r = spc.capability(y, usl=4.5)
    assert r.cp is None and r.pp is None and r.cpl is None
    assert r.ppk == pytest.approx(1.5)
    assert r.ppm_total == pytest.approx(3.398, rel=1e-3)
    assert r.sigma_level == pytest.approx(6.0)


def test_one_sided_lower_limit():
    y = _standardised(30, 10.0, 1.0)
    r = spc.capability(y, lsl=7.0)
    assert r.cpu is None and r.ppu is None and r.ppm_above == 0.0
    assert r.ppk == pytest.approx(1.0)
    assert r.ppm_total == pytest.approx(1349.9, rel=1e-3)


def test_cpm_penalises_distance_from_target():
    y = _standardised(30, 10.0, 1.0)
    on = spc.capability(y, lsl=7, usl=13, target=10)
    off = spc.capability(y, lsl=7, usl=13, target=11)
    tau_off = math.sqrt(float(np.sum((y - 11) ** 2)) / 29)
    assert on.cpm == pytest.approx(1.0)
    assert off.cpm == pytest.approx(2 / (3 * tau_off))
    assert spc.capability(y, lsl=7, usl=13).cpm is None


def test_observed_ppm_counts_values_outside():
    r = spc.capability([1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0], lsl=1.5, usl=9.5)
    assert r.observed_ppm_below == 100_000 and r.observed_ppm_above == 100_000
    assert r.observed_ppm_total == 200_000


def test_result_is_immutable_and_serialisable():
    import json

    r = spc.capability(_standardised(20, 0, 1), lsl=-100, usl=100)
    with pytest.raises(AttributeError):
        r.cp = 2.0  # type: ignore[misc]
    d = r.to_dict()
    assert d["sigma_level"] is None  # nothing expected outside: infinite
    assert json.loads(json.dumps(d))["cp"] == pytest.approx(r.cp)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y": [1, 2, 3]}, "at least one specification limit"),
        ({"y": [1, 2, 3], "lsl": 5, "usl": 5}, "must be below"),
        ({"y": [1, 2, 3], "lsl": 6, "usl": 5}, "must be below"),
        ({"y": [], "usl": 5}, "at least 2 values"),
        ({"y": [1.0], "usl": 5}, "at least 2 values"),
        ({"y": [1.0, None, 2.0], "usl": 5}, "two consecutive values"),
        ({"y": [2, 2, 2], "usl": 5}, "do not vary"),
        ({"y": [1, 2, 3], "usl": 5, "target": 6}, "within the specification"),
        ({"y": [1, 2, 3], "usl": float("nan")}, "finite"),
        ({"y": [1, 2, 3], "usl": "high"}, "must be a number"),
        ({"y": [1, 2, 3], "usl": 5, "subgroup_size": 2}, "do not split"),
        ({"y": [1, 2, 3, 4], "usl": 5, "subgroup_size": 0}, "at least 1"),
        ({"y": [1, 2, 3], "usl": 5, "sigma_within": 0}, "positive"),
        ({"y": [1, "a", 3], "usl": 5}, "only numbers"),
        ({"y": [1, float("inf"), 3], "usl": 5}, "infinite"),
        ({"y": [[1, 2], [3, 4]], "usl": 5, "subgroup_size": 3}, "subgroups of 2"),
    ],
)
def test_bad_input_raises_spcerror_with_a_clear_message(kwargs, message):
    with pytest.raises(spc.SPCError, match=message):
        spc.capability(**kwargs)


def test_docstring_example_runs():
    result = doctest.testmod(_capability)
    assert result.attempted > 0 and result.failed == 0
