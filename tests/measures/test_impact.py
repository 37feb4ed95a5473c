"""Impact in numbers: the level before and after a measure's latest phase, the difference and
its meaning, the rule that confirmed it and when; and, when the data cannot say, why not.

The falls fixture: 12 months around 8 per 1,000 bed-days, then 12 around 4 (lower is
better); denominators 1000 + 10 i. The expected levels below are computed by hand from
those numbers (a u chart's centre line is sum(events) / sum(bed-days) x 1000)."""

from __future__ import annotations

import datetime

import numpy as np
import pytest

from champion.measures.analysis import impact, refresh
from champion.measures.impact import compute
from champion.measures.models import DataPoint, Measure, Phase

from .conftest import FALLS, months

pytestmark = pytest.mark.django_db

CHANGE = datetime.date(2024, 1, 1)
DENOMINATORS = [1000 + 10 * i for i in range(24)]
BEFORE = sum(FALLS[:12]) / sum(DENOMINATORS[:12]) * 1000  # 98 / 12660 x 1000 = 7.741
AFTER = sum(FALLS[12:]) / sum(DENOMINATORS[12:]) * 1000  # 49 / 14100 x 1000 = 3.475


def with_phase(measure: Measure, period: datetime.date = CHANGE) -> Measure:
    Phase.objects.create(measure=measure, period=period, label="Falls bundle")
    refresh(measure)
    measure.refresh_from_db()
    return measure


def test_the_hand_computed_levels():
    assert sum(FALLS[:12]) == 98 and sum(FALLS[12:]) == 49
    assert round(BEFORE, 3) == 7.741 and round(AFTER, 3) == 3.475


def test_an_improvement_confirmed_by_a_shift_with_its_date(measure):
    found = with_phase(measure).summary.impact
    assert found is not None and found.confirmed
    assert found.before == pytest.approx(BEFORE) and found.after == pytest.approx(AFTER)
    assert found.difference == pytest.approx(AFTER - BEFORE)
    assert (found.direction, found.meaning) == ("down", "improvement")
    assert (found.phase_start, found.phase_label) == (CHANGE, "Falls bundle")
    assert (found.before_n, found.after_n) == (12, 12)
    # The organisation's rule set is Anhøj: a run longer than round(log2(n_useful)) + 3.
    # Against the old centre line (7.74) the run below starts in Dec 2023 (7 / 1110 x 1000
    # = 6.3); with the data up to Jul 2024, n_useful = 19, the limit is round(4.25) + 3 = 7
    # and the run is 8 (Dec..Jul); up to Jun it is 7, not yet beyond it.
    assert found.rule_kind == "shift" and "Anhøj" in found.rule
    assert found.sustained == datetime.date(2024, 7, 1)


def test_the_rule_follows_the_measures_rule_set(measure):
    measure.rule_set = "mdc"
    measure.save()
    found = with_phase(measure).summary.impact
    # Making Data Count: 7 points in a row below the centre line: Dec 2023..Jun 2024.
    assert found.rule_kind == "shift" and "Making Data Count" in found.rule
    assert found.sustained == datetime.date(2024, 6, 1)


def test_a_deterioration_is_called_one(measure):
    measure.improvement = "up"
    measure.save()
    found = with_phase(measure).summary.impact
    assert found.confirmed
    assert (found.direction, found.meaning) == ("down", "deterioration")


def test_no_phase_gives_no_result(measure):
    found = impact(measure)
    assert found.status == "no_phase"
    assert found.before is None and found.after is None and found.difference is None
    assert "No phase" in found.message


def test_too_few_points_after_the_change(measure):
    found = with_phase(measure, datetime.date(2024, 9, 1)).summary.impact
    assert found.status == "too_few" and found.before is None
    assert "it has 4" in found.message


def test_too_few_points_before_the_change(measure):
    found = with_phase(measure, datetime.date(2023, 7, 1)).summary.impact
    assert found.status == "too_few"
    assert "needs 12 points (it has 6)" in found.message


def test_a_level_no_rule_confirms_is_not_a_result(world):
    # 24 months of noise around one level: the new phase's centre line differs a little, but
    # against the old limits nothing signals.
    m = Measure.objects.create(
        unit=world.ward_a, name="Noise", definition="x", chart="i", improvement="down"
    )
    values = [5, 7, 6, 4, 6, 5, 7, 5, 6, 4, 6, 5, 6, 5, 7, 4, 5, 6, 5, 7, 4, 6, 5, 6]
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v) for d, v in zip(months(24), values, strict=True)
    )
    found = with_phase(m).summary.impact
    assert found.status == "unconfirmed" and not found.confirmed
    assert found.before is not None and found.sustained is None and found.rule == ""


def test_no_data(world):
    m = Measure.objects.create(unit=world.ward_a, name="Empty", definition="x", chart="run")
    assert impact(m).status == "no_data"


def test_compute_without_a_measure_is_pure():
    x = np.array(months(24), dtype="datetime64[D]")
    arguments = {"y": FALLS, "x": x, "n": DENOMINATORS, "chart": "u", "parts": [12],
                 "freeze": None, "exclude": None, "multiply": 1000.0, "rules": ("anhoej",),
                 "improvement": "down", "target": None}  # fmt: skip
    found = compute(arguments, rule_set="nelson")
    # Nelson 6 (four of five beyond one sigma) fires before any run is long enough.
    assert found.confirmed and found.rule_kind == "four-of-five"
    assert found.to_dict()["sustained"] == found.sustained.isoformat()
    assert type(found).from_dict(found.to_dict()) == found
