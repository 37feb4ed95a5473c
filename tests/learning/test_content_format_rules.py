"""The content format of issue 12: lesson figures, item-writing rules for banks, new exercise fields.

Each rule is tested on small synthetic files through `read_curriculum` (what `content check`
runs), so the messages carry the file and line an author needs.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from champion import spc
from champion.learning.content.figures import clean_svg
from champion.learning.content.markdown import render
from champion.learning.content.parse import read_curriculum
from champion.learning.content.schema import longest_answer_cue, tail_probability
from champion.learning.grading import grade, read_answer
from tests.learning.conftest import BODY, write_lesson

MODULE = ("foundation", "01-basics")


def problems(root: Path) -> list[str]:
    return [str(p) for p in read_curriculum(root)[1]]


def matching(root: Path, pattern: str) -> list[str]:
    return [p for p in problems(root) if re.search(pattern, p)]


def lesson_with(tree: Path, body: str, name: str = "03-fig", slug: str = "fig") -> Path:
    folder = tree.joinpath(*MODULE)
    write_lesson(folder, name, slug, body=BODY + "\n\n" + textwrap.dedent(body))
    return folder / f"{name}.md"


# --- Figures: charts drawn by champion.spc ------------------------------------------------

RUN_FIGURE = """
```figure
chart: run
y: [12, 15, 11, 14, 13, 16, 12, 14, 15, 13, 9, 8, 7, 8, 9, 8, 7, 8, 9, 7]
freeze: 10
title: "Minutes from arrival to triage, weekly"
alt: "A run chart of 20 weekly values; the last ten are all below the baseline median."
caption: "Figure 1. A *shift* after the new triage desk opened."
```
"""


def test_a_chart_figure_is_checked_and_drawn_by_the_engine(tree):
    lesson_with(tree, RUN_FIGURE)
    curriculum, found = read_curriculum(tree)
    assert found == []
    spec = next(lesson for lesson in curriculum.lessons() if lesson.slug == "fig")
    (figure,) = spec.figures
    assert figure.startswith(
        '<figure class="lesson-figure chart"><p class="figure-title">Minutes from arrival to '
        'triage, weekly</p><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 440 320" '
        'role="img" aria-label="'
    )
    assert 'aria-label="A run chart of 20 weekly values' in figure
    assert "<figcaption>Figure 1. A <em>shift</em> after" in figure
    assert " width=" not in re.search(r"<svg[^>]*>", figure).group(0)
    # The centre line is the engine's baseline median (first 10 points), not all 20 points'.
    median = spc.analyze(
        [12, 15, 11, 14, 13, 16, 12, 14, 15, 13, 9, 8, 7, 8, 9, 8, 7, 8, 9, 7], freeze=10
    ).points["cl"][0]
    assert median == 13.5 and "median 13.5" in figure
    # The too-long run below the median is highlighted, and only it: 11 diamonds (points
    # 10-20), 9 plain points (points 1-9; point 10 is 13, below 13.5).
    assert figure.count("<polygon") - 1 == 11  # one more diamond is the legend's
    assert figure.count("<circle") == 9
    # Rendering the lesson puts the figure where the block was, unsanitised by nh3.
    html, _outline = render(spec.body, None, spec.figures)
    assert figure in html and "```" not in html and "chart: run" not in html


def test_a_figure_block_is_left_out_when_it_has_no_rendered_html():
    html, _ = render("Before.\n\n```figure\nchart: run\n```\n\nAfter.\n")
    assert "Before." in html and "After." in html and "chart" not in html


@pytest.mark.parametrize(
    ("change", "pattern"),
    [
        ('alt: "A run chart', r"figure is missing 'alt'"),
        ('caption: "Figure 1', r"figure is missing 'caption'"),
        ("title:", r"figure has an unknown field 'titel'"),
        ("freeze: 10", r"'freeze' is the number of baseline points"),
        ("chart: run", r"chart 'runn' is not a champion.spc chart code"),
    ],
)
def test_chart_figure_problems_name_the_file_and_line(tree, change, pattern):
    replaced = {
        'alt: "A run chart': 'altx: "A run chart',
        'caption: "Figure 1': 'captions: "Figure 1',
        "title:": "titel:",
        "freeze: 10": "freeze: 50",
        "chart: run": "chart: runn",
    }[change]
    path = lesson_with(tree, RUN_FIGURE.replace(change, replaced))
    found = matching(tree, pattern)
    assert found, problems(tree)
    lines = path.read_text().split("\n")
    number = int(found[0].split(":")[1])
    assert found[0].startswith("content/foundation/01-basics/03-fig.md:")
    # The line points into the figure block (the field's own line where there is one).
    start = next(i for i, line in enumerate(lines, 1) if line.startswith("```figure"))
    assert start <= number <= start + 8


def test_chart_data_the_engine_refuses_is_reported(tree):
    lesson_with(tree, RUN_FIGURE.replace("chart: run", "chart: p"))  # p needs n
    assert matching(tree, r"03-fig.md:\d+: figure: a p chart needs denominators 'n'")
    lesson_with(tree, RUN_FIGURE.replace("freeze: 10", "parts: [30]"))
    assert matching(tree, r"figure: 'parts' lists the 0-based positions")


def test_a_figure_gives_either_chart_or_svg(tree):
    lesson_with(tree, RUN_FIGURE.replace("chart: run", "chart: run\nsvg: x.svg"))
    assert matching(tree, r"figure: give either 'chart' \(drawn from data\) or 'svg'")


# --- Figures: drawn SVG files ----------------------------------------------------------------

GOOD_SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 300" role="img">
  <title>Swiss cheese</title>
  <defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="4" refY="4"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>
  <rect x="10" y="10" width="60" height="200" fill="#fde68a" stroke="#1f2937"/>
  <line x1="0" y1="100" x2="380" y2="100" stroke="#b3261e" marker-end="url(#arrow)"/>
  <text x="20" y="250" font-family="system-ui, sans-serif" font-size="16" fill="#1f2937">Hazard &amp; harm</text>
</svg>
"""

