"""The `mdc_icons` exercise in a real browser: WCAG checks (axe-core) on the form and the
feedback, no sideways scrolling on a 390 px phone, and the icons chosen with the keyboard."""

import pytest
from playwright.sync_api import expect

from champion.learning.content.load import load_content
from tests.browser.test_accessibility import sideways, violations
from tests.browser.test_shell import sign_in
from tests.learning.conftest import make_tree, write_lesson
from tests.learning.test_exercise_pages import EXERCISES

pytestmark = pytest.mark.browser

YAML, RIGHT, WRONG = EXERCISES["mdc"]


def load(tmp_path):
    root = make_tree(tmp_path)
    write_lesson(root / "foundation" / "01-basics", "03-mdc", "mdc", exercise=YAML)
    load_content(root)


def choose(page, post: dict[str, str]) -> None:
    for name, value in post.items():
        page.check(f'input[name="{name}"][value="{value}"]')


@pytest.mark.parametrize("width", [1280, 390])
def test_the_board_page_passes_wcag_checks_and_fits_a_phone(page, world, tmp_path, width):
    load(tmp_path)
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, "member@test.example")
    page.goto("/learn/lessons/mdc/exercise/")
    found = {}
    for stage in ("form", "feedback"):
        if stage == "feedback":
            choose(page, WRONG)
            page.get_by_role("button", name="Check my answer").click()
            expect(page.get_by_role("heading", name="Not yet")).to_be_visible()
        problems = violations(page)
        if problems:
            found[stage] = problems
        if wide := sideways(page):
            found[f"{stage} width"] = wide
    assert not found, found


def test_the_icons_are_chosen_with_the_keyboard(page, world, tmp_path):
    load(tmp_path)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "member@test.example")
    page.goto("/learn/lessons/mdc/exercise/")
    group = page.get_by_role("group", name="Chart 1: which variation icon?")
    group.get_by_role(
        "radio", name="Common cause variation: no significant change", exact=True
    ).focus()
    page.keyboard.press("Space")
    page.keyboard.press("ArrowDown")  # moves to the next icon in the same group and picks it
    expect(
        group.get_by_role("radio", name="Special cause variation: improvement", exact=True)
    ).to_be_checked()
    page.keyboard.press("ArrowUp")
    expect(
        group.get_by_role("radio", name="Common cause variation: no significant change", exact=True)
    ).to_be_checked()
    choose(page, {k: v for k, v in RIGHT.items() if k != "variation-0"})
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
