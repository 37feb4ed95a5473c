"""Every exercise kind renders, grades through the page, and shows feedback that teaches."""

from __future__ import annotations

import pytest

from champion.learning.content.load import load_content
from champion.learning.models import ExerciseAttempt, LessonProgress
from tests.learning.conftest import make_tree, write_lesson

EXERCISES = {
    "order": (
        """
kind: order_steps
title: Order the PDSA
instructions: Put the steps in order.
steps: [Plan, Do, Study, Act]
explanation: "**Plan** comes first."
""",
        {"step-0": "1", "step-1": "2", "step-2": "3", "step-3": "4"},
        {"step-0": "4", "step-1": "3", "step-2": "2", "step-3": "1"},
    ),
    "charts": (
        """
kind: choose_chart
title: Pick the chart
instructions: Choose.
scenarios:
  - {text: "Share of patients given antibiotics within an hour", answer: p, explanation: "A proportion."}
  - {text: "Falls per 1,000 bed-days", answer: u, explanation: "A rate."}
""",
        {"scenario-0": "p", "scenario-1": "u"},
        {"scenario-0": "c", "scenario-1": "c"},
    ),
    "signals": (
        """
kind: spc_signals
title: Mark the signals
instructions: Mark them.
chart: run
rules: [ihi]
x: ["2025-01-06", "2025-01-13", "2025-01-20", "2025-01-27", "2025-02-03", "2025-02-10", "2025-02-17", "2025-02-24", "2025-03-03", "2025-03-10", "2025-03-17", "2025-03-24"]
y: [10, 12, 11, 13, 12, 11, 4, 3, 5, 4, 3, 2]
explanation: A shift.
""",
        None,
        {"point": ["0"]},
    ),
    "centre": (
        """
kind: compute_centre_line
title: Compute the centre line
instructions: Compute it.
chart: p
y: [3, 5, 4, 8]
n: [40, 50, 40, 70]
tolerance: 0.005
explanation: Total events over total patients.
""",
        {"value": "0.10"},
        {"value": "0.5"},
    ),
    "aim": (
        """
kind: aim_statement
title: Write an aim
instructions: Write one.
scenario: Falls on Ward 12.
example: "By 31 December, reduce falls among adult inpatients on Ward 12 from 6 to 3 per 1,000 bed-days."
""",
        {
            "text": "By 31 December 2026, reduce falls among adult inpatients on Ward 12 from 6 to 3 per 1,000 bed-days."
        },
        {"text": "Fewer falls please."},
    ),
    "drivers": (
        """
kind: driver_diagram
title: Build the diagram
instructions: Place each statement.
aim: Fewer falls on Ward 12
items:
  - {text: Safe environment, level: primary, explanation: A big lever.}
  - {text: Call bells in reach, level: secondary, explanation: Part of it.}
  - {text: Check bells every round, level: change, explanation: Something to test.}
""",
        {"item-0": "primary", "item-1": "secondary", "item-2": "change"},
        {"item-0": "change", "item-1": "change", "item-2": "primary"},
    ),
    "pareto": (
        """
kind: pareto_vital_few
title: Find the vital few
instructions: Tick them.
categories:
  - {label: "Wrong patient label", count: 41}
  - {label: "Sample haemolysed", count: 12}
  - {label: "Request form incomplete", count: 27}
  - {label: "Sample clotted", count: 6}
  - {label: "Wrong tube", count: 9}
explanation: "Three categories make up most of the rejections."
""",
        {"category": ["0", "1", "2"]},
        {"category": ["0", "2"]},
    ),
    "fmea": (
        """
kind: fmea_rank
title: Rank the infusion failure modes
instructions: Type each RPN and rank them.
failure_modes:
  - {label: "Pump programmed in mL instead of mL/h", severity: 9, occurrence: 3, detection: 6}
  - {label: "Wrong patient's bag hung", severity: 10, occurrence: 2, detection: 3}
  - {label: "Line not clamped at the bag change", severity: 5, occurrence: 6, detection: 5}
  - {label: "Occlusion alarm silenced", severity: 7, occurrence: 5, detection: 4}
  - {label: "Air in the line", severity: 6, occurrence: 2, detection: 2}
explanation: "RPN ranks the risks; severity still matters."
""",
        # RPNs 162, 60, 150, 140, 24: priority 1, 4, 2, 3, 5.
        {
            **{f"rpn-{i}": v for i, v in enumerate(["162", "60", "150", "140", "24"])},
            **{f"rank-{i}": v for i, v in enumerate(["1", "4", "2", "3", "5"])},
        },
        {
            **{f"rpn-{i}": v for i, v in enumerate(["162", "60", "150", "140", "24"])},
            **{f"rank-{i}": v for i, v in enumerate(["4", "1", "2", "3", "5"])},
        },
    ),
    "capability": (
        """
kind: capability
title: How capable is the clinic?
instructions: Compute them.
y: [49, 32, 37, 45, 35, 41, 43, 36, 33, 43, 49, 37, 40, 54, 38, 38, 59, 31, 48, 28, 38, 53, 51, 36]
lsl: 30
usl: 60
ask: {cpk: 0.02, mean: 0.1, observed_percent_outside: 0.1}
explanation: "The process is stable but not capable."
""",
        # mean 41.4167, Cpk 0.3997, 1 of 24 values outside = 4.1667 %.
        {"ask-cpk": "0,40", "ask-mean": "41.4", "ask-observed_percent_outside": "4.17 %"},
        {"ask-cpk": "1.33", "ask-mean": "41.4", "ask-observed_percent_outside": "0"},
    ),
    "compute": (
        """
kind: compute_value
title: Takt time and a main effect
instructions: Compute each.
questions:
  - prompt: "What is the takt time for the clinic?"
    compute: takt_time
    inputs: {available_minutes: 480, demand: 32}
    unit: minutes
    tolerance: 0.1
  - prompt: "What is the main effect of factor A on the result?"
    compute: main_effect
    inputs:
      factor: A
      runs:
        - {A: -1, B: -1, y: 30}
        - {A: 1, B: -1, y: 36}
        - {A: -1, B: 1, y: 32}
        - {A: 1, B: 1, y: 40}
    tolerance: 0.05
explanation: "Takt is the pace of demand."
""",
        {"answer-0": "15", "answer-1": " 7,0 "},
        {"answer-0": "0.067", "answer-1": "7"},
    ),
    "limits": (
        """
kind: compute_centre_line
title: Compute the limits
instructions: Compute the centre line and limits for the second week.
chart: p
y: [30, 50, 40, 80]
n: [400, 500, 400, 700]
ask: [cl, ucl, lcl]
at: 1
tolerance: 0.002
explanation: The limits depend on each week's n.
""",
        # p-bar 200/2000 = 0.1; at n = 500: 0.1 +/- 3 * sqrt(0.09 / 500) = 0.1402 / 0.0598.
        {"value": "0.1", "ucl": "0.1402", "lcl": "0.0598"},
        {
            "value": "0.1",
            "ucl": "0.134",
            "lcl": "0.066",
        },  # the last week's limits (n = 700): wrong point
    ),
    "mdc": (
        """
kind: mdc_icons
title: Read the board's charts
instructions: Choose the icons for each chart.
charts:
  - title: "Emergency department waits over 4 hours, per cent"
    chart: i
    y: [10, 11, 9, 10, 12, 9, 10, 11, 10, 9, 11, 10, 12, 9, 10, 11, 9, 10, 11, 10]
    improvement: down
    target: 5
    rag: red
  - title: "Falls per bed-day"
    chart: u
    y: [8, 7, 9, 8, 10, 7, 9, 8, 9, 8, 7, 9, 5, 4, 5, 4, 3, 4, 4, 5]
    n: [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000]
    freeze: 12
    improvement: down
    target: 0.006
    rag: red
  - title: "Theatre sessions started on time, per cent"
    chart: i
    x: ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03", "2026-04"]
    y: [80, 82, 79, 81, 80, 83, 78, 81, 80, 82, 79, 80, 81, 79, 80, 70]
    improvement: up
    rag: green
explanation: "The icons come from the chart, not from one month against the target."
""",
        # The engine: common cause + fail; improvement + hit and miss; concern + no target.
        {
            "variation-0": "common_cause",
            "assurance-0": "fail",
            "variation-1": "improvement",
            "assurance-1": "hit_and_miss",
            "variation-2": "concern",
            "assurance-2": "none",
        },
        {
            "variation-0": "concern",
            "assurance-0": "fail",
            "variation-1": "improvement",
            "assurance-1": "hit_and_miss",
            "variation-2": "concern",
            "assurance-2": "none",
        },
    ),
}


