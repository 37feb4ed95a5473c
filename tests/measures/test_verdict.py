"""One verdict per chart, on the page and in the API: a headline and the signals grouped."""

import datetime

import pytest
from django.urls import reverse

from champion.core.models import ApiToken
from champion.measures.models import Measure, Phase
from champion.measures.services import record_data

pytestmark = pytest.mark.django_db

HEADLINE = (
    "Since January 2024, 12 months in a row below the centre line: a shift "
    "(an improvement, because lower is better). 1 more signal in the list."
)


def auth(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def test_the_summary_endpoint_needs_a_token(client, world, measure):
    assert client.get(f"/api/v1/measures/{measure.pk}/summary").status_code == 401


def test_another_organisations_measure_is_404(client, world, elsewhere_measure):
    response = client.get(f"/api/v1/measures/{elsewhere_measure.pk}/summary", **auth(world.member))
    assert response.status_code == 404
    response = client.get("/api/v1/measures/999999/summary", **auth(world.member))
    assert response.status_code == 404


def test_the_summary_groups_the_signals(client, world, measure):
    # The Making Data Count rules (the organisation's choice; Anhøj is the default, see
    # test_rule_sets.py) name each shift by its rule as well as by the runs analysis.
    world.org.rule_set = "mdc"
    world.org.save()
    # A reader of the organisation who is not in the measure's unit may read it too.
    response = client.get(f"/api/v1/measures/{measure.pk}/summary", **auth(world.coach))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "headline": HEADLINE,
        "enough_data": True,
        "signals": [
            {
                "start": "2023-01-01", "end": "2023-12-01", "kind": "shift",
                "direction": "up", "category": "concern",
                "rules": ["mdc:shift", "runs_signal"],
                "text": "From January 2023 to December 2023, 12 months in a row above the centre line: "
                "a shift (a concern, because lower is better).",
                "part": 1,
            },
            {
                "start": "2024-01-01", "end": "2024-12-01", "kind": "shift",
                "direction": "down", "category": "improvement",
                "rules": ["mdc:shift", "runs_signal"],
                "text": "Since January 2024, 12 months in a row below the centre line: "
                "a shift (an improvement, because lower is better).",
                "part": 1,
            },
        ],
        "phases": [
            {"part": 1, "start": "2023-01-01", "end": "2024-12-01", "n": 24,
             "enough_data": True, "cl": body["phases"][0]["cl"]},
        ],
        "rule_set": "mdc",
    }  # fmt: skip


def test_a_measure_without_data_says_so(client, world):
    m = Measure.objects.create(unit=world.ward_a, name="Empty", definition="x", chart="run")
    body = client.get(f"/api/v1/measures/{m.pk}/summary", **auth(world.member)).json()
    assert body == {
        "headline": "No data yet.", "enough_data": False, "signals": [], "phases": [],
        "rule_set": "anhoej",
    }  # fmt: skip


def test_the_summary_is_in_the_openapi_document(client):
    doc = client.get("/api/v1/openapi.json").json()
    op = doc["paths"]["/api/v1/measures/{measure_id}/summary"]["get"]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    name = schema["$ref"].rsplit("/", 1)[-1]
    props = doc["components"]["schemas"][name]["properties"]
    assert set(props) == {"headline", "enough_data", "signals", "phases", "rule_set"}


def test_the_page_shows_the_headline_and_each_signal_once(client_for, world, measure):
    page = client_for(world.member).get(reverse("measures:detail", args=[measure.pk]))
    text = page.content.decode()
    assert HEADLINE in text
    # Each shift is one line of the list, not one sentence per point.
    assert text.count("12 months in a row below the centre line") == 2  # headline + list
    assert text.count("12 months in a row above the centre line") == 1
    assert "randomly spread" not in text and "process is stable" not in text


def test_the_page_says_when_there_are_too_few_points(client_for, world):
    m = Measure.objects.create(
        unit=world.ward_a, name="New", definition="x", chart="i", improvement="down"
    )
    record_data(m, [(datetime.date(2025, k, 1), float(k % 3), None) for k in range(1, 8)])
    text = client_for(world.member).get(reverse("measures:detail", args=[m.pk])).content.decode()
    assert "12 points are needed for limits; 7 so far, so no verdict yet." in text
    assert "stable" not in text


def test_the_page_speaks_of_the_current_phase(client_for, world, measure):
    Phase.objects.create(measure=measure, period=datetime.date(2024, 1, 1), label="New mats")
    from champion.measures.analysis import refresh

    refresh(measure)
    text = client_for(world.member).get(reverse("measures:detail", args=[measure.pk]))
    assert "In the current phase (since January 2024): No signal" in text.content.decode()
