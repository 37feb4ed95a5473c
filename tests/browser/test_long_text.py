"""One unbroken string (a pasted link, a long word) never widens a page at 390 px: user text
wraps anywhere it must, on every page that shows it."""

from __future__ import annotations

import pytest

from champion.improvement.ideas.models import Comment, Idea
from champion.improvement.models import Project, ProjectStatus
from champion.measures.models import Measure

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
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{url} is {width} px wide at 390 px"