@pytest.fixture
def kinds(db, tmp_path):
    root = make_tree(tmp_path)
    folder = root / "foundation" / "01-basics"
    for n, (slug, (yaml, _right, _wrong)) in enumerate(EXERCISES.items(), start=3):
        write_lesson(folder, f"{n:02d}-{slug}", slug, exercise=yaml)
    load_content(root)


@pytest.mark.parametrize("slug", list(EXERCISES))
def test_each_kind_renders_and_grades_through_the_page(kinds, world, client_for, slug):
    from django.db.models import Q

    _yaml, right, wrong = EXERCISES[slug]
    client = client_for(world.member)
    url = f"/learn/lessons/{slug}/exercise/"
    assert client.get(url).status_code == 200
    response = client.post(url, wrong)
    assert response.status_code == 200 and b"Not yet" in response.content
    if right is None:  # spc_signals: the answer comes from the engine
        from champion.learning.grading.spc_data import analyse, fired_rules, flagged_points
        from champion.learning.models import Exercise

        data = Exercise.objects.get(lesson__slug=slug).data
        right = {
            "point": [str(i) for i in flagged_points(analyse(data), data["rules"])],
            "rule": fired_rules(analyse(data), data["rules"]),
        }
        assert "ihi:shift" in right["rule"]
        assert right["point"] == [str(i) for i in range(12)]  # six above, then six below
    response = client.post(url, right)
    assert response.status_code == 200 and b"Passed" in response.content
    assert ExerciseAttempt.objects.filter(user=world.member, passed=True).count() == 1
    assert LessonProgress.objects.filter(
        Q(lesson__slug=slug), exercise_passed_at__isnull=False
    ).exists()


