"""Compact chart specs draw exactly what the full ones drew (issue 15, the chart page's size).

A spec sends the centre line and limits as the ends of each run of equal values, and each
point's shared words once; the reference (`drawn.as_before`) is the same chart sent as
before, a row per point per line with every word in each point's row. Both are drawn by
vl-convert, and their drawings, their pixels, their tooltips and what a screen reader
hears of each point must be the same.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image
from tests.charts.drawn import as_before, geometry, svg, tooltip_fields, vertices, words

from champion import spc
from champion.charts import export, sparkline_spec, spc_spec


def _weeks(n: int) -> list[dt.date]:
    return [dt.date(2024, 1, 1) + dt.timedelta(weeks=k) for k in range(n)]


def _months(n: int) -> list[dt.date]:
    return [dt.date(2023 + k // 12, k % 12 + 1, 1) for k in range(n)]


def _wave(n: int, base: float, amp: float) -> list[float]:
    return [round(base + amp * math.sin(k * 1.7 + 1) + (k * 7 % 5) * amp / 5, 2) for k in range(n)]


def _shifted() -> list[float]:
    y = _wave(60, 40, 4)
    y = y[:30] + [v - 8 for v in y[30:]]
    y[12] = 60.0  # above the upper limit
    return y


#: Denominators in runs (equal n: a flat stretch of a stepped limit) and alone.
_NS = [100] * 5 + [60] * 3 + [150, 80, 200, 120] + [90] * 6 + [50, 75, 110, 130] * 3 + [100] * 10
_EVENTS = [round(n * (0.12 if k < 20 else 0.07)) + (k % 3) - 1 for k, n in enumerate(_NS)]


def _subgroup_chart(chart: str) -> spc.Analysis:
    """Five measurements a week for 25 weeks, higher from week 17."""
    xs, ys = [], []
    for k, day in enumerate(_weeks(25)):
        for j in range(5):
            xs.append(day)
            ys.append(20.0 + (k * 3 + j * 7) % 6 + (4 if k > 15 else 0))
    return spc.analyze(y=ys, x=xs, chart=chart)


def _excluded() -> list[float]:
    y = _wave(36, 20, 3)
    y[5] = 40.0
    return y


Case = tuple[spc.Analysis, dict[str, Any]]


def _shift_and_phases() -> Case:
    """A shift, two phases, the mdc rules, a target, 2-sigma lines, notes in and out of range."""
    result = spc.analyze(y=_shifted(), x=_weeks(60), chart="i", parts=[30], rules=("anhoej", "mdc"))
    notes = [(_weeks(60)[30], "New triage"), (dt.date(2020, 1, 1), "Old")]
    return result, {"improvement": "down", "show_95": True, "target": 35, "annotations": notes}


def _frozen() -> Case:
    return spc.analyze(y=_shifted(), x=_weeks(60), chart="i", freeze=20), {"improvement": "down"}


def _denominators(chart: str, **options: Any) -> Callable[[], Case]:
    def case() -> Case:
        events = [max(0, e - 5) for e in _EVENTS] if chart == "u" else _EVENTS
        parts = [20] if chart == "p" else None
        return spc.analyze(y=events, n=_NS, x=_weeks(len(_NS)), chart=chart, parts=parts), options

    return case


def _wards() -> Case:
    y = [5.0, 3, 6, 7, 8, 8.5, 7.5, 9, 6.2, 8.8, 7.1, 4, 3.5, 4.5]
    wards = [f"Ward {chr(65 + k)}" for k in range(14)]
    # A note on a ward without data goes after the others, as before.
    notes = [("Ward C", "Change"), ("Ward Z", "Elsewhere")]
    return spc.analyze(y=y, x=wards, chart="run"), {"annotations": notes}


def _run_in_parts() -> Case:
    return spc.analyze(y=_wave(30, 10, 2), x=_weeks(30), chart="run", parts=[15]), {}


def _excluded_and_notes() -> Case:
    notes = [
        (dt.date(2023, 6, 1), "PDSA 1"),
        (dt.date(2023, 7, 1), "PDSA 2"),
        (dt.date(2024, 9, 1), "Spread"),
        (dt.date(2030, 1, 1), "Later"),
    ]
    result = spc.analyze(y=_excluded(), x=_months(36), chart="i", exclude=[5, 20])
    return result, {"annotations": notes}


def _moving_range() -> Case:
    result = spc.analyze(y=_shifted(), x=_weeks(60), chart="mr", parts=[30])
    return result, {"title": "Moving range"}


CASES: dict[str, Callable[[], Case]] = {
    "i chart with a shift and phases": _shift_and_phases,
    "i chart from a frozen baseline": _frozen,
    "p chart with varying denominators": _denominators(
        "p", percent=True, show_95=True, improvement="down"
    ),
    "u chart with varying denominators": _denominators("u", show_95=True),
    "np chart (a stepped centre line)": _denominators("np"),
    "run chart over wards": _wards,
    "run chart in two parts": _run_in_parts,
    "X-bar chart": lambda: (_subgroup_chart("xbar"), {"show_95": True}),
    "S chart": lambda: (_subgroup_chart("s"), {}),
    "excluded points and crowded notes": _excluded_and_notes,
    "moving-range chart": _moving_range,
}


@pytest.fixture(params=list(CASES), scope="module")
def case(request) -> tuple[spc.Analysis, dict[str, Any], dict[str, Any], dict[str, Any]]:
    analysis, options = CASES[request.param]()
    spec = spc_spec(analysis, **options)
    return analysis, options, spec, as_before(spec, analysis)


def _pixels(spec: dict[str, Any]) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(export(spec, "png"))).convert("RGBA"))


def test_the_compact_spec_draws_the_same_chart(case):
    _analysis, _options, spec, before = case
    assert geometry(svg(spec)) == geometry(svg(before))
    assert np.array_equal(_pixels(spec), _pixels(before))


def test_the_compact_spec_is_smaller_and_its_lines_have_fewer_vertices(case):
    _analysis, _options, spec, before = case
    assert len(json.dumps(spec)) < len(json.dumps(before))
    assert len(spec["datasets"]["lines"]) < len(before["datasets"]["lines"])
    drawing, drawn_before = svg(spec), svg(before)
    for name in ("limits", "centre_line"):
        if f"{name}_marks" in drawing:
            assert vertices(drawing, name) <= vertices(drawn_before, name)
    assert vertices(drawing, "centre_line") < vertices(drawn_before, "centre_line")


def test_every_tooltip_and_description_says_the_same(case):
    _analysis, _options, spec, before = case
    fields = [*tooltip_fields(spec), "aria_text"]
    for field in fields:
        assert words(spec, field) == words(before, field), field
    # Every point with a value is drawn and described (a moving range has none at a part's
    # first point).
    drawn = [p for p in spec["datasets"]["points"] if p["y"] is not None]
    assert len(words(spec, "aria_text")) == len(drawn)


def test_the_sparkline_draws_the_same(case):
    analysis, options, _spec, _before = case
    spark = sparkline_spec(analysis, improvement=options.get("improvement"))
    assert geometry(svg(spark)) == geometry(svg(as_before(spark, analysis)))


def test_a_constant_line_is_two_rows_a_path_however_many_points():
    def rows(n: int) -> list[dict[str, Any]]:
        result = spc.analyze(y=_wave(n, 40, 4), x=_weeks(n), chart="i", parts=[n // 2])
        return spc_spec(result, show_95=True)["datasets"]["lines"]

    # Five lines (CL, the limits, the 2-sigma lines) in two parts: the ends of ten paths.
    assert len(rows(30)) == len(rows(300)) == 5 * 2 * 2


def test_a_stepped_limit_keeps_the_ends_of_each_run_of_equal_values():
    spec = spc_spec(CASES["p chart with varying denominators"]()[0])
    ucl = [r for r in spec["datasets"]["lines"] if r["series"] == "ucl"]
    weeks = [d.isoformat() for d in _weeks(len(_NS))]
    kept = {r["x"] for r in ucl}
    # The run of five n=100 at the start: its ends only; a lone n=150 is kept.
    assert weeks[0] in kept and weeks[4] in kept
    assert not {weeks[1], weeks[2], weeks[3]} & kept
    assert weeks[8] in kept
    assert len(ucl) < len(_NS)


def test_an_excluded_point_says_so_in_its_tooltip_and_is_hollow():
    analysis, options = CASES["excluded points and crowded notes"]()
    spec = spc_spec(analysis, **options)
    signal = words(spec, "reason_text")
    assert signal[5].endswith(" (excluded from the calculations)")
    assert signal[20].endswith(" (excluded from the calculations)")
    assert [p.get("excluded", False) for p in spec["datasets"]["points"]].count(True) == 2
