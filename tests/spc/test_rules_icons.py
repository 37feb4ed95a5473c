"""The Making Data Count variation and assurance icons, branch by branch."""

from __future__ import annotations

import numpy as np
import pytest

from champion import spc
from champion.spc._rules import mdc_icons

_ = np.nan


def icons(y, *, flags=None, cl=0.0, ucl=3.0, lcl=-3.0, improvement="up", target=None):
    n = len(y)
    cols = {
        f"mdc:{r}": np.zeros(n, dtype=bool) for r in ("outside", "shift", "trend", "two_of_three")
    }
    for rule, where in (flags or {}).items():
        cols[f"mdc:{rule}"][where] = True
    return mdc_icons(
        cols, y=np.array(y, dtype=float), cl=np.full(n, cl), ucl=np.full(n, ucl),
        lcl=np.full(n, lcl), improvement=improvement, target=target,
    )  # fmt: skip


def test_no_flag_on_the_last_point_is_common_cause():
    assert icons([0, 5, 0], flags={"outside": [1]}) == ("common_cause", None)


@pytest.mark.parametrize(
    ("rule", "y", "up_is_better"),
    [
        ("outside", [0, 0, 4], "improvement"),
        ("outside", [0, 0, -4], "concern"),
        ("shift", [1, 1, 1], "improvement"),
        ("shift", [-1, -1, -1], "concern"),
        ("two_of_three", [2.5, 0.1, 2.5], "improvement"),
        ("trend", [-3, -2, -1], "improvement"),  # rising, though below the CL
        ("trend", [3, 2, 1], "concern"),  # falling, though above the CL
    ],
)
def test_direction_of_each_rule(rule, y, up_is_better):
    assert icons(y, flags={rule: [len(y) - 1]})[0] == up_is_better
    other = {"improvement": "concern", "concern": "improvement"}[up_is_better]
    assert icons(y, flags={rule: [len(y) - 1]}, improvement="down")[0] == other
    assert icons(y, flags={rule: [len(y) - 1]}, improvement=None)[0] == "neither"


def test_the_first_rule_in_mdc_order_decides():
    # A falling trend ending above the CL during a shift above: the trend comes first.
    y = [5, 4, 3, 2, 1]
    assert icons(y, flags={"trend": [4], "shift": [4]})[0] == "concern"
    # Outside comes before trend.
    y = [-1, 0, 1, 2, 4]
    assert icons(y, flags={"outside": [4], "trend": [4]}, improvement="down")[0] == "concern"


def test_a_trailing_missing_value_is_skipped():
    y = [0, 0, 4, _]
    assert icons(y, flags={"outside": [2]}) == ("improvement", None)
    assert icons([_, _]) == ("common_cause", None)


@pytest.mark.parametrize(
    ("improvement", "target", "expected"),
    [
        ("up", -4.0, "pass"),  # below the LCL: every point beats it
        ("up", 4.0, "fail"),  # above the UCL: no point can reach it
        ("up", 0.0, "hit_and_miss"),
        ("up", 3.0, "hit_and_miss"),  # on a limit
        ("up", -3.0, "hit_and_miss"),
        ("down", 4.0, "pass"),
        ("down", -4.0, "fail"),
        ("down", 1.0, "hit_and_miss"),
    ],
)
def test_assurance(improvement, target, expected):
    assert icons([0.0, 1.0], improvement=improvement, target=target)[1] == expected


def test_no_assurance_without_target_improvement_or_limits():
    assert icons([0.0], target=None)[1] is None
    assert icons([0.0], target=1.0, improvement=None)[1] is None
    assert icons([0.0], target=1.0, ucl=_, lcl=_)[1] is None


def test_end_to_end_through_analyze():
    base = [10.0, 11, 9, 10, 12, 10, 9, 11, 10, 10, 11, 9]
    y = base + [14.0] * 8  # a sustained rise at the end
    a = spc.analyze(y, chart="i", freeze=12, rules=("mdc",), improvement="down", target=6.0)
    assert a.points["mdc:shift"][12:].all()
    assert a.variation_icon == "concern"
    # Target 6 is below the LCL of the frozen limits: with "down", it can never be met.
    assert a.points["lcl"][-1] > 6.0
    assert a.assurance_icon == "fail"
    up = spc.analyze(y, chart="i", freeze=12, rules=("mdc",), improvement="up")
    assert up.variation_icon == "improvement" and up.assurance_icon is None
