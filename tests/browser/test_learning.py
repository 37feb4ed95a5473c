"""A learner reads a lesson, passes its quiz and sees their progress, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from champion.learning.content.load import load_content
from tests.browser.test_accessibility import sideways
from tests.browser.test_shell import sign_in
from tests.learning.conftest import make_tree

pytestmark = pytest.mark.browser


def test_a_learner_takes_a_lesson_passes_its_quiz_and_sees_progress(page, world, tmp_path):
    load_content(make_tree(tmp_path))
    sign_in(page, "member@test.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Learn").click()
    expect(page.get_by_role("heading", name="Learn", exact=True)).to_be_visible()
    page.get_by_role("link", name="Start Foundation tier").click()
    expect(page.get_by_role("heading", name="Lesson first")).to_be_visible()
    page.get_by_role("button", name="I've read it: take the quiz").click()
    # The test bank's right answer is always "Choice 0": pick it for every question.
    for group in page.locator("fieldset.question").all():
        group.get_by_role("radio", name=re.compile(r"Choice 0 of")).check()
    page.get_by_role("button", name="Check my answers").click()
    expect(page.get_by_role("heading", name="Passed. Well done!")).to_be_visible()
    expect(page.get_by_text("100 %")).to_be_visible()
    # The lesson has an exercise: sort the two cards, keyboard-operable selects.
    page.get_by_role("link", name="Do the exercise").click()
    page.get_by_label("A patient waits for transport").select_option("waiting")
    page.get_by_label("A nurse walks to the far store").select_option("motion")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
    page.get_by_role("link", name="Back to your path").click()
    expect(page.get_by_text("1 of 2 lessons completed")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Path progress")).to_have_attribute(
        "aria-valuenow", "50"
    )
    # Home offers to resume the next lesson.
    page.goto("/learn/lessons/second/")
    page.goto("/")
    expect(page.get_by_role("link", name=re.compile(r"^Resume.*Lesson second"))).to_be_visible()


def test_a_lesson_reads_well_on_a_phone(page, world, tmp_path):
    load_content(make_tree(tmp_path))
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "member@test.example")
    page.goto("/learn/lessons/second/")
    expect(page.get_by_role("heading", name="Lesson second")).to_be_visible()
    assert not sideways(page), sideways(page)


@pytest.mark.parametrize(
    ("path", "row"), [("/learn/assignments/", "Foundation tier"), ("/learn/team/", "Mia Member")]
)
def test_a_leaders_learning_pages_fit_a_phone(page, world, tmp_path, path, row):
    import datetime

    from champion.learning.models import Assignment, Tier

    load_content(make_tree(tmp_path))
    Assignment.objects.create(
        organisation=world.org,
        assigned_by=world.leader,
        tier=Tier.objects.get(slug="foundation"),
        unit=world.ward_a,
        due_on=datetime.date(2020, 1, 31),
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "leader@test.example")
    page.goto(path)
    expect(page.get_by_role("cell", name=row, exact=True)).to_be_visible()
    # The table may scroll inside its box; the page itself must not scroll sideways (the
    # visually hidden "Remove ..." text once escaped the table's box and widened the page).
    assert not sideways(page), (path, sideways(page))


def test_steps_are_put_in_order_with_the_keyboard(page, world, tmp_path):
    from tests.learning.conftest import write_lesson
    from tests.learning.test_exercise_pages import EXERCISES

    root = make_tree(tmp_path)
    write_lesson(
        root / "foundation" / "01-basics", "03-order", "order", exercise=EXERCISES["order"][0]
    )
    load_content(root)
    sign_in(page, "member@test.example")
    page.goto("/learn/lessons/order/exercise/")
    target = ["Plan", "Do", "Study", "Act"]
    for position, step in enumerate(target):
        labels = page.locator("[data-order-steps] label").all_inner_texts()
        for _ in range(labels.index(step) - position):
            page.get_by_role("button", name=f"Move up: {step}").focus()
            page.keyboard.press("Enter")
    assert page.locator("[data-order-steps] label").all_inner_texts() == target
    expect(page.get_by_label("Plan", exact=True)).to_have_value("1")
    page.get_by_role("button", name="Check my answer").click()
    expect(page.get_by_role("heading", name="Passed")).to_be_visible()
