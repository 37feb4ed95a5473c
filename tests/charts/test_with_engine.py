"""Charts built from real ``spc.analyze`` results (not hand-made dicts)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from champion import charts, spc

ALL_RULES = ("anhoej", "ihi", "western-electric", "nelson", "mdc")


def layer_names(spec):
    return [lay.get("name") for lay in spec["layer"]]


def test_p_chart_with_dates_from_the_engine():
    months = np.arange("2024-01", "2026-01", dtype="datetime64[M]").astype("datetime64[D]")
    rng = np.random.default_rng(4)
    n = rng.integers(80, 200, months.size)
    events = rng.binomial(n, 0.1)
    a = spc.analyze(events, n=n, x=months, chart="p", rules=("anhoej", "mdc"), parts=[12])
    spec = charts.spc_spec(a, percent=True)
    json.dumps(spec, allow_nan=False)
    points = next(lay for lay in spec["layer"] if lay["name"] == "points")
    assert points["encoding"]["x"]["type"] == "temporal"
    assert spec["datasets"]["points"][0]["x"] == "2024-01-01"
    limits = next(lay for lay in spec["layer"] if lay["name"] == "limits")
    assert limits["mark"]["interpolate"] == "step"  # p limits vary with n
    assert {r["part"] for r in spec["datasets"]["lines"]} == {1, 2}


def test_text_labels_that_look_like_dates_stay_categorical_when_the_engine_says_so():
    a = spc.analyze([3.0, 4.0, 5.0], x=["2024-01-01", "2024-02-01", "Unknown"], chart="run")
    x = next(lay for lay in charts.spc_spec(a)["layer"] if lay["name"] == "points")["encoding"]["x"]
    assert x["type"] == "ordinal"


def test_improvement_given_to_the_engine_colours_the_chart():
    y = np.r_[np.full(10, 10.0) + np.tile([0.5, -0.5], 5), 30.0]
    a = spc.analyze(y, chart="i", rules=("mdc",), improvement="down")
    rows = charts.spc_spec(a)["datasets"]["points"]
    assert rows[-1]["category"] == "Special cause: concern"


def test_every_point_flagged_by_a_point_rule_gets_a_reason_and_a_colour():
    rng = np.random.default_rng(1)
    for trial in range(40):
        y = rng.normal(10, 2, 50)
        if trial % 2:
            y[25:] += 3
        a = spc.analyze(y, chart="i", rules=ALL_RULES, improvement="up")
        d = a.to_dict()
        for i, r in enumerate(charts.signal_reasons(a)):
            flagged = d["points"]["sigma_signal"][i] or any(
                d["points"][c][i] for c in d["points"] if ":" in c and c != "ihi:runs"
            )
            if flagged:
                assert r["reasons"], (trial, i)
                assert r["category"] != "common_cause", (trial, i)


@pytest.mark.parametrize("chart", ["run", "i", "mr", "c", "t", "g"])
def test_each_single_value_chart_exports(chart):
    rng = np.random.default_rng(2)
    y = rng.poisson(6, 30).astype(float) + 1
    a = spc.analyze(y, chart=chart, rules=("anhoej", "nelson"))
    svg = charts.export(charts.spc_spec(a), "svg")
    assert svg.lstrip().startswith(b"<svg")
    assert ("limits" in layer_names(charts.spc_spec(a))) == (chart != "run")


def test_subgroup_chart_from_the_engine():
    rng = np.random.default_rng(3)
    x = np.repeat(np.arange(20), 5)
    a = spc.analyze(rng.normal(50, 4, 100), x=x, chart="xbar")
    spec = charts.spc_spec(a, show_95=True)
    assert "sigma2_lines" in layer_names(spec)


def test_sparkline_from_the_engine():
    a = spc.analyze(np.arange(20.0), chart="i", rules=("mdc",))
    spec = charts.sparkline_spec(a)
    assert charts.export(spec, "png")[:4] == b"\x89PNG"


def test_pareto_chart_agrees_with_the_engine_on_order_and_vital_few():
    p = spc.pareto(["falls", "meds", "falls", "lines", "falls", "meds", "skin", "meds", "falls"])
    rows = charts.pareto_spec(p)["datasets"]["bars"]
    assert tuple(r["category"] for r in rows) == p.categories
    assert tuple(r["category"] for r in rows if r["group"] == "Vital few") == p.vital_few
    assert [r["cumulative"] * 100 for r in rows] == pytest.approx(list(p.cumulative_percent))
