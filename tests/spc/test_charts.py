"""Every chart type against numbers computed by hand from the formulas of SPC.md."""

import math

import numpy as np
import pytest

from champion import spc


def pt(a, col, i=0):
    return float(a.points[col][i])


def test_run_chart_cl_is_the_median_and_there_are_no_limits():
    a = spc.analyze([3, 1, 4, 1, 5, 9, 2, 6], chart="run")
    assert pt(a, "cl") == 3.5
    for col in ("lcl", "ucl", "lcl_95", "ucl_95"):
        assert np.isnan(a.points[col]).all()
    assert not a.points["sigma_signal"].any()


def test_i_chart_uses_the_average_moving_range():
    a = spc.analyze([2, 4, 6, 4, 2, 4, 6, 4], chart="i")
    sigma = 2 / 1.128
    assert pt(a, "cl") == 4.0
    assert pt(a, "ucl") == pytest.approx(4 + 3 * sigma)
    assert pt(a, "lcl") == pytest.approx(4 - 3 * sigma)
    assert pt(a, "ucl_95") == pytest.approx(4 + 2 * sigma)
    assert pt(a, "lcl_95") == pytest.approx(4 - 2 * sigma)


def test_i_chart_screens_large_moving_ranges_once():
    y = [1, 2, 1, 2, 1, 2, 1, 20, 1, 2]
    # MRs 1,1,1,1,1,1,19,19,1: mean 5; 19 >= 3.267 x 5, so both go and the mean is 1.
    cl = sum(y) / len(y)
    screened = spc.analyze(y, chart="i")
    raw = spc.analyze(y, chart="i", screen_mr=False)
    assert pt(screened, "ucl") == pytest.approx(cl + 3 * 1 / 1.128)
    assert pt(raw, "ucl") == pytest.approx(cl + 3 * 5 / 1.128)


def test_i_chart_missing_value_breaks_both_moving_ranges():
    a = spc.analyze([1, 3, None, 4, 2], chart="i")
    # MRs: 2, -, -, 2 -> mean 2; CL = mean(1, 3, 4, 2) = 2.5
    assert pt(a, "cl") == 2.5
    assert pt(a, "ucl") == pytest.approx(2.5 + 3 * 2 / 1.128)
    assert np.isnan(a.points["y"][2])
    assert not a.points["sigma_signal"][2]


def test_i_chart_sigma_by_standard_deviation():
    y = np.array([2.0, 4, 6, 4, 2, 4, 6, 4, 20])
    a = spc.analyze(y, chart="i", sigma_method="sd")
    c4 = math.sqrt(2 / 8) * math.exp(math.lgamma(9 / 2) - math.lgamma(8 / 2))
    assert pt(a, "ucl") == pytest.approx(y.mean() + 3 * y.std(ddof=1) / c4)


def test_mr_chart():
    a = spc.analyze([1, 3, None, 4, 2, 5], chart="mr")
    np.testing.assert_array_equal(a.points["y"], [np.nan, 2, np.nan, np.nan, 2, 3])
    assert pt(a, "cl") == pytest.approx(7 / 3)
    assert pt(a, "ucl") == pytest.approx(3.267 * 7 / 3)
    assert pt(a, "ucl_95") == pytest.approx(2.178 * 7 / 3)
    assert pt(a, "lcl") == 0.0 and pt(a, "lcl_95") == 0.0


def test_mr_chart_never_gives_a_runs_signal():
    a = spc.analyze(np.arange(30.0) ** 2, chart="mr")  # MRs rise steadily: one long run
    assert a.parts[0]["longest_run"] > a.parts[0]["longest_run_max"]
    assert not a.parts[0]["runs_signal"]
    assert not a.points["runs_signal"].any()


def test_t_chart_is_an_i_chart_on_the_transformed_scale():
    y = np.array([5.0, 12, 3, 30, 8, 17, 2, 25])
    z = y ** (1 / 3.6)
    mr = np.abs(np.diff(z)).mean()  # no MR is >= 3.267 x the mean here
    assert (np.abs(np.diff(z)) < 3.267 * mr).all()
    sigma = mr / 1.128
    a = spc.analyze(y, chart="t")
    assert pt(a, "cl") == pytest.approx(z.mean() ** 3.6)
    assert pt(a, "ucl") == pytest.approx((z.mean() + 3 * sigma) ** 3.6)
    lcl_z = z.mean() - 3 * sigma
    assert pt(a, "lcl") == pytest.approx(max(lcl_z, 0) ** 3.6)
    lcl95_z = z.mean() - 2 * sigma
    expected95 = lcl95_z**3.6 if lcl95_z >= 0 else math.nan
    assert pt(a, "lcl_95") == pytest.approx(expected95, nan_ok=True)
    np.testing.assert_array_equal(a.points["y"], y)


