"""Every input the engine cannot use raises SPCError with a message saying what to do."""

import numpy as np
import pytest

from champion import spc


def test_spcerror_is_a_valueerror():
    assert issubclass(spc.SPCError, ValueError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"y": [1, 2], "chart": "x"}, r'unknown chart .*"run"'),
        ({"y": [1, 2], "chart": "p", "n": [10]}, "y has 2 values but n has 1"),
        ({"y": [1, 2], "chart": "p"}, "needs n"),
        ({"y": [1, 2], "chart": "c", "n": [1, 2]}, "n is not used by a c chart"),
        ({"y": [1, 2], "chart": "p", "n": [10, 0]}, "n must be above zero, but row 1"),
        ({"y": [1, 2], "chart": "u", "n": [10, -3]}, "n must be above zero"),
        ({"y": [1, 12], "chart": "p", "n": [10, 10]}, "row 1 has y = 12 above n = 10"),
        ({"y": [1, 12], "chart": "np", "n": [10, 10]}, "above n"),
        ({"y": [1, 12], "chart": "pp", "n": [10, 10]}, "above n"),
        ({"y": [1, -1], "chart": "c"}, "cannot be negative"),
        ({"y": [3, 0, 2], "chart": "t"}, "above zero, but row 1"),
        ({"y": [3, -2, 2], "chart": "t"}, "above zero"),
        ({"y": [1, 2, 3], "chart": "xbar"}, "subgroups of several values"),
        ({"y": [1, 2, 3], "chart": "s", "x": [1, 2, 3]}, "subgroups of several values"),
        ({"y": [1, 2, 3], "parts": [3]}, "parts position 3 is out of range"),
        ({"y": [1, 2, 3], "parts": [0]}, "out of range"),
        ({"y": [1, 2, 3], "parts": [1.5]}, "whole-number"),
        ({"y": [1, 2, 3], "exclude": [-1]}, "exclude position -1 is out of range"),
        ({"y": [1, 2, 3], "exclude": [3]}, "out of range"),
        ({"y": [1, 2, 3], "freeze": 0}, "freeze=0 is out of range"),
        ({"y": [1, 2, 3], "freeze": 4}, "out of range"),
        ({"y": [1, 2, 3], "rules": ("anhoej", "westgard")}, r"unknown rule set 'westgard'.*nelson"),
        ({"y": [1, 2, 3], "rules": 5}, "list of rule-set names"),
        ({"y": [1, 2, 3], "runs_method": "fast"}, "unknown runs_method"),
        ({"y": [1, 2, 3], "chart": "i", "sigma_method": "pooled"}, "unknown sigma_method for a i"),
        (
            {"y": [1, 2, 3], "chart": "p", "n": [5, 5, 5], "sigma_method": "mr"},
            "sigma_method applies only",
        ),
        ({"y": np.ones((3, 3)), "chart": "s", "sigma_method": "uwave-r"}, "unknown sigma_method"),
        ({"y": [1, 2, 3], "agg": "max"}, "unknown agg"),
        ({"y": [1, 2, 3], "improvement": "better"}, 'improvement must be "up"'),
        ({"y": [1, 2, 3], "target": "high"}, "target must be a number"),
        ({"y": [1, 2, 3], "multiply": 0}, "multiply must be a positive number"),
        ({"y": [1, 2, 3], "cl": float("nan")}, "cl must be a finite number"),
        ({"y": [1, 2], "chart": "p", "n": [5, 5], "cl": 1.5}, "proportion between 0 and 1"),
        ({"y": [1, 2], "chart": "t", "cl": 0}, "must be above 0"),
        ({"y": [1, 2], "chart": "np", "n": [5, 5], "cl": 6}, "expected count per subgroup"),
        ({"y": [1, 2], "screen_mr": "yes"}, "screen_mr must be True or False"),
        ({"y": []}, "y is empty"),
        ({"y": [None, None]}, "y has no values"),
        ({"y": ["a", "b"]}, "must contain numbers"),
        ({"y": [1, float("inf")]}, "infinite"),
        ({"y": 5}, "sequence of numbers"),
        ({"y": [[1, 2], [3, 4]], "chart": "i"}, "one-dimensional"),
        ({"y": [1, 2], "x": [1]}, "x has 1 values but y has 2"),
        ({"y": [1, 2], "x": [1, "a"]}, "mixes"),
        ({"y": [1, 2], "x": [None, None]}, "every x is missing"),
        ({"y": np.ones((2, 3)), "chart": "xbar", "x": [1, 2, 3]}, "2 subgroups"),
    ],
)
def test_bad_input_raises_an_actionable_spcerror(kwargs, message):
    with pytest.raises(spc.SPCError, match=message):
        spc.analyze(**kwargs)


def test_d2_methods_refuse_subgroups_above_25():
    y = np.random.default_rng(1).normal(size=(4, 26))
    with pytest.raises(spc.SPCError, match="d2 table, which stops at subgroups of 25"):
        spc.analyze(y, chart="xbar", sigma_method="uwave-r")
    with pytest.raises(spc.SPCError, match="d2 table"):
        spc.analyze(y, chart="r", sigma_method="mvlue-r")
    spc.analyze(y, chart="xbar", sigma_method="uwave-sd")  # fine


def test_r_chart_refuses_subgroups_above_50():
    y = np.random.default_rng(1).normal(size=(4, 51))
    with pytest.raises(spc.SPCError, match="at most 50"):
        spc.analyze(y, chart="r")


def test_analyze_many_names_the_series_at_fault():
    with pytest.raises(spc.SPCError, match="series 'b'"):
        spc.analyze_many(series=["a", "a", "b", "b"], x=[1, 1, 1, 2], y=[1, 2, 3, 4], chart="xbar")
    with pytest.raises(spc.SPCError, match="series 'b'"):
        spc.analyze_many(
            series=np.array(["a", "a", "b"], dtype=object), x=[1, 1, 1], y=[1, 2, 3], chart="s"
        )
    with pytest.raises(spc.SPCError, match="series 1: a t chart needs"):
        spc.analyze_many([{"y": [1, 2]}, {"y": [0, 2]}], chart="t")
    with pytest.raises(spc.SPCError, match="series has 3 values but y has 2"):
        spc.analyze_many(series=[1, 2, 3], y=[1, 2])
    with pytest.raises(spc.SPCError, match="needs series= and y="):
        spc.analyze_many(y=[1, 2])
    with pytest.raises(spc.SPCError, match="series id is missing in row 1"):
        spc.analyze_many(series=["a", None, "b"], y=[1, 2, 3])
    with pytest.raises(spc.SPCError, match="all numbers or all text"):
        spc.analyze_many(series=np.array([1, "a", 2], dtype=object), y=[1, 2, 3])
    with pytest.raises(spc.SPCError, match="pass it as data="):
        spc.analyze_many(series="ward", y="falls")
    with pytest.raises(spc.SPCError, match="'ward' is not a column"):
        spc.analyze_many({"unit": [1]}, series="ward", y="unit")