SVG_FIGURE = """
```figure
svg: cheese.svg
alt: "Four slices of cheese whose holes line up."
caption: "Figure 2. The Swiss cheese model (after Reason, 2000)."
```
"""


def with_svg(tree: Path, svg: str) -> None:
    figures = tree.joinpath(*MODULE, "figures")
    figures.mkdir(exist_ok=True)
    (figures / "cheese.svg").write_text(svg)
    lesson_with(tree, SVG_FIGURE)


def test_a_drawn_svg_is_inlined_clean_and_labelled(tree):
    with_svg(tree, GOOD_SVG)
    curriculum, found = read_curriculum(tree)
    assert found == []
    (figure,) = next(lesson for lesson in curriculum.lessons() if lesson.slug == "fig").figures
    assert figure.startswith('<figure class="lesson-figure diagram"><svg role="img" aria-label=')
    assert "Four slices of cheese whose holes line up." in figure
    assert "<figcaption>Figure 2. The Swiss cheese model" in figure
    assert "<title>Swiss cheese</title>" in figure and "Hazard &amp; harm" in figure
    # Ids are prefixed (two figures on a page cannot collide) and references follow them.
    prefix = re.search(r'<marker id="([^"]+)arrow"', figure).group(1)
    assert prefix and f'marker-end="url(#{prefix}arrow)"' in figure


