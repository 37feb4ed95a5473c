"""Bowling charts: each annual goal's plan against its measure's actual value, month by month.

A month is **met** when the actual value is at least the plan (higher is better) or at most
the plan (lower is better), **missed** otherwise; a month without a plan or without data is
neither, and says so. The actual values come from the Measure room through
`measures.services.monthly_values` (the month's value on the measure's plotted scale), so the
bowling chart and the measure's own chart agree. Like any red-green table, it compares single
values with a plan: the measure's chart beside it says whether a change is real.

`bowling_charts(goals)` costs two queries for any number of goals (their plans, and one
aggregate of all their measures' data).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from champion.leadership.strategy.models import Direction, Objective, PlanMonth
from champion.measures.services import monthly_values

State = Literal["met", "missed", "no-plan", "no-data"]

#: What each state says beside its colour (never colour alone).
SYMBOL = {"met": "✓", "missed": "✗", "no-plan": "–", "no-data": "…"}
WORDS = {
    "met": "met the plan",
    "missed": "missed the plan",
    "no-plan": "no plan for this month",
    "no-data": "no data yet",
}


@dataclass(frozen=True)
class Month:
    month: datetime.date
    plan: float | None
    actual: float | None
    state: State

    @property
    def symbol(self) -> str:
        return SYMBOL[self.state]

    @property
    def words(self) -> str:
        return WORDS[self.state]


@dataclass(frozen=True)
class Bowling:
    goal: Objective
    months: list[Month]

    @property
    def met(self) -> int:
        return sum(1 for m in self.months if m.state == "met")

    @property
    def missed(self) -> int:
        return sum(1 for m in self.months if m.state == "missed")

    @property
    def judged(self) -> int:
        """Months with both a plan and an actual value (a red or green cell)."""
        return self.met + self.missed

    @property
    def summary(self) -> str:
        if not self.judged:
            return "No month has both a plan and data yet."
        return f"{self.met} of {self.judged} months met the plan, {self.missed} missed it."


def judge(plan: float | None, actual: float | None, direction: str) -> State:
    if plan is None:
        return "no-plan"
    if actual is None:
        return "no-data"
    if direction == Direction.DOWN:
        return "met" if actual <= plan else "missed"
    return "met" if actual >= plan else "missed"


def bowling_charts(goals: Sequence[Objective]) -> dict[int, Bowling]:
    """The bowling chart of each annual goal that has a start month (keyed by goal id)."""
    dated = [g for g in goals if g.start is not None]
    if not dated:
        return {}
    plans: dict[int, dict[datetime.date, float]] = {}
    for p in PlanMonth.objects.filter(objective__in=[g.pk for g in dated]):
        plans.setdefault(p.objective_id, {})[p.month] = p.plan
    with_measure = [g for g in dated if g.measure_id is not None and g.measure is not None]
    first = min(g.months()[0] for g in dated)
    last = max(g.months()[-1] for g in dated)
    actuals = monthly_values([g.measure for g in with_measure if g.measure], first, last)
    charts = {}
    for g in dated:
        plan = plans.get(g.pk, {})
        actual = actuals.get(g.measure_id or 0, {})
        direction = g.direction or Direction.UP
        charts[g.pk] = Bowling(
            g,
            [
                Month(m, plan.get(m), actual.get(m), judge(plan.get(m), actual.get(m), direction))
                for m in g.months()
            ],
        )
    return charts
