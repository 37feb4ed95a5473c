"""analyze_many gives, for each series, exactly what analyze gives for it alone."""

import numpy as np
import pytest

from champion import spc

COLS = ("x", "part", "baseline", "include", "n", "y", "cl", "lcl", "ucl", "lcl_95", "ucl_95",
        "sigma_signal", "runs_signal")  # fmt: skip


def assert_same(a, b):
    assert a.chart == b.chart
    assert list(a.points) == list(b.points)
    for col in a.points:
        np.testing.assert_allclose(
            np.asarray(a.points[col], dtype=float) if a.points[col].dtype.kind != "U" else 0,
            np.asarray(b.points[col], dtype=float) if b.points[col].dtype.kind != "U" else 0,
            rtol=1e-12, err_msg=col,
        )  # fmt: skip
    assert [dict(p) for p in a.parts] == [dict(p) for p in b.parts]
    assert (a.variation_icon, a.assurance_icon) == (b.variation_icon, b.assurance_icon)


@pytest.mark.parametrize("chart", ["run", "i", "mr", "t", "c", "g", "p", "np", "u", "pp", "up",
                                   "ip"])  # fmt: skip
def test_long_table_matches_one_analyze_per_series(chart):
    rng = np.random.default_rng(7)
    lengths = [12, 1, 30, 5]
    ids = np.repeat(["w3", "w1", "w2", "w0"], lengths)
    n = rng.integers(20, 60, ids.size).astype(float)
    y = rng.binomial(n.astype(int), 0.2).astype(float) + (chart == "t")
    y[4] = np.nan
    kw = {"n": n} if chart in ("p", "np", "u", "pp", "up", "ip") else {}
    out = spc.analyze_many(series=ids, y=y, chart=chart, rules=("mdc", "nelson"), improvement="up",
                           **kw)  # fmt: skip
    assert list(out) == ["w0", "w1", "w2", "w3"]
    for key in out:
        sel = ids == key
        one = spc.analyze(y[sel], chart=chart, rules=("mdc", "nelson"), improvement="up",
                          **{k: v[sel] for k, v in kw.items()})  # fmt: skip
        assert_same(out[key], one)


def test_long_table_with_x_aggregation_and_freeze():
    series = [2, 1, 1, 2, 1, 1, 2, 2, 1]
    x = [3, 1, 1, 1, 2, 3, 2, 4, 4]
    y = [5.0, 1, 2, 6, 3, 4, 7, 9, 8]
    out = spc.analyze_many(series=series, x=x, y=y, chart="i", freeze=2)
    a1 = spc.analyze([1, 2, 3, 4, 8], x=[1, 1, 2, 3, 4], chart="i", freeze=2)
    a2 = spc.analyze([5, 6, 7, 9], x=[3, 1, 2, 4], chart="i", freeze=2)
    assert_same(out[1], a1)
    assert_same(out[2], a2)


def test_long_table_from_a_dict_of_columns_and_a_frame():
    import polars as pl

    table = {"ward": ["a", "a", "b", "b"], "falls": [3, 4, 1, 2], "days": [100, 120, 90, 80]}
    res = spc.analyze_many(table, series="ward", y="falls", n="days", chart="u")
    res2 = spc.analyze_many(pl.DataFrame(table), series="ward", y="falls", n="days", chart="u")
    for key in ("a", "b"):
        assert_same(res[key], res2[key])
    assert res["a"].points["cl"][0] == pytest.approx(7 / 220)


def test_subgroup_charts_in_a_long_table():
    series = ["a"] * 6 + ["b"] * 6
    x = [1, 1, 1, 2, 2, 2] * 2
    y = [1.0, 2, 3, 2, 3, 5, 4, 4, 6, 7, 9, 8]
    out = spc.analyze_many(series=series, x=x, y=y, chart="xbar")
    assert_same(out["a"], spc.analyze(y[:6], x=x[:6], chart="xbar"))
    assert_same(out["b"], spc.analyze(y[6:], x=x[6:], chart="xbar"))


def test_list_of_keyword_dicts():
    many = spc.analyze_many([{"y": [1, 2, 3]}, {"y": [4, 5, 6], "chart": "i"}], rules=("ihi",))
    assert [a.chart for a in many] == ["run", "i"]
    assert "ihi:shift" in many[1].points
