"""What each point means is the engine's (`spc.explain`), typed; `Analysis.from_dict` reads a
stored or sent analysis back (issue 9, item 3)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from champion import spc

Y = [10, 12, 11, 13, 12, 11, 40, 12, 11, 12, 13, 11]


def test_each_point_says_its_category_direction_rules_and_reasons():
    a = spc.analyze(Y, chart="i", rules=("anhoej", "mdc"), improvement="down")
    meaning = spc.explain(a)
    assert len(meaning) == len(Y) and all(isinstance(m, spc.PointMeaning) for m in meaning)
    spike = meaning[6]
    assert (spike.category, spike.direction) == ("concern", "up")
    assert spike.outside and spike.special and "outside" in spike.patterns
    assert {"sigma_signal", "mdc:outside"} <= set(spike.rules)
    assert spike.reasons[0] == "Above the upper control limit"
    assert meaning[1].category == "common_cause" and meaning[1].own_reasons == ()
    assert meaning[1].part_reasons and "runs_signal" in meaning[1].rules


def test_the_better_direction_decides_improvement_concern_or_neither():
    a = spc.analyze(Y, chart="i")
    assert spc.explain(a)[6].category == "neither"
    assert spc.explain(a, improvement="up")[6].category == "improvement"
    with pytest.raises(spc.SPCError):
        spc.explain(a, improvement="sideways")


def test_point_categories_and_the_variation_icon_share_one_vocabulary():
    a = spc.analyze(Y, chart="i", rules=("anhoej", "mdc"), improvement="down")
    assert {m.category for m in spc.explain(a)} <= set(spc.VARIATION)
    assert a.variation_icon in spc.VARIATION
    b = spc.analyze(Y, chart="i", rules=("anhoej", "mdc"), improvement="down", target=5)
    assert b.assurance_icon in spc.ASSURANCE
    # The last point's own special cause is the icon's (when the mdc rules flag it).
    c = spc.analyze([*Y, 41.0], chart="i", rules=("anhoej", "mdc"), improvement="down")
    assert spc.explain(c)[-1].category == c.variation_icon == "concern"


def test_a_part_wide_pattern_is_a_reason_but_leaves_the_point_common():
    y = [1.0] * 6 + [9.0] * 6  # one crossing only
    a = spc.analyze(y, chart="run")
    m = spc.explain(a)[0]
    assert m.part_reasons and m.category in ("common_cause", "neither")
    assert m.own_reasons == tuple(t for t in m.reasons if t not in m.part_reasons)
    json.dumps(m.to_dict())  # plain JSON at the boundary


@pytest.mark.parametrize(
    "x",
    [
        None,
        np.array([f"2024-{k:02d}-01" for k in range(1, 13)], dtype="datetime64[D]"),
        [f"Ward {k:02d}" for k in range(12)],
        np.arange(12, dtype=float) / 2,
    ],
)
def test_from_dict_reads_back_what_to_dict_wrote(x):
    a = spc.analyze(Y, x=x, chart="i", rules=("anhoej", "mdc", "nelson"), improvement="up")
    d = json.loads(json.dumps(a.to_dict()))
    b = spc.Analysis.from_dict(d)
    assert b.to_dict() == a.to_dict() and b.x_kind == a.x_kind and b.rules == a.rules
    assert spc.explain(b, improvement="up") == spc.explain(a)


def test_text_that_looks_like_dates_stays_text_when_the_kind_is_given():
    a = spc.analyze(Y, x=[f"2024-{k:02d}-01" for k in range(1, 13)], chart="i")
    assert a.x_kind == "text"
    assert spc.Analysis.from_dict(a.to_dict(), x_kind=a.x_kind).to_dict() == a.to_dict()


def test_from_dict_refuses_what_is_not_an_analysis():
    with pytest.raises(spc.SPCError):
        spc.Analysis.from_dict({"points": {}})
    with pytest.raises(spc.SPCError):
        spc.Analysis.from_dict({"chart": "i", "points": {"x": [1, 2], "y": [1.0]}})
