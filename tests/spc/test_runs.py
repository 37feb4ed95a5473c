"""Anhøj runs analysis: useful points, runs, crossings, the bounds, bestbox and cutbox."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from champion import spc
from champion.spc import _constants as K
from champion.spc import _runs


def runs_record(sides, method="anhoej"):
    """The runs record of points at +1 / -1 around a fixed CL of 0 (0 = on the CL)."""
    return spc.analyze(np.asarray(sides, float), chart="run", cl=0.0, runs_method=method).parts[0]


def test_points_on_the_cl_and_missing_points_are_not_useful():
    rec = spc.analyze([1, 2, 3, 2, None, 1, 3], chart="run", cl=2).parts[0]
    assert rec["n_obs"] == 7
    assert rec["n_useful"] == 4  # 1, 3, 1, 3
    assert rec["n_crossings"] == 3
    assert rec["longest_run"] == 1


def test_a_point_on_the_cl_does_not_break_a_run():
    rec = runs_record([1, 1, 0, 1, 1, -1])
    assert rec["longest_run"] == 4
    assert rec["n_crossings"] == 1


def test_longest_run_signal():
    # 10 useful points, longest run 7 > round(log2(10)) + 3 = 6
    rec = runs_record([1] * 7 + [-1, 1, -1])
    assert (rec["longest_run"], rec["longest_run_max"]) == (7, 6)
    assert rec["runs_signal"] is True


def test_too_few_crossings_signal():
    # 14 useful points, 2 crossings < 4 (the 5th percentile of Bin(13, 0.5))
    rec = runs_record([1] * 5 + [-1] * 5 + [1] * 4)
    assert (rec["n_crossings"], rec["n_crossings_min"]) == (2, 4)
    assert rec["longest_run"] <= rec["longest_run_max"]
    assert rec["runs_signal"] is True


def test_runs_signal_marks_every_point_of_the_part():
    a = spc.analyze([1.0] * 8 + [-1.0] * 2 + [5, -5, 5, -5], chart="run", cl=0, parts=[10])
    assert a.points["runs_signal"].tolist() == [True] * 10 + [False] * 4


def exact_crossings_min(n):
    m = n - 1
    total = Fraction(0)
    for k in range(m + 1):
        total += Fraction(math.comb(m, k), 2**m)
        if total >= Fraction(1, 20):
            return k
    return m


@pytest.mark.parametrize("n", [1, 2, 5, 9, 10, 37, 100, 101, 500, 2000, 2001, 2500, 5000])
def test_crossings_min_is_the_exact_binomial_5th_percentile(n):
    assert K.crossings_min(n) == exact_crossings_min(n)


def test_crossings_min_for_a_million_points_is_near_the_normal_approximation():
    m = 10**6 - 1
    approx = m / 2 - 1.6449 * math.sqrt(m) / 2
    assert abs(K.crossings_min(10**6) - approx) <= 2


@pytest.mark.parametrize(("n", "expected"), [(1, 3), (2, 4), (10, 6), (11, 6), (12, 7), (100, 10),
                                             (1000, 13), (10**6, 23)])  # fmt: skip
def test_longest_run_max(n, expected):
    assert K.longest_run_max(n) == expected


# n = 10: cb 2, lb 6, cbord 3, lbord 5 (SPC.md appendix).
TEN_C2_L6 = [1] * 6 + [-1, -1, 1, 1]  # crossings 2, longest run 6
# n = 13: cb 3, lb 6, no cbord.
THIRTEEN_C3_L7 = [1] * 7 + [-1, -1, 1, 1, -1, -1]  # crossings 3, longest run 7


def test_bestbox_and_cutbox_decide_where_the_anhoej_rules_do_not_signal():
    assert runs_record(TEN_C2_L6)["runs_signal"] is False  # Anhøj: 2 >= 2, 6 <= 6
    assert runs_record(TEN_C2_L6, "bestbox")["runs_signal"] is False  # 2 >= cb, 6 <= lb
    # cutbox: not (c >= 3 and l <= 5), not (c == 2 and l <= 5), not (c >= 3 and l <= 6)
    assert runs_record(TEN_C2_L6, "cutbox")["runs_signal"] is True


def test_cutbox_is_bestbox_where_cbord_is_missing():
    rec = runs_record(THIRTEEN_C3_L7)
    assert (rec["n_useful"], rec["n_crossings"], rec["longest_run"]) == (13, 3, 7)
    assert rec["runs_signal"] is False  # Anhøj: 7 <= 7, 3 >= 3
    assert runs_record(THIRTEEN_C3_L7, "bestbox")["runs_signal"] is True  # 7 > lb = 6
    assert runs_record(THIRTEEN_C3_L7, "cutbox")["runs_signal"] is True


def test_box_methods_keep_the_anhoej_bounds_in_the_record():
    rec = runs_record(THIRTEEN_C3_L7, "bestbox")
    assert (rec["longest_run_max"], rec["n_crossings_min"]) == (7, 3)


def test_box_methods_fall_back_to_anhoej_outside_10_to_100():
    sides = [1] * 6 + [-1, -1, 1]  # n = 9: longest 6 > round(log2 9) + 3 = 6? no: 6 <= 6
    for method in ("anhoej", "bestbox", "cutbox"):
        assert runs_record(sides, method)["runs_signal"] is False


def test_box_signal_table_edges():
    assert K.box_signal("bestbox", 100, 41, 10) is False  # cb 41, lb 10 at n = 100
    assert K.box_signal("bestbox", 100, 40, 10) is True
    assert K.box_signal("cutbox", 100, 42, 10) is False  # c >= cbord (42) and l <= lb
    assert K.box_signal("bestbox", 101, 0, 100) is None


def test_a_point_equal_to_the_mean_is_on_the_cl_as_in_r():
    # 0.1 + 0.2 + 0.3 is 0.6000000000000001 in floating point; R's mean() refines the
    # quotient by the mean residual and gets 0.2 exactly, so 0.2 is on the CL there.
    a = spc.analyze([0.1, 0.2, 0.3], chart="i")
    assert a.points["cl"][0] == 0.2
    assert a.parts[0]["n_useful"] == 2
    xbar = spc.analyze([0.1, 0.2, 0.3, 0.1, 0.2, 0.3], x=[0, 0, 0, 1, 1, 1], chart="xbar")
    assert xbar.points["y"].tolist() == [0.2, 0.2]


def test_t_chart_runs_analysis_compares_on_the_transformed_scale():
    # A one-point part: its transformed value is the CL, so it is not a useful point,
    # although the back-transformed CL may differ from y in the last bit.
    a = spc.analyze([5.0, 12, 3, 30, 8, 17.3], chart="t", parts=[5])
    assert a.parts[1]["n_useful"] == 0


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    sides=st.lists(st.sampled_from([-1.0, 0.0, 1.0]), min_size=1, max_size=80),
    block=st.integers(1, 9),
)
def test_longest_run_and_crossings_do_not_depend_on_the_block_size(sides, block, monkeypatch):
    # A long series looks for run ends block by block; a run may span many blocks.
    useful = [s for s in sides if s != 0]
    runs = [len(list(g)) for _, g in itertools.groupby(useful)]
    monkeypatch.setattr(_runs, "_BLOCK", block)
    rec = runs_record(sides)
    assert rec["n_useful"] == len(useful)
    if useful:
        assert rec["longest_run"] == max(runs)
        assert rec["n_crossings"] == len(runs) - 1
    else:
        assert rec["longest_run"] is None
