"""The Learn charts read on a 390 px phone: every point in view, labels whole and apart."""

import itertools
import re

from champion.learning.services import chart_svg

WEEKS = [f"W{k}" for k in range(1, 29)]
# 28 weeks: a shift from week 17 the learner must find (it must not be cut off).
BEFORE = [14, 13, 15, 14, 12, 15, 13, 14, 16, 13, 14, 15, 13, 14, 15, 14]
Y = [*BEFORE, 9, 8, 10, 9, 8, 9, 10, 8, 9, 8, 9, 10]


def test_an_exercise_chart_of_28_weeks_draws_every_point_inside_the_frame():
    chart = chart_svg.exercise_chart({"chart": "run", "y": Y, "x": WEEKS}, show_centre=True)
    xs = [p["cx"] for p in chart["points"]]
    assert len(xs) == 28
    assert chart["plot_left"] <= min(xs) and max(xs) <= chart["plot_right"] <= chart["width"]


def test_exercise_x_labels_never_overlap_at_the_phone_text_size():
    chart = chart_svg.exercise_chart({"chart": "run", "y": Y, "x": WEEKS}, show_centre=True)
    ticks = [p["cx"] for p in chart["x_ticks"]]
    widest = max(len(p["x"]) for p in chart["points"]) * chart_svg.CHAR_UNITS
    assert len(ticks) >= 5
    assert all(b - a >= widest for a, b in itertools.pairwise(ticks))


def test_small_number_labels_have_room_on_the_left():
    y = [0.775, 0.81, 0.79, 0.8, 0.77, 0.82, 0.78, 0.8, 0.79, 0.81, 0.8, 0.78]
    chart = chart_svg.exercise_chart({"chart": "i", "y": y}, show_centre=True)
    longest = max(len(t["label"]) for t in chart["y_ticks"])
    assert longest >= 4
    assert chart["plot_left"] - 6 >= longest * chart_svg.CHAR_UNITS


def test_a_lesson_figure_keeps_0_775_whole():
    y = [0.75, 0.81, 0.79, 0.8, 0.77, 0.83, 0.78, 0.8, 0.79, 0.81, 0.8, 0.78]
    svg = chart_svg.lesson_chart_svg({"chart": "run", "y": y}, alt="A run chart")
    assert ">0.775<" in svg
    labels = re.findall(
        r'<text x="([\d.]+)" y="[\d.]+" text-anchor="end" dominant-baseline="middle"[^>]*>([^<]+)<',
        svg,
    )
    assert labels
    for x, text in labels:
        # About 9 units a character at font-size 16: the label's left edge stays in view.
        assert float(x) - 9 * len(text) >= 0, (x, text)
