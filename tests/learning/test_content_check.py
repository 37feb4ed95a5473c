"""`champion content check` catches every kind of error, with the file and line."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import pytest
import yaml

from champion.learning.content.parse import read_curriculum
from champion.learning.content.schema import NUMBERED_STEP
from champion.learning.grading import spc_data
from tests.learning.conftest import write_lesson

REPO_CONTENT = Path(__file__).resolve().parents[2] / "content"


def repo_lesson_files() -> int:
    """How many lesson files the repository's curriculum holds (every tier, every module)."""
    return len(list(REPO_CONTENT.glob("*/*/*.md")))


def problems(root: Path) -> list[str]:
    return [str(p) for p in read_curriculum(root)[1]]


def test_a_valid_tree_has_no_problems(tree):
    assert problems(tree) == []


def test_the_real_curriculum_passes_the_check():
    curriculum, found = read_curriculum(REPO_CONTENT)
    assert found == []
    assert len(curriculum.lessons()) == repo_lesson_files() >= 16


def one(root: Path, pattern: str) -> str:
    found = problems(root)
    matching = [p for p in found if re.search(pattern, p)]
    assert matching, f"no problem matching {pattern!r} in {found}"
    return matching[0]


def test_duplicate_lesson_slugs_are_reported(tree):
    write_lesson(tree / "foundation" / "01-basics", "03-again", "first")
    assert "03-again.md:2: slug 'first' is also used by" in one(tree, "also used by")


def test_missing_and_unknown_front_matter_fields(tree):
    path = tree / "foundation" / "01-basics" / "01-first.md"
    path.write_text(path.read_text().replace("minutes: 6\n", "minuets: 6\n"))
    one(tree, r"01-first.md:\d+: missing field 'minutes'")
    one(tree, r"01-first.md:\d+: unknown field 'minuets'")


def test_every_choice_needs_an_explanation(tree):
    path = tree / "foundation" / "01-basics" / "01-first.quiz.yaml"
    text = path.read_text()
    path.write_text(text.replace("        explanation: Why choice 1 is not right.", "", 1))
    assert re.search(
        r"01-first.quiz.yaml:\d+: question first-q0: choice 2 has no explanation",
        one(tree, "no explanation"),
    )


def test_a_single_question_has_exactly_one_correct_choice(tree):
    path = tree / "foundation" / "01-basics" / "01-first.quiz.yaml"
    path.write_text(path.read_text().replace("correct: false", "correct: true", 1))
    one(tree, r"question first-q0: a 'single' question has exactly one correct choice \(has 2\)")


def test_a_bank_needs_ten_questions_and_unique_ids(tree):
    # Issue 12 raised the minimum from 5 to 10 so that retakes see new questions.
    write_lesson(tree / "foundation" / "01-basics", "03-short", "short", questions=9)
    one(tree, r"03-short.quiz.yaml:\d+: a bank needs at least 10 questions \(has 9\)")
    path = tree / "foundation" / "01-basics" / "01-first.quiz.yaml"
    path.write_text(path.read_text().replace("id: first-q1", "id: first-q0"))
    one(tree, r"question id 'first-q0' is used twice")


def test_cited_sources_must_exist(tree):
    write_lesson(tree / "foundation" / "01-basics", "03-cites", "cites", sources="[nobody2020]")
    one(tree, r"03-cites.md:\d+: source 'nobody2020' is not in content/sources")


def test_lesson_links_must_resolve_with_their_line(tree):
    write_lesson(
        tree / "foundation" / "01-basics",
        "03-links",
        "links",
        body="[gone](lesson:nowhere)\n\n" + "word " * 120,
    )
    # Lines 1-10 are front matter, 11 is blank, 12 "## Start", 13 blank, 14 the link.
    assert one(tree, "lesson:nowhere").endswith(
        "03-links.md:14: link to lesson:nowhere but no lesson has that slug"
    )


def test_prerequisites_must_exist_and_not_cycle(tree):
    write_lesson(tree / "foundation" / "01-basics", "03-pre", "pre", prerequisites="[missing-one]")
    one(tree, "prerequisite 'missing-one' is not a lesson slug")
    path = tree / "foundation" / "01-basics" / "01-first.md"
    path.write_text(path.read_text().replace("prerequisites: []", "prerequisites: [second]"))
    one(tree, "prerequisites form a cycle")


