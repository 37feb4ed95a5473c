"""Property tests: the fast rule engine agrees with a literal one, and its invariants hold.

The literal implementation (``_rules_reference.py``) follows SPC.md sentence by
sentence with Python loops; hypothesis feeds both the same series, with ties,
points on the CL, missing values, points without limits, varying limits and
several parts. The chunked path for long parts is exercised by shrinking the
chunk size so that short series cross many chunk boundaries.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from champion.spc import _rules
from champion.spc._rules import PERLA_RUNS, RULE_SETS, RULES, evaluate

# --- the literal reading of SPC.md -----------------------------------------------

Flags = list[bool]


def _nan(v: float) -> bool:
    return math.isnan(v)


def _segments_ok(n: int, good: Sequence[bool], k: int) -> list[tuple[int, int]]:
    """All windows [i, i+k) whose points all satisfy ``good``."""
    return [(i, i + k) for i in range(n - k + 1) if all(good[i : i + k])]


def _flag_windows(n: int, windows: list[tuple[int, int]]) -> Flags:
    out = [False] * n
    for a, b in windows:
        for i in range(a, b):
            out[i] = True
    return out


def _side(y: float, c: float) -> int:
    if _nan(y) or _nan(c):
        return 0
    return 1 if y > c else -1 if y < c else 0


def shift_strict(y: Sequence[float], cl: Sequence[float], k: int) -> Flags:
    n = len(y)
    s = [_side(y[i], cl[i]) for i in range(n)]
    wins = [(i, i + k) for i in range(n - k + 1)
            if s[i] != 0 and all(s[j] == s[i] for j in range(i, i + k))]  # fmt: skip
    return _flag_windows(n, wins)


def ihi_shift(y: Sequence[float], cl: Sequence[float]) -> Flags:
    n = len(y)
    kept = [i for i in range(n) if not (not _nan(y[i]) and y[i] == cl[i])]
    sides = [_side(y[i], cl[i]) for i in kept]
    out = [False] * n
    for a in range(len(kept) - 5):
        block = sides[a : a + 6]
        if block[0] != 0 and all(v == block[0] for v in block):
            for j in range(a, a + 6):
                out[kept[j]] = True
    return out


def trend_strict(y: Sequence[float], points: int) -> Flags:
    n = len(y)
    wins = []
    for i in range(n - points + 1):
        seg = y[i : i + points]
        if any(_nan(v) for v in seg):
            continue
        ups = all(seg[j + 1] > seg[j] for j in range(points - 1))
        downs = all(seg[j + 1] < seg[j] for j in range(points - 1))
        if ups or downs:
            wins.append((i, i + points))
    return _flag_windows(n, wins)


def ihi_trend(y: Sequence[float]) -> Flags:
    # Merge runs of equal (non-missing) neighbours into groups; a trend is five
    # consecutive groups each strictly beyond the previous; all members flagged.
    n = len(y)
    groups: list[list[int]] = []
    for i in range(n):
        if groups and not _nan(y[i]) and not _nan(y[i - 1]) and y[i] == y[i - 1]:
            groups[-1].append(i)
        else:
            groups.append([i])
    vals = [y[g[0]] for g in groups]
    out = [False] * n
    for a in range(len(groups) - 4):
        seg = vals[a : a + 5]
        if any(_nan(v) for v in seg):
            continue
        if all(seg[j + 1] > seg[j] for j in range(4)) or all(seg[j + 1] < seg[j] for j in range(4)):
            for g in groups[a : a + 5]:
                for i in g:
                    out[i] = True
    return out


def alternating(y: Sequence[float], points: int = 14) -> Flags:
    n = len(y)
    wins = []
    for i in range(n - points + 1):
        seg = y[i : i + points]
        if any(_nan(v) for v in seg):
            continue
        d = [seg[j + 1] - seg[j] for j in range(points - 1)]
        if all(v != 0 for v in d) and all((d[j] > 0) != (d[j + 1] > 0) for j in range(len(d) - 1)):
            wins.append((i, i + points))
    return _flag_windows(n, wins)


def beyond(y: float, c: float, s_hi: float, s_lo: float, k: float) -> int:
    """+1 / -1 when y is more than k sigma above / below the CL, else 0."""
    if _nan(y):
        return 0
    if not _nan(s_hi) and y > c + k * s_hi:
        return 1
    if not _nan(s_lo) and y < c - k * s_lo:
        return -1
    return 0


def m_of_k(y, cl, s_hi, s_lo, m: int, k: int, z: float) -> Flags:
    n = len(y)
    out = [False] * n
    for i in range(n - k + 1):
        idx = range(i, i + k)
        if any(_nan(y[j]) for j in idx):
            continue
        for sgn in (1, -1):
            hits = [j for j in idx if beyond(y[j], cl[j], s_hi[j], s_lo[j], z) == sgn]
            if len(hits) >= m:
                for j in hits:
                    out[j] = True
    return out


def within1_run(y, cl, s_hi, s_lo, k: int = 15) -> Flags:
    n = len(y)
    good = [
        not _nan(y[i]) and not _nan(s_hi[i]) and not _nan(s_lo[i])
        and cl[i] - s_lo[i] <= y[i] <= cl[i] + s_hi[i]
        for i in range(n)
    ]  # fmt: skip
    return _flag_windows(n, _segments_ok(n, good, k))


def beyond1_run(y, cl, s_hi, s_lo, k: int = 8) -> Flags:
    n = len(y)
    good = [beyond(y[i], cl[i], s_hi[i], s_lo[i], 1.0) != 0 for i in range(n)]
    return _flag_windows(n, _segments_ok(n, good, k))


def outside(y, ucl, lcl) -> Flags:
    return [bool(y[i] > ucl[i] or y[i] < lcl[i]) for i in range(len(y))]


def mdc_two_of_three(y, cl, ucl, lcl, u95, l95) -> Flags:
    n = len(y)
    out = [False] * n
    for i in range(n - 2):
        idx = range(i, i + 3)
        sides = [_side(y[j], cl[j]) for j in idx]
        if sides[0] == 0 or any(s != sides[0] for s in sides):
            continue
        if sides[0] > 0:
            near = [j for j in idx if u95[j] < y[j] < ucl[j]]
        else:
            near = [j for j in idx if lcl[j] < y[j] < l95[j]]
        if len(near) >= 2:
            for j in near:
                out[j] = True
    return out


def ihi_runs(n: int, run: Mapping[str, object] | None) -> Flags:
    if not run or run.get("n_crossings") is None:
        return [False] * n
    nu = int(run["n_useful"])  # type: ignore[call-overload]
    if nu not in PERLA_RUNS:
        return [False] * n
    r = int(run["n_crossings"]) + 1  # type: ignore[call-overload]
    lo, hi = PERLA_RUNS[nu]
    return [r < lo or r > hi] * n


def evaluate_part(name: str, chart: str, a: Mapping[str, np.ndarray], run) -> Flags:
    y, cl = a["y"].tolist(), a["cl"].tolist()
    ucl, lcl = a["ucl"].tolist(), a["lcl"].tolist()
    u95, l95 = a["ucl_95"].tolist(), a["lcl_95"].tolist()
    sh, sl = a["sigma_hi"].tolist(), a["sigma_lo"].tolist()
    n = len(y)
    zone = chart != "g"
    none = [False] * n
    table = {
        "ihi:shift": lambda: ihi_shift(y, cl),
        "ihi:trend": lambda: ihi_trend(y),
        "ihi:runs": lambda: ihi_runs(n, run) if chart != "mr" else none,
        "western-electric:1": lambda: outside(y, ucl, lcl),
        "western-electric:2": lambda: m_of_k(y, cl, sh, sl, 2, 3, 2.0) if zone else none,
        "western-electric:3": lambda: m_of_k(y, cl, sh, sl, 4, 5, 1.0) if zone else none,
        "western-electric:4": lambda: shift_strict(y, cl, 8),
        "nelson:1": lambda: outside(y, ucl, lcl),
        "nelson:2": lambda: shift_strict(y, cl, 9),
        "nelson:3": lambda: trend_strict(y, 6),
        "nelson:4": lambda: alternating(y, 14),
        "nelson:5": lambda: m_of_k(y, cl, sh, sl, 2, 3, 2.0) if zone else none,
        "nelson:6": lambda: m_of_k(y, cl, sh, sl, 4, 5, 1.0) if zone else none,
        "nelson:7": lambda: within1_run(y, cl, sh, sl) if zone else none,
        "nelson:8": lambda: beyond1_run(y, cl, sh, sl) if zone else none,
        "mdc:outside": lambda: outside(y, ucl, lcl),
        "mdc:shift": lambda: shift_strict(y, cl, 7),
        "mdc:trend": lambda: trend_strict(y, 7),
        "mdc:two_of_three": lambda: mdc_two_of_three(y, cl, ucl, lcl, u95, l95),
    }
    return table[name]()


def reference_evaluate(sets, *, chart, part_start, runs, **arrays) -> dict[str, np.ndarray]:
    n = arrays["y"].size
    starts = [*list(part_start), n]
    out: dict[str, np.ndarray] = {}
    for s in sets:
        for r in RULES[s]:
            name = f"{s}:{r}"
            col = np.zeros(n, dtype=bool)
            for i in range(len(starts) - 1):
                a, b = starts[i], starts[i + 1]
                sub = {k: v[a:b] for k, v in arrays.items()}
                col[a:b] = evaluate_part(name, chart, sub, runs[i] if i < len(runs) else None)
            out[name] = col
    return out


# --- the properties -------------------------------------------------------------

CHARTS = ("i", "run", "p", "g", "mr", "xbar")


@st.composite
def series(draw: Any, max_n: int = 70) -> dict[str, Any]:
    n = draw(st.integers(0, max_n))
    # Small integer values make ties, equal neighbours and points on the CL common.
    raw = draw(st.lists(st.one_of(st.integers(-4, 4), st.just(None)), min_size=n, max_size=n))
    y = np.array([np.nan if v is None else float(v) for v in raw])
    cuts = sorted(set(draw(st.lists(st.integers(1, max(1, n - 1)), max_size=3)))) if n > 1 else []
    starts = np.array([0, *[c for c in cuts if 0 < c < n]], dtype=np.int64)
    bounds = [*starts.tolist()[1:], n]
    cl = np.empty(n)
    s_hi = np.empty(n)
    s_lo = np.empty(n)
    varying = draw(st.booleans())
    for a, b in zip(starts.tolist(), bounds, strict=True):
        cl[a:b] = draw(st.sampled_from([0.0, 0.5, 1.0, -1.0]))
        if varying:
            s_hi[a:b] = draw(
                st.lists(st.sampled_from([0.5, 1.0, 1.5, np.nan]), min_size=b - a, max_size=b - a)
            )
        else:
            s_hi[a:b] = draw(st.sampled_from([0.5, 1.0, 1.5, np.nan]))
    s_lo[:] = s_hi
    if draw(st.booleans()):
        s_lo = s_lo * 0.75  # asymmetric zones, as a transformed or skewed chart has
    ucl = cl + 3 * s_hi
    lcl = cl - 3 * s_lo
    clip = draw(st.sampled_from([None, -1.0, -2.0]))
    if clip is not None:
        lcl = np.maximum(lcl, clip)  # limits clipped, zones not
    runs = [
        {
            "n_useful": draw(st.one_of(st.integers(0, 70), st.just(0))),
            "n_crossings": draw(st.one_of(st.integers(0, 69), st.none())),
        }
        for _ in range(starts.size)
    ]
    for r in runs:
        if r["n_useful"] == 0:
            r["n_crossings"] = None
    return {
        "y": y, "cl": cl, "ucl": ucl, "lcl": lcl, "ucl_95": cl + 2 * s_hi,
        "lcl_95": np.maximum(cl - 2 * s_lo, clip) if clip is not None else cl - 2 * s_lo,
        "sigma_hi": s_hi, "sigma_lo": s_lo, "part_start": starts, "runs": runs,
    }  # fmt: skip


def _fast(data: dict[str, Any], chart: str, sets: tuple[str, ...] = RULE_SETS, **kw: Any):
    return evaluate(sets, chart=chart, categorical=False, **data, **kw)


@settings(max_examples=300, deadline=None)
@given(data=series(), chart=st.sampled_from(CHARTS))
def test_engine_agrees_with_the_literal_reading_of_every_rule(data, chart):
    fast = _fast(data, chart)
    slow = reference_evaluate(RULE_SETS, chart=chart, **data)
    assert list(fast) == list(slow)
    for name in slow:
        np.testing.assert_array_equal(fast[name], slow[name], err_msg=name)


@contextmanager
def _chunk_size(size: int) -> Iterator[None]:
    old = _rules._CHUNK
    _rules._CHUNK = size
    try:
        yield
    finally:
        _rules._CHUNK = old


@settings(max_examples=120, deadline=None)
@given(data=series(max_n=140), chunk=st.integers(1, 40))
def test_chunked_long_parts_give_the_same_flags(data, chunk):
    whole = _fast(data, "i")
    with _chunk_size(chunk):
        chunked = _fast(data, "i")
    for name in whole:
        np.testing.assert_array_equal(chunked[name], whole[name], err_msg=name)


def test_long_parts_skip_points_on_the_cl_and_merge_repeats_for_ihi_as_short_ones():
    # Long parts are evaluated on packed flags, where a point on the CL breaks a
    # run and an equal neighbour breaks a trend; ihi's shift and trend skip them,
    # so a long part with such points must still get ihi's answer.
    n = 400
    y = np.tile([1.0, -1.0], n // 2)
    y[100:106] = [1, 2, 2, 3, 4, 5]  # 5 distinct rising values, one repeated
    y[106:108] = [-1, 1]
    y[300:307] = [1, 1, 1, 0, 1, 1, 1]  # 6 above the CL, one on it in between
    cl = np.zeros(n)
    sigma = np.full(n, 2.0)
    data = {
        "y": y, "cl": cl, "ucl": cl + 3 * sigma, "lcl": cl - 3 * sigma, "ucl_95": cl + 2 * sigma,
        "lcl_95": cl - 2 * sigma, "sigma_hi": sigma, "sigma_lo": sigma,
        "part_start": np.array([0]), "runs": [{"n_useful": n, "n_crossings": n - 1}],
    }  # fmt: skip
    whole = _fast(data, "i", ("ihi",))
    assert np.flatnonzero(whole["ihi:trend"]).tolist() == list(range(99, 106))
    shift = np.flatnonzero(whole["ihi:shift"]).tolist()
    assert shift == [*range(100, 106), 300, 301, 302, 304, 305, 306]
    with _chunk_size(16):
        packed = _fast(data, "i", ("ihi",))
    for name in whole:
        np.testing.assert_array_equal(packed[name], whole[name], err_msg=name)


@settings(max_examples=150, deadline=None)
@given(data=series())
def test_a_concatenation_of_parts_is_evaluated_part_by_part(data):
    whole = _fast(data, "i")
    starts = [*data["part_start"].tolist(), data["y"].size]
    keys = ("y", "cl", "ucl", "lcl", "ucl_95", "lcl_95", "sigma_hi", "sigma_lo")
    for i in range(len(starts) - 1):
        a, b = starts[i], starts[i + 1]
        one = {k: data[k][a:b] for k in keys}
        alone = evaluate(
            RULE_SETS, chart="i", categorical=False, part_start=np.array([0]),
            runs=[data["runs"][i]], **one,
        )  # fmt: skip
        for name in whole:
            np.testing.assert_array_equal(whole[name][a:b], alone[name], err_msg=name)


@settings(max_examples=150, deadline=None)
@given(data=series())
def test_mirroring_the_series_about_the_cl_gives_the_same_flags(data):
    mirrored = dict(data)
    cl = data["cl"]
    mirrored["y"] = 2 * cl - data["y"]
    mirrored["ucl"], mirrored["lcl"] = 2 * cl - data["lcl"], 2 * cl - data["ucl"]
    mirrored["ucl_95"], mirrored["lcl_95"] = 2 * cl - data["lcl_95"], 2 * cl - data["ucl_95"]
    mirrored["sigma_hi"], mirrored["sigma_lo"] = data["sigma_lo"], data["sigma_hi"]
    a, b = _fast(data, "i"), _fast(mirrored, "i")
    for name in a:
        np.testing.assert_array_equal(a[name], b[name], err_msg=name)


@settings(max_examples=100, deadline=None)
@given(data=series())
def test_no_pattern_rule_spans_a_part_boundary(data):
    # Replacing a whole part by missing values cannot change any other part.
    starts = [*data["part_start"].tolist(), data["y"].size]
    if len(starts) < 3:
        return
    blanked = dict(data)
    blanked["y"] = data["y"].copy()
    blanked["y"][starts[0] : starts[1]] = np.nan
    a, b = _fast(data, "i"), _fast(blanked, "i")
    for name in a:
        np.testing.assert_array_equal(a[name][starts[1] :], b[name][starts[1] :], err_msg=name)


@settings(max_examples=60, deadline=None)
@given(data=series())
def test_categorical_x_keeps_only_the_single_point_rules(data):
    cat = evaluate(RULE_SETS, chart="i", categorical=True, **data)
    plain = _fast(data, "i")
    for name, col in cat.items():
        if name in ("western-electric:1", "nelson:1", "mdc:outside"):
            np.testing.assert_array_equal(col, plain[name])
        else:
            assert not col.any(), name


def test_columns_come_in_set_then_rule_order_and_only_for_requested_sets():
    data = {
        "y": np.arange(5.0), "cl": np.full(5, 2.0), "ucl": np.full(5, 5.0),
        "lcl": np.full(5, -1.0), "ucl_95": np.full(5, 4.0), "lcl_95": np.full(5, 0.0),
        "sigma_hi": np.ones(5), "sigma_lo": np.ones(5), "part_start": np.array([0]),
        "runs": [{"n_useful": 4, "n_crossings": 0}],
    }  # fmt: skip
    out = evaluate(("mdc", "ihi"), chart="i", categorical=False, **data)
    assert list(out) == [f"mdc:{r}" for r in RULES["mdc"]] + [f"ihi:{r}" for r in RULES["ihi"]]
    assert all(v.dtype == bool and v.shape == (5,) for v in out.values())
    assert evaluate((), chart="i", categorical=False, **data) == {}
