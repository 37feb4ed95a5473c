"""Completions export as CSV and as xAPI statements, for the leader's visible learners only."""

from __future__ import annotations

import csv
import io
import json

from champion.learning.models import QuizAttempt
from tests.learning.test_certificates import complete


def test_csv_lists_completions_of_visible_learners_only(curriculum, world, client_for):
    complete(world.member, [curriculum["first"]])
    complete(world.colleague, [curriculum["first"]])
    response = client_for(world.leader).get("/learn/team/completions.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["email"] for r in rows} == {"member@test.example"}
    assert rows[0]["item"] == "first" and rows[0]["verb"] == "completed"


def test_csv_neutralises_a_name_typed_as_a_formula(curriculum, world, client_for):
    world.member.full_name = '=HYPERLINK("http://evil.example","Jo")'
    world.member.save()
    complete(world.member, [curriculum["first"]])
    response = client_for(world.leader).get("/learn/team/completions.csv")
    [row] = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["name"] == '\'=HYPERLINK("http://evil.example","Jo")'
    assert row["date"][:1].isdigit()


def test_xapi_statements_use_mbox_standard_verbs_and_site_activity_ids(
    curriculum, world, client_for, settings
):
    settings.SITE_URL = "https://champion.example.org"
    complete(world.member, [curriculum["first"]])
    QuizAttempt.objects.create(
        user=world.member,
        lesson=curriculum["first"],
        submitted_at=curriculum["first"].updated_at,
        score=0.8,
        passed=True,
    )
    statements = json.loads(
        client_for(world.coach).get("/learn/team/completions-xapi.json").content
    )
    verbs = {s["verb"]["id"] for s in statements}
    assert verbs == {
        "http://adlnet.gov/expapi/verbs/completed",
        "http://adlnet.gov/expapi/verbs/passed",
    }
    assert all(s["actor"]["mbox"] == "mailto:member@test.example" for s in statements)
    assert all(
        s["object"]["id"].startswith("https://champion.example.org/learn/") for s in statements
    )
    passed = next(s for s in statements if s["verb"]["display"]["en"] == "passed")
    assert passed["result"]["score"]["scaled"] == 0.8 and passed["result"]["success"] is True
    again = json.loads(client_for(world.coach).get("/learn/team/completions-xapi.json").content)
    assert [s["id"] for s in again] == [
        s["id"] for s in statements
    ]  # stable ids: no duplicates in an LRS