@pytest.mark.parametrize(
    ("svg", "pattern"),
    [
        ("<svg", r"not well-formed XML"),
        (GOOD_SVG.replace(' viewBox="0 0 400 300"', ""), r'needs a viewBox="0 0 W H"'),
        (GOOD_SVG.replace("0 0 400 300", "0 0 800 300"), r"the viewBox is 800 wide"),
        (
            GOOD_SVG.replace('viewBox="0 0 400 300"', 'viewBox="0 0 400 300" width="400"'),
            r"remove the width attribute",
        ),
        (GOOD_SVG.replace("<title>", "<script>alert(1)</script><title>"), r"<script> is not"),
        (
            GOOD_SVG.replace("<title>", "<foreignObject><p>x</p></foreignObject><title>"),
            r"<foreignObject> is not allowed",
        ),
        (GOOD_SVG.replace("<rect ", '<rect onclick="evil()" '), r"event handler onclick="),
        (GOOD_SVG.replace("<title>", '<image href="x.png"/><title>'), r"<image> is not allowed"),
        (
            GOOD_SVG.replace("<title>", '<use href="https://evil.example/x.svg#a"/><title>'),
            r"links outside the file",
        ),
        (
            GOOD_SVG.replace('fill="#fde68a"', 'fill="url(https://evil.example/p)"'),
            r"refers outside the file",
        ),
        ('<!DOCTYPE svg [<!ENTITY x "y">]>' + GOOD_SVG, r"DOCTYPE or ENTITY"),
        (GOOD_SVG.replace(' role="img"', ""), r'the root <svg> needs role="img"'),
        (GOOD_SVG.replace("<title>Swiss cheese</title>", ""), r"needs a <title>"),
        (GOOD_SVG.replace('font-size="16"', 'font-size="11"'), r"font-size 11; use 15 or more"),
        (
            GOOD_SVG.replace(' font-family="system-ui, sans-serif"', ""),
            r'needs font-family="system-ui, sans-serif"',
        ),
    ],
)
def test_svg_rules_are_enforced_with_file_and_line(tree, svg, pattern):
    with_svg(tree, svg)
    found = matching(tree, pattern)
    assert found, problems(tree)
    assert re.match(
        r"content/foundation/01-basics/03-fig.md:\d+: figure: figures/cheese.svg", found[0]
    )


def test_a_missing_svg_file_is_reported(tree):
    lesson_with(tree, SVG_FIGURE)
    assert matching(tree, r"03-fig.md:\d+: figure: figures/cheese.svg does not exist")
    lesson_with(tree, SVG_FIGURE.replace("cheese.svg", "../secret.svg"))
    assert matching(tree, r"must be a file name like swiss-cheese.svg")


def test_clean_svg_drops_what_is_not_drawing():
    problems: list[str] = []
    out = clean_svg(
        GOOD_SVG.replace("<rect ", '<rect style="fill:red" data-x="1" ').encode(),
        problems,
        alt='A "quoted" alt',
        prefix="p-",
    )
    assert problems == [] and out is not None
    assert "style=" not in out and "data-x" not in out
    assert 'aria-label="A &quot;quoted&quot; alt"' in out


# --- Question banks: item-writing rules ---------------------------------------------------------


def bank(path: Path, items: list[tuple[str, list[tuple[str, bool]]]]) -> None:
    lines = ["questions:"]
    for number, (kind, choices) in enumerate(items):
        lines += [f"  - id: q{number}", f"    type: {kind}", f"    prompt: Question {number}?"]
        lines.append("    choices:")
        for text, correct in choices:
            lines += [
                f"      - text: {text}",
                f"        correct: {str(correct).lower()}",
                "        explanation: Because.",
            ]
    path.write_text("\n".join(lines) + "\n")


def balanced(number: int) -> tuple[str, list[tuple[str, bool]]]:
    # Four choices of equal length: the keyed answer is never strictly the longest.
    return ("single", [(f"Option {c} of {number:02d}", c == number % 4) for c in range(4)])


def keyed_longest(number: int) -> tuple[str, list[tuple[str, bool]]]:
    return (
        "single",
        [
            (f"Short {number}", False),
            (f"Brief {number}", False),
            (f"Terse {number}", False),
            (f"The much longer, carefully qualified right answer {number}", True),
        ],
    )


def test_the_longest_answer_cue_is_flagged_with_its_counts(tree):
    path = tree.joinpath(*MODULE, "01-first.quiz.yaml")
    # 6 of 12 single items: chance 12 x 1/4 = 3, P(X >= 6) = 0.054, not below 0.05.
    bank(path, [keyed_longest(i) for i in range(6)] + [balanced(i) for i in range(6, 12)])
    assert problems(tree) == []
    # 7 of 12: P(X >= 7) = 0.014.
    bank(path, [keyed_longest(i) for i in range(7)] + [balanced(i) for i in range(7, 12)])
    (found,) = matching(tree, "strictly longest")
    assert found == (
        "content/foundation/01-basics/01-first.quiz.yaml:1: the keyed answer is the strictly "
        "longest choice in 7 of 12 single items (about 3.0 expected by chance, p = 0.014): "
        "learners can pass by picking the longest option; make the options similar in length"
    )


