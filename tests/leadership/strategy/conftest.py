"""Strategy deployment on the shared `world`: the root admin (Ada) is the executive team, Ward A
proposes, its leader (Lee) owns its goals."""

from __future__ import annotations

import datetime

import pytest

from champion.leadership.strategy import catchball
from champion.leadership.strategy.models import GoalStatus, Level, Objective
from champion.measures.models import DataPoint, Measure
from tests.measures.conftest import months

START = datetime.date(2026, 1, 1)


def falls_measure(unit, values, *, name="Falls", start=START, **fields):
    m = Measure.objects.create(
        unit=unit, name=name, definition="x", chart="i", improvement="down", **fields
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v)
        for d, v in zip(months(len(values), start), values, strict=True)
    )
    return m


def objective(world, level, title, *, unit=None, parent=None, by=None, **fields):
    o = Objective(unit=unit or world.root, level=level, title=title, parent=parent, **fields)
    return catchball.create(o, by=by or world.admin)


@pytest.fixture
def strategy(world):
    """A true north, a breakthrough objective, and Ward A's proposed annual goal."""
    north = objective(world, Level.TRUE_NORTH, "Safe care, no waiting")
    b1 = objective(world, Level.BREAKTHROUGH, "Halve harm from falls", parent=north, year=2028)
    goal = objective(
        world,
        Level.ANNUAL,
        "Falls under 5 on Ward A",
        unit=world.ward_a,
        parent=b1,
        by=world.leader,
        owner=world.leader,
        year=2026,
        start=START,
        direction="down",
        target=4.5,
    )
    assert goal.status == GoalStatus.PROPOSED
    world.true_north, world.b1, world.goal = north, b1, goal
    return world
