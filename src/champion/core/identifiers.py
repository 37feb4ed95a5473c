"""Spotting columns that look like patient identifiers, so uploads of patient records are refused.

The platform holds improvement data (counts, rates, times), never patient records
(DESIGN.md). Every upload that accepts arbitrary columns asks `find_identifiers`
first and refuses the file when it reports anything, with the reasons it gives.
Two kinds of evidence: a header that names an identifier ("MRN", "Date of birth",
"Patient name") and values that look like national ID numbers (a valid NHS number
checksum, a US social security number pattern), whatever the header says.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "Finding",
    "explain",
    "find_identifiers",
    "identifiers_in_text",
    "is_nhs_number",
    "patient_text_refusal",
]


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


# Normalised headers (lower case, letters and digits only) and what they are.
_HEADERS: dict[str, str] = {
    **dict.fromkeys(
        ["name", "patientname", "patient", "fullname", "firstname", "forename", "forenames",
         "givenname", "lastname", "surname", "familyname", "middlename", "patientfirstname",
         "patientlastname", "patientsurname", "ptname"],
        "a person's name",
    ),
    **dict.fromkeys(
        ["mrn", "medicalrecordnumber", "medicalrecordno", "hospitalnumber", "hospitalno",
         "patientid", "patientnumber", "patientno", "caseno", "casenumber", "recordnumber",
         "unitnumber", "crn", "ptid", "mrnnumber", "patientidentifier", "encounterid"],
        "a medical record number",
    ),
    **dict.fromkeys(
        ["dob", "dateofbirth", "birthdate", "birthday", "datebirth", "patientdob"],
        "a date of birth",
    ),
    **dict.fromkeys(
        ["nhsnumber", "nhsno", "nhsnum", "nhs", "ssn", "socialsecuritynumber",
         "socialsecurityno", "nationalinsurancenumber", "ninumber", "nino", "chinumber",
         "chino", "nationalid", "nationalidnumber", "medicarenumber", "insurancenumber",
         "healthcardnumber", "hcn", "ihi"],
        "a national ID number",
    ),
    **dict.fromkeys(
        ["address", "homeaddress", "streetaddress", "postcode", "zipcode", "zip",
         "phone", "phonenumber", "telephone", "mobile", "email", "emailaddress"],
        "contact details",
    ),
}  # fmt: skip

_SSN = re.compile(r"^\d{3}-\d{2}-\d{4}$")
_NHS_SPACED = re.compile(r"^\d{3}[ -]?\d{3}[ -]?\d{4}$")
SAMPLE = 500  # values per column examined: enough to see a pattern, cheap for big files


def is_nhs_number(text: str) -> bool:
    """True for a 10-digit number (spaces or dashes allowed) whose modulus-11 check digit is right."""
    if not _NHS_SPACED.match(text):
        return False
    digits = [int(c) for c in text if c.isdigit()]
    total = sum(d * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == digits[9] and len(set(digits)) > 1


@dataclass(frozen=True)
class Finding:
    column: str
    reason: str


def find_identifiers(
    columns: Sequence[str], rows: Iterable[Mapping[str, str]] = ()
) -> list[Finding]:
    """The columns that look like patient identifiers, each with the reason, in column order."""
    findings: dict[str, str] = {}
    for column in columns:
        what = _HEADERS.get(_norm(column))
        if what:
            findings[column] = f"its header suggests {what}"
    counts = {c: [0, 0, 0] for c in columns if c not in findings}  # values, NHS-like, SSN-like
    for k, row in enumerate(rows):
        if k >= SAMPLE:
            break
        for column, tally in counts.items():
            value = (row.get(column) or "").strip()
            if not value:
                continue
            tally[0] += 1
            if is_nhs_number(value):
                tally[1] += 1
            elif _SSN.match(value):
                tally[2] += 1
    for column, (seen, nhs, ssn) in counts.items():
        # Half the values is a pattern, not coincidence; one stray match is not enough.
        if seen and nhs >= 2 and nhs * 2 >= seen:
            findings[column] = "its values look like NHS numbers"
        elif seen and ssn >= 2 and ssn * 2 >= seen:
            findings[column] = "its values look like social security numbers"
        elif seen and nhs + ssn >= 2 and (nhs + ssn) * 2 >= seen:
            findings[column] = "its values look like national ID numbers"
    return [Finding(c, findings[c]) for c in columns if c in findings]


def explain(findings: Sequence[Finding]) -> str:
    """One message a person can act on, naming every suspicious column."""
    listed = "; ".join(f"'{f.column}' ({f.reason})" for f in findings)
    return (
        f"This file was refused because some columns look like patient identifiers: {listed}. "
        "PI Champion holds improvement data, not patient records. Remove those columns "
        "(keep only dates, counts, measurements and yes/no outcomes) and upload the file again."
    )


_NUMBER_IN_TEXT = re.compile(r"(?<![\w-])(\d{3}[ -]?\d{3}[ -]?\d{4}|\d{3}-\d{2}-\d{4})(?![\w-])")
_LABELLED = re.compile(
    r"\b(MRN|NHS\s*(?:no|number|#)|hospital\s*number|date\s+of\s+birth|DOB|SSN)\b"
    r"\W{0,3}\d",
    re.IGNORECASE,
)


def identifiers_in_text(text: str) -> str | None:
    """Why a piece of free text (an idea, a comment) looks like it identifies a patient, or None.

    Only what can be told with confidence: a valid NHS number, a social security number,
    or a number labelled as an MRN, NHS number or date of birth. Names cannot be told
    from words reliably, so the forms ask for no patient details instead.
    """
    for match in _NUMBER_IN_TEXT.finditer(text or ""):
        if is_nhs_number(match.group(1)):
            return "it contains what looks like an NHS number"
        if _SSN.match(match.group(1)):
            return "it contains what looks like a social security number"
    found = _LABELLED.search(text or "")
    if found:
        return f"it contains a patient identifier (“{found.group(1)}” and a number)"
    return None


def patient_text_refusal(text: str, *, what: str) -> str | None:
    """The message that refuses free text identifying a patient, or None when it is fine.

    `what` names what people write here, read organisation-wide ("Ideas", "Projects").
    """
    reason = identifiers_in_text(text)
    if reason is None:
        return None
    return (
        f"Please take this out: {reason}. {what} are read by the whole organisation, so "
        "describe it without anything that identifies a patient."
    )
