"""The engine against an independent model of qicharts2 0.8.1 (screened moving ranges).

The model (``_r_reference.qic``) was written from a reading of qicharts2's
R/helper.functions.R (``qic.agg``, ``runs.analysis``, ``crsignal`` and the
``qic.<chart>`` functions) and R/qic.R, and shares no code with the engine.
Every chart is run on datasets with unequal denominators, missing values,
parts, freeze, exclusions, a fixed centre line, ``multiply`` and rows sharing
an x; CL, both pairs of limits, sigma signals and the whole runs analysis must
agree. Where SPC.md deliberately departs from qicharts2, the datasets avoid the
case and a separate test below pins SPC.md's choice and says what R does.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from _r_reference import crsignal, qbinom05, qic

from champion import spc
from champion.spc import _constants as K

LINES = ("cl", "ucl", "lcl", "ucl_95", "lcl_95")
PART_KEYS = ("n_obs", "n_useful", "longest_run", "longest_run_max", "n_crossings",
             "n_crossings_min", "runs_signal")  # fmt: skip


def assert_same(a: spc.Analysis, ref: tuple[dict, list], *, rel: float = 1e-9) -> None:
    cols, records = ref
    pts = a.points
    assert len(pts["y"]) == len(cols["y"])
    for key in ("y", *LINES):
        got = np.asarray(pts[key], dtype=float)
        want = np.asarray(cols[key], dtype=float)
        np.testing.assert_allclose(got, want, rtol=rel, atol=1e-12, equal_nan=True,
                                   err_msg=key)  # fmt: skip
    assert pts["sigma_signal"].tolist() == cols["sigma_signal"]
    assert pts["runs_signal"].tolist() == cols["runs_signal"]
    assert (np.asarray(pts["part"]) == np.asarray(cols["part"])).all()
    got_parts = [{k: p[k] for k in PART_KEYS} for p in a.parts]
    assert got_parts == records


def both(y, chart, *, x=None, n=None, parts=None, freeze=None, exclude=None, cl=None,
         multiply=1.0, agg="mean", method="anhoej", categorical=False, rel=1e-9):  # fmt: skip
    a = spc.analyze(y, chart=chart, x=x, n=n, parts=parts, freeze=freeze, exclude=exclude,
                    cl=cl, multiply=multiply, agg=agg, runs_method=method)  # fmt: skip
    ref = qic(y, chart, x=x, n=n, parts=parts, freeze=freeze, exclude=exclude, cl=cl,
              multiply=multiply, agg=agg, method=method, categorical=categorical)  # fmt: skip
    assert_same(a, ref, rel=rel)
    return a, ref


# ------------------------------------------------------------------------------ datasets


def rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def measures(seed: int, k: int = 40, missing=(), shift: float = 0.0) -> list:
    r = rng(seed)
    y = list(np.round(r.normal(50, 6, k), 1))
    for i in range(k // 2, k):
        y[i] += shift
    for i in missing:
        y[i] = None
    return y


def waits(seed: int, k: int = 36) -> list:
    return list(np.round(rng(seed).exponential(20, k), 2) + 0.01)


def counts(seed: int, k: int = 36, lam: float = 6.0, missing=()) -> list:
    y = [float(v) for v in rng(seed).poisson(lam, k)]
    for i in missing:
        y[i] = None
    return y


def binomial(seed: int, k: int = 36, missing=()) -> tuple[list, list]:
    r = rng(seed)
    n = [float(v) for v in r.integers(20, 200, k)]
    y = [float(r.binomial(int(m), 0.2)) for m in n]
    for i in missing:
        y[i] = None
    return y, n


def exposure(seed: int, k: int = 36) -> tuple[list, list]:
    r = rng(seed)
    n = list(np.round(r.uniform(0.5, 3.0, k), 3))
    y = [float(r.poisson(4 * m)) for m in n]
    return y, n


def huge(seed: int, k: int = 30) -> tuple[list, list]:
    """Very large denominators with extra-binomial variation (Laney's case)."""
    r = rng(seed)
    n = [float(v) for v in r.integers(20000, 60000, k)]
    p = np.clip(r.normal(0.3, 0.02, k), 0.01, 0.99)
    y = [float(r.binomial(int(m), q)) for m, q in zip(n, p, strict=True)]
    return y, n


# Variants common to every chart: (name, keyword arguments for the positions of 36-40 points).
VARIANTS = [
    ("plain", {}),
    ("parts", {"parts": [12, 24]}),
    ("freeze", {"freeze": 15}),
    ("exclude", {"exclude": [3, 4, 20]}),
    ("freeze+exclude", {"freeze": 18, "exclude": [2, 10]}),
    ("parts+exclude", {"parts": [15], "exclude": [0, 16, 30]}),
    ("multiply", {"multiply": 100.0}),
]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v[0] for v in VARIANTS])
@pytest.mark.parametrize("seed", [1, 2, 3])
class TestEveryChartAgainstQicharts2:
    def test_run(self, variant, seed):
        both(measures(seed, missing=(5, 6)), "run", **variant[1])

    def test_run_with_counts_on_the_median(self, variant, seed):
        both(counts(seed, lam=3), "run", **variant[1])

    def test_i(self, variant, seed):
        both(measures(seed, missing=(5, 6, 30), shift=4), "i", **variant[1])

    def test_i_with_an_outlier_screened(self, variant, seed):
        y = measures(seed)
        y[9] = 140.0  # two moving ranges far above 3.267 x their mean
        both(y, "i", **variant[1])

    def test_mr(self, variant, seed):
        both(measures(seed, missing=(7, 33)), "mr", **variant[1])

    def test_t(self, variant, seed):
        both(waits(seed), "t", **variant[1])

    def test_p(self, variant, seed):
        y, n = binomial(seed, missing=(8,))
        both(y, "p", n=n, **variant[1])

    def test_pp(self, variant, seed):
        y, n = huge(seed, k=36)
        both(y, "pp", n=n, **variant[1])

    def test_c(self, variant, seed):
        both(counts(seed, missing=(11,)), "c", **variant[1])

    def test_u(self, variant, seed):
        y, n = exposure(seed)
        both(y, "u", n=n, **variant[1])

    def test_up(self, variant, seed):
        y, n = huge(seed, k=36)
        both(y, "up", n=n, **variant[1])

    def test_g(self, variant, seed):
        both(counts(seed, lam=25, missing=(9,)), "g", **variant[1])

    def test_ip(self, variant, seed):
        r = rng(seed)
        k = 36
        sizes = r.integers(3, 40, k)
        y = np.round(r.normal(100, 20, k), 1)
        both(list(y * sizes), "ip", n=[float(s) for s in sizes], **variant[1])

    def test_ip_without_n_counts_the_values(self, variant, seed):
        r = rng(seed)
        x = np.repeat(np.arange(36), r.integers(1, 6, 36))
        y = list(np.round(r.normal(10, 2, x.shape[0]), 2))
        both(y, "ip", x=list(x), **variant[1])

    def test_xbar_equal_sizes(self, variant, seed):
        x, y = subgroups(seed, sizes=[5] * 36)
        both(y, "xbar", x=x, **variant[1])

    def test_xbar_unequal_sizes(self, variant, seed):
        x, y = subgroups(seed, sizes=list(rng(seed).integers(2, 9, 36)), single=(7,))
        both(y, "xbar", x=x, **variant[1])

    def test_s_equal_sizes(self, variant, seed):
        x, y = subgroups(seed, sizes=[4] * 36)
        both(y, "s", x=x, **variant[1])

    def test_s_unequal_sizes(self, variant, seed):
        x, y = subgroups(seed, sizes=list(rng(seed).integers(2, 12, 36)), single=(20,))
        both(y, "s", x=x, **variant[1])


