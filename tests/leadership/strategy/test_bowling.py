"""Bowling charts: plan against the measure's actual value per month, met or missed."""

from __future__ import annotations

import datetime

import pytest

from champion.leadership.strategy import catchball
from champion.leadership.strategy.bowling import bowling_charts, judge
from champion.measures.models import DataPoint, Measure
from champion.measures.services import monthly_values
from tests.leadership.strategy.conftest import START, falls_measure

JAN, FEB, MAR = (datetime.date(2026, m, 1) for m in (1, 2, 3))


@pytest.mark.parametrize(
    ("plan", "actual", "direction", "state"),
    [
        (5.0, 4.0, "down", "met"),
        (5.0, 5.0, "down", "met"),  # on plan is met
        (5.0, 5.1, "down", "missed"),
        (80, 81, "up", "met"),
        (80, 79.9, "up", "missed"),
        (None, 3.0, "down", "no-plan"),
        (5.0, None, "down", "no-data"),
    ],
)
def test_a_month_is_met_or_missed_against_plan_in_the_better_direction(
    plan, actual, direction, state
):
    assert judge(plan, actual, direction) == state


def test_the_chart_reads_actuals_from_the_linked_measure(strategy):
    g = strategy.goal
    g.measure = falls_measure(strategy.ward_a, [6.0, 4.0, 5.5])
    g.save()
    catchball.save_plan(g, {JAN: 5.0, FEB: 5.0, MAR: 5.0})
    chart = bowling_charts([g])[g.pk]
    states = [(m.month, m.plan, m.actual, m.state) for m in chart.months[:4]]
    assert states == [
        (JAN, 5.0, 6.0, "missed"),
        (FEB, 5.0, 4.0, "met"),
        (MAR, 5.0, 5.5, "missed"),
        (datetime.date(2026, 4, 1), None, None, "no-plan"),
    ]
    assert len(chart.months) == 12 and chart.months[-1].month == datetime.date(2026, 12, 1)
    assert (chart.met, chart.missed) == (1, 2)
    assert chart.summary == "1 of 3 months met the plan, 2 missed it."
    # Each state has a symbol and words as well as a colour.
    assert [(m.symbol, m.words) for m in chart.months[:2]] == [
        ("✗", "missed the plan"),
        ("✓", "met the plan"),
    ]


def test_a_goal_without_a_measure_has_plan_but_no_actuals(strategy):
    g = strategy.goal
    catchball.save_plan(g, {JAN: 5.0})
    chart = bowling_charts([g])[g.pk]
    assert chart.months[0].state == "no-data" and chart.judged == 0
    assert chart.summary == "No month has both a plan and data yet."


def test_monthly_values_pool_rates_and_average_weekly_values(world):
    rate = Measure.objects.create(
        unit=world.ward_a, name="Falls rate", definition="x", chart="u", multiply=1000
    )
    DataPoint.objects.bulk_create(
        [
            DataPoint(measure=rate, period=datetime.date(2026, 1, 5), value=3, denominator=500),
            DataPoint(measure=rate, period=datetime.date(2026, 1, 12), value=1, denominator=500),
            DataPoint(measure=rate, period=datetime.date(2026, 2, 2), value=2, denominator=1000),
        ]
    )
    weekly = Measure.objects.create(unit=world.ward_a, name="Wait", definition="x", chart="i")
    DataPoint.objects.bulk_create(
        [
            DataPoint(measure=weekly, period=datetime.date(2026, 1, 5), value=30),
            DataPoint(measure=weekly, period=datetime.date(2026, 1, 12), value=40),
            DataPoint(measure=weekly, period=datetime.date(2025, 12, 29), value=99),  # outside
        ]
    )
    got = monthly_values([rate, weekly], JAN, FEB)
    assert got[rate.pk] == {JAN: pytest.approx(4.0), FEB: pytest.approx(2.0)}  # per 1,000
    assert got[weekly.pk] == {JAN: pytest.approx(35.0)}
    assert monthly_values([], JAN, FEB) == {}


def test_bowling_charts_cost_two_queries_however_many_goals(strategy, django_assert_num_queries):
    goals = []
    for i in range(6):
        g = strategy.goal
        g.pk = None
        g.title = f"Goal {i}"
        g.measure = falls_measure(strategy.ward_a, [5.0] * 12, name=f"Falls {i}")
        g.save()
        catchball.save_plan(g, {START: 5.0})
        goals.append(g)
    with django_assert_num_queries(2):
        charts = bowling_charts(goals[:2])
    with django_assert_num_queries(2):
        charts = bowling_charts(goals)
    assert all(c.months[0].state == "met" for c in charts.values())