def test_bad_yaml_is_reported_with_its_line(tree):
    (tree / "foundation" / "01-basics" / "01-first.quiz.yaml").write_text(
        "questions:\n  - id: [unclosed\n"
    )
    one(tree, r"01-first.quiz.yaml:\d+: not valid YAML")


def test_an_exercise_category_must_exist(tree):
    path = tree / "foundation" / "01-basics" / "01-first.exercise.yaml"
    path.write_text(path.read_text().replace("category: motion", "category: walking"))
    one(
        tree, r"01-first.exercise.yaml:\d+: item 2: category 'walking' is not one of the categories"
    )


def test_order_steps_must_not_give_away_their_position(tree):
    from tests.learning.test_exercise_pages import EXERCISES

    exercise = EXERCISES["order"][0].replace(
        "[Plan, Do, Study, Act]", '["Cycle 1: plan", Do, Study, Act]'
    )
    write_lesson(tree / "foundation" / "01-basics", "03-order", "order", exercise=exercise)
    one(tree, r"03-order.exercise.yaml:\d+: step 1 starts with its number \('Cycle 1: plan'")
    for fine in ("Two nurses test it in one bay", "10 p.m. round: offer the toilet"):
        assert not NUMBERED_STEP.match(fine)
    for numbered in ("Step 2 - audit", "3. Act", "(4) study", "phase 1: plan"):
        assert NUMBERED_STEP.match(numbered)


def test_spc_data_is_run_through_the_engine(tree):
    path = tree / "foundation" / "01-basics" / "02-second.exercise.yaml"
    path.write_text(
        "kind: spc_signals\ntitle: Signals\ninstructions: Mark them.\nchart: p\nrules: [ihi]\n"
        "y: [5, 12, 3]\nn: [10, 10, 10]\nexplanation: Why.\n"
    )
    one(tree, r"02-second.exercise.yaml:\d+: champion.spc cannot analyse this data")


def test_unknown_chart_codes_and_kinds_are_errors(tree):
    path = tree / "foundation" / "01-basics" / "02-second.exercise.yaml"
    path.write_text(
        "kind: choose_chart\ntitle: Charts\ninstructions: Pick.\nscenarios:\n"
        "  - {text: Falls per month, answer: pie, explanation: No.}\n"
        "  - {text: Waits, answer: i, explanation: Yes.}\n"
    )
    one(tree, "answer 'pie' is not a champion.spc chart code")
    path.write_text("kind: crossword\ntitle: X\ninstructions: Y\n")
    one(tree, "kind 'crossword' must be one of")


def test_the_example_aim_must_pass_the_platforms_own_check(tree):
    path = tree / "foundation" / "01-basics" / "02-second.exercise.yaml"
    path.write_text(
        "kind: aim_statement\ntitle: Aim\ninstructions: Write.\nscenario: A ward.\nexample: Be better.\n"
    )
    one(tree, "the example aim fails the platform's own check")


def test_iso_date_labels_become_dates_not_text():
    labels = spc_data.parse_x(["2025-01-06", "2025-01-13", "2025-01-20"])
    assert labels == [
        datetime.date(2025, 1, 6),
        datetime.date(2025, 1, 13),
        datetime.date(2025, 1, 20),
    ]
    analysis = spc_data.analyse(
        {"chart": "run", "y": [3, 1, 2], "x": ["2025-01-20", "2025-01-06", "2025-01-13"]}
    )
    assert analysis.points["x"].dtype.kind == "M"  # datetime64, ordered by date
    assert spc_data.parse_x(["Mon", "Tue"]) == ["Mon", "Tue"]