def subgroups(seed, sizes, single=()):
    """Rows (x, y) of subgroups, a few raw values missing, some subgroups of one value."""
    r = rng(seed)
    x, y = [], []
    for i, k in enumerate(sizes):
        k = 1 if i in single else int(k)
        vals = list(np.round(r.normal(20, 3, k), 2))
        if k >= 4 and i % 5 == 0:
            vals.append(None)  # a missing raw value does not count in n_i
        x.extend([i] * len(vals))
        y.extend(vals)
    return x, y


# ------------------------------------------------------------------- fixed CL, aggregation


@pytest.mark.parametrize(
    "chart,cl",
    [("run", 50.0), ("i", 50.0), ("mr", 5.0), ("c", 5.0), ("g", 25.0), ("xbar", 20.0),
     ("s", 3.0)],
)  # fmt: skip
def test_a_fixed_centre_line(chart, cl):
    if chart in ("xbar", "s"):
        x, y = subgroups(4, sizes=[5] * 30)
        both(y, chart, x=x, cl=cl, parts=[10])
    elif chart in ("c", "g"):
        both(counts(4, lam=cl), chart, cl=cl, freeze=20)
    else:
        both(measures(4), chart, cl=cl, exclude=[3])


@pytest.mark.parametrize("chart", ["p", "pp"])
def test_a_fixed_proportion(chart):
    y, n = binomial(5) if chart == "p" else huge(5)
    both(y, chart, n=n, cl=0.25, parts=[18])


