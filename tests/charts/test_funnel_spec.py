"""The funnel plot's spec: its limits' curve is sent compactly and draws the same lines."""

from __future__ import annotations

import copy
import json
import re

from champion import spc
from champion.charts import export, funnel_spec

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


def _long_rows(curve):
    """The curve as it was sent before: a row per point and line, at full precision."""
    rows = []
    for level in ("95", "99.8"):
        for side in ("lower", "upper"):
            values = curve.get(f"{side}_{level}")
            if values is None:
                continue
            rows += [
                {"n": n, "limit": v, "line": f"{level} % limits", "side": side}
                for n, v in zip(curve["n"], values, strict=True)
                if v is not None
            ]
    return rows


def _paths(svg: bytes) -> list[list[float]]:
    """Each drawn path's coordinates."""
    return [
        [float(x) for x in NUMBER.findall(d)] for d in re.findall(r' d="([^"]+)"', svg.decode())
    ]


def _same_drawing(a: bytes, b: bytes) -> None:
    # Sorted: lines are drawn in the order their first point appears in the data, which only
    # differs where a line's first limit is missing (the lines never cross).
    paths_a, paths_b = sorted(_paths(a)), sorted(_paths(b))
    assert len(paths_a) == len(paths_b)
    for one, other in zip(paths_a, paths_b, strict=True):
        assert len(one) == len(other)
        assert max((abs(x - y) for x, y in zip(one, other, strict=True)), default=0) < 0.01


def test_the_compact_curve_draws_the_same_limits_as_a_row_per_point():
    result = spc.funnel([3, 30, 5, 60, 41, 2], [40, 200, 80, 300, 260, 15], curve_points=100)
    spec = funnel_spec(result, title="Falls", improvement="down")
    before = copy.deepcopy(spec)
    before["datasets"]["curve"] = _long_rows(result.to_dict()["curve"])
    del before["layer"][0]["transform"]
    _same_drawing(export(spec, "svg"), export(before, "svg"))
    # Four lines: a row per denominator, a quarter of the rows, far fewer bytes.
    assert len(spec["datasets"]["curve"]) == len(result.to_dict()["curve"]["n"])
    compact = len(json.dumps(spec["datasets"]["curve"]))
    assert compact < len(json.dumps(before["datasets"]["curve"])) / 3


def test_a_missing_limit_is_left_out_of_its_line_as_before():
    result = spc.funnel([3, 30, 5, 60], [40, 200, 80, 300]).to_dict()
    result["curve"]["lower_99.8"] = [
        None if i < 10 else v for i, v in enumerate(result["curve"]["lower_99.8"])
    ]
    result["curve"]["upper_95"] = None  # a line the engine did not give at all
    spec = funnel_spec(result)
    assert "l998" not in spec["datasets"]["curve"][0]
    assert all("u95" not in row for row in spec["datasets"]["curve"])
    before = copy.deepcopy(spec)
    before["datasets"]["curve"] = _long_rows(result["curve"])
    del before["layer"][0]["transform"]
    _same_drawing(export(spec, "svg"), export(before, "svg"))