def test_t_chart_negative_transformed_lcl_gives_zero_and_nan_95():
    y = [1.0, 100, 1, 100, 1, 100]
    a = spc.analyze(y, chart="t")
    assert pt(a, "lcl") == 0.0
    assert np.isnan(pt(a, "lcl_95"))


def test_t_chart_fixed_cl_is_on_the_original_scale():
    a = spc.analyze([5.0, 12, 3, 30, 8], chart="t", cl=10.0)
    assert pt(a, "cl") == pytest.approx(10.0)


def test_p_chart_with_varying_denominators():
    y, n = [2, 3, 4], [10, 20, 30]
    a = spc.analyze(y, chart="p", n=n)
    p = 9 / 60
    np.testing.assert_allclose(a.points["y"], [0.2, 0.15, 4 / 30])
    for i, ni in enumerate(n):
        s = math.sqrt(p * (1 - p) / ni)
        assert pt(a, "cl", i) == pytest.approx(p)
        assert pt(a, "ucl", i) == pytest.approx(min(1, p + 3 * s))
        assert pt(a, "lcl", i) == pytest.approx(max(0, p - 3 * s))
        assert pt(a, "ucl_95", i) == pytest.approx(min(1, p + 2 * s))


def test_p_chart_limits_are_clipped_to_zero_and_one():
    a = spc.analyze([1, 0, 1], chart="p", n=[2, 2, 2])
    assert (a.points["ucl"] <= 1).all() and (a.points["lcl"] >= 0).all()


def test_np_chart():
    y, n = [2, 3, 4], [10, 20, 30]
    a = spc.analyze(y, chart="np", n=n)
    p = 9 / 60
    for i, ni in enumerate(n):
        s = math.sqrt(ni * p * (1 - p))
        assert pt(a, "cl", i) == pytest.approx(ni * p)
        assert pt(a, "ucl", i) == pytest.approx(min(ni, ni * p + 3 * s))
        assert pt(a, "lcl", i) == pytest.approx(max(0, ni * p - 3 * s))
    np.testing.assert_array_equal(a.points["y"], y)


def test_c_chart():
    a = spc.analyze([4, 9, 2, 5], chart="c")
    assert pt(a, "cl") == 5.0
    assert pt(a, "ucl") == pytest.approx(5 + 3 * math.sqrt(5))
    assert pt(a, "lcl") == 0.0
    assert pt(a, "lcl_95") == pytest.approx(5 - 2 * math.sqrt(5))


def test_u_chart():
    y, n = [2, 3, 4], [10, 20, 30]
    a = spc.analyze(y, chart="u", n=n)
    u = 9 / 60
    for i, ni in enumerate(n):
        assert pt(a, "ucl", i) == pytest.approx(u + 3 * math.sqrt(u / ni))
        assert pt(a, "lcl", i) == pytest.approx(max(0, u - 3 * math.sqrt(u / ni)))


def _laney(y, n, kind):
    y, n = np.asarray(y, float), np.asarray(n, float)
    p = y.sum() / n.sum()
    s = np.sqrt(p * (1 - p) / n) if kind == "pp" else np.sqrt(p / n)
    z = (y / n - p) / s
    mr = np.abs(np.diff(z))
    amr = mr.mean()
    amr = mr[mr < 3.267 * amr].mean()
    return p, s * amr / 1.128


@pytest.mark.parametrize("chart", ["pp", "up"])
def test_laney_charts(chart):
    y = [40, 55, 38, 61, 45, 50, 70, 42]
    n = [1000, 1100, 950, 1200, 1000, 1050, 1300, 990]
    a = spc.analyze(y, chart=chart, n=n)
    p, sigma = _laney(y, n, chart)
    np.testing.assert_allclose(a.points["cl"], p)
    np.testing.assert_allclose(a.points["ucl"], p + 3 * sigma)
    np.testing.assert_allclose(a.points["lcl"], np.maximum(p - 3 * sigma, 0))


