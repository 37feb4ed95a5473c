"""Invariants of the engine, checked on generated data with Hypothesis."""

import json
import warnings

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from champion import spc

# A local settings object, so other test modules keep their own Hypothesis profile.
SPC = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

LIMITS = ("cl", "lcl", "ucl", "lcl_95", "ucl_95")
finite = st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)
ints = st.integers(-1000, 1000)
series = st.lists(ints.map(float), min_size=3, max_size=40)
maybe_missing = st.lists(st.one_of(ints.map(float), st.none()), min_size=3, max_size=40)


def close(a, b, **kw):
    np.testing.assert_allclose(np.asarray(a, float), np.asarray(b, float), **kw)


@SPC
@given(series)
def test_i_chart_limits_are_symmetric_about_the_cl(y):
    a = spc.analyze(y, chart="i")
    p = a.points
    close(p["ucl"] - p["cl"], p["cl"] - p["lcl"], rtol=1e-9, atol=1e-9)
    close(p["ucl_95"] - p["cl"], p["cl"] - p["lcl_95"], rtol=1e-9, atol=1e-9)


@SPC
@given(st.lists(st.lists(ints.map(float), min_size=2, max_size=6), min_size=2, max_size=15))
def test_xbar_limits_are_symmetric_about_the_cl(groups):
    y = [v for g in groups for v in g]
    x = [i for i, g in enumerate(groups) for _ in g]
    p = spc.analyze(y, x=x, chart="xbar").points
    close(p["ucl"] - p["cl"], p["cl"] - p["lcl"], rtol=1e-9, atol=1e-6)


@SPC
@given(series, st.integers(-10_000, 10_000), st.sampled_from(["i", "run"]))
def test_a_constant_shift_moves_cl_and_limits(y, c, chart):
    a = spc.analyze(y, chart=chart)
    b = spc.analyze([v + c for v in y], chart=chart)
    for col in LIMITS:
        close(np.asarray(b.points[col]) - c, a.points[col], atol=1e-6)


@SPC
@given(st.lists(st.lists(ints.map(float), min_size=2, max_size=5), min_size=2, max_size=10),
       st.integers(-1000, 1000))  # fmt: skip
def test_a_constant_shift_moves_the_xbar_chart(groups, c):
    y = np.array([v for g in groups for v in g])
    x = [i for i, g in enumerate(groups) for _ in g]
    a = spc.analyze(y, x=x, chart="xbar")
    b = spc.analyze(y + c, x=x, chart="xbar")
    for col in LIMITS:
        close(np.asarray(b.points[col]) - c, a.points[col], atol=1e-6)


@SPC
@given(maybe_missing, st.floats(0.001, 1e4), st.sampled_from(["run", "i", "mr", "c", "g", "t"]))
def test_multiply_scales_y_cl_and_limits(y, m, chart):
    if chart in ("c", "g"):
        y = [None if v is None else abs(v) for v in y]
    if chart == "t":
        y = [None if v is None else abs(v) + 1 for v in y]
    if all(v is None for v in y):
        return
    a = spc.analyze(y, chart=chart)
    b = spc.analyze(y, chart=chart, multiply=m)
    for col in ("y", *LIMITS):
        close(b.points[col], np.asarray(a.points[col]) * m, rtol=1e-9, atol=1e-9)


@SPC
@given(st.lists(st.tuples(st.integers(0, 6), ints), min_size=3, max_size=40), st.randoms(),
       st.sampled_from(["run", "i", "mr", "xbar", "s", "r", "ip"]),
       st.sampled_from(["mean", "median", "sum"]))  # fmt: skip
def test_permuting_rows_that_share_an_x_changes_nothing(rows, rnd, chart, agg):
    x = [r[0] for r in rows]
    y = [float(r[1]) for r in rows]
    if chart in ("xbar", "s", "r") and len(set(x)) == len(x):
        return
    order = list(range(len(rows)))
    rnd.shuffle(order)
    a = spc.analyze(y, x=x, chart=chart, agg=agg, rules=("nelson",))
    b = spc.analyze([y[i] for i in order], x=[x[i] for i in order], chart=chart, agg=agg,
                    rules=("nelson",))  # fmt: skip
    for col in a.points:
        close(b.points[col], a.points[col], rtol=1e-12, atol=1e-9)
    assert [dict(p) for p in a.parts] == [dict(p) for p in b.parts]


