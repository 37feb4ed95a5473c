"""No dead ends (review #22): nothing sends a learner to a tier that has no lessons.

The catalogue hides a tier without lessons and its page is a 404, so a lesson that says "this
comes in the Practitioner tier", a `tier:` link to it, or a maturity suggestion linking to it
leads nowhere.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from champion.learning.content.parse import empty_tiers, read_curriculum
from tests.learning.conftest import BODY, write_lesson

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"


def problems(root: Path) -> list[str]:
    return [str(p) for p in read_curriculum(root)[1]]


def test_a_tier_link_in_a_lesson_must_lead_to_lessons(tree):
    # The fixture's Leader tier has no lessons; Practitioner has one.
    folder = tree / "foundation" / "01-basics"
    write_lesson(folder, "03-links", "links", body=BODY + "\n\nSee [the path](tier:leader).")
    (found,) = [p for p in problems(tree) if "dead end" in p]
    assert re.match(
        r"content/foundation/01-basics/03-links.md:\d+: link to tier:leader, which has no "
        r"lessons: a dead end for the learner",
        found,
    )
    write_lesson(folder, "03-links", "links", body=BODY + "\n\nSee [it](tier:practitioner).")
    assert problems(tree) == []
    write_lesson(folder, "03-links", "links", body=BODY + "\n\nSee [it](tier:nowhere).")
    assert any("link to tier:nowhere" in p for p in problems(tree))


@pytest.mark.parametrize(
    "sentence",
    [
        "Control charts come in the Leader tier.",
        "The Leader path goes deeper.",
        "You will meet this on the Leader course.",
    ],
)
def test_a_lesson_that_sends_learners_to_an_empty_tier_is_flagged(tree, sentence):
    folder = tree / "foundation" / "01-basics"
    write_lesson(folder, "03-mention", "mention", body=BODY + "\n\n" + sentence)
    (found,) = [p for p in problems(tree) if "dead end" in p]
    assert found.startswith("content/foundation/01-basics/03-mention.md:")
    assert "sends learners to the leader tier" in found
    # A tier with lessons may be named; so may a leader who is not a tier.
    write_lesson(
        folder,
        "03-mention",
        "mention",
        body=BODY + "\n\nThe Practitioner tier goes deeper. Ask your team leader.",
    )
    assert problems(tree) == []


def test_a_tier_link_renders_to_the_tier_page():
    from champion.learning.content.markdown import render

    html, _ = render("See [the path](tier:foundation).", None, None, lambda s: f"/learn/{s}/")
    assert '<a href="/learn/foundation/" rel="noopener noreferrer">the path</a>' in html


def test_maturity_suggestions_link_only_to_tiers_with_lessons():
    from champion.leadership.maturity.framework import framework

    curriculum, _ = read_curriculum(REPO_CONTENT)
    offered = {t.slug for t in curriculum.tiers} - {t.slug for t in empty_tiers(curriculum)}
    lessons = {lesson.slug for lesson in curriculum.lessons()}
    checked = 0
    for component in framework().components:
        for stage in component.stages:
            for suggestion in stage.tries:
                name, _, arg = suggestion.link.partition(" ")
                if name == "learning:tier":
                    assert arg in offered, f"{component.key}/{stage.key} links to tier {arg}"
                    checked += 1
                elif name == "learning:lesson":
                    assert arg in lessons, f"{component.key}/{stage.key} links to lesson {arg}"
    assert checked >= 1
