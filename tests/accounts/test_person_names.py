"""People's names: given name, family name and an optional title. Greetings, avatars and menus
never read "Hello, Dr" or "D"; staff lists map the columns; one-string names are split once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from champion.accounts.models import User
from champion.accounts.names import split_name
from champion.accounts.staff_import import rows_from_table, validate
from champion.core.tabular import Table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("full", "expected"),
    [
        ("Dr Helen Okafor", ("Dr", "Helen", "Okafor")),
        ("Prof. Dr. Ana Silva", ("Prof. Dr.", "Ana", "Silva")),
        ("Sister Mary Anne de la Cruz", ("Sister", "Mary", "Anne de la Cruz")),
        ("Kofi", ("", "Kofi", "")),
        ("Dr", ("", "Dr", "")),  # a lone word is a name, not a title
        ("  Amir   Gallagher ", ("", "Amir", "Gallagher")),
    ],
)
def test_a_one_string_name_is_split_into_title_given_and_family(full, expected):
    assert split_name(full) == expected


def test_a_doctor_is_greeted_by_her_given_name_with_her_initials(client_for, world):
    doctor = User.objects.create_user(
        "okafor@test.example", full_name="Dr Helen Okafor", organisation=world.org
    )
    assert (doctor.title, doctor.given_name, doctor.family_name) == ("Dr", "Helen", "Okafor")
    assert doctor.full_name == "Helen Okafor" and doctor.formal_name == "Dr Helen Okafor"
    assert doctor.get_short_name() == "Helen" and doctor.initials == "HO"
    page = client_for(doctor).get("/").content.decode()
    assert "Hello, Helen" in page and "Hello, Dr" not in page
    assert '<span class="avatar" aria-hidden="true">HO</span>' in page


def test_an_admin_adds_a_person_with_given_and_family_names_and_a_title(client_for, world):
    response = client_for(world.admin).post(
        reverse("accounts:person-add"),
        {
            "given_name": "Sam",
            "family_name": "Patel",
            "title": "Prof",
            "email": "sam.patel@test.example",
            "unit": world.ward_b.pk,
            "role": "member",
        },
    )
    assert response.status_code == 302
    sam = User.objects.get(email="sam.patel@test.example")
    assert (sam.title, sam.given_name, sam.family_name, sam.full_name) == (
        "Prof", "Sam", "Patel", "Sam Patel"
    )  # fmt: skip
    assert "Prof Sam Patel" in client_for(world.admin).get(response["Location"]).content.decode()


def test_renaming_keeps_the_full_name_in_step_and_a_family_name_is_required(client_for, world):
    url = reverse("accounts:person-update", args=[world.member.pk])
    client_for(world.admin).post(url, {"given_name": "Mia", "family_name": "Okoro"})
    world.member.refresh_from_db()
    assert world.member.full_name == "Mia Okoro"
    refused = client_for(world.admin).post(
        url, {"given_name": "Mia", "family_name": ""}, follow=True
    )
    assert "Family name: This field is required." in refused.content.decode()
    world.member.refresh_from_db()
    assert world.member.full_name == "Mia Okoro"


def _table(header, *rows):
    return Table(
        columns=header,
        rows=[(i + 2, dict(zip(header, r, strict=True))) for i, r in enumerate(rows)],
    )


UNIT = "Testshire Health > North Hospital > Ward B"


def test_a_staff_list_with_given_family_and_title_columns_is_read(world):
    table = _table(
        ["Title", "First name", "Surname", "Email", "Unit", "Role", "Job title"],
        ["Dr", "Ana", "Silva", "ana@test.example", UNIT, "member", "Registrar"],
    )
    rows, errors = rows_from_table(table)
    assert errors == []
    row = validate(rows, admin=world.admin).rows[0]
    assert (row.title, row.given_name, row.family_name, row.name, row.job_title) == (
        "Dr", "Ana", "Silva", "Ana Silva", "Registrar"
    )  # fmt: skip
    assert row.errors == [] and row.action == "new person"


def test_a_staff_list_with_one_name_column_is_split(world):
    rows, _ = rows_from_table(
        _table(
            ["Name", "Email", "Unit", "Role"], ["Dr Ana Silva", "ana@test.example", UNIT, "member"]
        )
    )
    row = validate(rows, admin=world.admin).rows[0]
    assert (row.title, row.given_name, row.family_name) == ("Dr", "Ana", "Silva")


def test_a_staff_list_without_any_name_column_says_which_columns_it_needs(world):
    _, errors = rows_from_table(
        _table(["Surname", "Email", "Unit", "Role"], ["Silva", "ana@test.example", UNIT, "member"])
    )
    assert errors and "no name (or given name and family name) column" in errors[0]
