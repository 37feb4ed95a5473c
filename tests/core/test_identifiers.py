"""The patient-identifier detector every upload uses: headers and values that identify a person."""

import pytest

from champion.core.identifiers import (
    explain,
    find_identifiers,
    identifiers_in_text,
    is_nhs_number,
)


@pytest.mark.parametrize("number", ["943 476 5919", "9434765919", "401-023-2137"])
def test_valid_nhs_numbers_are_recognised(number):
    assert is_nhs_number(number)


@pytest.mark.parametrize(
    "number", ["943 476 5918", "1234567890", "0000000000", "94347659", "2024-01-31"]
)
def test_other_numbers_are_not(number):
    assert not is_nhs_number(number)


@pytest.mark.parametrize(
    "header",
    [
        "Patient Name",
        "surname",
        "MRN",
        "Hospital number",
        "D.O.B.",
        "date_of_birth",
        "NHS No",
        "SSN",
        "Postcode",
    ],
)
def test_identifying_headers_are_found(header):
    findings = find_identifiers(["month", header, "falls"])
    assert [f.column for f in findings] == [header]


def test_improvement_data_passes():
    columns = ["month", "ward", "falls", "bed_days", "admission date", "readmitted"]
    rows = [
        {
            "month": "2024-01",
            "ward": "Ward 7",
            "falls": "4",
            "bed_days": "812",
            "admission date": "2024-01-02",
            "readmitted": "no",
        }
    ]
    assert find_identifiers(columns, rows) == []


def test_values_that_look_like_national_numbers_are_found_whatever_the_header():
    rows = [{"ref": "943 476 5919"}, {"ref": "401 023 2137"}, {"ref": ""}]
    assert find_identifiers(["ref"], rows)[0].reason == "its values look like NHS numbers"
    rows = [{"code": "123-45-6789"}, {"code": "987-65-4321"}]
    assert "social security" in find_identifiers(["code"], rows)[0].reason


def test_a_column_mixing_nhs_and_social_security_numbers_is_found():
    rows = [{"ref": "943 476 5919"}, {"ref": "123-45-6789"}, {"ref": "12"}]
    assert find_identifiers(["ref"], rows)[0].reason == "its values look like national ID numbers"


def test_one_stray_match_is_not_a_pattern():
    rows = [{"count": "943 476 5919"}] + [{"count": str(n)} for n in range(20)]
    assert find_identifiers(["count"], rows) == []


def test_the_explanation_names_every_column_and_says_what_to_do():
    text = explain(find_identifiers(["MRN", "DOB", "falls"]))
    assert "'MRN'" in text and "'DOB'" in text and "'falls'" not in text
    assert "not patient records" in text and "Remove those columns" in text


@pytest.mark.parametrize(
    "text",
    [
        "Patient 943 476 5919 fell twice",  # a valid NHS number, spaced
        "see 9434765919 in the notes",
        "MRN 123456 waited four hours",
        "DOB: 01/02/1950, bed 4",
        "NHS no. 12345",
        "SSN 123-45-6789",
    ],
)
def test_free_text_with_a_patient_identifier_is_spotted(text):
    assert identifiers_in_text(text)


@pytest.mark.parametrize(
    "text",
    [
        "We hunt for the bladder scanner every shift",
        "Falls fell from 6.5 to 4.2 per 1,000 bed days in 2026",
        "Call 0207 946 0000 for the porters",  # a phone number: its check digit fails
        "Mr B fell at 03:00",  # initials and times cannot be told apart from any other text
        "",
    ],
)
def test_ordinary_improvement_text_is_left_alone(text):
    assert identifiers_in_text(text) is None
