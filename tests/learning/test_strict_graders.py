"""Strict grading (issue 12, review A1 #2-#4): right, near-right and wrong answers per grader,
and empty submissions refused before grading, with nothing recorded and no key shown."""

from __future__ import annotations

import pytest

from champion.learning.grading import GradingError, grade, read_answer
from champion.learning.grading import kinds as grading_kinds
from champion.learning.grading.spc_data import analyse, fired_rules, flagged_points
from tests.learning.test_exercise_pages import EXERCISES
from tests.learning.test_exercise_pages import kinds as kinds
from tests.learning.test_exercises import RUN


class Post(dict):
    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


# RUN is the review's run chart: 28 weeks, a shift in weeks 20-28, and weeks 3-6 that look like a
# trend but are only 4 points (the IHI trend rule needs 5).
SHIFT = [str(i) for i in range(19, 28)]


def signals(points, rules=None, none=False):
    post = Post(point=points, rule=rules or [])
    if none:
        post["none"] = "1"
    return grade("spc_signals", RUN, read_answer("spc_signals", RUN, post))


def test_spc_signals_right_answer_names_the_rule():
    assert fired_rules(analyse(RUN), ["ihi"]) == ["ihi:shift"]
    assert flagged_points(analyse(RUN), ["ihi"]) == list(range(19, 28))
    right = signals(SHIFT, ["ihi:shift"])
    assert right.passed and right.score == 1


def test_spc_signals_the_named_misconception_fails():
    # The shift plus weeks 3-6 marked as a "trend": F1 = 0.818 passed before issue 12.
    result = signals([*SHIFT, "2", "3", "4", "5"], ["ihi:shift"])
    assert result.score == pytest.approx(18 / 22) and not result.passed
    assert result.feedback["false_marks"] == 4
    # ...and naming the trend rule as well is also wrong.
    assert not signals(SHIFT, ["ihi:shift", "ihi:trend"]).passed


def test_spc_signals_near_right_answers_fail():
    # Six of the nine shift points: F1 = 0.8 passed before issue 12.
    assert not signals(SHIFT[:6], ["ihi:shift"]).passed
    # All the points, but no rule named.
    unnamed = signals(SHIFT)
    assert not unnamed.passed and unnamed.feedback["naming"]["correct"] is False
    # All the points, the wrong rule.
    assert not signals(SHIFT, ["ihi:trend"]).passed


def test_spc_signals_wrong_and_a_lower_pass_mark():
    assert not signals(["0", "1"], ["ihi:trend"]).passed
    # An author may accept most of a long signal, but never a false mark.
    lenient = {**RUN, "pass_mark": 0.6}
    answer = read_answer("spc_signals", lenient, Post(point=SHIFT[:6], rule=["ihi:shift"]))
    assert grade("spc_signals", lenient, answer).passed
    answer = read_answer("spc_signals", lenient, Post(point=[*SHIFT, "2"], rule=["ihi:shift"]))
    assert not grade("spc_signals", lenient, answer).passed


def test_spc_signals_when_nothing_signals_the_answer_is_no_point_signals():
    calm = {"chart": "run", "rules": ["ihi"], "y": [5, 7, 6, 8, 6, 5, 7, 9, 6, 4, 7, 6, 8, 5]}
    assert flagged_points(analyse(calm), ["ihi"]) == []
    right = grade("spc_signals", calm, read_answer("spc_signals", calm, Post(none="1")))
    assert right.passed and right.score == 1
    wrong = grade("spc_signals", calm, read_answer("spc_signals", calm, Post(point=["3"])))
    assert not wrong.passed


CATEGORISE = {
    "categories": [
        {"key": "lean", "label": "Lean"},
        {"key": "six", "label": "Six Sigma"},
        {"key": "pdsa", "label": "PDSA"},
    ],
    "items": [{"text": f"card {i}", "category": c, "explanation": "why"}
              for i, c in enumerate(["lean"] * 4 + ["six"] * 2 + ["pdsa"] * 4)],
    "pass_mark": 0.8,
}  # fmt: skip


def categorise(placements: list[str]):
    post = {f"item-{i}": key for i, key in enumerate(placements)}
    return grade("categorise", CATEGORISE, read_answer("categorise", CATEGORISE, post))


def test_categorise_each_category_must_be_right_at_least_once():
    right = categorise(["lean"] * 4 + ["six"] * 2 + ["pdsa"] * 4)
    assert right.passed and right.score == 1 and right.feedback["unrecognised"] == []
    # Both Six Sigma cards under Lean: 8 of 10 (the pass mark) but Six Sigma never recognised.
    missed = categorise(["lean"] * 6 + ["pdsa"] * 4)
    assert missed.score == 0.8 and not missed.passed
    assert missed.feedback["unrecognised"] == ["Six Sigma"]
    # One Six Sigma card right, one wrong: 9 of 10, every category recognised.
    near = categorise(["lean"] * 4 + ["six", "lean"] + ["pdsa"] * 4)
    assert near.passed and near.score == 0.9
    wrong = categorise(["pdsa"] * 10)
    assert not wrong.passed and set(wrong.feedback["unrecognised"]) == {"Lean", "Six Sigma"}