def test_laney_chart_with_categorical_x_uses_the_sd_of_z():
    y = [40, 55, 38, 61, 45]
    n = [1000, 1100, 950, 1200, 1000]
    a = spc.analyze(y, chart="pp", n=n, x=["a", "b", "c", "d", "e"])
    p = sum(y) / sum(n)
    s = np.sqrt(p * (1 - p) / np.array(n, float))
    z = (np.array(y) / np.array(n) - p) / s
    np.testing.assert_allclose(a.points["ucl"], p + 3 * s * z.std(ddof=1))


def test_g_chart():
    y = [0, 5, 10, 20, 3]
    a = spc.analyze(y, chart="g")
    m = 38 / 5
    sigma = math.sqrt(m * (m + 1))
    assert pt(a, "cl") == 5.0  # the median
    assert pt(a, "ucl") == pytest.approx(m + 3 * sigma)
    assert pt(a, "ucl_95") == pytest.approx(m + 2 * sigma)
    assert pt(a, "lcl") == 0.0


def test_g_chart_fixed_cl_is_the_mean_and_plots_0693_of_it():
    a = spc.analyze([0, 5, 10, 20, 3], chart="g", cl=10)
    assert pt(a, "cl") == pytest.approx(6.93)
    assert pt(a, "ucl") == pytest.approx(10 + 3 * math.sqrt(110))


def test_ip_chart():
    # Means of differing sample sizes (Taylor's I' chart).
    y = np.array([5.0, 7.0, 6.0, 9.0, 6.5])
    n = np.array([4.0, 9.0, 16.0, 4.0, 1.0])
    a = spc.analyze(y * n, chart="ip", n=n)  # with n, y is sum(y)/sum(n)
    np.testing.assert_allclose(a.points["y"], y)
    cl = (y * n).sum() / n.sum()
    s = math.sqrt(math.pi / 2) * np.abs(np.diff(y)) / np.sqrt(1 / n[:-1] + 1 / n[1:])
    ms = s.mean()
    ms = s[s < 3.2665 * ms].mean()
    np.testing.assert_allclose(a.points["cl"], cl)
    np.testing.assert_allclose(a.points["ucl"], cl + 3 * ms * np.sqrt(1 / n))
    np.testing.assert_allclose(a.points["lcl"], cl - 3 * ms * np.sqrt(1 / n))


def test_ip_chart_without_n_counts_the_values_per_x():
    a = spc.analyze([4, 6, 5, 7, 9, 8], chart="ip", x=[1, 1, 2, 2, 2, 3])
    np.testing.assert_array_equal(a.points["n"], [2, 3, 1])
    np.testing.assert_allclose(a.points["y"], [5, 7, 8])
    assert pt(a, "cl") == pytest.approx((10 + 21 + 8) / 6)


SUB = np.array([[1.0, 2, 3], [2, 3, 4], [3, 4, 8], [1, 1, 4]])


def _c4(n):
    return math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))


def test_xbar_chart_equal_subgroups_uses_the_mean_sd():
    a = spc.analyze(SUB, chart="xbar")
    sd = SUB.std(axis=1, ddof=1)
    a3 = 3 / (_c4(3) * math.sqrt(3))
    assert a3 == pytest.approx(1.954, abs=5e-4)  # Montgomery, Appendix VI
    assert pt(a, "cl") == pytest.approx(SUB.mean())
    assert pt(a, "ucl") == pytest.approx(SUB.mean() + a3 * sd.mean())
    np.testing.assert_array_equal(a.points["n"], [3, 3, 3, 3])


def test_xbar_chart_unequal_subgroups_uses_the_pooled_sd():
    y = [1, 2, 3, 2, 3, 4, 5, 3, 4, 8]
    x = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
    a = spc.analyze(y, chart="xbar", x=x)
    groups = [np.array([1.0, 2, 3]), np.array([2.0, 3, 4, 5]), np.array([3.0, 4, 8])]
    cl = sum(g.sum() for g in groups) / 10
    s = math.sqrt(
        sum((g.size - 1) * g.var(ddof=1) for g in groups) / sum(g.size - 1 for g in groups)
    )
    for i, g in enumerate(groups):
        assert pt(a, "cl", i) == pytest.approx(cl)
        assert pt(a, "ucl", i) == pytest.approx(cl + 3 / (_c4(g.size) * math.sqrt(g.size)) * s)


