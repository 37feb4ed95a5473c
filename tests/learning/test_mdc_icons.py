"""`mdc_icons`: reading a board's charts with the Making Data Count icons.

The answer key is always the engine's own icons (the ones the measure pages show); the
learner's own unit's measures replace the bundled charts when the exercise asks for them,
and posted measure ids are re-checked (never trusted) before anything is graded.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext

from champion import spc
from champion.learning.content.load import load_content
from champion.learning.content.parse import read_curriculum
from champion.learning.grading import GradingError, grade, mdc, read_answer
from champion.learning.models import ExerciseAttempt
from champion.learning.views.exercise import choice_icon
from champion.measures.analysis import refresh
from champion.measures.models import DataPoint, Measure
from tests.learning.conftest import make_tree, write_lesson
from tests.learning.test_exercise_pages import EXERCISES
from tests.measures.conftest import months

YAML, RIGHT, _WRONG = EXERCISES["mdc"]
OWN_YAML = YAML.replace("explanation:", "own_data: true\nexplanation:", 1)
URL = "/learn/lessons/{}/exercise/"


class Post(dict):
    def getlist(self, key):
        value = self.get(key, [])
        return value if isinstance(value, list) else [value]


def data() -> dict:
    loaded = yaml.safe_load(YAML)
    return {k: v for k, v in loaded.items() if k not in ("kind", "title", "instructions")}


def graded(post: dict):
    d = data()
    return grade("mdc_icons", d, read_answer("mdc_icons", d, Post(post)))


# --- The grader -------------------------------------------------------------------------------


def test_the_key_is_the_engines_own_icons():
    for chart in data()["charts"]:
        x = chart.get("x")
        engine = spc.analyze(
            chart["y"],
            chart=chart["chart"],
            n=chart.get("n"),
            freeze=chart.get("freeze"),
            rules=("mdc",),
            improvement=chart["improvement"],
            target=chart.get("target"),
        )
        assert x is None or len(x) == len(chart["y"])
        assert mdc.icons(engine) == mdc.icons(mdc.analyse_chart(chart))
    result = graded(RIGHT)
    assert [(r["variation"], r["assurance"]) for r in result.feedback["charts"]] == [
        ("common_cause", "fail"),
        ("improvement", "hit_and_miss"),
        ("concern", "none"),
    ]


def test_right_answers_pass_with_reasons_from_the_engine():
    result = graded(RIGHT)
    assert result.passed and result.score == 1
    first, second, third = result.feedback["charts"]
    assert "No Making Data Count rule fires at the last point" in first["why_variation"]
    # Target 5 against limits 6.28 to 14.12 with lower better: no point can pass.
    assert "6.2806 to 14.1194" in first["why_assurance"]
    assert "consistently miss" in first["why_assurance"]
    assert "7 or more points on the same side" in second["why_variation"]
    assert "special cause of improvement" in second["why_variation"]
    assert "between the limits" in second["why_assurance"]
    # The last theatre month, 70, is below the lower limit and higher is better.
    assert "Apr 2026" not in third["why_variation"]  # labels shown as written
    assert "2026-04: 70" in third["why_variation"]
    assert "outside the process limits" in third["why_variation"]
    assert "special cause of concern" in third["why_variation"]
    assert "no target" in third["why_assurance"]
    # RAG said red for a stable process: the chart says nothing has changed.
    assert first["rag_contrast"].startswith("The RAG table said red")
    assert "nothing has changed" in first["rag_contrast"]
    assert "red hid a real improvement" in second["rag_contrast"]
    assert "green hid a real deterioration" in third["rag_contrast"]


def test_one_icon_wrong_fails_and_says_which():
    result = graded({**RIGHT, "assurance-1": "pass"})
    assert not result.passed and result.score == pytest.approx(5 / 6)
    row = result.feedback["charts"][1]
    assert row["variation_correct"] and not row["assurance_correct"]
    assert row["chosen_assurance_label"] == "The target will consistently be met"
    assert row["assurance_label"] == "The target will be met and missed at random"


def test_all_wrong_scores_nothing():
    wrong = {
        "variation-0": "concern",
        "assurance-0": "pass",
        "variation-1": "common_cause",
        "assurance-1": "none",
        "variation-2": "improvement",
        "assurance-2": "fail",
    }
    result = graded(wrong)
    assert result.score == 0 and not result.passed


def test_an_empty_answer_is_refused():
    with pytest.raises(GradingError, match="You have not answered yet"):
        read_answer("mdc_icons", data(), Post({}))
    with pytest.raises(GradingError, match="You have not answered yet"):
        read_answer("mdc_icons", data(), Post({"variation-0": "nonsense"}))


def test_a_part_answer_is_refused_naming_the_chart():
    post = {k: v for k, v in RIGHT.items() if k != "assurance-2"}
    with pytest.raises(GradingError, match=r"chart 3 \(assurance\)"):
        read_answer("mdc_icons", data(), Post(post))


def test_the_choices_use_the_measure_pages_words_and_icons():
    from champion.measures.summary import Summary
    from champion.measures.templatetags import measure_tags

    assert mdc.variation_choices()["concern"] == measure_tags.VARIATION["concern"]
    icon = choice_icon("variation", "improvement", "down")
    assert icon == measure_tags.variation_icon(
        Summary(variation="improvement", direction="down"), 32
    )
    assert "(lower)" in icon  # the text says it, not colour alone
    assert "consistently be missed" in choice_icon("assurance", "fail", "up")


# --- The page ---------------------------------------------------------------------------------


def _load(tmp_path: Path, **exercises: str) -> None:
    root = make_tree(tmp_path)
    folder = root / "foundation" / "01-basics"
    for n, (slug, text) in enumerate(exercises.items(), start=3):
        write_lesson(folder, f"{n:02d}-{slug}", slug, exercise=text)
    load_content(root)


@pytest.fixture
def pages(db, tmp_path):
    _load(tmp_path, mdc=YAML, mdcown=OWN_YAML)


def test_the_page_has_a_labelled_radio_group_per_icon(pages, world, client_for):
    html = client_for(world.member).get(URL.format("mdc")).content.decode()
    assert html.count("<fieldset") == 6 and html.count("<legend>") == 6
    assert "Chart 2: which assurance icon?" in html
    for i in range(3):
        for key in ("common_cause", "improvement", "concern"):
            assert f'<label for="variation-{i}-{key}">' in html
        assert f'id="assurance-{i}-none"' in html
    assert "RAG said: red" in html and "RAG said: green" in html
    assert "Target: <strong>5</strong>" in html and "No target." in html
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))  # three charts, no id twice
    assert "own unit" not in html


def test_empty_and_part_answers_are_refused_and_kept(pages, world, client_for):
    client = client_for(world.member)
    response = client.post(URL.format("mdc"), {})
    assert response.status_code == 422 and b"You have not answered yet" in response.content
    response = client.post(URL.format("mdc"), {"variation-0": "concern"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'value="concern" checked' in html  # nothing the learner chose is lost
    assert not ExerciseAttempt.objects.exists()


def test_feedback_shows_the_icons_and_why(pages, world, client_for):
    response = client_for(world.member).post(URL.format("mdc"), {**RIGHT, "variation-0": "concern"})
    html = response.content.decode()
    assert response.status_code == 200 and "Not yet" in html and "5 of 6" in html
    assert "You chose: Special cause variation: concern" in html
    assert "The RAG table said red" in html
    assert 'class="mdc-icon"' in html


# --- Own data ---------------------------------------------------------------------------------

STABLE = [10, 11, 9, 10, 12, 9, 10, 11, 10, 9, 11, 10, 12, 9, 10, 11, 9, 10, 11, 10]
RISING = [10, 11, 9, 10, 12, 9, 10, 11, 10, 9, 11, 10, 13, 14, 13, 14, 15, 14, 13, 14]


def measure(unit, name, values, **fields):
    fields = {"chart": "i", "improvement": "down", **fields}
    m = Measure.objects.create(unit=unit, name=name, definition="x", **fields)
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=d, value=v)
        for d, v in zip(months(len(values)), values, strict=True)
    )
    refresh(m)
    m.refresh_from_db()
    return m


def measure_ids(html: str) -> list[str]:
    return re.findall(r'name="measure" value="(\d+)"', html)


def answers_for(measures: list[Measure]) -> dict[str, str]:
    """The icons the measure pages show (the stored summary), chart by chart."""
    post: dict[str, object] = {"measure": [str(m.pk) for m in measures]}
    for i, m in enumerate(measures):
        post[f"variation-{i}"] = m.summary.variation
        post[f"assurance-{i}"] = m.summary.assurance or "none"
    return post


def test_own_data_uses_the_learners_unit_measures(pages, world, client_for):
    worse = measure(world.ward_a, "Pressure ulcers", RISING, target=12)
    calm = measure(world.ward_a, "Call bell waits", STABLE, target=20)
    assert (worse.summary.variation, worse.summary.assurance) == ("concern", "hit_and_miss")
    assert (calm.summary.variation, calm.summary.assurance) == ("common_cause", "pass")
    measure(world.ward_b, "Another ward's measure", STABLE)  # not the member's unit
    measure(world.ward_a, "No better direction", STABLE, improvement="")
    measure(world.ward_a, "Too short", STABLE[:11])
    measure(world.ward_a, "A run chart", STABLE, chart="run")
    client = client_for(world.member)
    html = client.get(URL.format("mdcown")).content.decode()
    assert (
        "These are your own unit's charts: Call bell waits (Ward A); Pressure ulcers (Ward A)."
        in html
    )
    assert measure_ids(html) == [str(calm.pk), str(worse.pk)]  # by name, in the home unit
    assert "Another ward" not in html and "Too short" not in html and "Emergency" not in html
    response = client.post(URL.format("mdcown"), answers_for([calm, worse]))
    assert response.status_code == 200 and b"Passed" in response.content
    attempt = ExerciseAttempt.objects.get(user=world.member)
    assert attempt.passed and attempt.answer["measures"] == [calm.pk, worse.pk]
    assert [c["title"] for c in attempt.feedback["charts"]] == [
        "Call bell waits (Ward A)",
        "Pressure ulcers (Ward A)",
    ]
    # One icon wrong on the learner's own chart: graded the same way.
    post = {**answers_for([calm, worse]), "variation-1": "common_cause"}
    response = client.post(URL.format("mdcown"), post)
    assert b"Not yet" in response.content


def test_without_own_measures_the_bundled_charts_are_used(pages, world, client_for):
    measure(world.ward_b, "Another ward's measure", STABLE)
    client = client_for(world.member)
    html = client.get(URL.format("mdcown")).content.decode()
    assert "own unit" not in html and not measure_ids(html)
    assert "Emergency department waits" in html
    response = client.post(URL.format("mdcown"), RIGHT)
    assert b"Passed" in response.content


@pytest.mark.parametrize("whose", ["other_org", "other_ward", "garbage", "too_many"])
def test_tampered_measure_ids_are_refused(pages, world, client_for, whose):
    own = measure(world.ward_a, "Call bell waits", STABLE, target=20)
    theirs = {
        "other_org": lambda: [str(measure(world.other_ward, "Elsewhere", STABLE).pk)],
        "other_ward": lambda: [str(measure(world.ward_b, "Ward B's", STABLE).pk)],
        "garbage": lambda: ["1 OR 1=1"],
        "too_many": lambda: [str(own.pk)] * 2,
    }[whose]()
    post = {**answers_for([own]), "measure": theirs}
    for i in range(len(theirs)):
        post.setdefault(f"variation-{i}", "common_cause")
        post.setdefault(f"assurance-{i}", "pass")
    response = client_for(world.member).post(URL.format("mdcown"), post)
    assert response.status_code == 422
    assert b"not ones you can use" in response.content
    assert not ExerciseAttempt.objects.exists()


def test_the_queries_do_not_grow_with_the_number_of_measures(pages, world, client_for):
    client = client_for(world.member)
    for i in range(3):
        measure(world.ward_a, f"Measure {i}", STABLE)
    client.get(URL.format("mdcown"))
    with CaptureQueriesContext(connection) as few:
        client.get(URL.format("mdcown"))
    for i in range(3, 12):
        measure(world.ward_a, f"Measure {i}", STABLE)
    with CaptureQueriesContext(connection) as many:
        html = client.get(URL.format("mdcown")).content.decode()
    assert len(measure_ids(html)) == 3
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Content check ----------------------------------------------------------------------------


def problems(tmp_path: Path, text: str) -> list[str]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    root = make_tree(tmp_path)
    write_lesson(root / "foundation" / "01-basics", "03-mdc", "mdc", exercise=text)
    return [p.message for p in read_curriculum(root)[1]]


def chart_yaml(**changes: object) -> str:
    loaded = yaml.safe_load(YAML)
    chart = {**loaded["charts"][0], **changes}
    for key, value in list(chart.items()):
        if value is None:
            del chart[key]
    loaded["charts"] = [chart]
    return yaml.safe_dump(loaded, sort_keys=False)


def test_the_bundled_example_passes_the_check(tmp_path):
    assert problems(tmp_path, YAML) == []
    assert problems(tmp_path / "own", OWN_YAML) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"chart": "run"}, "must be a chart with limits"),
        ({"improvement": None}, "missing 'improvement'"),
        ({"improvement": "sideways"}, "must be up or down"),
        ({"y": [10, 11, 9, 10, 12, 9, 10, 11, 10, 9]}, "needs at least 15 points"),
        ({"rag": "purple"}, "'rag' must be red, amber or green"),
        ({"target": "five"}, "'target' must be a number"),
        ({"target": 5000}, "far outside the data"),
        ({"chart": "u"}, "a u chart needs denominators 'n'"),
        ({"chart": "p", "n": [5] * 20, "target": 0.5}, "champion.spc cannot analyse"),
        ({"colour": "red"}, "unknown field 'colour'"),
        ({"title": None}, "missing 'title'"),
    ],
)
def test_bad_charts_are_refused(tmp_path, changes, message):
    found = problems(tmp_path, chart_yaml(**changes))
    assert any(message in p for p in found), found


def test_a_p_chart_target_must_be_a_proportion(tmp_path):
    y = [40, 42, 41, 39, 40, 43, 41, 40, 42, 39, 41, 40, 42, 41, 40, 41]
    found = problems(tmp_path, chart_yaml(chart="p", y=y, n=[50] * 16, target=85))
    assert any("its target is between 0 and 1" in p for p in found), found


def test_too_many_charts_are_refused(tmp_path):
    loaded = yaml.safe_load(YAML)
    loaded["charts"] = loaded["charts"] + loaded["charts"]
    found = problems(tmp_path, yaml.safe_dump(loaded))
    assert any("1 to 4 charts" in p for p in found), found


def test_a_chart_without_icons_is_refused(tmp_path, monkeypatch):
    # The engine gives no variation icon (as for a chart whose better direction it cannot
    # use): the check says so rather than letting a learner meet an ungradable chart.
    real = spc.analyze

    def no_icons(*args, **kwargs):
        return dataclasses.replace(real(*args, **kwargs), variation_icon=None)

    monkeypatch.setattr(mdc.spc, "analyze", no_icons)
    found = problems(tmp_path, chart_yaml())
    assert any("cannot give this chart a Making Data Count variation icon" in p for p in found)


@pytest.mark.parametrize(
    ("rag", "variation", "assurance", "says"),
    [
        ("red", "common_cause", "hit_and_miss", "so red is not news"),
        ("amber", "common_cause", "fail", "so amber is not news"),
        ("green", "common_cause", "pass", "so green is not news"),
        ("red", "concern", "fail", "here red and the chart agree"),
        ("amber", "concern", "none", "so amber hid a real deterioration"),
        ("green", "improvement", "pass", "here green and the chart agree"),
        ("amber", "improvement", "hit_and_miss", "so amber hid a real improvement"),
    ],
)
def test_the_rag_sentence_contrasts_the_colour_with_the_chart(rag, variation, assurance, says):
    sentence = mdc.rag_contrast(rag, variation, assurance)
    assert sentence.startswith(f"The RAG table said {rag}, from one period's value")
    assert says in sentence
    assert {
        "pass": "keep meeting",
        "fail": "keep missing",
        "hit_and_miss": "at random",
        "none": "no target",
    }[assurance] in sentence
