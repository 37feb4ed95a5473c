"""The issue-13 exercise kinds in a real browser: WCAG checks (axe-core) on the form and the
feedback, no sideways scrolling on a 390 px phone, and the FMEA ranking done with the keyboard."""

import pytest
from playwright.sync_api import expect

from champion.learning.content.load import load_content
from tests.browser.test_accessibility import sideways, violations
from tests.browser.test_shell import sign_in
from tests.learning.conftest import make_tree, write_lesson
from tests.learning.test_exercise_pages import EXERCISES

pytestmark = pytest.mark.browser

NEW = ["fmea", "capability", "compute", "limits"]


def load(tmp_path):
    root = make_tree(tmp_path)
    for n, slug in enumerate(NEW, start=3):
        write_lesson(
            root / "foundation" / "01-basics", f"{n:02d}-{slug}", slug, exercise=EXERCISES[slug][0]
        )
    load_content(root)


def fill(page, post: dict[str, str]) -> None:
    for name, value in post.items():
        field = page.locator(f'[name="{name}"]')
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_new_kinds_pass_wcag_checks_and_fit_a_phone(page, world, tmp_path, width):
    load(tmp_path)
    page.set_viewport_size({"width": width, "height": 844})
    sign_in(page, "member@test.example")
    found = {}
    for slug in NEW:
        page.goto(f"/learn/lessons/{slug}/exercise/")
        for stage in ("form", "feedback"):
            if stage == "feedback":
                fill(page, EXERCISES[slug][2])  # a wrong answer: the feedback shows everything
                page.get_by_role("button", name="Check my answer").click()
                expect(page.get_by_role("heading", name="Not yet")).to_be_visible()
            problems = violations(page)
            if problems:
                found[f"{slug} {stage}"] = problems
            if wide := sideways(page):
                found[f"{slug} {stage} width"] = wide
    assert not found, found


def test_failure_modes_are_ranked_with_the_keyboard(page, world, tmp_path):
    load(tmp_path)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "member@test.example")
    page.goto("/learn/lessons/fmea/exercise/")
    right = EXERCISES["fmea"][1]
    labels = [
        "Pump programmed in mL instead of mL/h",
        "Wrong patient's bag hung",
        "Line not clamped at the bag change",
        "Occlusion alarm silenced",
        "Air in the line",
    ]
    target = [labels[i] for i in sorted(range(5), key=lambda i: int(right[f"rank-{i}"]))]
    for i, label in enumerate(labels):
        page.get_by_label(f"RPN of {label}").fill(right[f"rpn-{i}"])
    # Move each into place with the Up buttons only (no drag and drop, no mouse).
    for position, label in enumerate(target):
        shown = page.locator("[data-order-steps] [data-order-label]").all_inner_texts()
        for _ in range(shown.index(label) - position):
            page.get_by_role("button", name=f"Move up: {label}").focus()
            page.keyboard.press("Enter")
    assert page.locator("[data-order-steps] [data-order-label]").all_inner_texts() == target
    expect(page.get_by_label(f"Priority of {target[0]}")).to_have_value("1")
    expect(page.locator("[data-order-status]")).to_contain_text("now priority")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