def test_subgroup_of_one_gets_no_limits():
    a = spc.analyze([1, 2, 3, 7, 2, 3, 4], chart="xbar", x=[0, 0, 0, 1, 2, 2, 2])
    assert np.isnan(pt(a, "ucl", 1)) and np.isnan(pt(a, "lcl", 1))
    assert not np.isnan(pt(a, "ucl", 0))


def test_s_chart_pooled():
    a = spc.analyze(SUB, chart="s")
    s = SUB.std(axis=1, ddof=1).mean()
    c4 = _c4(3)
    c5 = math.sqrt(1 - c4**2)
    assert 1 + 3 * c5 / c4 == pytest.approx(2.568, abs=5e-4)  # B4(3), Montgomery App. VI
    assert pt(a, "cl") == pytest.approx(s)
    assert pt(a, "ucl") == pytest.approx(s * (1 + 3 * c5 / c4))
    assert pt(a, "lcl") == 0.0
    np.testing.assert_allclose(a.points["y"], SUB.std(axis=1, ddof=1))


def test_r_chart():
    a = spc.analyze(SUB, chart="r")
    r = np.ptp(SUB, axis=1)
    sigma = (r / 1.693).mean()
    assert pt(a, "cl") == pytest.approx(r.mean())
    assert pt(a, "ucl") == pytest.approx(r.mean() + 3 * 0.8883697 * sigma)
    assert pt(a, "lcl") == pytest.approx(max(0, r.mean() - 3 * 0.8883697 * sigma))


@pytest.mark.parametrize(
    ("method", "sigma"),
    [
        ("uwave-r", lambda r, s, n: (r / 1.693).mean()),
        ("mvlue-r", lambda r, s, n: (r / 1.693).mean()),  # equal n: equal weights
        ("uwave-sd", lambda r, s, n: (s / _c4(3)).mean()),
        ("mvlue-sd", lambda r, s, n: (s / _c4(3)).mean()),
        ("rmsdf", lambda r, s, n: math.sqrt((s**2).mean()) / _c4(4 * 2 + 1)),
    ],
)
def test_xbar_qcc_sigma_methods(method, sigma):
    r, s = np.ptp(SUB, axis=1), SUB.std(axis=1, ddof=1)
    a = spc.analyze(SUB, chart="xbar", sigma_method=method)
    assert pt(a, "ucl") == pytest.approx(SUB.mean() + 3 * sigma(r, s, 3) / math.sqrt(3))


def test_xbar_mvlue_r_weights_by_d2_over_d3_squared():
    y = [1, 2, 3, 2, 3, 4, 5, 3, 4, 8]
    x = [0, 0, 0, 1, 1, 1, 1, 2, 2, 2]
    a = spc.analyze(y, chart="xbar", x=x, sigma_method="mvlue-r")
    r = np.array([2.0, 3, 5])
    d2 = np.array([1.693, 2.059, 1.693])
    d3 = np.array([0.8883697, 0.8798108, 0.8883697])
    w = (d2 / d3) ** 2
    sigma = (w * r / d2).sum() / w.sum()
    assert pt(a, "ucl", 1) == pytest.approx(3.5 + 3 * sigma / 2)  # CL = 35 / 10


def test_s_chart_qcc_method():
    a = spc.analyze(SUB, chart="s", sigma_method="uwave-sd")
    s = SUB.std(axis=1, ddof=1)
    sigma = (s / _c4(3)).mean()
    c5 = math.sqrt(1 - _c4(3) ** 2)
    assert pt(a, "cl") == pytest.approx(s.mean())
    assert pt(a, "ucl") == pytest.approx(s.mean() + 3 * sigma * c5)


def test_t_chart_accepts_the_sd_sigma_method_like_the_i_chart():
    y = np.array([5.0, 12, 3, 30, 8, 17, 2, 25])
    z = y ** (1 / 3.6)
    a = spc.analyze(y, chart="t", sigma_method="sd")
    sigma = z.std(ddof=1) / _c4(8)
    assert pt(a, "ucl") == pytest.approx((z.mean() + 3 * sigma) ** 3.6)


def test_ip_chart_point_without_values_has_n_zero_and_no_limits():
    a = spc.analyze([4, None, 5, 7, 9], chart="ip")
    assert a.points["n"].tolist() == [1, 0, 1, 1, 1]
    assert np.isnan(pt(a, "ucl", 1)) and not np.isnan(pt(a, "ucl", 0))