def test_the_cue_rule_uses_the_poisson_binomial_tail():
    # Binomial(12, 1/4): P(X >= 6) = 0.0544, P(X >= 7) = 0.0143.
    assert tail_probability([0.25] * 12, 6) == pytest.approx(0.0544, abs=1e-4)
    assert tail_probability([0.25] * 12, 7) == pytest.approx(0.0143, abs=1e-4)
    # Mixed choice counts: one 3-choice and two 5-choice items, all keyed longest.
    assert tail_probability([1 / 3, 0.2, 0.2], 3) == pytest.approx(1 / 75)
    assert tail_probability([0.5], 0) == 1.0


def questions(items: list[tuple[str, list[tuple[str, bool]]]]) -> list[dict]:
    return [
        {"type": kind, "choices": [{"text": t, "correct": c} for t, c in choices]}
        for kind, choices in items
    ]


def test_longest_answer_cue_counts_only_strictly_longest_single_items():
    six = [keyed_longest(i) for i in range(6)] + [balanced(i) for i in range(6, 12)]
    assert longest_answer_cue(questions(six)) is None  # p = 0.054
    seven = [keyed_longest(i) for i in range(7)] + [balanced(i) for i in range(7, 12)]
    hits, singles, expected, p = longest_answer_cue(questions(seven))
    assert (hits, singles, expected) == (7, 12, 3.0) and p < 0.05
    # A tie for longest is not "strictly longest"; select-all items are not counted.
    tied = [("single", [("Same length A", True), ("Same length B", False), ("x", False)])] * 12
    assert longest_answer_cue(questions(tied)) is None
    multiple = [("multiple", [("A much longer keyed choice", True), ("b", False), ("c", False)])]
    assert longest_answer_cue(questions(multiple * 12)) is None


def test_select_all_items_need_two_wrong_choices(tree):
    path = tree.joinpath(*MODULE, "01-first.quiz.yaml")
    one_wrong = (
        "multiple",
        [
            ("Option A right", True),
            ("Option B right", True),
            ("Option C right", True),
            ("Option D wrong", False),
        ],
    )
    bank(path, [balanced(i) for i in range(10)] + [one_wrong])
    (found,) = matching(tree, "select all")
    assert re.match(
        r"content/foundation/01-basics/01-first.quiz.yaml:\d+: question q10: a 'select all' "
        r"question needs at least 2 plausible wrong choices \(has 1\)",
        found,
    )


def test_a_bank_meeting_the_rules_passes(tree):
    path = tree.joinpath(*MODULE, "01-first.quiz.yaml")
    two_wrong = (
        "multiple",
        [("Right one", True), ("Right two", True), ("Wrong one", False), ("Wrong two", False)],
    )
    bank(path, [balanced(i) for i in range(10)] + [two_wrong] + [keyed_longest(11)])
    assert problems(tree) == []


# --- Exercises: freeze, parts, cl; pareto_vital_few --------------------------------------------

SIGNALS = """
kind: spc_signals
title: Mark the signals
instructions: Mark them.
chart: run
rules: [ihi]
y: [12, 15, 11, 14, 13, 16, 12, 14, 15, 13, 9, 8, 7, 8, 9, 8, 7, 8, 9, 7]
explanation: A shift.
"""


