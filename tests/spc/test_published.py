"""Worked examples whose centre lines and limits are printed in textbooks and package docs.

Each test says where its numbers come from. Only numbers printed in the source
are asserted, to the precision printed.
"""

import numpy as np
import pytest

from champion import spc

# Montgomery, Introduction to Statistical Quality Control (6th ed.), Example 7.1,
# Table 7.1: orange-juice cans, 30 samples of n = 50, number nonconforming.
# The same data are qcc's `orangejuice` (trial samples 1-30).
ORANGEJUICE_D = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22,
                 8, 10, 5, 13, 11, 20, 18, 24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip

# Montgomery, Introduction to Statistical Quality Control, chapter 7, the c chart example
# on printed circuit boards (qcc's `circuit`, trial samples 1-26): nonconformities in 26
# successive samples of 100 boards.
CIRCUIT = [21, 24, 16, 12, 15, 5, 28, 20, 31, 25, 20, 24, 16, 19, 10, 17, 13, 22, 18, 39,
           30, 24, 16, 19, 17, 15]  # fmt: skip


def test_p_chart_orangejuice_matches_qcc_and_montgomery():
    # qcc::qcc(D[trial], sizes = 50, type = "p"): Center 0.2313333,
    # LCL 0.05242755, UCL 0.4102391; Montgomery: samples 15 and 23 plot above the UCL.
    a = spc.analyze(ORANGEJUICE_D, chart="p", n=[50] * 30)
    assert a.points["cl"][0] == pytest.approx(0.2313333, abs=5e-8)
    assert a.points["lcl"][0] == pytest.approx(0.05242755, abs=5e-9)
    assert a.points["ucl"][0] == pytest.approx(0.4102391, abs=5e-8)
    assert np.flatnonzero(a.points["sigma_signal"]).tolist() == [14, 22]


def test_np_chart_orangejuice_matches_qcc():
    # An np chart with constant n is the p chart times n (Montgomery, section 7.2.1):
    # 50 x the qcc p-chart figures above.
    a = spc.analyze(ORANGEJUICE_D, chart="np", n=[50] * 30)
    assert a.points["cl"][0] == pytest.approx(11.56667, abs=5e-6)
    assert a.points["lcl"][0] == pytest.approx(2.621377, abs=5e-7)
    assert a.points["ucl"][0] == pytest.approx(20.51196, abs=5e-6)


def test_c_chart_circuit_boards_matches_qcc_and_montgomery():
    # qcc(circuit$x[trial], sizes = 100, type = "c"): Center 19.84615, LCL 6.481447,
    # UCL 33.21086; Montgomery: samples 6 and 20 are beyond the limits.
    a = spc.analyze(CIRCUIT, chart="c")
    assert a.points["cl"][0] == pytest.approx(19.84615, abs=5e-6)
    assert a.points["lcl"][0] == pytest.approx(6.481447, abs=5e-7)
    assert a.points["ucl"][0] == pytest.approx(33.21086, abs=5e-6)
    assert np.flatnonzero(a.points["sigma_signal"]).tolist() == [5, 19]


def test_u_chart_circuit_boards_per_board():
    # The same data as a u chart per board (n = 100 boards per sample): every number
    # is the c chart's divided by 100 (Montgomery, section 7.3.1).
    a = spc.analyze(CIRCUIT, chart="u", n=[100] * 26)
    assert a.points["cl"][0] == pytest.approx(0.1984615, abs=5e-8)
    assert a.points["ucl"][0] == pytest.approx(0.3321086, abs=5e-8)
    assert a.points["lcl"][0] == pytest.approx(0.06481447, abs=5e-9)


