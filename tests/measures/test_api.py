"""The REST API: bearer tokens, units, creating measures, pushing data all or nothing, analysis, charts."""

import pytest

from champion.core.models import ApiToken
from champion.measures.models import DataPoint, Measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(world):
    return ApiToken.issue(world.member, "test")[1]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_without_a_token_the_answer_is_401(client, world, measure):
    assert client.get("/api/v1/units").status_code == 401
    assert client.get("/api/v1/units", HTTP_AUTHORIZATION="Bearer pic_wrong").status_code == 401
    assert client.post("/api/v1/measures", {}, content_type="application/json").status_code == 401


def test_the_openapi_document_is_published(client):
    doc = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/measures/{measure_id}/data" in doc["paths"]


def test_tokens_are_stored_hashed(world, token):
    stored = ApiToken.objects.get()
    assert token not in (stored.digest, stored.prefix) and len(stored.digest) == 64


def test_units_lists_the_organisation(client, world, token):
    units = client.get("/api/v1/units", **auth(token)).json()
    assert {
        "id": world.ward_a.pk,
        "name": "Ward A",
        "path": "Testshire Health > North Hospital > Ward A",
    } in units
    assert all(u["name"] != "Ward Z" for u in units)


def test_create_a_measure_push_data_and_read_the_analysis(client, world, token):
    response = client.post(
        "/api/v1/measures",
        {
            "name": "Falls",
            "unit": world.ward_a.pk,
            "chart": "u",
            "improvement": "down",
            "target": 5,
        },
        content_type="application/json",
        **auth(token),
    )
    assert response.status_code == 201, response.content
    mid = response.json()["id"]
    points = [
        {"period": f"2024-{m:02d}-01", "value": 10 + m % 3, "denominator": 300}
        for m in range(1, 13)
    ]
    response = client.post(
        f"/api/v1/measures/{mid}/data",
        {"points": points},
        content_type="application/json",
        **auth(token),
    )
    assert response.json() == {"saved": 12, "created": 12, "updated": 0}
    # A period already present is updated.
    response = client.post(
        f"/api/v1/measures/{mid}/data",
        {"points": [{"period": "2024-01-01", "value": 20, "denominator": 300}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.json()["updated"] == 1
    assert DataPoint.objects.get(measure_id=mid, period="2024-01-01").value == 20
    result = client.get(f"/api/v1/measures/{mid}/analysis", **auth(token)).json()
    assert result["chart"] == "u" and len(result["points"]["y"]) == 12 and "parts" in result
    assert result["settings"]["exclusions"] == [] and result["settings"]["freeze_until"] is None
    svg = client.get(f"/api/v1/measures/{mid}/chart.svg", **auth(token))
    assert (
        svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    )
    assert client.get(f"/api/v1/measures/{mid}/chart.png", **auth(token)).content[:4] == b"\x89PNG"
    assert client.get(f"/api/v1/measures/{mid}/chart.pdf", **auth(token)).content[:4] == b"%PDF"


def test_a_bad_point_rejects_the_whole_request_with_a_message_per_point(
    client, world, token, measure
):
    before = measure.data_points.count()
    points = [
        {"period": "2025-01-01", "value": 3, "denominator": 1000},  # good
        {"period": "2025-02-01", "value": "lots", "denominator": 1000},
        {"period": "not a date", "value": 3, "denominator": 1000},
        {"period": "2025-01-01", "value": 4, "denominator": 1000},
        {"period": "2025-03-01", "value": 4},
    ]
    response = client.post(
        f"/api/v1/measures/{measure.pk}/data",
        {"points": points},
        content_type="application/json",
        **auth(token),
    )
    assert response.status_code == 422
    body = response.json()
    assert [e["index"] for e in body["errors"]] == [1, 2, 3, 4]
    messages = [e["message"] for e in body["errors"]]
    assert "'lots' in the value column is not a number." in messages[0]
    assert "'not a date' is not a date" in messages[1]
    assert "appears twice (also on point 0)" in messages[2]
    assert "needs a denominator" in messages[3]
    assert measure.data_points.count() == before


def test_a_proportion_above_one_is_refused(client, world, token):
    m = Measure.objects.create(
        unit=world.ward_a, name="HH", definition="x", denominator="d", chart="p"
    )
    response = client.post(
        f"/api/v1/measures/{m.pk}/data",
        {"points": [{"period": "2024-01-31", "value": 12, "denominator": 10}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert (
        response.status_code == 422
        and "above its denominator" in response.json()["errors"][0]["message"]
    )


def test_other_organisations_measures_are_404_and_other_units_403(
    client, world, token, elsewhere_measure
):
    assert (
        client.get(f"/api/v1/measures/{elsewhere_measure.pk}/analysis", **auth(token)).status_code
        == 404
    )
    other = Measure.objects.create(unit=world.ward_b, name="B", definition="x", chart="run")
    response = client.post(
        f"/api/v1/measures/{other.pk}/data", {"points": [{"period": "2024-01-01", "value": 1}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 403
    response = client.post(
        "/api/v1/measures", {"name": "X", "unit": world.other_ward.pk, "chart": "run"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422 and not Measure.objects.filter(name="X").exists()


def test_champion_token_create_prints_the_token_last(world, capsys):
    from champion.cli import main

    assert main(["token", "create", "--email", "member@test.example"]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last.startswith("pic_") and ApiToken.authenticate(last) == world.member
    assert main(["token", "create", "--email", "nobody@test.example"]) == 1


def test_tokens_are_created_and_revoked_in_the_ui(client_for, world):
    client = client_for(world.member)
    page = client.post("/tokens/", {"name": "Feed"}).content.decode()
    token = ApiToken.objects.get()
    assert "Copy it now" in page and token.prefix in page
    client.post(f"/tokens/{token.pk}/revoke/")
    assert not ApiToken.objects.exists()


def test_a_measure_without_data_has_an_empty_analysis_and_no_chart(client, world, token):
    m = Measure.objects.create(unit=world.ward_a, name="Empty", definition="x", chart="i")
    result = client.get(f"/api/v1/measures/{m.pk}/analysis", **auth(token)).json()
    assert result["points"] == {} and result["chart"] == "i"
    response = client.get(f"/api/v1/measures/{m.pk}/chart.svg", **auth(token))
    assert response.status_code == 409 and "no data" in response.json()["detail"]
    assert client.get(f"/api/v1/measures/{m.pk}/chart.gif", **auth(token)).status_code == 404


def test_a_revoked_token_or_an_inactive_person_gets_401(client, world):
    token, raw = ApiToken.issue(world.member, "t")
    assert client.get("/api/v1/units", **auth(raw)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    world.member.is_active = False
    world.member.save()
    assert client.get("/api/v1/units", **auth(raw)).status_code == 401
    token.delete()
    assert client.get("/api/v1/units", **auth(raw)).status_code == 401


def test_api_writes_are_audited_as_the_token_person(client, world, token):
    from champion.core.models import AuditEvent

    response = client.post(
        "/api/v1/measures", {"name": "Audited", "unit": world.ward_a.pk, "chart": "run"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    event = AuditEvent.objects.get(
        object_id=str(response.json()["id"]), content_type__model="measure"
    )
    assert event.actor == world.member


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "at most 200"),
        ({"name": "Falls", "target": float("nan")}, "target must be a finite number"),
        ({"name": "Falls", "target": float("inf")}, "target must be a finite number"),
        ({"name": "Falls", "multiply": float("-inf")}, "multiply must be a finite number"),
        ({"name": "Falls", "multiply": 0}, "above zero"),
    ],
)
def test_a_bad_measure_is_refused_with_a_message_and_nothing_is_saved(
    client, world, token, body, message
):
    import json

    from champion.core.models import AuditEvent

    before = AuditEvent.objects.count()
    response = client.post(
        "/api/v1/measures",
        # json.dumps writes NaN and Infinity, as some clients do.
        json.dumps({"unit": world.ward_a.pk, "chart": "i", **body}),
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422, response.content
    assert message in response.json()["detail"]
    assert not Measure.objects.exists() and AuditEvent.objects.count() == before


def test_a_duplicate_name_is_refused_after_trimming_spaces(client, world, token):
    Measure.objects.create(unit=world.ward_a, name="Falls", definition="x", chart="i")
    response = client.post(
        "/api/v1/measures", {"name": " Falls ", "unit": world.ward_a.pk, "chart": "i"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422
    # The one measure service's rule (`Measure.clean`), said as the form says it, by field.
    assert response.json()["detail"] == (
        "The measure was not created. name: The unit already has a measure called “Falls”."
    )
    assert Measure.objects.count() == 1


def test_a_percentage_chart_from_the_api_is_on_the_percent_scale_unless_told_otherwise(
    client, world, token
):
    def create(**extra):
        response = client.post(
            "/api/v1/measures", {"unit": world.ward_a.pk, **extra},
            content_type="application/json", **auth(token),
        )  # fmt: skip
        assert response.status_code == 201, response.content
        return Measure.objects.get(pk=response.json()["id"])

    # A target of 90 on a P chart means 90 %, as on the page.
    hand = create(name="Hand hygiene", chart="p", improvement="up", target=90)
    assert (hand.multiply, hand.unit_label, hand.target) == (100, "%", 90)
    share = create(name="Share", chart="pp", multiply=1, unit_label="share")
    assert (share.multiply, share.unit_label) == (1, "share")
    waits = create(name="Waits", chart="i")
    assert (waits.multiply, waits.unit_label) == (1, "")


def test_another_organisations_measure_is_404_on_every_endpoint_and_left_alone(
    client, world, measure
):
    outsider = ApiToken.issue(world.outsider, "test")[1]
    for path in ("", "/analysis", "/summary", "/chart.svg", "/chart.png", "/chart.pdf"):
        response = client.get(f"/api/v1/measures/{measure.pk}{path}", **auth(outsider))
        assert response.status_code == 404, path
    response = client.post(
        f"/api/v1/measures/{measure.pk}/data",
        {"points": [{"period": "2030-01-01", "value": 1, "denominator": 10}]},
        content_type="application/json", **auth(outsider),
    )  # fmt: skip
    assert response.status_code == 404
    listed = client.get("/api/v1/measures", **auth(outsider)).json()
    assert measure.pk not in [m["id"] for m in listed]
    units = client.get("/api/v1/units", **auth(outsider)).json()
    assert measure.unit_id not in [u["id"] for u in units]
    assert not measure.data_points.filter(period="2030-01-01").exists()


@pytest.mark.parametrize("period", ["0001-01-01", "9999-12-31", "1899-12-31", "2201-01-01"])
def test_a_period_outside_the_years_a_chart_can_hold_is_refused(client, world, token, period):
    m = Measure.objects.create(unit=world.ward_a, name="Waits", definition="x", chart="i")
    response = client.post(
        f"/api/v1/measures/{m.pk}/data",
        {"points": [{"period": period, "value": 3}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422
    assert (
        "outside the range: periods run from 1900 to 2200."
        in response.json()["errors"][0]["message"]
    )
    assert not m.data_points.exists()


def test_text_with_a_nul_character_is_refused_with_422_and_nothing_saved(client, world, token):
    before = Measure.objects.count()
    response = client.post(
        "/api/v1/measures",
        {"name": "Falls\u0000", "unit": world.ward_a.pk, "chart": "c"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422 and "NUL" in response.json()["detail"]
    assert Measure.objects.count() == before
    # A backslash written as text before "u0000" is no NUL: it is saved as typed.
    response = client.post(
        "/api/v1/measures",
        {"name": "Path C:\\u0000 falls", "unit": world.ward_a.pk, "chart": "c"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert (
        response.status_code == 201 and Measure.objects.filter(name="Path C:\\u0000 falls").exists()
    )
    m = Measure.objects.create(unit=world.ward_a, name="Waits", definition="x", chart="i")
    response = client.post(
        f"/api/v1/measures/{m.pk}/data",
        {"points": [{"period": "2025-01-01\u0000", "value": 3}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert response.status_code == 422 and not m.data_points.exists()