def test_an_answer_that_cannot_be_graded_is_explained(kinds, world, client_for):
    response = client_for(world.member).post(
        "/learn/lessons/centre/exercise/", {"value": "ten percent"}
    )
    assert response.status_code == 422 and b"Type the centre line as a number" in response.content
    assert not ExerciseAttempt.objects.exists()


def test_the_centre_line_exercise_shows_the_data_as_collected_and_hides_the_answer(
    kinds, world, client_for
):
    import re

    html = client_for(world.member).get("/learn/lessons/centre/exercise/").content.decode()
    cells = re.findall(r"<td>([^<]*)</td>", html)
    # The counts and denominators as collected (not the plotted 3/40 = 0.075...), numbered
    # from 1: y = [3, 5, 4, 8], n = [40, 50, 40, 70].
    assert cells == ["1", "3", "40", "2", "5", "50", "3", "4", "40", "4", "8", "70"]
    # Neither the centre line nor the limits computed from it are drawn before grading.
    chart = html[html.index("<figure") : html.index("</figure>")]
    assert "centre line" not in chart and "control limits" not in chart
    assert "<polyline" in chart and 'stroke-dasharray="6 4"' not in chart


def test_trying_an_aim_again_starts_from_the_last_aim(kinds, world, client_for):
    client = client_for(world.member)
    url = "/learn/lessons/aim/exercise/"
    assert (
        'name="text" rows="4" style="max-width:none"></textarea>'
        in client.get(url).content.decode()
    )
    client.post(url, {"text": "Fewer falls on Ward 12 <soon>."})
    page = client.get(url).content.decode()
    assert ">Fewer falls on Ward 12 &lt;soon&gt;.</textarea>" in page  # kept, and escaped
    # Another person's attempt is never shown.
    assert "Fewer falls" not in client_for(world.colleague).get(url).content.decode()
