"""Lesson figures and the new exercise page on a 390 px phone: readable, no sideways scroll, WCAG."""

from __future__ import annotations

import pytest

from champion.learning.content.load import load_content
from tests.browser.test_accessibility import sideways, violations
from tests.learning.conftest import BODY, make_tree, write_lesson
from tests.learning.test_content_format_rules import GOOD_SVG, RUN_FIGURE, SVG_FIGURE
from tests.learning.test_exercise_pages import EXERCISES

pytestmark = pytest.mark.browser


def test_figures_and_the_pareto_exercise_fit_a_phone(page, world, login, tmp_path):
    root = make_tree(tmp_path)
    folder = root / "foundation" / "01-basics"
    (folder / "figures").mkdir()
    (folder / "figures" / "cheese.svg").write_text(GOOD_SVG)
    write_lesson(
        folder,
        "03-fig",
        "fig",
        body=BODY + "\n\n" + RUN_FIGURE + "\n\n" + SVG_FIGURE,
        exercise=EXERCISES["pareto"][0],
    )
    load_content(root)
    login(world.member)
    page.set_viewport_size({"width": 390, "height": 844})
    for path in ("/learn/lessons/fig/", "/learn/lessons/fig/exercise/"):
        page.goto(path)
        assert not sideways(page), (path, sideways(page))
        assert not violations(page), (path, violations(page))
    page.goto("/learn/lessons/fig/")
    boxes = page.locator("figure.lesson-figure > svg").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    )
    assert len(boxes) == 2 and all(200 < w <= 390 for w in boxes), boxes
    # The chart's text is drawn at 16 units in a 440-unit box: about 12 px or more on a phone.
    scale = boxes[0] / 440
    assert 16 * scale >= 11.5, scale
    assert page.get_by_role("img", name="A run chart of 20 weekly values").is_visible()
