"""The aim checker: how much, by when, for whom, and what is missing, in plain words."""

import pytest

from champion.improvement.aims import check_aim

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

    import champion.improvement.aims as aims

    code = pathlib.Path(aims.__file__).read_text().split('"""')[-1]
    assert "import django" not in code and "from django" not in code