@pytest.mark.parametrize(
    ("extra", "pattern"),
    [
        ("freeze: 10", None),
        ("parts: [10]", None),
        ("cl: 13", None),
        ("freeze: 1", r"'freeze' is the number of baseline points: a whole number from 2 to 20"),
        ("freeze: 10.5", r"'freeze' is the number of baseline points"),
        ("parts: [0]", r"'parts' lists the 0-based positions"),
        ("parts: [12, 10]", r"'parts' lists the 0-based positions"),
        ("parts: 10", r"'parts' lists the 0-based positions"),
        ("cl: high", r"'cl' \(a fixed centre line\) must be a number"),
        ("freeze: 10\nparts: [10]", r"give 'freeze' or 'parts', not both"),
    ],
)
def test_chart_exercises_accept_freeze_parts_and_cl(tree, extra, pattern):
    for kind_yaml, name, slug in (
        (SIGNALS, "03-signals", "signals"),
        (
            SIGNALS.replace("kind: spc_signals", "kind: compute_centre_line").replace(
                "rules: [ihi]\n", ""
            ),
            "04-centre",
            "centre",
        ),
    ):
        write_lesson(tree.joinpath(*MODULE), name, slug, exercise=kind_yaml + extra + "\n")
    found = problems(tree)
    if pattern is None:
        assert found == []
    else:
        assert any(re.search(rf"03-signals.exercise.yaml:\d+: {pattern}", p) for p in found), found
        assert any(re.search(rf"04-centre.exercise.yaml:\d+: {pattern}", p) for p in found), found


def test_freeze_changes_what_the_grader_counts_as_a_signal():
    data = {**read_yaml(SIGNALS)}
    frozen = {**data, "freeze": 10}
    # With the baseline median (13.5) the whole post-change run (points 10-19) is one shift;
    # the median of all 20 points (10) is dragged down by the post-change weeks.
    from champion.learning.grading.spc_data import analyse

    assert float(analyse(frozen).points["cl"][0]) == 13.5
    assert float(analyse(data).points["cl"][0]) == 10.0
    assert grade("compute_centre_line", frozen, {"value": 13.5}).passed
    assert not grade("compute_centre_line", frozen, {"value": 10.0}).passed