@SPC
@given(maybe_missing, st.data(), st.sampled_from(["run", "i", "mr", "c", "t", "g"]))
def test_parts_are_computed_independently(y, data, chart):
    if chart in ("c", "g"):
        y = [None if v is None else abs(v) for v in y]
    if chart == "t":
        y = [None if v is None else abs(v) + 1 for v in y]
    k = data.draw(st.integers(1, len(y) - 1))
    if all(v is None for v in y[:k]) or all(v is None for v in y[k:]):
        return
    whole = spc.analyze(y, chart=chart, parts=[k])
    first = spc.analyze(y[:k], chart=chart)
    second = spc.analyze(y[k:], chart=chart)
    for col in ("y", *LIMITS, "sigma_signal", "runs_signal"):
        close(whole.points[col][:k], first.points[col], rtol=1e-12)
        close(whole.points[col][k:], second.points[col], rtol=1e-12)
    assert dict(whole.parts[0]) == dict(first.parts[0])
    assert {**whole.parts[1], "part": 1} == dict(second.parts[0])


@SPC
@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 50)), min_size=2, max_size=30),
       st.sampled_from(["p", "np", "u", "pp", "up", "ip"]), st.data())  # fmt: skip
def test_parts_are_independent_for_charts_with_denominators(rows, chart, data):
    n = [float(max(a, b)) for a, b in rows]
    y = [float(min(a, b)) for a, b in rows]
    k = data.draw(st.integers(1, len(y) - 1))
    whole = spc.analyze(y, n=n, chart=chart, parts=[k])
    second = spc.analyze(y[k:], n=n[k:], chart=chart)
    for col in ("y", *LIMITS):
        # atol too: a limit that should be 0 can come out as 2e-16 when sums run in another
        # order (a pp chart's LCL), and no relative tolerance accepts that next to an exact 0.
        close(whole.points[col][k:], second.points[col], rtol=1e-12, atol=1e-12)


CHART_INPUTS = st.sampled_from(["run", "i", "mr", "xbar", "r", "s", "t", "p", "np", "c", "u",
                                "pp", "up", "g", "ip"])  # fmt: skip


@SPC
@given(st.lists(st.tuples(st.integers(0, 8), st.one_of(st.none(), st.integers(0, 30)),
                          st.integers(1, 40)), min_size=2, max_size=30),
       CHART_INPUTS, st.booleans(), st.data())  # fmt: skip
def test_any_valid_input_gives_json_and_no_numpy_warning(rows, chart, freeze, data):
    x = [r[0] for r in rows]
    y = [None if r[1] is None else float(min(r[1], r[2]) + (chart == "t")) for r in rows]
    n = [float(r[2] + 1) for r in rows]
    kw = {}
    if chart in ("p", "np", "u", "pp", "up", "ip"):
        kw["n"] = n
    if chart in ("xbar", "r", "s") and len(set(x)) == len(x):
        return
    if all(v is None for v in y):
        return
    size = len(set(x))
    if freeze and size > 1:
        kw["freeze"] = data.draw(st.integers(1, size))
    if size > 2 and data.draw(st.booleans()):
        kw["exclude"] = [data.draw(st.integers(0, size - 1))]
    rules = ("anhoej", "ihi", "western-electric", "nelson", "mdc")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            a = spc.analyze(y, x=x, chart=chart, rules=rules, improvement="down", target=3, **kw)
        except spc.SPCError as e:  # only the documented refusals
            assert "several values" in str(e) or "no values" in str(e)
            return
        d = a.to_dict()
    json.dumps(d, allow_nan=False)
    assert len(d["points"]["y"]) == size
