"""Pareto ordering, percentages, the vital few and bad input."""

from __future__ import annotations

import doctest
import json

import numpy as np
import pytest

from champion import spc
from champion.spc import _pareto


def test_raw_categories_are_tallied_and_sorted():
    p = spc.pareto(["b", "a", "c", "a", "b", "a", "d"])
    assert p.categories == ("a", "b", "c", "d")
    assert p.counts == (3, 2, 1, 1)
    assert p.total == 7
    assert p.percent == pytest.approx((300 / 7, 200 / 7, 100 / 7, 100 / 7))
    assert p.cumulative_percent == pytest.approx((300 / 7, 500 / 7, 600 / 7, 100.0))


def test_ties_are_broken_by_category_name():
    p = spc.pareto(["zeta", "alpha", "mid"], [5, 5, 5])
    assert p.categories == ("alpha", "mid", "zeta")


def test_vital_few_include_the_category_that_crosses_80_percent():
    p = spc.pareto(["a", "b", "c", "d"], [50, 25, 15, 10])  # 50, 75, 90, 100
    assert p.vital_few == ("a", "b", "c")


def test_exactly_80_percent_is_reached_without_the_next_category():
    p = spc.pareto(["a", "b", "c"], [60, 20, 20])  # 60, 80, 100
    assert p.vital_few == ("a", "b")
    single = spc.pareto(["a", "b"], [9, 1])
    assert single.vital_few == ("a",)


def test_given_counts_for_a_repeated_label_are_added():
    p = spc.pareto(["a", "b", "a"], [1, 5, 6])
    assert p.categories == ("a", "b") and p.counts == (7, 5)


def test_numpy_input_and_fractional_counts():
    p = spc.pareto(np.array(["x", "y"]), np.array([1.5, 4.5]))
    assert p.categories == ("y", "x") and p.counts == (4.5, 1.5)
    assert p.percent == pytest.approx((75.0, 25.0))


def test_missing_labels_are_left_out_and_counted():
    p = spc.pareto(["a", None, "a", float("nan"), "b"])
    assert p.categories == ("a", "b") and p.missing == 2 and p.total == 3


def test_to_dict_is_json_serialisable():
    d = spc.pareto(["a", "b", "a"]).to_dict()
    assert json.loads(json.dumps(d)) == {
        "categories": ["a", "b"],
        "counts": [2, 1],
        "percent": [pytest.approx(200 / 3), pytest.approx(100 / 3)],
        "cumulative_percent": [pytest.approx(200 / 3), 100.0],
        "vital_few": ["a", "b"],
        "total": 3,
        "missing": 0,
    }


def test_result_is_immutable():
    p = spc.pareto(["a"])
    with pytest.raises(AttributeError):
        p.total = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((["a", "b"], [1]), "one count per category"),
        ((["a", "b"], [1, -1]), "negative"),
        ((["a"], [float("nan")]), "finite"),
        ((["a"], ["many"]), "must be a number"),
        ((["a"], [None]), "must be a number"),
        (([],), "no categories"),
        (([None],), "no categories"),
        ((["a", "b"], [0, 0]), "All counts are zero"),
        (("abc",), "not a single str"),
        ((5,), "list of values"),
    ],
)
def test_bad_input_raises_spcerror(args, message):
    with pytest.raises(spc.SPCError, match=message):
        spc.pareto(*args)


def test_docstring_example_runs():
    result = doctest.testmod(_pareto)
    assert result.attempted > 0 and result.failed == 0
