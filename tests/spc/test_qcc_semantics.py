"""xbar, s and r charts with qcc's sigma methods, and np charts, against a model of qcc 2.7.

The model (``_r_reference.qcc``) was written from a reading of qcc's R/qcc.R:
``stats.xbar``, ``sd.xbar`` (UWAVE-R, UWAVE-SD, MVLUE-R, MVLUE-SD, RMSDF),
``limits.xbar``, ``stats.S``/``limits.S``, ``stats.R``/``limits.R``,
``stats.np``/``limits.np`` and the d2/d3 tables of ``.qcc.options``. qcc has no
parts, freeze or exclusions; the engine's are expressed the qcc way: the
calibration ``data`` are a part's included baseline subgroups and every
subgroup of the part is ``newdata`` judged against them (limits depend only on
the centre, sigma and the subgroup's size). The 2-sigma lines are qcc's limits
with ``nsigmas = 2``.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from _r_reference import QCC_D2, QCC_D3, qcc

from champion import spc
from champion.spc import _constants as K

QCC_TYPE = {"xbar": "xbar", "s": "S", "r": "R"}
QCC_METHOD = {"uwave-r": "UWAVE-R", "uwave-sd": "UWAVE-SD", "mvlue-r": "MVLUE-R",
              "mvlue-sd": "MVLUE-SD", "rmsdf": "RMSDF"}  # fmt: skip


def make_groups(seed: int, sizes) -> list[list[float]]:
    r = np.random.default_rng(seed)
    return [
        list(np.round(r.normal(20 + (i // 12) * 0.5, 3, int(k)), 2)) for i, k in enumerate(sizes)
    ]


def rows(groups):
    x, y = [], []
    for i, g in enumerate(groups):
        x.extend([i] * len(g))
        y.extend(g)
    return x, y


def expected(chart, groups, method, parts=None, freeze=None, exclude=()):
    """Per-subgroup CL, limits and 2-sigma lines from qcc, part by part."""
    k = len(groups)
    cuts = [*sorted({0, *(parts or [])}), k]
    fr = k if (freeze is None or parts) else freeze
    out: dict[str, list[float]] = {c: [] for c in ("cl", "lcl", "ucl", "lcl_95", "ucl_95")}
    for a, b in itertools.pairwise(cuts):
        calib = [groups[i] for i in range(a, b) if i < fr and i not in exclude]
        part = groups[a:b]
        q3 = qcc(chart, calib, method, newdata=part, nsigmas=3)
        q2 = qcc(chart, calib, method, newdata=part, nsigmas=2)
        m = len(calib)
        out["cl"].extend(q3["cl"][m:])
        out["lcl"].extend(q3["lcl"][m:])
        out["ucl"].extend(q3["ucl"][m:])
        out["lcl_95"].extend(q2["lcl"][m:])
        out["ucl_95"].extend(q2["ucl"][m:])
    return out


def check(a, want):
    for key, v in want.items():
        np.testing.assert_allclose(a.points[key], v, rtol=1e-10, atol=1e-12, err_msg=key)


CASES = [
    ("xbar", "uwave-r"), ("xbar", "uwave-sd"), ("xbar", "mvlue-r"), ("xbar", "mvlue-sd"),
    ("xbar", "rmsdf"), ("s", "uwave-sd"), ("s", "mvlue-sd"), ("s", "rmsdf"), ("r", None),
    ("r", "uwave-r"), ("r", "mvlue-r"),
]  # fmt: skip
LAYOUTS = [
    ("plain", {}),
    ("freeze", {"freeze": 14}),
    ("parts", {"parts": [12, 24]}),
    ("exclude", {"exclude": [1, 17]}),
    ("freeze+exclude", {"freeze": 20, "exclude": [3]}),
]


@pytest.mark.parametrize("layout", LAYOUTS, ids=[v[0] for v in LAYOUTS])
@pytest.mark.parametrize("sizes", ["equal", "unequal"])
@pytest.mark.parametrize("chart,method", CASES)
def test_subgroup_charts_match_qcc(chart, method, sizes, layout):
    r = np.random.default_rng(3)
    sz = [5] * 36 if sizes == "equal" else list(r.integers(2, 11, 36))
    groups = make_groups(21, sz)
    x, y = rows(groups)
    kw = layout[1]
    a = spc.analyze(y, chart=chart, x=x, sigma_method=method, **kw)
    qmethod = QCC_METHOD[method] if method else None
    check(a, expected(QCC_TYPE[chart], groups, qmethod, **kw))


def test_subgroups_beyond_the_d2_table_are_refused():
    # qcc's sd.xbar indexes exp.R.unscaled (d2, sizes 2..25) by size: past 25 it gets NA
    # and every limit is NA. The engine refuses instead (SPC.md), for xbar and r alike,
    # and accepts 25.
    groups = make_groups(22, [26, 20, 25, 22] * 5)
    x, y = rows(groups)
    for chart in ("xbar", "r"):
        with pytest.raises(spc.SPCError):
            spc.analyze(y, chart=chart, x=x, sigma_method="uwave-r")
    groups = make_groups(22, [25, 20, 25, 22] * 5)
    x, y = rows(groups)
    a = spc.analyze(y, chart="r", x=x)
    check(a, expected("R", groups, None))


def test_the_tables_are_qccs():
    np.testing.assert_array_equal(K.D2[2:], QCC_D2[2:])
    np.testing.assert_array_equal(K.D3[2:], QCC_D3[2:])


@pytest.mark.parametrize(
    "kw",
    [{}, {"freeze": 15}, {"parts": [10, 22]}, {"exclude": [4, 18]}, {"multiply": 1.0}],
)
@pytest.mark.parametrize("equal", [True, False])
def test_np_chart_matches_qcc(kw, equal):
    r = np.random.default_rng(31)
    k = 30
    n = [50.0] * k if equal else [float(v) for v in r.integers(5, 60, k)]
    y = [float(r.binomial(int(m), 0.35)) for m in n]
    a = spc.analyze(y, chart="np", n=n, **kw)
    cuts = [*sorted({0, *kw.get("parts", [])}), k]
    fr = k if ("freeze" not in kw or "parts" in kw) else kw["freeze"]
    excl = set(kw.get("exclude", []))
    want: dict[str, list[float]] = {c: [] for c in ("cl", "lcl", "ucl", "lcl_95", "ucl_95")}
    for lo, hi in itertools.pairwise(cuts):
        calib = [(y[i], n[i]) for i in range(lo, hi) if i < fr and i not in excl]
        new = [(y[i], n[i]) for i in range(lo, hi)]
        q3 = qcc("np", calib, newdata=new, nsigmas=3)
        q2 = qcc("np", calib, newdata=new, nsigmas=2)
        m = len(calib)
        want["cl"].extend(q3["cl"][m:])
        want["lcl"].extend(q3["lcl"][m:])
        want["ucl"].extend(q3["ucl"][m:])
        want["lcl_95"].extend(q2["lcl"][m:])
        want["ucl_95"].extend(q2["ucl"][m:])
    check(a, want)


def test_np_chart_limits_are_clipped_to_zero_and_n_as_qcc():
    # p near 0.9 with small n: the UCL would pass n (pmin(center + tol, sizes)).
    n = [6.0, 8.0, 5.0, 10.0, 7.0, 6.0, 9.0, 5.0, 8.0, 6.0] * 2
    y = [6.0, 7.0, 5.0, 9.0, 6.0, 5.0, 8.0, 4.0, 7.0, 6.0] * 2
    a = spc.analyze(y, chart="np", n=n)
    q = qcc("np", list(zip(y, n, strict=True)))
    np.testing.assert_allclose(a.points["ucl"], q["ucl"], rtol=1e-12)
    assert (a.points["ucl"] == np.asarray(n)).any()
    # ... and the LCL below 0 with p small.
    y2 = [0.0, 1.0, 0.0, 0.0, 2.0, 0.0, 1.0, 0.0, 0.0, 1.0] * 2
    a2 = spc.analyze(y2, chart="np", n=n)
    q2 = qcc("np", list(zip(y2, n, strict=True)))
    np.testing.assert_allclose(a2.points["lcl"], q2["lcl"], atol=0)
    assert (a2.points["lcl"] == 0).all()


def test_xbar_one_sd_method_is_qccs_sd_over_c4():
    # sd.xbar.one(std.dev = "SD"): sd(data) / c4(n), no screening.
    y = list(np.round(np.random.default_rng(41).normal(10, 2, 25), 2))
    a = spc.analyze(y, chart="i", sigma_method="sd")
    n = len(y)
    c4 = math.sqrt(2 / (n - 1)) * math.exp(math.lgamma(n / 2) - math.lgamma((n - 1) / 2))
    sd = float(np.std(y, ddof=1)) / c4
    assert a.points["ucl"][0] == pytest.approx(float(np.mean(y)) + 3 * sd, rel=1e-12)