NINE = {"steps": [f"step {i}" for i in range(1, 10)], "explanation": "why"}


def order(positions: list[int]):
    post = {f"step-{i}": str(p) for i, p in enumerate(positions)}
    return grade("order_steps", NINE, read_answer("order_steps", NINE, post))


def test_order_steps_feedback_counts_the_longest_in_order_run():
    right = order(list(range(1, 10)))
    assert right.passed and right.feedback["in_order"] == 9
    # The last step moved to the front: 0 of 9 in the exact place, but 8 of 9 in order.
    moved = order([2, 3, 4, 5, 6, 7, 8, 9, 1])
    assert not moved.passed and moved.feedback["right"] == 0
    assert moved.feedback["in_order"] == 8 and moved.score == pytest.approx(8 / 9)
    assert [p["in_order"] for p in moved.feedback["placed"]] == [False] + [True] * 8
    # Two neighbours swapped: 8 in order, 7 in place.
    swapped = order([1, 2, 4, 3, 5, 6, 7, 8, 9])
    assert not swapped.passed and swapped.feedback["in_order"] == 8
    reversed_ = order(list(range(9, 0, -1)))
    assert not reversed_.passed and reversed_.feedback["in_order"] == 1


def test_order_steps_page_says_how_close_the_order_was(kinds, world, client_for):  # noqa: F811
    page = client_for(world.member).post(
        "/learn/lessons/order/exercise/",
        {"step-0": "2", "step-1": "3", "step-2": "4", "step-3": "1"},
    )
    text = page.content.decode()
    assert "<strong>3 of 4</strong> steps are in the right order" in text
    assert "move the 1 marked ✗ below" in text


# --- Empty submissions ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("categorise", CATEGORISE),
        ("order_steps", NINE),
        ("spc_signals", RUN),
        ("compute_centre_line", {"chart": "p", "y": [1, 2], "n": [10, 10]}),
        ("aim_statement", {"scenario": "s", "example": "e"}),
        ("pareto_vital_few", {"categories": [{"label": "a", "count": 3}]}),
        ("choose_chart", {"scenarios": [{"text": "t", "answer": "p"}]}),
        ("driver_diagram", {"items": [{"text": "t", "level": "primary"}]}),
    ],
)
def test_an_empty_answer_is_refused_before_grading(kind, data):
    with pytest.raises(GradingError, match="You have not answered yet"):
        read_answer(kind, data, Post())
    blank = {"value": "  ", "text": "   ", "step-0": "", "item-0": "", "scenario-0": ""}
    with pytest.raises(GradingError, match="You have not answered yet"):
        read_answer(kind, data, Post(blank))


@pytest.mark.parametrize("slug", list(EXERCISES))
def test_an_empty_submission_is_refused_on_the_page(kinds, world, client_for, slug):  # noqa: F811
    from champion.learning.models import ExerciseAttempt

    client = client_for(world.member)
    response = client.post(f"/learn/lessons/{slug}/exercise/", {})
    page = response.content.decode()
    assert response.status_code == 422
    assert "You have not answered yet" in page and "Nothing was recorded" in page
    # Not graded: no score, no verdict, no answer key, no attempt.
    assert "Not yet" not in page and "result-banner" not in page
    assert "the answer is" not in page and "The right order" not in page
    assert not ExerciseAttempt.objects.exists()
    # The form is shown again to answer.
    assert "Check my answer" in page


def test_the_page_says_in_words_which_baseline_or_phases_the_chart_uses(
    db, tmp_path, world, client_for
):
    from champion.learning.content.load import load_content
    from tests.learning.conftest import make_tree, write_lesson

    root = make_tree(tmp_path)
    folder = root / "foundation" / "01-basics"
    signals = EXERCISES["signals"][0]
    write_lesson(folder, "03-base", "base", exercise=signals + "freeze: 6\n")
    write_lesson(folder, "04-phase", "phase", exercise=signals + "parts: [6]\n")
    load_content(root)
    client = client_for(world.member)
    page = client.get("/learn/lessons/base/exercise/").content.decode()
    assert "The baseline is the first 6 points (up to 10 Feb 2025)" in page
    page = client.get("/learn/lessons/phase/exercise/").content.decode()
    assert "A new phase starts at 17 Feb 2025: each phase has its own centre line." in page


def test_every_exercise_kind_refuses_an_empty_answer():
    """A new kind cannot slip through: each grader has its empty-answer rule and its words
    (an unknown kind's empty answer would otherwise be graded, showing the key for nothing)."""
    assert set(grading_kinds._EMPTY_WHAT) == set(grading_kinds.GRADERS)
    for kind in grading_kinds.GRADERS:
        assert grading_kinds.is_empty(kind, {}), kind