# Montgomery, chapter 6, Table 6.3 (qcc's `pistonrings`): inside diameter of piston
# rings, 25 preliminary samples of 5. For the x-bar and R charts Montgomery prints
# x-double-bar = 74.001, R-bar = 0.023, x-bar chart limits 73.988 and 74.014, R chart
# UCL 0.049 (= 2.114 x 0.023 with the rounded R-bar) and LCL 0. This transcription (from a public course script)
# may differ from the book in the fourth decimal, so only the printed three decimals are
# asserted.
PISTONRINGS = np.array([
    74.030, 74.002, 74.019, 73.992, 74.008, 73.995, 73.992, 74.001, 74.011, 74.004,
    73.998, 74.024, 74.021, 74.005, 74.002, 74.002, 73.996, 73.993, 74.015, 74.009,
    73.992, 74.007, 74.015, 73.989, 74.014, 74.009, 73.994, 73.997, 73.985, 73.993,
    73.995, 74.006, 73.994, 74.000, 74.005, 73.985, 74.003, 73.993, 74.015, 73.988,
    74.008, 73.995, 74.009, 74.005, 74.004, 73.998, 74.000, 73.990, 74.007, 73.995,
    73.994, 73.998, 73.994, 73.995, 73.990, 74.004, 74.000, 74.007, 74.000, 73.996,
    73.983, 74.002, 73.998, 73.997, 74.012, 74.006, 73.967, 73.994, 74.000, 73.984,
    74.012, 74.014, 73.998, 73.999, 74.007, 74.000, 73.984, 74.005, 73.998, 73.996,
    73.994, 74.012, 73.986, 74.005, 74.007, 74.006, 74.010, 74.018, 74.003, 74.000,
    73.984, 74.002, 74.003, 74.005, 73.997, 74.000, 74.010, 74.013, 74.020, 74.003,
    73.982, 74.001, 74.015, 74.005, 73.996, 74.004, 73.999, 73.990, 74.006, 74.009,
    74.010, 73.989, 73.990, 74.009, 74.014, 74.015, 74.008, 73.993, 74.000, 74.010,
    73.982, 73.984, 73.995, 74.017, 74.013,
]).reshape(25, 5)  # fmt: skip


def test_xbar_and_r_charts_piston_rings_match_montgomery_to_three_decimals():
    xbar = spc.analyze(PISTONRINGS, chart="xbar", sigma_method="uwave-r")
    r = spc.analyze(PISTONRINGS, chart="r")
    assert round(float(xbar.points["cl"][0]), 3) == 74.001
    assert round(float(xbar.points["lcl"][0]), 3) == 73.988
    assert round(float(xbar.points["ucl"][0]), 3) == 74.014
    assert round(float(r.points["cl"][0]), 3) == 0.023
    assert float(r.points["lcl"][0]) == 0.0
    # With R-bar unrounded the R chart UCL is D4 R-bar = 2.114 x 0.02284 = 0.0483.
    assert float(r.points["ucl"][0]) == pytest.approx(2.114 * float(r.points["cl"][0]), rel=1e-3)
    assert not xbar.points["sigma_signal"].any()
    assert not r.points["sigma_signal"].any()


@pytest.mark.parametrize(
    ("n", "crossings_min", "longest_max"),
    # Anhøj & Olesen (2014), PLoS ONE 9(11): e113825, Table 1 (also the qicharts2
    # vignette): the lower limit for crossings and the upper limit for the longest run.
    [(10, 2, 6), (11, 2, 6), (12, 3, 7), (13, 3, 7), (14, 4, 7), (15, 4, 7), (16, 4, 7),
     (17, 5, 7), (18, 5, 7), (19, 6, 7), (20, 6, 7), (24, 8, 8), (25, 8, 8), (30, 10, 8)],
)  # fmt: skip
def test_anhoej_critical_values_match_the_published_table(n, crossings_min, longest_max):
    # Alternate above and below a median that no point sits on: n useful points.
    y = np.tile([1.0, 3.0], n)[:n]
    rec = spc.analyze(y, chart="run", cl=2.0).parts[0]
    assert rec["n_useful"] == n
    assert rec["n_crossings_min"] == crossings_min
    assert rec["longest_run_max"] == longest_max


def test_d2_d3_and_derived_constants_match_montgomery_appendix_vi():
    # Montgomery, Appendix VI: A3, B3, B4, c4 for n = 2..25 to 3-4 decimals.
    from champion.spc import _constants as K

    n = np.array([2, 3, 5, 10, 25])
    np.testing.assert_allclose(K.c4(n), [0.7979, 0.8862, 0.9400, 0.9727, 0.9896], atol=5e-5)
    np.testing.assert_allclose(K.a3(n), [2.659, 1.954, 1.427, 0.975, 0.606], atol=5e-4)
    np.testing.assert_allclose(K.b3(n), [0, 0, 0, 0.284, 0.565], atol=5e-4)
    np.testing.assert_allclose(K.b4(n), [3.267, 2.568, 2.089, 1.716, 1.435], atol=5e-4)
    assert K.D2[2] == 1.128 and K.D2[25] == 3.931
    assert K.D3[2] == 0.8525033 and K.D3[50] == 0.6521506
