"""Parts, freeze, exclude, a fixed centre line and multiply."""

import math

import numpy as np
import pytest

from champion import spc


def test_parts_get_their_own_centre_lines_and_records():
    y = [1, 2, 3, 2, 10, 11, 12, 11]
    a = spc.analyze(y, chart="i", parts=[4])
    assert a.points["part"].tolist() == [1, 1, 1, 1, 2, 2, 2, 2]
    assert a.points["cl"].tolist() == [2, 2, 2, 2, 11, 11, 11, 11]
    assert [p["part"] for p in a.parts] == [1, 2]
    # No moving range spans the break: each part has MRs 1, 1, 1.
    assert a.points["ucl"][0] == pytest.approx(2 + 3 / 1.128)
    assert a.points["ucl"][4] == pytest.approx(11 + 3 / 1.128)


def test_freeze_computes_statistics_from_the_baseline_only():
    y = [1, 2, 3, 2, 10, 11, 12, 11]
    a = spc.analyze(y, chart="i", freeze=4)
    assert a.points["baseline"].tolist() == [True] * 4 + [False] * 4
    assert (a.points["cl"] == 2).all()
    assert a.points["ucl"][7] == pytest.approx(2 + 3 / 1.128)
    assert a.points["sigma_signal"][4:].all()
    # runs analysis still uses every included point
    assert a.parts[0]["n_obs"] == 8


def test_freeze_is_ignored_when_parts_are_given():
    y = [1, 2, 3, 2, 10, 11, 12, 11]
    a = spc.analyze(y, chart="i", parts=[4], freeze=2)
    b = spc.analyze(y, chart="i", parts=[4])
    np.testing.assert_array_equal(a.points["cl"], b.points["cl"])
    assert a.points["baseline"].all()


def test_exclude_leaves_a_point_out_of_cl_sigma_and_runs_but_plots_it():
    a = spc.analyze([1, 3, 10, 4, 2], chart="i", exclude=[2])
    # CL from 1, 3, 4, 2; the moving ranges bridge the excluded point: 2, 1, 2.
    assert a.points["cl"][0] == 2.5
    assert a.points["ucl"][0] == pytest.approx(2.5 + 3 * (5 / 3) / 1.128)
    assert a.points["include"].tolist() == [True, True, False, True, True]
    assert a.points["sigma_signal"][2]  # still judged against the limits
    assert a.parts[0]["n_obs"] == 4
    assert a.parts[0]["sigma_signal_count"] == 1


def test_mr_chart_keeps_excluded_points_in_the_moving_ranges():
    a = spc.analyze([1, 3, 10, 4, 2], chart="mr", exclude=[2])
    np.testing.assert_array_equal(a.points["y"], [np.nan, 2, 7, 6, 2])
    # CL over the included positions 1, 3, 4: (2 + 6 + 2) / 3
    assert a.points["cl"][0] == pytest.approx(10 / 3)


def test_fixed_cl():
    a = spc.analyze([1, 3, 2, 4], chart="i", cl=10)
    assert (a.points["cl"] == 10).all()
    # sigma still comes from the data: MRs 2, 1, 2
    assert a.points["ucl"][0] == pytest.approx(10 + 3 * (5 / 3) / 1.128)
    r = spc.analyze([1, 3, 2, 4], chart="run", cl=2.5)
    assert (r.points["cl"] == 2.5).all()
    p = spc.analyze([1, 2], chart="p", n=[10, 10], cl=0.5)
    assert p.points["ucl"][0] == pytest.approx(0.5 + 3 * math.sqrt(0.25 / 10))


def test_multiply_scales_y_cl_and_limits_but_not_the_signals():
    y, n = [3, 5, 2, 9], [100, 120, 90, 110]
    a = spc.analyze(y, chart="p", n=n)
    b = spc.analyze(y, chart="p", n=n, multiply=100)
    for col in ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95"):
        np.testing.assert_allclose(b.points[col], np.asarray(a.points[col]) * 100)
    np.testing.assert_array_equal(a.points["sigma_signal"], b.points["sigma_signal"])
    assert [dict(p) for p in a.parts] == [dict(p) for p in b.parts]


def test_an_empty_part_after_exclusion_has_no_runs_numbers():
    a = spc.analyze([1, 2, 3, 4], chart="run", parts=[2], exclude=[2, 3])
    rec = a.parts[1]
    assert rec["n_obs"] == 0 and rec["n_useful"] == 0
    assert rec["longest_run"] is None and rec["n_crossings_min"] is None
    assert rec["runs_signal"] is False
    assert np.isnan(a.points["cl"][2])
