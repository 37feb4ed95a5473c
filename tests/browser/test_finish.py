"""Finish: one unbroken string (a pasted link, a long word) never widens a page at 390 px: user text
wraps anywhere it must, on every page that shows it."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from champion.improvement.ideas.models import Comment, Idea
from champion.improvement.models import Project, ProjectStatus
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure, Phase
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser

LINK = "https://intranet.example/" + "x" * 1500
WORD = "Handover" * 24  # 192 characters, no space


@pytest.fixture
def long_text(world):
    idea = Idea.objects.create(
        unit=world.ward_a, submitted_by=world.member, problem=LINK, idea=WORD + " " + LINK
    )
    Comment.objects.create(idea=idea, author=world.leader, body=LINK)
    project = Project.objects.create(
        unit=world.ward_a,
        title=WORD,
        status=ProjectStatus.ACTIVE,
        problem_statement=LINK,
        aim_statement=LINK,
    )
    measure = Measure.objects.create(unit=world.ward_a, name=WORD, definition=LINK, chart="run")
    return idea, project, measure


def test_long_unbroken_user_text_wraps_on_a_phone(page, login, world, long_text):
    idea, project, measure = long_text
    page.set_viewport_size({"width": 390, "height": 844})
    login(world.leader)
    for url in (
        f"/improve/ideas/{idea.pk}/",
        "/improve/ideas/",
        f"/improve/projects/{project.pk}/",
        "/improve/projects/",
        f"/improve/projects/{project.pk}/a3/",
        f"/measures/{measure.pk}/",
        "/measures/",
        "/",
    ):
        page.goto(url)
        assert not sideways(page), (url, sideways(page))


def test_removing_a_phase_takes_a_second_click_on_a_phone(page, login, world):
    measure = Measure.objects.create(unit=world.ward_a, name="Falls", definition="d", chart="i")
    DataPoint.objects.bulk_create(
        DataPoint(measure=measure, period=datetime.date(2025, m, 1), value=v)
        for m, v in zip(range(1, 13), [8, 9, 7, 8, 9, 8, 5, 4, 4, 3, 4, 3], strict=True)
    )
    Phase.objects.create(measure=measure, period=datetime.date(2025, 7, 1), label="New mats")
    refresh(measure)
    page.set_viewport_size({"width": 390, "height": 844})
    login(world.leader)
    page.goto(f"/measures/{measure.pk}/#settings", timeout=60_000)
    page.locator("summary", has_text="Remove").click()
    expect(page.get_by_text("Remove this phase?")).to_be_visible()
    assert violations(page) == []
    page.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_role("status")).to_contain_text("Removed")
    assert not measure.phases.exists()
    assert not sideways(page), sideways(page)
