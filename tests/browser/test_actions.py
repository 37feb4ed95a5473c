"""Actions in a real browser: a leader turns a maturity gap into an action for a nurse, with
the people picker; the nurse finds it on her home page and marks it done. Every actions page
(and the pages that offer the button) passes the automated WCAG checks at 1280 and 390 px."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from champion.actions.models import Action, Status
from champion.improvement.ideas.models import Idea
from champion.improvement.models import Project, ProjectMember, TeamRole
from champion.leadership.models import Assessment
from tests.browser.test_accessibility import assert_pages_pass
from tests.leadership.maturity import KEYS, answer_all, finish, start_round

pytestmark = pytest.mark.browser

LATER = timezone.localdate() + datetime.timedelta(days=20)


def two_rounds(world):
    first = start_round(world, "North, last year")
    answer_all(first, world.leader, 1)
    finish(first, 1)
    Assessment.objects.filter(pk=first.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=365)
    )
    second = start_round(world, "North, this year")
    answer_all(second, world.leader, 2)
    finish(second, {**dict.fromkeys(KEYS, 2), "methods": 3})
    return second


def test_a_gap_becomes_an_action_the_owner_finds_at_home_and_completes(page, world, login):
    a = two_rounds(world)
    login(world.coach)
    page.goto(f"/lead/maturity/{a.pk}/report/")
    expect(page.get_by_role("region", name="Stage of each component across rounds")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Act on this gap\W+Trust$")).click()
    expect(page.get_by_role("heading", name=re.compile("^Trust"), level=1)).to_be_visible()
    page.get_by_label("Title").fill("Close the loop on every incident report")
    page.get_by_role("searchbox").fill("Mia")
    page.get_by_role("radio", name=re.compile("Mia Member")).check()
    page.get_by_label("Due date (an action or an assignment)").fill(LATER.isoformat())
    page.get_by_role("button", name="Make it").click()
    expect(
        page.get_by_role("heading", name="Close the loop on every incident report")
    ).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Maturity gap: Trust"))).to_be_visible()

    login(world.member)
    page.goto("/")
    card = page.get_by_role("region", name="Your actions")
    card.get_by_role("link", name="Close the loop on every incident report").click()
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Done: Close the loop on every incident report")).to_be_visible()
    assert Action.objects.get().status == Status.DONE


@pytest.mark.parametrize("width", [1280, 390])
def test_the_actions_pages_pass_automated_wcag_checks_and_fit_a_phone(page, world, login, width):
    a = two_rounds(world)
    action = Action.objects.create(
        unit=world.ward_a, title="Fix the bed alarms on bay 3", owner=world.member,
        created_by=world.leader, due_on=timezone.localdate() - datetime.timedelta(days=2),
        source_kind="huddle", source_id="1", source_label="Huddle: bed alarms", source_url="/",
    )  # fmt: skip
    Action.objects.create(unit=world.ward_a, title="Order new alarm batteries",
                          owner=world.member, created_by=world.leader, due_on=LATER)  # fmt: skip
    Idea.objects.create(unit=world.ward_a, submitted_by=world.member, problem="Alarms fail",
                        idea="Check alarms at each handover")  # fmt: skip
    project = Project.objects.create(
        unit=world.ward_a, title="Fewer falls", created_by=world.leader
    )
    ProjectMember.objects.create(project=project, user=world.leader, role=TeamRole.LEAD)
    page.set_viewport_size({"width": width, "height": 800})
    assert_pages_pass(
        page,
        login,
        (
            (world.member, "/"),
            (world.member, "/actions/"),
            (world.member, f"/actions/{action.pk}/"),
            (world.member, f"/actions/{action.pk}/edit/"),
            (world.member, "/actions/new/"),
            (world.leader, "/actions/?scope=area&status="),
            (world.leader, f"/improve/ideas/boards/{world.ward_a.pk}/"),
            (world.leader, project.get_absolute_url()),
            (world.coach, f"/lead/maturity/{a.pk}/report/"),
            (world.coach, f"/lead/maturity/{a.pk}/gap/trust/"),
        ),
    )
