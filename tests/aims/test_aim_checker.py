"""The aim checker: how much, by when, for whom, and what is missing, in plain words."""

import pytest

from champion.aims import check_aim

GOOD = [
    "Reduce inpatient falls on Ward 7 from 8 to 4 per 1,000 bed days by 31 March 2026.",
    "Increase the proportion of patients discharged before noon to 40% by June 2026.",
    "Triage 90% of patients arriving at the emergency department within 15 minutes by June 2026.",
    "Cut waits for patients in outpatients to under 18 days within 6 months.",
]


@pytest.mark.parametrize("text", GOOD)
def test_complete_aims_pass(text):
    check = check_aim(text)
    assert check.ok and check.missing == [] and check.advice == []


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Improve handover", ["how much", "by when", "for whom"]),
        ("Reduce falls by 50%", ["by when", "for whom"]),
        ("Reduce falls by 50% by March 2026", ["for whom"]),
        ("Reduce falls for patients on Ward 7 by March 2026", ["how much"]),
        ("Reduce falls on Ward 7 from 8 to 4 a month", ["by when"]),
    ],
)
def test_what_is_missing_is_named(text, missing):
    assert check_aim(text).missing == missing


def test_each_missing_part_comes_with_advice():
    advice = check_aim("Reduce falls by 50%").advice
    assert len(advice) == 2 and advice[0].startswith("Say by when") and "for whom" in advice[1]


def test_an_empty_aim_is_not_ok_and_asks_for_an_aim():
    check = check_aim("   ")
    assert not check.ok and check.empty
    assert check.advice == ["Write an aim: what will improve, by how much, by when and for whom."]


def test_the_checker_is_pure_python():
    import pathlib

    import champion.aims.checker as aims

    code = pathlib.Path(aims.__file__).read_text().split('"""')[-1]
    assert "import django" not in code and "from django" not in code


@pytest.mark.parametrize(
    "text",
    [
        "Improve handover for patients on Ward 7 by 31 March 2026.",
        "Improve handover for patients on Ward 12 by 1/3/2027.",
        "Improve handover for patients on Ward 7 within 6 months.",
    ],
)
def test_numbers_in_dates_and_place_names_are_not_an_amount(text):
    assert check_aim(text).missing == ["how much"]


def test_a_solution_in_the_aim_is_a_note_not_a_failure():
    check = check_aim("Halve falls for patients on Ward 3 by June 2026 by introducing bed alarms.")
    assert check.ok and any("solution" in note for note in check.notes)


@pytest.mark.parametrize(
    "text", [*GOOD, "Improve handover", "Reduce falls by 50%", "Reduce falls by 50% by March 2026"]
)
def test_a_lesson_and_a_project_charter_judge_an_aim_alike(text):
    from champion.learning.grading import grade

    assert grade("aim_statement", {}, {"text": text}).passed is check_aim(text).ok
