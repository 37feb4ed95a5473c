"""The numbers an aim states: baseline, target, unit with its scale, and the deadline."""

from __future__ import annotations

import datetime

import pytest

from champion.aims import read_numbers

D = datetime.date


@pytest.mark.parametrize(
    ("text", "baseline", "target", "unit", "scale", "deadline"),
    [
        ("Reduce falls on Ward 7 from 8 to 4 per 1,000 bed days by 31 March 2026",
         8, 4, "per 1,000 bed days", 1000, D(2026, 3, 31)),
        ("Increase screening from 62% to 90% by Q2 2027 for all admissions",
         62, 90, "%", 100, D(2027, 6, 30)),
        ("Reduce the median wait from 41 minutes to 30 minutes in ED by 31/12/2026",
         41, 30, "minutes", None, D(2026, 12, 31)),
        ("Cut length of stay to below 5 days for hip fracture patients by end of 2026",
         None, 5, "days", None, D(2026, 12, 31)),
        ("Reduce falls on Ward A from 8 to 4 a month by June 2026.",
         8, 4, "a month", None, D(2026, 6, 30)),
        ("Reduce pressure ulcers from a median of 3.5 to 1 per 10,000 bed days by March 5, 2027",
         3.5, 1, "per 10,000 bed days", 10000, D(2027, 3, 5)),
        ("Halve falls on Ward 7 by 2027", None, None, "", None, D(2027, 12, 31)),
        ("Improve handover", None, None, "", None, None),
    ],
)  # fmt: skip
def test_reads_the_numbers(text, baseline, target, unit, scale, deadline):
    n = read_numbers(text)
    assert (n.baseline, n.target, n.unit, n.scale, n.deadline) == (
        baseline, target, unit, scale, deadline
    )  # fmt: skip


def test_an_impossible_date_is_no_deadline():
    assert read_numbers("Reduce falls from 8 to 4 by 31/02/2026").deadline is None


def test_empty_text():
    assert read_numbers("").target is None and read_numbers(None).deadline is None  # type: ignore[arg-type]
