"""Rows to points: x kinds and order, missing values, and how rows sharing an x combine."""

import datetime as dt

import numpy as np
import pytest

from champion import spc


def test_without_x_each_row_is_a_point_labelled_by_position():
    a = spc.analyze([3.0, 1.0, 2.0])
    assert a.points["x"].tolist() == [0, 1, 2]
    assert a.points["y"].tolist() == [3.0, 1.0, 2.0]


def test_numeric_x_sorts_numerically():
    a = spc.analyze([1, 2, 3], x=[10, 9, 100])
    assert a.points["x"].tolist() == [9, 10, 100]
    assert a.points["y"].tolist() == [2, 1, 3]


def test_text_x_is_categorical_and_sorted_as_python_sorts_strings():
    a = spc.analyze([1, 2, 3, 4], x=["b", "a", "B", "a"])
    assert a.points["x"].tolist() == ["B", "a", "b"]  # C-locale order: capitals first
    assert a.points["y"].tolist() == [3, 3, 1]
    assert a.categorical


def test_categorical_x_never_gives_a_runs_signal():
    y = np.r_[np.zeros(12), np.ones(12)]
    labels = [f"unit {i:02d}" for i in range(24)]
    a = spc.analyze(y, x=labels, chart="run", cl=0.5)
    assert a.parts[0]["longest_run"] == 12
    assert not a.parts[0]["runs_signal"]


def test_date_objects_sort_chronologically_and_export_as_iso_strings():
    x = [dt.date(2024, 3, 1), dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 1, 1)]
    a = spc.analyze([3, 1, 2, 5], x=x, chart="run")
    assert a.points["x"].dtype.kind == "M"
    assert a.to_dict()["points"]["x"] == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert a.points["y"].tolist() == [3.0, 2.0, 3.0]
    assert a.x_kind == "date"


def test_datetime64_x():
    x = np.array(["2024-01-03", "2024-01-01", "2024-01-02"], dtype="datetime64[D]")
    a = spc.analyze([3, 1, 2], x=x)
    assert a.points["y"].tolist() == [1, 2, 3]


def test_datetime_objects_keep_their_time():
    x = [dt.datetime(2024, 1, 1, 12, 30), dt.datetime(2024, 1, 1, 8, 0)]
    a = spc.analyze([1, 2], x=x)
    assert a.to_dict()["points"]["x"] == [
        "2024-01-01T08:00:00.000000",
        "2024-01-01T12:30:00.000000",
    ]


def test_rows_with_missing_x_are_dropped():
    a = spc.analyze([1, 2, 3, 4], x=[1.0, np.nan, 2.0, 3.0])
    assert a.points["y"].tolist() == [1, 3, 4]
    b = spc.analyze([1, 2, 3], x=["a", None, "b"])
    assert b.points["y"].tolist() == [1, 3]
    c = spc.analyze([1, 2, 3], x=np.array(["2024-01-01", "NaT", "2024-01-02"], "datetime64[D]"))
    assert c.points["y"].tolist() == [1, 3]


def test_missing_y_is_nan_and_none():
    a = spc.analyze([1, None, float("nan"), 4])
    assert np.isnan(a.points["y"][1]) and np.isnan(a.points["y"][2])


@pytest.mark.parametrize(
    ("agg", "expected"),
    [("mean", [1.5, 10.0, np.nan]), ("median", [1.5, 10.0, np.nan]), ("sum", [6.0, 10.0, np.nan])],
)
def test_rows_sharing_an_x_combine_by_agg_ignoring_missing(agg, expected):
    # x=1: 1, 2, 1, missing, 2 -> mean 1.5, median 1.5, sum 6; x=2: 10; x=3: all missing.
    y = [1, 2, 1, None, 10, None, None, 2]
    x = [1, 1, 1, 1, 2, 3, 3, 1]
    a = spc.analyze(y, x=x, agg=agg)
    np.testing.assert_array_equal(a.points["y"], expected)


def test_median_of_an_odd_group():
    a = spc.analyze([5, 1, 3, 7], x=[0, 0, 0, 1], agg="median")
    assert a.points["y"].tolist() == [3.0, 7.0]


def test_with_n_a_point_is_sum_y_over_sum_n_ignoring_rows_missing_either():
    y = [1, 2, None, 4, 3]
    n = [10, 10, 10, None, 20]
    x = [1, 1, 1, 1, 2]
    a = spc.analyze(y, chart="p", n=n, x=x)
    np.testing.assert_allclose(a.points["y"], [3 / 20, 3 / 20])
    np.testing.assert_array_equal(a.points["n"], [20, 20])


def test_run_and_i_charts_accept_n_as_a_rate():
    a = spc.analyze([2, 4, 6], chart="i", n=[4, 4, 4])
    np.testing.assert_allclose(a.points["y"], [0.5, 1.0, 1.5])


def test_c_chart_sums_counts_whatever_agg_and_keeps_all_missing_groups_missing():
    a = spc.analyze([1, 2, 3, None, None], chart="c", x=[1, 1, 2, 3, 3], agg="mean")
    np.testing.assert_array_equal(a.points["y"], [3.0, 3.0, np.nan])


def test_np_chart_sums_counts_and_denominators():
    a = spc.analyze([1, 2, 3], chart="np", n=[10, 20, 30], x=[1, 1, 2])
    np.testing.assert_array_equal(a.points["y"], [3, 3])
    np.testing.assert_array_equal(a.points["n"], [30, 30])


def test_subgroups_from_rows_sharing_an_x():
    a = spc.analyze([1, 2, 3, None, 5, 5, 7], chart="s", x=list("aaaabbb"))
    np.testing.assert_array_equal(a.points["n"], [3, 3])
    np.testing.assert_allclose(a.points["y"], [1.0, np.std([5, 5, 7], ddof=1)])
    r = spc.analyze([1, 2, 3, None, 5, 5, 7], chart="r", x=list("aaaabbb"))
    np.testing.assert_array_equal(r.points["y"], [2, 2])


def test_2d_y_is_one_subgroup_per_row():
    y = np.array([[1.0, 2, 3], [4, 5, 9]])
    a = spc.analyze(y, chart="xbar", x=["w1", "w2"])
    assert a.points["x"].tolist() == ["w1", "w2"]
    np.testing.assert_allclose(a.points["y"], [2, 6])


def test_points_ignore_the_order_rows_arrive_in():
    y = [5, 1, 4, 2, 3, 8]
    x = [3, 1, 3, 2, 1, 2]
    a = spc.analyze(y, x=x, chart="i")
    b = spc.analyze(y[::-1], x=x[::-1], chart="i")
    for col in ("x", "y", "cl", "ucl"):
        np.testing.assert_array_equal(a.points[col], b.points[col])
