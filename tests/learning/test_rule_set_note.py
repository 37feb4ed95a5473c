"""Lessons and exercises that teach a rule set name the organisation's rule set where it differs."""

from __future__ import annotations

import pytest

from champion.learning.content.load import load_content
from champion.learning.services.rule_sets import taught
from tests.learning.conftest import BODY, make_tree, write_lesson
from tests.learning.test_exercise_pages import EXERCISES

FIGURE = """

```figure
chart: run
y: [10, 12, 11, 13, 12, 11, 4, 3, 5, 4, 3, 2]
rules: [ihi]
alt: "A run chart of 12 weekly values; the last six are below the median."
caption: "Figure 1. A shift."
```
"""

NOTE = "Your organisation's rule set differs."


@pytest.fixture
def lessons(db, tmp_path):
    root = make_tree(tmp_path)
    folder = root / "foundation" / "01-basics"
    write_lesson(folder, "03-runs", "runs", body=BODY + FIGURE)
    write_lesson(folder, "04-signals", "signals", exercise=EXERCISES["signals"][0])
    load_content(root)


def test_the_sets_a_lesson_teaches_are_read_from_its_figures_and_exercise():
    assert taught(BODY + FIGURE) == ["ihi"]
    assert taught(BODY, {"rules": ["nelson", "mdc", "not-a-set"]}) == ["nelson", "mdc"]
    assert taught("rules: [ihi]\n") == []  # outside a figure it is only text


@pytest.mark.parametrize("url", ["/learn/lessons/runs/", "/learn/lessons/signals/exercise/"])
def test_a_lesson_teaching_another_rule_set_names_the_organisations(
    lessons, world, client_for, url
):
    assert world.org.rule_set == "anhoej"
    page = client_for(world.member).get(url).content.decode()
    assert NOTE in page
    assert "teaches the IHI run chart rules" in page
    assert "by the Anhøj rules" in page
    world.org.rule_set = "ihi"
    world.org.save()
    page = client_for(world.member).get(url).content.decode()
    assert NOTE not in page


def test_a_lesson_teaching_no_rule_set_has_no_note(lessons, world, client_for):
    page = client_for(world.member).get("/learn/lessons/first/").content.decode()
    assert NOTE not in page