@pytest.mark.parametrize("chart", ["u", "up", "ip"])
def test_a_fixed_rate(chart):
    y, n = exposure(6) if chart != "ip" else ([v * 10 for v in measures(6)], [10.0] * 40)
    both(y, chart, n=n, cl=4.0 if chart != "ip" else 50.0, freeze=20)


@pytest.mark.parametrize("agg", ["mean", "median", "sum"])
@pytest.mark.parametrize("chart", ["run", "i", "g", "t", "mr"])
def test_rows_sharing_an_x_are_aggregated(chart, agg):
    r = rng(7)
    x = list(np.repeat(np.arange(30), r.integers(1, 4, 30)))
    y = list(np.round(r.exponential(10, len(x)), 1) + 1)
    y[4] = None  # one raw value missing; its x keeps its other values
    r.shuffle(order := np.arange(len(x)))
    xs = [x[i] for i in order]
    ys = [y[i] for i in order]
    both(ys, chart, x=xs, agg=agg, exclude=[2], parts=[15])


@pytest.mark.parametrize("chart", ["p", "pp", "u", "up", "ip", "run", "i"])
def test_rows_sharing_an_x_with_denominators(chart):
    r = rng(8)
    x = list(np.repeat(np.arange(30), r.integers(1, 4, 30)))
    n = [float(v) for v in r.integers(1000, 5000, len(x))]
    y = [float(r.binomial(int(m), 0.1 + 0.02 * (i % 3))) for i, m in enumerate(n)]
    y[6] = None  # an incomplete row leaves both sums (complete.cases)
    n[11] = None
    both(y, chart, x=x, n=n, freeze=20)


def test_categorical_x_reports_runs_but_never_signals_and_laney_uses_sd():
    labels = [f"unit{i:02d}" for i in range(24)]  # C and natural collation agree
    y, n = huge(9, k=24)
    for chart in ("pp", "up", "run", "p"):
        _a, ref = both(y, chart, x=labels, n=n, categorical=True)
        assert ref[1][0]["longest_run"] is not None


# --------------------------------------------------------------------------- runs analysis


