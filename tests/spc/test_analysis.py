"""The Analysis object: columns, records, immutability and export."""

import datetime as dt
import json

import numpy as np
import pytest

from champion import spc
from champion.spc._analysis import PART_KEYS, POINT_COLUMNS


def test_points_have_exactly_the_contract_columns_then_the_rule_columns():
    a = spc.analyze([1, 3, 2, 4, 3, 5, 4, 6, 5, 7], chart="i", rules=("nelson", "ihi"))
    cols = list(a.points)
    assert cols[: len(POINT_COLUMNS)] == list(POINT_COLUMNS)
    rules = cols[len(POINT_COLUMNS) :]
    assert rules[:8] == [f"nelson:{i}" for i in range(1, 9)]
    assert rules[8:] == ["ihi:shift", "ihi:trend", "ihi:runs"]
    assert a.rules == tuple(rules)
    assert all(len(v) == 10 for v in a.points.values())
    assert a.points["part"].dtype.kind == "i"
    assert a.points["baseline"].dtype == bool and a.points["sigma_signal"].dtype == bool


def test_parts_records_have_exactly_the_contract_keys():
    a = spc.analyze([1, 3, 2, 4, 3, 5], parts=[3])
    for rec in a.parts:
        assert tuple(rec) == PART_KEYS


def test_analysis_is_immutable():
    a = spc.analyze([1.0, 2.0, 3.0], chart="i")
    with pytest.raises(AttributeError):
        a.chart = "p"  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.points["y"] = np.zeros(3)  # type: ignore[index]
    with pytest.raises(ValueError):
        a.points["cl"][0] = 1.0
    with pytest.raises(ValueError):
        a.points["y"][0] = 1.0
    with pytest.raises(TypeError):
        a.parts[0]["n_obs"] = 3  # type: ignore[index]


def test_the_callers_array_stays_writable():
    y = np.array([1.0, 2.0, 3.0])
    spc.analyze(y, chart="i")
    y[0] = 5.0


def test_to_dict_is_json_with_nulls_iso_dates_and_plain_numbers():
    x = [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1), dt.date(2024, 4, 1)]
    a = spc.analyze([1, None, 3, 2], x=x, chart="run", rules=("mdc",), improvement="up", target=2)
    d = a.to_dict()
    text = json.dumps(d, allow_nan=False)
    back = json.loads(text)
    assert back["chart"] == "run"
    assert back["points"]["x"][0] == "2024-01-01"
    assert back["points"]["y"][1] is None
    assert back["points"]["ucl"] == [None] * 4
    assert back["parts"][0]["n_obs"] == 4
    assert set(back) == {"chart", "points", "parts", "variation_icon", "assurance_icon"}
    assert type(d["points"]["part"][0]) is int
    assert type(d["points"]["sigma_signal"][0]) is bool


def test_icons_are_set_when_the_mdc_rules_are_requested():
    y = [5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 6, 5, 20]
    a = spc.analyze(y, chart="i", rules=("mdc",), improvement="up", target=1)
    assert a.variation_icon == "improvement"
    assert a.assurance_icon is not None
    b = spc.analyze(y, chart="i")
    assert b.variation_icon is None and b.assurance_icon is None


def test_to_frame_has_one_column_per_point_column():
    a = spc.analyze([1, 2, 3, 4], chart="i", rules=("western-electric",))
    frame = a.to_frame()
    assert list(frame.columns) == list(a.points)
    assert frame.shape == (4, len(a.points))


def test_options_record_the_arguments_used():
    a = spc.analyze([1, 2, 3], chart="i", multiply=10, rules=("nelson",))
    assert a.options["multiply"] == 10.0
    assert a.options["sigma_method"] == "mr"
    assert a.options["rules"] == ("anhoej", "nelson")


def test_repr_summarises():
    a = spc.analyze([1, 2, 3, 4], chart="i")
    assert repr(a).startswith("<Analysis i chart: 4 points, 1 part(s)")


def test_public_surface():
    assert set(spc.__all__) >= {"analyze", "analyze_many", "Analysis", "SPCError", "capability",
                                "pareto"}  # fmt: skip
    for name in spc.__all__:
        assert hasattr(spc, name)


def test_default_x_is_0_to_n_minus_1_whatever_was_analysed_before():
    # The default x is a view of one shared positions array, grown on demand.
    for size in (5, 40, 3, 40, 100, 7):
        x = spc.analyze(np.ones(size), chart="i").points["x"]
        assert x.tolist() == list(range(size))
        assert x.dtype == np.int64
        assert not x.flags.writeable
