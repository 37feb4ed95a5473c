"""The issue-13 exercise kinds (fmea_rank, capability, compute_value, compute_centre_line limits):
right, near-right, wrong, empty and malformed answers through the grader and the page, and
`content check` errors for bad data. The answers always come from the platform's own code."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest
import yaml

from champion import spc
from champion.improvement.tools.kinds import _rpn as tool_rpn
from champion.learning.content.parse import read_curriculum
from champion.learning.grading import GradingError, grade, read_answer
from champion.learning.grading import compute as compute_module
from champion.learning.grading.kinds import parse_number
from champion.learning.models import ExerciseAttempt
from tests.learning.conftest import write_lesson
from tests.learning.test_exercise_pages import EXERCISES
from tests.learning.test_exercise_pages import kinds as kinds


class Post(dict):
    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def data_of(slug: str) -> dict:
    loaded = yaml.safe_load(EXERCISES[slug][0])
    return {k: v for k, v in loaded.items() if k not in ("kind", "title", "instructions")}


def answer(kind: str, slug: str, post: dict):
    data = data_of(slug)
    return grade(kind, data, read_answer(kind, data, Post(post)))


# --- Reading numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("0,85", 0.85),
        (" 0.85 ", 0.85),
        ("1 234", 1234.0),
        ("1 234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("−0,5", -0.5),
        ("12 %", 12.0),
        (".5", 0.5),
        ("", None),
        ("   ", None),
    ],
)
def test_numbers_with_a_decimal_comma_or_spaces_are_read(typed, value):
    assert parse_number(typed) == value


@pytest.mark.parametrize("typed", ["about 3", "3 minutes", "1/2", "0,1,2", "nan", "inf", "--1"])
def test_non_numbers_are_not_read(typed):
    with pytest.raises(ValueError):
        parse_number(typed)


# --- fmea_rank --------------------------------------------------------------------------------

FMEA_RIGHT = EXERCISES["fmea"][1]
FMEA_RPNS = [162, 60, 150, 140, 24]


def fmea(**changes: str):
    return answer("fmea_rank", "fmea", {**FMEA_RIGHT, **changes})


def test_fmea_rpns_are_the_fmea_tools_own():
    for mode, rpn in zip(data_of("fmea")["failure_modes"], FMEA_RPNS, strict=True):
        assert tool_rpn(mode)["rpn"] == rpn


def test_fmea_right_answer_passes_with_the_right_rpns_and_order():
    result = fmea()
    assert result.passed and result.score == 1
    rows = result.feedback["rows"]
    assert [r["rpn"] for r in rows] == [162, 150, 140, 60, 24]  # highest first
    assert all(r["rpn_correct"] and r["in_place"] for r in rows)


def test_fmea_order_right_but_one_rpn_wrong_fails():
    result = fmea(**{"rpn-3": "141"})
    assert not result.passed
    assert result.feedback["order_right"] and result.feedback["rpn_right"] == 4
    assert result.score == pytest.approx(9 / 10)
    wrong = next(r for r in result.feedback["rows"] if not r["rpn_correct"])
    assert wrong["label"] == "Occlusion alarm silenced" and wrong["rpn"] == 140


def test_fmea_order_wrong_with_every_rpn_right_fails():
    result = answer("fmea_rank", "fmea", EXERCISES["fmea"][2])  # 60 ranked first
    assert not result.passed
    assert result.feedback["rpn_right"] == 5 and not result.feedback["order_right"]
    assert result.feedback["placed_right"] == 3
    assert result.score == pytest.approx(8 / 10)


def test_fmea_wrong_answer_scores_low():
    result = fmea(
        **{f"rpn-{i}": "17" for i in range(5)},
        **{f"rank-{i}": str(5 - i) for i in range(5)},
    )
    assert not result.passed and result.feedback["rpn_right"] == 0
    assert result.score < 0.3


def test_fmea_a_severe_failure_mode_ranked_low_by_rpn_is_pointed_out():
    rows = fmea().feedback["rows"]
    severe = [r["label"] for r in rows if r["severe_low"]]
    # Severity 10 but RPN 60 (priority 4 of 5); the severity-9 pump error is ranked first.
    assert severe == ["Wrong patient's bag hung"]


def test_fmea_tied_rpns_may_be_in_either_order_and_the_feedback_says_so():
    data = data_of("fmea")
    data["failure_modes"][3] = {"label": "Tied", "severity": 5, "occurrence": 6, "detection": 5}
    post = dict(FMEA_RIGHT, **{"rpn-3": "150"})  # modes 2 and 3 both 150
    for ranks in (("2", "3"), ("3", "2")):
        post.update({"rank-2": ranks[0], "rank-3": ranks[1]})
        result = grade("fmea_rank", data, read_answer("fmea_rank", data, Post(post)))
        assert result.passed, ranks
    tied = {r["label"]: r for r in result.feedback["rows"]}
    assert tied["Tied"]["tied_with"] == ["Line not clamped at the bag change"]
    assert tied["Tied"]["right_place"] == "2–3"


def test_fmea_numbers_with_spaces_or_a_decimal_comma_are_accepted():
    assert fmea(**{"rpn-0": " 162 ", "rpn-1": "60,0"}).passed


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rpn-0": "high"}, "Type the RPN of “Pump programmed in mL instead of mL/h” as a number"),
        ({"rpn-0": ""}, "Answer every box: the RPN of “Pump programmed"),
        ({"rank-1": "1"}, "Give every failure mode a different priority"),
        ({"rank-1": ""}, "a priority from 1 (act first) to 5"),
        ({"rank-1": "9"}, "a priority from 1 (act first) to 5"),
    ],
)
def test_fmea_malformed_answers_are_refused_not_graded(changes, message):
    with pytest.raises(GradingError, match=re.escape(message)):
        read_answer("fmea_rank", data_of("fmea"), Post({**FMEA_RIGHT, **changes}))


def test_fmea_priorities_without_rpns_are_refused():
    ranks = {k: v for k, v in FMEA_RIGHT.items() if k.startswith("rank-")}
    with pytest.raises(GradingError, match="Type each failure mode's RPN"):
        read_answer("fmea_rank", data_of("fmea"), Post(ranks))


# --- capability -------------------------------------------------------------------------------

CAP_Y = data_of("capability")["y"]
ENGINE = spc.capability(CAP_Y, lsl=30, usl=60)


def cap(**typed: str):
    post = {**EXERCISES["capability"][1], **{f"ask-{k}": v for k, v in typed.items()}}
    return answer("capability", "capability", post)


def test_capability_right_answer_passes_and_shows_the_engines_values():
    result = cap()
    assert result.passed and result.score == 1
    rows = {r["key"]: r for r in result.feedback["rows"]}
    assert rows["cpk"]["engine"] == "0.3997" == f"{ENGINE.cpk:.4f}"
    assert rows["observed_percent_outside"]["engine"] == "4.1667"
    assert ENGINE.observed_ppm_total / 10_000 == pytest.approx(100 / 24)
    assert "÷ 3" in rows["cpk"]["working"] and "the smaller of" in rows["cpk"]["working"]
    assert "1 of 24 values outside the limits" in rows["observed_percent_outside"]["working"]


def test_capability_inside_the_tolerance_passes_just_outside_fails():
    inside = f"{ENGINE.cpk + 0.019:.4f}"
    outside = f"{ENGINE.cpk + 0.021:.4f}"
    assert cap(cpk=inside).passed
    result = cap(cpk=outside)
    assert not result.passed and result.score == pytest.approx(2 / 3)
    assert cap(mean=f"{ENGINE.mean - 0.09:.3f}").passed
    assert not cap(mean=f"{ENGINE.mean - 0.11:.3f}").passed


def test_capability_wrong_answer_fails():
    result = answer("capability", "capability", EXERCISES["capability"][2])
    assert not result.passed and result.feedback["right"] == 1  # only the mean


def test_capability_with_one_limit_uses_the_engines_one_sided_index():
    data = data_of("capability")
    del data["lsl"]
    data["ask"] = {"cpk": 0.01}
    expected = spc.capability(CAP_Y, usl=60).cpu
    post = Post({"ask-cpk": f"{expected:.3f}"})
    assert grade("capability", data, read_answer("capability", data, post)).passed


def test_capability_every_key_is_the_engines():
    data = {**data_of("capability"), "ask": dict.fromkeys(
        ("mean", "sigma_within", "cp", "cpk", "pp", "ppk", "observed_percent_outside"), 1e-6
    )}  # fmt: skip
    engine = {
        "mean": ENGINE.mean,
        "sigma_within": ENGINE.sigma_within,
        "cp": ENGINE.cp,
        "cpk": ENGINE.cpk,
        "pp": ENGINE.pp,
        "ppk": ENGINE.ppk,
        "observed_percent_outside": ENGINE.observed_ppm_total / 10_000,
    }
    post = Post({f"ask-{k}": repr(v) for k, v in engine.items()})
    assert grade("capability", data, read_answer("capability", data, post)).passed


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "You have not answered yet"),
        ({"ask-cpk": " ", "ask-mean": "", "ask-observed_percent_outside": ""}, "not answered yet"),
        ({"ask-cpk": "0.4", "ask-mean": "41.4"}, "Answer every box: Observed % outside"),
        ({"ask-cpk": "about 0.4", "ask-mean": "41", "ask-observed_percent_outside": "4"}, "Cpk"),
    ],
)
def test_capability_empty_and_malformed_answers_are_refused(post, message):
    with pytest.raises(GradingError, match=re.escape(message)):
        read_answer("capability", data_of("capability"), Post(post))


# --- compute_value ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "inputs", "value"),
    [
        ("lead_time", {"minutes": [5, 40, 12.5, 90]}, 147.5),
        ("value_added_percent", {"value_added_minutes": 18, "lead_time_minutes": 240}, 7.5),
        ("takt_time", {"available_minutes": 480, "demand": 32}, 15),
        ("littles_law_wip", {"arrivals_per_hour": 6, "hours_in_system": 3.5}, 21),
        ("mean", {"values": [3, 4, 8]}, 5),
        ("median", {"values": [9, 3, 4, 8]}, 6),
        ("range", {"values": [9, 3, 4, 8]}, 6),
        ("sd", {"values": [2, 4, 4, 4, 5, 5, 7, 9]}, 2.138089935299395),
        (
            "main_effect",
            {
                "factor": "B",
                "runs": [
                    {"A": -1, "B": -1, "y": 30},
                    {"A": 1, "B": -1, "y": 36},
                    {"A": -1, "B": 1, "y": 32},
                    {"A": 1, "B": 1, "y": 40},
                ],
            },
            3,
        ),
        ("rpn", {"severity": 9, "occurrence": 3, "detection": 6}, 162),
    ],
)
def test_every_compute_function(name, inputs, value):
    assert compute_module.compute(name, inputs) == pytest.approx(value)
    assert compute_module.FUNCTIONS[name][0].__doc__  # documented
    assert compute_module.working(name, inputs, compute_module.compute(name, inputs))


def test_compute_value_right_near_right_and_wrong():
    right = answer("compute_value", "compute", EXERCISES["compute"][1])
    assert right.passed and right.score == 1
    assert right.feedback["rows"][0]["engine"] == "15"
    assert right.feedback["rows"][0]["working"] == "480 ÷ 32 = 15"
    assert "mean at +1 = 38, mean at −1 = 31" in right.feedback["rows"][1]["working"]
    assert answer("compute_value", "compute", {"answer-0": "15.1", "answer-1": "6.95"}).passed
    near = answer("compute_value", "compute", {"answer-0": "15.11", "answer-1": "7"})
    assert not near.passed and near.score == 0.5
    wrong = answer("compute_value", "compute", EXERCISES["compute"][2])
    assert not wrong.passed and wrong.feedback["right"] == 1


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "You have not answered yet"),
        ({"answer-0": "15"}, "Answer every box: your answer to question 2 is empty"),
        ({"answer-0": "fifteen", "answer-1": "7"}, "Type your answer to question 1 as a number"),
    ],
)
def test_compute_value_empty_and_malformed_answers_are_refused(post, message):
    with pytest.raises(GradingError, match=re.escape(message)):
        read_answer("compute_value", data_of("compute"), Post(post))


# --- compute_centre_line limits ---------------------------------------------------------------

LIMITS = spc.analyze([30, 50, 40, 80], chart="p", n=[400, 500, 400, 700]).points


def test_limits_are_the_engines_at_the_asked_point():
    result = answer("compute_centre_line", "limits", EXERCISES["limits"][1])
    assert result.passed
    rows = {r["key"]: r for r in result.feedback["rows"]}
    assert rows["ucl"]["engine"] == pytest.approx(LIMITS["ucl"][1], abs=1e-6)
    assert rows["lcl"]["engine"] == pytest.approx(LIMITS["lcl"][1], abs=1e-6)
    assert "3 × √(0.1000 × (1 − 0.1000) ÷ 500)" in rows["ucl"]["working"]
    # The last point's limits (n = 700) are not the ones asked.
    wrong = answer("compute_centre_line", "limits", EXERCISES["limits"][2])
    assert not wrong.passed and wrong.feedback["right"] == 1


COUNTS = {"y": [30, 50, 40, 80, 45, 52], "n": [400, 500, 400, 700, 450, 520]}
SMALL = {"y": [12, 15, 9, 14, 11, 13, 10, 16]}
GAPS = {"y": [12, 30, 9, 44, 21, 13, 60, 16]}


@pytest.mark.parametrize(
    ("chart", "values", "ask"),
    [
        ("p", COUNTS, ["cl", "ucl", "lcl"]),
        ("pp", COUNTS, ["cl", "ucl", "lcl"]),
        ("u", COUNTS, ["cl", "ucl", "lcl"]),
        ("up", COUNTS, ["cl", "ucl", "lcl"]),
        ("c", SMALL, ["cl", "ucl", "lcl"]),
        ("i", SMALL, ["cl", "ucl", "lcl"]),
        ("g", GAPS, ["cl", "ucl"]),
        ("t", GAPS, ["cl", "ucl", "lcl"]),
    ],
)
def test_limits_of_each_chart_are_graded_against_the_engine(tree, chart, values, ask):
    data = {"chart": chart, **values, "ask": ask, "at": 2, "tolerance": 0.001}
    points = spc.analyze(values["y"], chart=chart, n=values.get("n")).points
    engine = {k: float(points[k][2]) for k in ("cl", "ucl", "lcl")}
    fields = {"cl": "value", "ucl": "ucl", "lcl": "lcl"}
    right = Post({fields[k]: f"{engine[k]:.5f}" for k in ask})
    assert grade(
        "compute_centre_line", data, read_answer("compute_centre_line", data, right)
    ).passed
    off = Post({fields[k]: f"{engine[k] + (0.002 if k == ask[-1] else 0):.5f}" for k in ask})
    assert not grade(
        "compute_centre_line", data, read_answer("compute_centre_line", data, off)
    ).passed
    body = "\n".join(f"{k}: {v}" for k, v in data.items())
    exercise = f"kind: compute_centre_line\ntitle: Limits\ninstructions: Compute.\n{body}\nexplanation: Why.\n"
    assert problems_with(tree, exercise) == []


def test_a_g_chart_has_no_lower_limit_to_ask_for(tree):
    exercise = (
        "kind: compute_centre_line\ntitle: Limits\ninstructions: Compute.\nchart: g\n"
        f"y: {GAPS['y']}\nask: [cl, lcl]\nexplanation: Why.\n"
    )
    one(tree, exercise, "a g chart has no lower control limit at point 7")


def test_limits_inside_the_tolerance_pass_just_outside_fail():
    ucl = float(LIMITS["ucl"][1])
    base = {"value": "0.1", "lcl": f"{float(LIMITS['lcl'][1]):.5f}"}
    assert answer("compute_centre_line", "limits", {**base, "ucl": f"{ucl + 0.0019:.5f}"}).passed
    assert not answer(
        "compute_centre_line", "limits", {**base, "ucl": f"{ucl + 0.0021:.5f}"}
    ).passed


def test_limits_default_to_the_last_point():
    data = data_of("limits")
    del data["at"]
    post = Post({"value": "0.1", "ucl": "0.134", "lcl": "0.066"})
    assert grade("compute_centre_line", data, read_answer("compute_centre_line", data, post)).passed


def test_limits_empty_partial_and_malformed_answers_are_refused():
    data = data_of("limits")
    with pytest.raises(GradingError, match="You have not answered yet"):
        read_answer("compute_centre_line", data, Post({"value": "", "ucl": "", "lcl": ""}))
    with pytest.raises(GradingError, match="the lower control limit is empty"):
        read_answer("compute_centre_line", data, Post({"value": "0.1", "ucl": "0.14"}))
    with pytest.raises(GradingError, match="Type the upper control limit as a number"):
        read_answer("compute_centre_line", data, Post({"value": "0.1", "ucl": "x", "lcl": "0"}))


def test_with_phases_the_centre_line_asked_is_the_asked_points_phase():
    data = {"chart": "i", "y": [10, 12, 11, 13, 12, 20, 22, 21, 23, 22], "parts": [5]}
    for at, centre in ((None, 21.6), (2, 11.6)):
        asked = data if at is None else {**data, "at": at}
        post = Post({"value": str(centre)})
        result = grade(
            "compute_centre_line", asked, read_answer("compute_centre_line", asked, post)
        )
        assert result.passed and result.feedback["centre"] == centre
        assert result.feedback["asks_limits"]  # the page says which point


def test_a_centre_line_alone_is_graded_as_before():
    data = {k: v for k, v in data_of("limits").items() if k not in ("ask", "at")}
    result = grade(
        "compute_centre_line", data, read_answer("compute_centre_line", data, {"value": "0,1"})
    )
    assert result.passed and result.feedback["centre"] == 0.1 and not result.feedback["asks_limits"]


# --- The pages --------------------------------------------------------------------------------


def page(client, slug: str) -> str:
    return client.get(f"/learn/lessons/{slug}/exercise/").content.decode()


@pytest.mark.usefixtures("kinds")
def test_the_fmea_page_asks_for_each_rpn_and_priority_without_giving_them(world, client_for):
    html = page(client_for(world.member), "fmea")
    for i in range(5):
        assert re.search(rf'<label for="rpn-{i}">RPN<span class="visually-hidden"> of ', html)
        assert f'id="rpn-{i}" name="rpn-{i}" type="text" inputmode="decimal"' in html
        assert f'<select id="rank-{i}" name="rank-{i}">' in html
        assert f'<label for="rank-{i}">Priority' in html
    form = html[html.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    for rpn in FMEA_RPNS:
        assert f">{rpn}<" not in form and f"{rpn}" not in re.sub(r"<[^>]+>", " ", form)
    assert "Severity" in form and "<dd>9</dd>" in form


@pytest.mark.usefixtures("kinds")
def test_the_fmea_feedback_shows_the_right_rpns_and_the_limit_of_rpn(world, client_for):
    client = client_for(world.member)
    html = client.post("/learn/lessons/fmea/exercise/", EXERCISES["fmea"][2]).content.decode()
    assert "Not yet" in html and "5 of 5</strong> RPNs right" in html
    assert "9 × 3 × 6" in html and "<strong>162</strong>" in html
    assert "has severity 10, yet its RPN puts it at priority 4 of 5" in html


@pytest.mark.usefixtures("kinds")
def test_the_capability_page_shows_the_data_and_the_spec_limits_not_the_answer(world, client_for):
    html = page(client_for(world.member), "capability")
    assert "LSL 30" in html and "USL 60" in html and "specification limits" in html
    cells = re.findall(r"<td>([^<]*)</td>", html)
    assert cells[:4] == ["1", "49", "2", "32"]
    assert (
        'for="ask-cpk">Cpk</label>' in html
        and 'name="ask-cpk" type="text" inputmode="decimal"' in html
    )
    assert "0.3997" not in html and "41.41" not in html


@pytest.mark.usefixtures("kinds")
def test_the_compute_page_labels_the_inputs_under_each_prompt(world, client_for):
    html = page(client_for(world.member), "compute")
    assert '<th scope="row">Available time (minutes)</th><td>480</td>' in html
    assert '<th scope="row">Demand in that time</th><td>32</td>' in html
    assert '<th scope="col">Result (y)</th>' in html and "<td>+1</td>" in html
    assert 'for="answer-0">Your answer (minutes)' in html
    assert 'aria-describedby="prompt-0"' in html and 'inputmode="decimal"' in html
    form = html[html.index('<form method="post" novalidate>') :]
    form = form[: form.index("</form>")]
    assert ">15<" not in form and ">7<" not in form


@pytest.mark.usefixtures("kinds")
def test_the_limits_page_says_which_point_and_asks_for_each_line(world, client_for):
    html = page(client_for(world.member), "limits")
    assert "Give the values at point 2" in html
    for field, label in (("value", "The centre line"), ("ucl", "The upper control limit"),
                         ("lcl", "The lower control limit")):  # fmt: skip
        assert f'<label for="{field}">{label}</label><input id="{field}" name="{field}"' in html


@pytest.mark.parametrize(
    ("slug", "post", "kept"),
    [
        ("fmea", {**FMEA_RIGHT, "rpn-2": "one fifty"}, 'value="one fifty"'),
        ("capability", {"ask-cpk": "0.4", "ask-mean": "x", "ask-observed_percent_outside": "4"}, 'value="0.4"'),
        ("compute", {"answer-0": "15", "answer-1": "seven"}, 'value="15"'),
        ("limits", {"value": "0.1", "ucl": "0.14", "lcl": "zero"}, 'value="0.14"'),
    ],
)  # fmt: skip
@pytest.mark.usefixtures("kinds")
def test_a_malformed_number_is_refused_on_the_page_and_nothing_is_lost(
    world, client_for, slug, post, kept
):
    response = client_for(world.member).post(f"/learn/lessons/{slug}/exercise/", post)
    html = response.content.decode()
    assert response.status_code == 422 and "as a number" in html
    assert "result-banner" not in html and not ExerciseAttempt.objects.exists()
    assert kept in html  # what was typed is still in the form
    if slug == "fmea":
        assert '<option value="4" selected>4</option>' in html  # priorities kept too


# --- content check ----------------------------------------------------------------------------


def problems_with(tree: Path, exercise: str) -> list[str]:
    write_lesson(tree / "foundation" / "01-basics", "03-new", "new", exercise=exercise)
    return [str(p) for p in read_curriculum(tree)[1]]


def one(tree: Path, exercise: str, pattern: str) -> str:
    found = problems_with(tree, exercise)
    matching = [p for p in found if re.search(pattern, p)]
    assert matching, f"no problem matching {pattern!r} in {found}"
    assert all("03-new.exercise.yaml:" in p for p in matching)
    return matching[0]


@pytest.mark.parametrize("slug", ["fmea", "capability", "compute", "limits"])
def test_the_new_kinds_examples_pass_the_check(tree, slug):
    assert problems_with(tree, EXERCISES[slug][0]) == []


FMEA = EXERCISES["fmea"][0]
CAPABILITY = EXERCISES["capability"][0]
COMPUTE = EXERCISES["compute"][0]
LIMITS_YAML = EXERCISES["limits"][0]


@pytest.mark.parametrize(
    ("exercise", "pattern"),
    [
        (FMEA.replace("severity: 9,", "severity: 11,"), r"severity must be a whole number from 1 to 10 \(got 11\)"),
        (FMEA.replace("occurrence: 3,", "occurrence: 0,"), "occurrence must be a whole number from 1 to 10"),
        (FMEA.replace("detection: 6}", "detection: 2.5}"), "detection must be a whole number from 1 to 10"),
        (FMEA.replace("detection: 6}", "detection: 6, effect: x}"), "unknown field 'effect'"),
        (FMEA.replace("Air in the line", "Occlusion alarm silenced"), "'Occlusion alarm silenced' is listed twice"),
        (re.sub(r"  - \{label: \"(Air|Occlusion|Line).*\n", "", FMEA), "must list 4 to 8 failure modes"),
        (FMEA.replace('explanation: "RPN ranks the risks; severity still matters."\n', ""), "missing 'explanation'"),
        (CAPABILITY.replace("lsl: 30\nusl: 60\n", ""), "at least one specification limit"),
        (CAPABILITY.replace("lsl: 30\n", "").replace("{cpk: 0.02,", "{cp: 0.02, cpk: 0.02,"), "cp needs both 'lsl' and 'usl'"),
        (CAPABILITY.replace("mean: 0.1", "median: 0.1"), "'ask' key 'median' is not one of mean, sigma_within"),
        (CAPABILITY.replace("mean: 0.1", "mean: 0"), "the tolerance for 'mean' must be a positive number"),
        (CAPABILITY.replace("y: [49, 32, 37, 45, 35, ", "y: ["), "at least 20 values in time order \\(has 19\\)"),
        (CAPABILITY.replace("38, 53, 51, 36]", "38, 53, 51, 136]"), "the I chart of these values signals \\(a point beyond a limit: 24; an Anhøj runs signal\\)"),
        (CAPABILITY.replace("usl: 60", "usl: sixty"), "'usl' \\(a specification limit\\) must be a number"),
        (COMPUTE.replace("compute: takt_time", "compute: cycle_time"), "question 1: compute 'cycle_time' is not one of lead_time"),
        (COMPUTE.replace("{available_minutes: 480, demand: 32}", "{available_minutes: 480}"), "question 1: takt_time needs the input\\(s\\) demand"),
        (COMPUTE.replace("demand: 32}", "demand: 32, patients: 3}"), "takt_time takes no input\\(s\\) patients"),
        (COMPUTE.replace("demand: 32}", "demand: 0}"), "'demand' must be above zero"),
        (COMPUTE.replace("demand: 32}", "demand: lots}"), "'demand' must be a number"),
        (COMPUTE.replace("- {A: 1, B: -1, y: 36}", "- {A: -1, B: -1, y: 36}").replace("- {A: 1, B: 1, y: 40}", "- {A: -1, B: 1, y: 40}"), "question 2: factor 'A' needs runs at both -1 and \\+1"),
        (COMPUTE.replace("    tolerance: 0.1\n", ""), "question 1 is missing 'tolerance'"),
        (COMPUTE.replace("tolerance: 0.05", "tolerance: -1"), "question 2: 'tolerance' must be a positive number"),
        (LIMITS_YAML.replace("ask: [cl, ucl, lcl]", "ask: [cl, sigma]"), "'ask' lists what the learner computes, from cl, ucl and lcl"),
        (LIMITS_YAML.replace("at: 1", "at: 4"), "'at' is the 0-based point whose limits are asked: a whole number from 0 to 3 \\(got 4\\)"),
        (LIMITS_YAML.replace("y: [30, 50, 40, 80]\nn: [400, 500, 400, 700]", "y: [3, 5, 4, 8]\nn: [40, 50, 40, 70]"), "a p chart has no lower control limit at point 1 \\(the formula gives a value below zero"),
        (LIMITS_YAML.replace("chart: p", "chart: run").replace("n: [400, 500, 400, 700]\n", ""), "a run chart has no upper control limit at point 1"),
    ],
)  # fmt: skip
def test_bad_data_for_the_new_kinds_is_a_clear_error(tree, exercise, pattern):
    one(tree, exercise, pattern)


def test_compute_value_needs_one_to_four_questions(tree):
    five = COMPUTE.replace(
        "explanation:",
        "".join(
            f'  - {{prompt: "Q{i}", compute: mean, inputs: {{values: [1, 2]}}, tolerance: 0.1}}\n'
            for i in range(3)
        )
        + "explanation:",
    )
    one(tree, five, "'questions' must list 1 to 4 questions")


def test_tied_rpns_are_not_an_error(tree):
    tied = FMEA.replace(
        "severity: 7, occurrence: 5, detection: 4", "severity: 5, occurrence: 6, detection: 5"
    )
    assert problems_with(tree, tied) == []


def test_every_compute_function_is_listed_in_the_content_format_docs():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "content-format.md").read_text()
    for name in compute_module.FUNCTIONS:
        assert f"`{name}`" in docs, name
    assert math.isfinite(
        compute_module.compute("rpn", {"severity": 1, "occurrence": 1, "detection": 1})
    )


def test_an_answer_exactly_on_the_tolerance_passes_and_just_beyond_fails():
    from champion.learning.grading.kinds import within

    assert within(41.3167, 41.4167, 0.1)  # 0.10000000000000142 in floating point
    assert within(15.1, 15, 0.1) and within(14.9, 15, 0.1)
    assert not within(15.1001, 15, 0.1) and not within(41.3166, 41.4167, 0.1)