@pytest.mark.parametrize("method", ["anhoej", "bestbox", "cutbox"])
@pytest.mark.parametrize("seed", range(12))
def test_runs_analysis_and_box_methods(method, seed):
    r = rng(100 + seed)
    k = int(r.integers(8, 110))
    shift = float(r.choice([0, 0, 1.0, 2.5]))
    y = list(np.round(r.normal(0, 1, k) + np.where(np.arange(k) > k // 2, shift, 0), 1))
    ties = r.choice(k, size=k // 8, replace=False)
    for i in ties:
        y[i] = 0.0  # points on a fixed CL of 0: neither useful nor breaking a run
    both(y, "run", cl=0.0, method=method, exclude=[1, 5] if seed % 2 else None)


@pytest.mark.parametrize("method", ["anhoej", "bestbox", "cutbox"])
def test_crsignal_over_the_whole_box_table(method):
    """Every (n, crossings, longest run) with 10 <= n <= 100 and the edges 9 and 101."""
    for nu in [9, *range(10, 101), 101]:
        for c in range(nu):
            for lr in range(1, nu + 1):
                if lr + c > nu or (c == 0 and lr != nu):
                    continue  # impossible combinations
                box = K.box_signal(method, nu, c, lr)
                anh = lr > K.longest_run_max(nu) or c < K.crossings_min(nu)
                got = anh if box is None else box
                assert got == crsignal(nu, c, lr, method), (nu, c, lr)


def test_crossings_minimum_is_qbinom_and_longest_run_is_rounded_log2():
    for nu in range(1, 700):
        assert K.crossings_min(nu) == qbinom05(nu - 1)
        assert K.longest_run_max(nu) == round(math.log2(nu)) + 3


def test_points_on_the_centre_line_of_p_c_and_run_charts():
    # p: 10/100 and 20/200 equal the pooled 0.1 exactly; c: counts equal to their mean.
    n = [100.0, 200.0, 100.0, 50.0, 100.0, 200.0, 100.0, 50.0] * 3
    y = [10.0, 20.0, 14.0, 3.0, 6.0, 20.0, 10.0, 7.0] * 3
    a, _ = both(y, "p", n=n)
    assert a.parts[0]["n_useful"] < len(y)
    a, _ = both([4.0, 5, 6, 5, 5, 3, 7, 5, 4, 6, 5, 5] * 2, "c")
    assert a.parts[0]["n_useful"] == 12  # the six 5s of each dozen are on the CL
    both([1.0, 2, 2, 2, 3, 2, 1, 2, 3, 2, 2, 4] * 2, "run")


def test_runs_analysis_counts_included_points_only_as_qicharts2():
    # runs.analysis() takes y[include]: n_obs is the number of included points in
    # qicharts2 too (docs/spc.md used to list this as a difference).
    a, ref = both(measures(11), "i", exclude=[0, 1, 2])
    assert a.parts[0]["n_obs"] == ref[1][0]["n_obs"] == 37


def test_freeze_runs_analysis_uses_every_included_point_of_the_part():
    y = measures(12, shift=8)
    a, _ = both(y, "i", freeze=20)
    assert a.parts[0]["n_obs"] == 40
    assert a.parts[0]["runs_signal"]


# ------------------------------------------------ deliberate differences (SPC.md's choice)


def test_t_chart_fixed_cl_is_on_the_original_scale_unlike_qicharts2():
    # qic.t passes cl to qic.i unchanged, so qicharts2 reads cl on the transformed
    # scale and plots cl^3.6; SPC.md takes cl on the original scale.
    y = waits(13)
    a = spc.analyze(y, chart="t", cl=20.0)
    assert a.points["cl"][0] == pytest.approx(20.0)
    cols, _ = qic(y, "t", cl=20.0 ** (1 / 3.6))
    np.testing.assert_allclose(a.points["ucl"], cols["ucl"], rtol=1e-9)
    np.testing.assert_allclose(a.points["cl"], cols["cl"], rtol=1e-9)


def test_all_missing_groups_are_missing_on_c_charts_unlike_qicharts2():
    # qicharts2 sums with na.rm when a group has several rows: 0 on a c chart.
    x = [0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9]
    y = [3.0, None, None, 4, 5, 2, 6, 3, 4, 5, 3]
    a = spc.analyze(y, chart="c", x=x)
    assert np.isnan(a.points["y"][1])
    cols, _ = qic(y, "c", x=x)
    assert cols["y"][1] == 0.0
    # With the point missing, the engine's CL is the mean of the other nine.
    assert a.points["cl"][0] == pytest.approx(35 / 9)


def test_empty_subgroups_do_not_count_on_xbar_charts():
    # In qicharts2 an x whose values are all missing has y.length 0: it makes the
    # sizes "unequal" (pooled S) and even adds -1 to sum(y.length - 1). The engine
    # judges equal sizes over subgroups with values and leaves the empty one out.
    x, y = subgroups(14, sizes=[5] * 20)
    x += [20, 20]
    y += [None, None]
    x += list(np.repeat(np.arange(21, 30), 5))
    y += list(np.round(rng(15).normal(20, 3, 45), 2))
    a = spc.analyze(y, chart="xbar", x=x)
    sds = [np.std([v for xx, v in zip(x, y, strict=True) if xx == g and v is not None], ddof=1)
           for g in range(30) if g != 20]  # fmt: skip
    s = float(np.mean(sds))
    assert a.points["ucl"][0] - a.points["cl"][0] == pytest.approx(3 * s / (K.c4(np.array([5.0]))[0] * math.sqrt(5)))  # fmt: skip
    cols, _ = qic(y, "xbar", x=x)
    assert cols["ucl"][0] != pytest.approx(a.points["ucl"][0])


def test_laney_categorical_with_a_missing_point_keeps_its_limits():
    # qic.pp / qic.up take stats::sd(z_i) without na.rm, so one missing point leaves
    # the whole categorical chart without limits in qicharts2; the engine ignores it
    # as every mean does.
    labels = [f"unit{i:02d}" for i in range(20)]
    y, n = huge(16, k=20)
    y[4] = None
    a = spc.analyze(y, chart="pp", x=labels, n=n)
    cols, _ = qic(y, "pp", x=labels, n=n, categorical=True)
    assert np.isnan(cols["ucl"]).all()
    finite = np.isfinite(a.points["ucl"])
    assert not finite[4] and finite.sum() == 19  # only the missing point has none


# --------------------------------------------------------------------------------- clipping


@pytest.mark.parametrize("chart", ["p", "pp"])
def test_proportion_limits_are_clipped_to_zero_and_one(chart):
    # qic.p / qic.pp: ucl > 1 -> 1 and lcl < 0 -> 0 (finite values only), 2-sigma lines too.
    r = rng(17)
    n = [float(v) for v in r.integers(4, 15, 30)]
    y = [float(r.binomial(int(m), 0.85)) for m in n]
    a, (cols, _) = both(y, chart, n=n)
    assert (np.asarray(cols["ucl"]) == 1.0).any() and (a.points["ucl"] == 1.0).any()
    y = [float(r.binomial(int(m), 0.08)) for m in n]
    a, (cols, _) = both(y, chart, n=n)
    assert (a.points["lcl"] == 0.0).any()


def test_i_chart_limits_are_not_clipped():
    a, _ = both([0.5, 1.2, 0.1, 2.5, 0.3, 1.9, 0.2, 3.1, 0.4, 1.0] * 2, "i")
    assert a.points["lcl"][0] < 0


def test_t_chart_negative_transformed_lcl_is_zero_and_its_2_sigma_line_missing():
    # qic.t: a negative transformed LCL back-transforms to NaN, which is set to 0;
    # the 2-sigma line's NaN becomes NA (no line).
    y = [0.05, 40.0, 0.1, 55.0, 0.02, 30.0, 0.3, 60.0, 0.04, 45.0] * 2
    a, (cols, _) = both(y, "t")
    assert a.points["lcl"][0] == 0.0 and cols["lcl"][0] == 0.0
    assert np.isnan(a.points["lcl_95"][0]) and np.isnan(cols["lcl_95"][0])


def test_g_chart_lcl_is_clipped_and_the_cl_is_the_median():
    a, (_cols, _) = both(counts(18, lam=10), "g", parts=[18])
    assert (a.points["lcl"] == 0).all()
    assert a.points["cl"][0] == np.median(counts(18, lam=10)[:18])


@pytest.mark.parametrize("chart", ["run", "i", "u"])
def test_dates_rows_without_x_and_repeated_dates(chart):
    # qic.agg drops rows whose x is NA, then one point per date in date order.
    r = rng(19)
    days = np.datetime64("2024-01-01") + r.integers(0, 40, 70).astype("timedelta64[D]")
    x = list(days)
    x[3] = np.datetime64("NaT")
    y, n = exposure(19, k=70)
    kw = {"n": n} if chart == "u" else {}
    both(y, chart, x=x, parts=[20], exclude=[4], **kw)