def read_yaml(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


PARETO = """
kind: pareto_vital_few
title: Find the vital few
instructions: Tick them.
categories:
  - {label: "Wrong patient label", count: 41}
  - {label: "Sample haemolysed", count: 12}
  - {label: "Request form incomplete", count: 27}
  - {label: "Sample clotted", count: 6}
  - {label: "Wrong tube", count: 9}
  - {label: "Sample lost", count: 5}
explanation: "Two categories make up most of the rejections."
"""


def test_a_pareto_exercise_is_checked(tree):
    folder = tree.joinpath(*MODULE)
    write_lesson(folder, "03-pareto", "pareto", exercise=PARETO)
    assert problems(tree) == []
    write_lesson(folder, "03-pareto", "pareto", exercise=PARETO.replace("count: 41", "count: -1"))
    assert matching(tree, r"03-pareto.exercise.yaml:\d+: category 1: 'count' must be a number")
    short = "\n".join([*PARETO.split("\n")[:8], "explanation: x"])
    write_lesson(folder, "03-pareto", "pareto", exercise=short)
    assert matching(tree, r"'categories' must list 5 to 10 categories")
    write_lesson(
        folder, "03-pareto", "pareto", exercise=PARETO.replace("Sample lost", "Wrong tube")
    )
    assert matching(tree, r"category 'Wrong tube' is listed twice")
    # 41, 27, 12, 12, 3, 2: the first 12 crosses 80 % (80 of 97), but which 12 is first
    # would depend on the labels: a tie there is arbitrary.
    tie = PARETO.replace("count: 9", "count: 12").replace("count: 6", "count: 3")
    write_lesson(folder, "03-pareto", "pareto", exercise=tie.replace("count: 5", "count: 2"))
    assert matching(tree, r"have the same count where the vital few end")


def test_pareto_vital_few_right_near_right_and_wrong():
    data = read_yaml(PARETO)
    labels = [c["label"] for c in data["categories"]]
    vital = spc.pareto(labels, [c["count"] for c in data["categories"]]).vital_few
    # 41, 27 (68 %), then 12 crosses 80 %: the vital few are three.
    assert vital == ("Wrong patient label", "Request form incomplete", "Sample haemolysed")
    index = {label: str(i) for i, label in enumerate(labels)}

    class Post(dict):
        def getlist(self, key):
            return self.get(key, [])

    def answer(*names: str):
        return grade(
            "pareto_vital_few",
            data,
            read_answer("pareto_vital_few", data, Post(category=[index[n] for n in names])),
        )

    right = answer(*vital)
    assert right.passed and right.score == 1
    assert [row["label"] for row in right.feedback["rows"]][:3] == list(vital)
    assert right.feedback["rows"][2]["cumulative"] == 80.0
    near = answer("Wrong patient label", "Request form incomplete")  # stopped below 80 %
    assert not near.passed and near.score == pytest.approx(5 / 6)
    assert near.feedback["missed"] == 1 and near.feedback["extra"] == 0
    wrong = answer("Sample lost", "Sample clotted")
    assert not wrong.passed and wrong.feedback["extra"] == 2 and wrong.feedback["missed"] == 3
    everything = answer(*labels)
    assert not everything.passed
    # Indices out of range or not numbers are ignored, not errors.
    assert read_answer("pareto_vital_few", data, Post(category=["99", "x", "0"])) == {"chosen": [0]}


def test_a_loaded_lesson_page_shows_its_figures(db, tree, world, client_for):
    from champion.learning.content.load import load_content

    with_svg(tree, GOOD_SVG)
    path = tree.joinpath(*MODULE, "03-fig.md")
    path.write_text(path.read_text() + "\n" + RUN_FIGURE)
    load_content(tree)
    page = client_for(world.member).get("/learn/lessons/fig/").content.decode()
    assert page.count('<figure class="lesson-figure') == 2
    assert '<svg role="img" aria-label="Four slices of cheese' in page
    assert 'aria-label="A run chart of 20 weekly values' in page
    assert "```figure" not in page and "svg: cheese.svg" not in page


def test_text_labels_are_shown_in_the_order_given_never_sorted_as_text():
    from champion.learning.grading import spc_data
    from champion.learning.services.chart_svg import lesson_chart_svg

    y = [10, 12, 11, 13, 12, 11, 4, 3, 5, 4, 3, 2]
    labels = [f"W{i}" for i in range(1, 13)]  # sorted as text: W1, W10, W11, W12, W2...
    plain = spc_data.analyse({"chart": "run", "rules": ["ihi"], "y": y})
    named = spc_data.analyse({"chart": "run", "rules": ["ihi"], "y": y, "x": labels})
    assert spc_data.flagged_points(named, ["ihi"]) == spc_data.flagged_points(plain, ["ihi"])
    assert [float(v) for v in named.points["y"]] == y
    data = {"chart": "run", "y": y, "x": labels}
    assert [spc_data.point_label(data, named, i) for i in range(12)] == labels
    svg = lesson_chart_svg(data, alt="A run chart")
    assert svg.index(">W1<") < svg.index(">W5<") < svg.index(">W11<")


def test_text_style_may_be_inherited_from_a_group_or_the_root():
    inherited = GOOD_SVG.replace(' font-family="system-ui, sans-serif" font-size="16"', "").replace(
        'role="img">', 'role="img" font-family="system-ui, sans-serif" font-size="15">'
    )
    problems: list[str] = []
    assert clean_svg(inherited.encode(), problems, alt="a") is not None and problems == []
    small = inherited.replace('font-size="15">', 'font-size="12">', 1)
    assert clean_svg(small.encode(), problems, alt="a") is None
    assert problems and "font-size 12" in problems[0]


def test_select_all_wrong_choices_are_not_given_away_by_absolute_words(tree):
    path = tree.joinpath(*MODULE, "01-first.quiz.yaml")
    cued = (
        "multiple",
        [
            ("Staff who do the work", True),
            ("Patients and families", True),
            ("Only the most senior clinician", False),
            ("Never the night staff", False),
        ],
    )
    bank(path, [balanced(i) for i in range(10)] + [cued])
    (found,) = matching(tree, "absolute words")
    assert re.match(r"content/foundation/01-basics/01-first.quiz.yaml:\d+: question q10:", found)
    # One wrong choice without an absolute word, or a right one with one, is not a cue.
    fair = (
        "multiple",
        [
            ("Staff who do the work", True),
            ("Patients and families", True),
            ("Only the most senior clinician", False),
            ("A supplier's brochure", False),
        ],
    )
    bank(path, [balanced(i) for i in range(10)] + [fair])
    assert problems(tree) == []
