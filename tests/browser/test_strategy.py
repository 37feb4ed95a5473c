"""Strategy deployment in a real browser: a ward manager proposes a goal, the executive returns
it and then accepts it (catchball); the strategy pages pass the automated WCAG checks and fit a
390 px phone, where the X-matrix is read as a table and the drawing is shown on wide screens."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from champion.leadership.strategy import catchball
from champion.leadership.strategy.models import GoalProject, GoalStatus, Level, Objective
from tests.browser.test_accessibility import assert_pages_pass
from tests.leadership.strategy.conftest import START, falls_measure, objective
from tests.leadership.strategy.test_pages import project

pytestmark = pytest.mark.browser


def strategy(world):
    north = objective(world, Level.TRUE_NORTH, "Safe care, no waiting")
    b1 = objective(world, Level.BREAKTHROUGH, "Halve harm from falls", parent=north, year=2028)
    goal = objective(
        world, Level.ANNUAL, "Falls under 5 on Ward A", unit=world.ward_a, parent=b1,
        by=world.leader, owner=world.leader, year=2026, start=START, direction="down", target=4.5,
    )  # fmt: skip
    goal.measure = falls_measure(world.ward_a, [6.0, 4.0, 5.5, 4.2, 4.9])
    goal.save()
    catchball.save_plan(goal, {datetime.date(2026, m, 1): 5.0 for m in range(1, 13)})
    catchball.decide(goal, by=world.admin, accept=True, text="Agreed.")
    GoalProject.objects.create(
        objective=goal, project=project(world, "Falls bundle", lead=world.member)
    )
    return b1, goal


def test_a_ward_proposes_and_the_executive_returns_then_accepts(page, world, login):
    b1, _ = strategy(world)
    login(world.leader)
    page.goto(f"/lead/strategy/new/?parent={b1.pk}")
    page.get_by_label("Title").fill("Pressure ulcers halved on Ward A")
    page.get_by_label("First month of the plan").fill("2026-04")
    page.get_by_label("Which direction is better").select_option("down")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Pressure ulcers halved on Ward A")).to_be_visible()
    expect(page.get_by_text("Proposed, waiting for a decision").first).to_be_visible()

    page.context.clear_cookies()
    login(world.admin)
    page.goto("/lead/strategy/")
    waiting = page.get_by_role("region", name="Goals waiting for your decision")
    waiting.get_by_role("link", name=re.compile("^Decide")).click()
    page.get_by_role("button", name="Return it for changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what should change")
    page.get_by_label("Your decision or question").fill("Which categories count?")
    page.get_by_role("button", name="Return it for changes").click()
    expect(page.get_by_text("Returned for changes").first).to_be_visible()

    page.context.clear_cookies()
    login(world.leader)
    goal = Objective.objects.get(title="Pressure ulcers halved on Ward A")
    page.goto(goal.get_absolute_url())
    expect(page.get_by_text("Which categories count?")).to_be_visible()
    page.get_by_label("Your comment").fill("Category 2 and above.")
    page.get_by_role("button", name="Propose it again").click()

    page.context.clear_cookies()
    login(world.admin)
    page.goto(goal.get_absolute_url())
    page.get_by_role("button", name="Accept the goal").click()
    goal.refresh_from_db()
    assert goal.status == GoalStatus.ACCEPTED and goal.decided_by == world.admin


@pytest.mark.parametrize("width", [1280, 390])
def test_the_strategy_pages_pass_automated_wcag_checks_and_fit_a_phone(page, world, login, width):
    b1, goal = strategy(world)
    page.set_viewport_size({"width": width, "height": 800})
    assert_pages_pass(
        page,
        login,
        (
            (world.leader, "/lead/strategy/?year=2026"),
            (world.admin, "/lead/strategy/?year=2026"),
            (world.leader, goal.get_absolute_url() + "?mq=Fal&pq=Fal"),
            (world.leader, f"/lead/strategy/{goal.pk}/plan/"),
            (world.leader, "/lead/strategy/new/"),
            (world.admin, b1.get_absolute_url()),
        ),
    )
    # The drawing on wide screens; the table (and the bowling chart) everywhere.
    login(world.leader)
    page.goto("/lead/strategy/?year=2026")
    drawing = page.get_by_role("img", name="X-matrix for 2026")
    if width >= 900:
        expect(drawing).to_be_visible()
    else:
        expect(drawing).to_be_hidden()
    expect(page.get_by_role("region", name="X-matrix as a table")).to_be_visible()
    chart = page.get_by_role("region", name=re.compile("^Bowling chart of Falls under 5"))
    expect(chart.locator("td.met")).to_have_count(3)
    expect(chart.locator("td.missed")).to_have_count(2)
