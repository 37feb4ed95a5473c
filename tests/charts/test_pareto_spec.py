"""Pareto chart spec."""

from __future__ import annotations

import pytest

from champion.charts import ChartError, pareto_spec


def test_bars_sorted_descending_with_cumulative_share():
    spec = pareto_spec({"categories": ["a", "b", "c", "d"], "counts": [10, 50, 30, 10]})
    rows = spec["datasets"]["bars"]
    assert [r["category"] for r in rows] == ["b", "c", "a", "d"]
    assert [r["cumulative"] for r in rows] == pytest.approx([0.5, 0.8, 0.9, 1.0])


def test_vital_few_reach_the_cutoff_inclusive():
    rows = pareto_spec({"b": 50, "c": 30, "a": 10, "d": 10})["datasets"]["bars"]
    assert [r["group"] for r in rows] == ["Vital few", "Vital few", "Useful many", "Useful many"]
    rows = pareto_spec({"b": 50, "c": 29, "a": 11, "d": 10})["datasets"]["bars"]
    assert [r["group"] for r in rows][:3] == ["Vital few"] * 3


def test_layers_bars_and_cumulative_line_on_independent_axes():
    spec = pareto_spec({"a": 3, "b": 1}, title="Falls by cause")
    assert [lay["name"] for lay in spec["layer"]] == ["bars", "cumulative"]
    assert spec["resolve"]["scale"]["y"] == "independent"
    assert spec["layer"][1]["encoding"]["y"]["axis"]["format"] == ".0%"
    assert "Falls by cause" in spec["description"]


def test_accepts_an_object_with_attributes():
    class Result:
        categories = ("x", "y")
        counts = (1, 4)

    assert [r["category"] for r in pareto_spec(Result())["datasets"]["bars"]] == ["y", "x"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"categories": ["a"], "counts": [1, 2]}, "1 categories but 2 counts"),
        ({"categories": ["a"], "counts": [-1]}, "non-negative"),
        ({"categories": ["a"]}, "both"),
        ({"a": 0}, "no counts"),
        (3.5, "spc.pareto"),
    ],
)
def test_bad_pareto_input(bad, message):
    with pytest.raises(ChartError, match=message):
        pareto_spec(bad)