def test_the_command_exits_non_zero_with_one_line_per_problem(tree, capsys):
    from champion.cli import main

    write_lesson(tree / "foundation" / "01-basics", "03-cites", "cites", sources="[nobody2020]")
    assert main(["content", "check", "--dir", str(tree)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("content/foundation/01-basics/03-cites.md:")
    assert err[-1].startswith("1 problem(s)")
    assert main(["content", "check", "--dir", str(tree / "nowhere")]) == 1


@pytest.mark.django_db
def test_stats_json_prints_one_record_per_tier(capsys):
    from champion.cli import main

    assert main(["content", "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert [t["slug"] for t in stats["tiers"]] == ["foundation", "practitioner", "leader"]
    foundation = stats["tiers"][0]
    # Exact counts, taken from the files so that new lessons do not need this test edited.
    tier = REPO_CONTENT / "foundation"
    modules = [m for m in tier.iterdir() if (m / "module.yaml").exists()]
    assert foundation["modules"] == len(modules) >= 3
    assert foundation["lessons"] == sum(len(list(m.glob("*.md"))) for m in modules) >= 16
    assert foundation["quiz_questions"] >= 80
    assert foundation["exercises"] == sum(len(list(m.glob("*.exercise.yaml"))) for m in modules)
    # The other tiers' counts, too, come from the files.
    assert stats["tiers"][1] == _counts_from_files("practitioner")
    assert stats["tiers"][1]["lessons"] >= 5
    assert stats["tiers"][1]["quiz_questions"] >= 10 * stats["tiers"][1]["lessons"]
    assert stats["tiers"][2] == _counts_from_files("leader")


def _counts_from_files(slug: str) -> dict[str, object]:
    modules = [m for m in (REPO_CONTENT / slug).iterdir() if (m / "module.yaml").exists()]
    return {
        "slug": slug,
        "modules": len(modules),
        "lessons": sum(len(list(m.glob("*.md"))) for m in modules),
        "quiz_questions": sum(
            len(yaml.safe_load(q.read_text(encoding="utf-8"))["questions"])
            for m in modules
            for q in m.glob("*.quiz.yaml")
        ),
        "exercises": sum(len(list(m.glob("*.exercise.yaml"))) for m in modules),
    }


def test_check_and_stats_need_no_settings_database_or_secret_key(tree):
    """CI and content authors run them anywhere: reading files needs no Django settings."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    champion = str(Path(sys.executable).parent / "champion")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    check = subprocess.run([champion, "content", "check"], env=env, capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    assert check.stdout.startswith(f"Content OK: {repo_lesson_files()} lessons")
    stats = subprocess.run(
        [champion, "content", "stats", "--json"], env=env, capture_output=True, text=True
    )
    assert stats.returncode == 0, stats.stderr
    assert [t["slug"] for t in json.loads(stats.stdout)["tiers"]] == [
        "foundation",
        "practitioner",
        "leader",
    ]
    # A broken tree: check fails with the file and line; stats still counts but says so.
    write_lesson(tree / "foundation" / "01-basics", "03-cites", "cites", sources="[nobody2020]")
    broken = subprocess.run(
        [champion, "content", "check", "--dir", str(tree)], env=env, capture_output=True, text=True
    )
    assert broken.returncode == 1 and "03-cites.md:" in broken.stderr
    counted = subprocess.run(
        [champion, "content", "stats", "--dir", str(tree)], env=env, capture_output=True, text=True
    )
    assert counted.returncode == 0 and "foundation     1 modules, 3 lessons" in counted.stdout
    assert "1 problem(s)" in counted.stderr


def test_only_the_example_aim_itself_is_checked_not_its_explanation(tree):
    path = tree / "foundation" / "01-basics" / "02-second.exercise.yaml"
    path.write_text(
        "kind: aim_statement\ntitle: Aim\ninstructions: Write.\nscenario: A ward.\nexample: |\n"
        '  "Reduce falls among adult inpatients on Ward 12."\n\n'
        "  This falls from 6.3 to 3 per 1,000 bed-days by 31 December.\n"
    )
    found = one(tree, "the example aim fails the platform's own check")
    assert found.endswith("no how much, by when")
    path.write_text(
        "kind: aim_statement\ntitle: Aim\ninstructions: Write.\nscenario: A ward.\nexample: |\n"
        '  "Put bed alarms on all 28 beds on Ward 7B by March."\n\n  A change idea.\n'
    )
    assert one(tree, "fails the platform's own check").endswith("no result, how much")
