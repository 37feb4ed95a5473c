"""The SPC chart spec: layers, encodings, signals and accessibility."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tests.charts.drawn import words

from champion import charts
from champion.charts import PALETTE, ChartError, contrast_ratio, spc_spec


def layer(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found = [lay for lay in spec["layer"] if lay.get("name") == name]
    assert found, f"no layer {name!r} in {[lay.get('name') for lay in spec['layer']]}"
    return found[0]


def names(spec: dict[str, Any]) -> list[str]:
    return [lay.get("name") for lay in spec["layer"]]


def test_spec_is_vega_lite_v5_and_json_serialisable(i_chart):
    spec = spc_spec(i_chart)
    assert spec["$schema"].endswith("/vega-lite/v6.json")
    json.dumps(spec, allow_nan=False)


def test_run_chart_has_centre_line_but_no_limits(run_chart):
    spec = spc_spec(run_chart)
    assert "limits" not in names(spec)
    assert "sigma2_lines" not in names(spec)
    assert {row["series"] for row in spec["datasets"]["lines"]} == {"cl"}


def test_i_chart_draws_limits_centre_line_data_line_and_points(i_chart):
    spec = spc_spec(i_chart)
    assert names(spec)[:4] == ["limits", "centre_line", "data_line", "points"]
    limits = layer(spec, "limits")
    assert limits["transform"][0]["filter"]["oneOf"] == ["ucl", "lcl"]
    # constant limits are straight lines, not steps
    assert limits["mark"]["interpolate"] == "linear"
    assert layer(spec, "data_line")["encoding"]["y"]["field"] == "y"


def test_two_sigma_lines_only_when_asked(i_chart):
    assert "sigma2_lines" not in names(spc_spec(i_chart))
    spec = spc_spec(i_chart, show_95=True)
    assert layer(spec, "sigma2_lines")["transform"][0]["filter"]["oneOf"] == ["ucl_95", "lcl_95"]


def test_date_x_is_a_utc_temporal_axis(i_chart):
    x = layer(spc_spec(i_chart), "points")["encoding"]["x"]
    assert x["type"] == "temporal"
    assert x["scale"]["type"] == "utc"
    assert x["axis"]["format"] == "%b %Y"  # monthly data reads as months


def test_text_x_is_ordinal_in_the_engine_order(run_chart):
    x = layer(spc_spec(run_chart), "points")["encoding"]["x"]
    assert x["type"] == "ordinal"
    assert x["sort"] is None


def test_numeric_x_is_quantitative(p_chart):
    assert layer(spc_spec(p_chart), "points")["encoding"]["x"]["type"] == "quantitative"


def test_varying_limits_are_step_lines_and_never_joined_across_parts(p_chart):
    spec = spc_spec(p_chart)
    limits = layer(spec, "limits")
    assert limits["mark"]["interpolate"] == "step"
    assert {"field": "part"} in limits["encoding"]["detail"]
    rows = [r for r in spec["datasets"]["lines"] if r["series"] == "ucl"]
    assert [r["part"] for r in rows] == p_chart["points"]["part"]
    # the centre line is constant within each part, so it stays a plain line
    assert layer(spec, "centre_line")["mark"]["interpolate"] == "linear"


def test_varying_centre_line_is_a_step_line(p_chart):
    p_chart["chart"] = "np"
    p_chart["points"]["cl"] = [
        c * n for c, n in zip(p_chart["points"]["cl"], p_chart["points"]["n"], strict=True)
    ]
    assert layer(spc_spec(p_chart), "centre_line")["mark"]["interpolate"] == "step"


def test_frozen_baseline_centre_line_is_dashed_where_extended(i_chart):
    i_chart["points"]["baseline"] = [True] * 12 + [False] * 8
    rows = [r for r in spc_spec(i_chart)["datasets"]["lines"] if r["series"] == "cl"]
    extension = [r["x"] for r in rows if r["segment"] == "extension"]
    baseline = [r["x"] for r in rows if r["segment"] == "baseline"]
    # From the last baseline point, so both segments meet, to the last point (a constant
    # line is sent as its ends).
    x = i_chart["points"]["x"]
    assert (baseline[0], baseline[-1]) == (x[0], x[11])
    assert (extension[0], extension[-1]) == (x[11], x[19])
    dash = layer(spc_spec(i_chart), "centre_line")["encoding"]["strokeDash"]
    assert dash["scale"]["domain"] == ["baseline", "extension"]


def test_signal_points_are_coloured_by_meaning_with_improvement_known(i_chart):
    spec = spc_spec(i_chart, improvement="down")
    rows = spec["datasets"]["points"]
    assert rows[7]["category"] == "Special cause: concern"  # above the UCL, up is worse
    assert rows[13]["category"] == "Special cause: improvement"  # the shift down
    assert rows[0]["category"] == "Common cause"
    fill = layer(spec, "points")["encoding"]["fill"]
    mapping = dict(zip(fill["scale"]["domain"], fill["scale"]["range"], strict=True))
    assert mapping["Special cause: concern"] == PALETTE["concern"]
    assert mapping["Special cause: improvement"] == PALETTE["improvement"]
    assert mapping["Common cause"] == PALETTE["common_cause"]


def test_without_improvement_direction_signals_are_neutral(i_chart):
    rows = spc_spec(i_chart)["datasets"]["points"]
    assert rows[7]["category"] == rows[13]["category"] == "Special cause"


def test_signals_differ_by_shape_and_size_not_colour_alone(i_chart):
    enc = layer(spc_spec(i_chart, improvement="up"), "points")["encoding"]
    shapes = enc["shape"]["scale"]["range"]
    assert len(set(shapes)) == len(shapes) == len(enc["shape"]["scale"]["domain"])
    assert enc["size"]["condition"]["value"] > enc["size"]["value"]


def test_tooltip_has_x_y_centre_limits_and_reason(i_chart):
    spec = spc_spec(i_chart, y_label="Falls")
    fields = [t["field"] for t in layer(spec, "points")["encoding"]["tooltip"]]
    assert fields == ["x_text", "y_text", "cl_text", "limits_text", "reason_text"]
    row = spec["datasets"]["points"][7]
    assert row["x_text"] == "Aug 2024"
    assert row["y_text"] == "17"
    assert words(spec, "limits_text")[7] == "5 to 15"
    signal = words(spec, "reason_text")
    assert signal[7] == "Above the upper control limit"
    assert signal[0] == "None (common cause)"


def test_denominator_and_part_in_tooltip_when_present(p_chart):
    fields = [t["field"] for t in layer(spc_spec(p_chart), "points")["encoding"]["tooltip"]]
    assert "n_text" in fields
    assert "part" in fields


def test_percent_formats_axis_and_tooltips(p_chart):
    spec = spc_spec(p_chart, percent=True)
    assert layer(spec, "points")["encoding"]["y"]["axis"]["format"] == ".0%"
    assert spec["datasets"]["points"][0]["y_text"] == "12.0%"


def test_annotations_are_numbered_rules_listed_under_the_chart(i_chart):
    spec = spc_spec(
        i_chart,
        annotations=[
            {"x": "2025-01-01", "text": "New bed policy"},
            ("2024-06-01", "Hourly rounding"),
        ],
    )
    notes = layer(spec, "annotations")
    marks = [sub["mark"]["type"] for sub in notes["layer"]]
    assert marks == ["rule", "circle", "text", "text"]
    rows = spec["datasets"]["annotations"]
    # Numbered in x order, whatever order they came in; the list says when and what.
    assert [(r["x"], r["number"]) for r in rows] == [("2024-06-01", "1"), ("2025-01-01", "2")]
    assert [r["line"] for r in rows] == [
        "(1) Jun 2024: Hourly rounding",
        "(2) Jan 2025: New bed policy",
    ]
    # Far apart: both markers on the first row, just above the plot; the list lines
    # sit under the x axis, one per note.
    assert [r["row"] for r in rows] == [0, 0]
    assert rows[1]["list_y"] - rows[0]["list_y"] > 0 and rows[0]["list_y"] > spec["height"]
    assert "Note (1) Jun 2024: Hourly rounding." in spec["description"]


def test_annotations_outside_the_data_are_listed_not_drawn(i_chart):
    """A note years before the first point must not stretch the axis: it is listed
    under the chart ("Before this chart's data"), with no rule or marker."""
    spec = spc_spec(
        i_chart,
        annotations=[
            ("2022-03-01", "PDSA 1: Old idea"),
            ("2024-06-01", "Hourly rounding"),
            ("2026-02-01", "Planned spread"),
        ],
    )
    drawn = spec["datasets"]["annotations"]
    assert [(r["x"], r["number"]) for r in drawn] == [("2024-06-01", "1")]
    lines = [r["line"] for r in spec["datasets"]["note_lines"]]
    assert lines == [
        "(1) Jun 2024: Hourly rounding",
        "Before this chart's data: Mar 2022: PDSA 1: Old idea",
        "After this chart's data: Feb 2026: Planned spread",
    ]
    # The rule and markers read only the drawn notes: the x scale never sees 2022 or 2026.
    notes = layer(spec, "annotations")
    for sub in notes["layer"]:
        if "x" in sub.get("encoding", {}):
            assert sub["data"] == {"name": "annotations"}
    assert "Before this chart's data: Mar 2022" in spec["description"]
    # The legend sits below the list of notes (3 lines), not over it.
    assert spec["config"]["legend"]["offset"] >= 3 * 15


def test_only_notes_outside_the_data_draw_no_rule(i_chart):
    spec = spc_spec(i_chart, annotations=[("2020-01-01", "Long ago")])
    assert "annotations" not in spec["datasets"]
    marks = [sub["mark"]["type"] for sub in layer(spec, "annotations")["layer"]]
    assert marks == ["text"]
    assert spec["datasets"]["note_lines"][0]["line"] == (
        "Before this chart's data: Jan 2020: Long ago"
    )


def test_crowded_annotations_stack_their_markers(i_chart):
    spec = spc_spec(
        i_chart,
        annotations=[
            ("2024-06-01", "PDSA 1"),
            ("2024-06-05", "PDSA 2"),
            ("2024-06-09", "PDSA 3"),
            ("2025-06-01", "Spread"),
        ],
    )
    rows = spec["datasets"]["annotations"]
    assert [r["row"] for r in rows] == [0, 1, 2, 0]
    assert len({r["marker_y"] for r in rows[:3]}) == 3


def test_bad_annotation_is_a_clear_error(i_chart):
    with pytest.raises(ChartError, match="annotation"):
        spc_spec(i_chart, annotations=["just text"])


def test_title_subtitle_and_accessible_description(i_chart):
    spec = spc_spec(i_chart, title="Falls", subtitle="Ward 7")
    assert spec["title"] == {"text": "Falls", "subtitle": "Ward 7"}
    assert "Falls" in spec["description"]
    assert "20 points" in spec["description"]
    assert "special cause" in spec["description"]


def test_default_title_names_the_chart(p_chart):
    assert spc_spec(p_chart)["title"]["text"] == "P chart (proportions)"


def test_runs_signal_highlights_the_centre_line(run_chart):
    spec = spc_spec(run_chart)
    colour = layer(spec, "centre_line")["encoding"]["color"]
    assert colour["condition"]["test"] == "datum.runs_signal"
    assert all(r["runs_signal"] for r in spec["datasets"]["lines"])


def test_excluded_points_are_hollow_and_say_so(i_chart):
    i_chart["points"]["include"][3] = False
    spec = spc_spec(i_chart)
    assert layer(spec, "points")["encoding"]["fill"]["condition"]["test"] == "datum.excluded"
    assert spec["datasets"]["points"][3]["excluded"] is True
    assert "excluded" in words(spec, "reason_text")[3]


def test_theme_overrides_merge_into_config(i_chart):
    spec = spc_spec(i_chart, theme={"axis": {"labelFontSize": 14}})
    assert spec["config"]["axis"]["labelFontSize"] == 14
    assert spec["config"]["axis"]["gridColor"] == PALETTE["grid"]


@pytest.mark.parametrize("name", [k for k in PALETTE if k not in ("grid",)])
def test_palette_colours_contrast_at_least_3_to_1_on_white(name):
    assert contrast_ratio(PALETTE[name]) >= 3.0


def test_text_colours_contrast_at_least_4_5_to_1():
    for name in ("text", "muted", "annotation"):
        assert contrast_ratio(PALETTE[name]) >= 4.5


def test_accepts_an_object_with_to_dict(i_chart):
    class Fake:
        def to_dict(self) -> dict[str, Any]:
            return i_chart

    assert spc_spec(Fake())["datasets"]["points"] == spc_spec(i_chart)["datasets"]["points"]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({}, "chart"),
        ({"chart": "i"}, "points"),
        ({"chart": "i", "points": {"x": [1, 2]}}, "y"),
        ({"chart": "i", "points": {"x": [1, 2], "y": [1.0]}}, "one value per point"),
        ({"chart": "i", "points": {"x": [1], "y": ["a"]}}, "numbers"),
        ({"chart": "i", "points": {"x": [], "y": []}}, "no points"),
        (42, "spc.Analysis"),
    ],
)
def test_malformed_input_raises_a_clear_error(bad, message):
    with pytest.raises(ChartError, match=message):
        spc_spec(bad)


def test_bad_improvement_is_refused(i_chart):
    with pytest.raises(ChartError, match="improvement"):
        spc_spec(i_chart, improvement="sideways")


def test_sparkline_has_no_axes_and_a_description(i_chart):
    spec = charts.sparkline_spec(i_chart)
    for lay in spec["layer"]:
        for channel in ("x", "y"):
            assert lay["encoding"][channel]["axis"] is None
    assert "20 points" in spec["description"]
    assert spec["width"] <= 200 and spec["height"] <= 60


def test_y_range_covers_points_and_limits_with_a_margin(i_chart):
    domain = layer(spc_spec(i_chart), "points")["encoding"]["y"]["scale"]["domain"]
    assert domain[0] < 5.0 and domain[1] > 17.0  # LCL 5, highest point 17
    assert domain[1] - 17.0 < 1.0  # a margin, not a zoomed-out chart


def test_y_range_never_dips_below_zero_for_non_negative_data(p_chart):
    domain = layer(spc_spec(p_chart), "points")["encoding"]["y"]["scale"]["domain"]
    assert domain[0] == 0.0


def test_long_series_get_smaller_points(i_chart):
    small = layer(spc_spec(i_chart), "points")["encoding"]["size"]["value"]
    long = {
        "chart": "run",
        "points": {"x": list(range(300)), "y": [float(i % 7) for i in range(300)]},
    }
    assert layer(spc_spec(long), "points")["encoding"]["size"]["value"] < small


def test_screen_readers_hear_points_not_lines(i_chart):
    spec = spc_spec(i_chart, improvement="down")
    for name in ("limits", "centre_line", "data_line", "line_labels"):
        assert layer(spec, name)["mark"]["aria"] is False
    assert layer(spec, "points")["encoding"]["description"] == {"field": "aria_text"}
    assert words(spec, "aria_text")[7] == (
        "Aug 2024: 17; centre line 10; special cause: concern: Above the upper control limit"
    )


# One function per layer (issue 9, item 9): each draws one thing, from the engine's meaning.


def _plot(analysis, **kw):
    from champion.charts import _spc
    from champion.charts._input import load_analysis

    s = load_analysis(analysis, improvement=kw.pop("improvement", None))
    return _spc._Plot(
        s=s, x=_spc._x_encoding(s, None, False), y_title="Value", percent=False,
        domain=[0.0, 20.0], has_limits=True, monthly=False,
    )  # fmt: skip


def test_each_layer_has_its_own_function(i_chart):
    from champion.charts import _spc

    plot = _plot(i_chart)
    assert _spc._limits_layer(plot)["name"] == "limits"
    assert _spc._sigma2_layer(plot)["mark"]["strokeDash"] == [1, 3]
    assert _spc._centre_layer(plot)["transform"] == [{"filter": {"field": "series", "equal": "cl"}}]
    assert _spc._data_line_layer(plot)["encoding"]["y"]["scale"]["domain"] == [0.0, 20.0]
    assert _spc._target_layer(plot)["layer"][0]["mark"]["type"] == "rule"
    assert _spc._labels_layer(plot)["data"] == {"name": "labels"}
    points = _spc._points_layer(plot, "Month")
    assert points["encoding"]["tooltip"][0] == {"field": "x_text", "title": "Month"}
    assert points["encoding"]["shape"]["scale"]["domain"] == [
        "Common cause",
        "Special cause",
    ]


def test_point_rows_draw_the_engines_meaning(i_chart):
    from champion import spc
    from champion.charts import _spc

    plot = _plot(i_chart, improvement="down")
    from champion.charts._theme import CATEGORY_LABELS

    rows, texts = _spc._point_rows(plot)
    meaning = spc.explain(spc.Analysis.from_dict(i_chart), improvement="down")
    assert [r["category"] for r in rows] == [CATEGORY_LABELS[m.category] for m in meaning]
    assert texts[rows[7]["t"]]["reasons"] == "; ".join(meaning[7].reasons)
    # The words points share are sent once: each set of them is one row.
    assert len(texts) == len({(t["cl_text"], t["limits_text"], t.get("reasons")) for t in texts})
    assert len(texts) < len(rows)


def _count_chart(y, x):
    import numpy as np

    from champion import spc

    return spc.analyze(y, x=np.array(x, dtype="datetime64[D]"), chart="c", rules=("anhoej",))


def test_limits_and_centre_line_read_to_the_datas_precision():
    import datetime as dt

    x = [dt.date(2025, 1, 1) + dt.timedelta(days=k) for k in range(20)]
    y = [4, 4, 4, 2, 2, 6, 3, 4, 2, 5, 3, 4, 4, 1, 4, 4, 3, 7, 2, 2]
    spec = spc_spec(_count_chart(y, x))
    labels = [r["label"] for r in spec["datasets"]["labels"]]
    # Counts: one decimal more than the data ("UCL 9.1", not "9.112"); zero as "0".
    assert labels == ["CL 3.5", "UCL 9.1", "LCL 0"]
    assert (words(spec, "cl_text")[0], words(spec, "limits_text")[0]) == ("3.5", "0 to 9.1")


def test_a_daily_chart_ticks_whole_days_or_weeks_never_hours():
    import datetime as dt

    y = [4, 4, 4, 2, 2, 6, 3, 4, 2, 5, 3, 4, 4, 1, 4, 4, 3, 7, 2, 2]
    for days, expected in (
        (6, {"interval": "day", "step": 1}),
        (20, {"interval": "week", "step": 1}),
    ):
        x = [dt.date(2025, 1, 1) + dt.timedelta(days=k) for k in range(days)]
        spec = spc_spec(_count_chart(y[:days], x))
        axis = layer(spec, "points")["encoding"]["x"]["axis"]
        assert axis["tickCount"] == expected and axis["format"] == "%d %b %Y"


def test_the_legend_wraps_on_a_phone_and_keeps_one_row_when_wide(i_chart):
    assert spc_spec(i_chart, width="container")["config"]["legend"]["columns"] == 2
    assert "columns" not in spc_spec(i_chart, width=720)["config"]["legend"]
