"""The API's error format (docs/api.md): every error answer is JSON `{"detail": str, "errors": [...]}`,
and the OpenAPI document lists every status each operation can answer.

One test per kind of mismatch schemathesis found (tests/measures/test_api_schema.py runs it
over every operation): undocumented 401/403/404/400, ninja's own validation body
(`{"detail": [...]}`), its 401 and 404 bodies, the chart's file documented as JSON, and
addresses under /api/ answered with an HTML page or plain text.
"""

import pytest

from champion.core.models import ApiToken
from champion.measures.models import Measure

pytestmark = pytest.mark.django_db

COMMON = {"400", "401", "403", "404", "422"}


@pytest.fixture
def token(world):
    return ApiToken.issue(world.member, "test")[1]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def assert_problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"detail", "errors"}, body
    assert isinstance(body["detail"], str) and body["detail"]
    assert isinstance(body["errors"], list)
    return body


def test_every_operation_documents_the_common_errors_with_the_problem_schema(client):
    doc = client.get("/api/v1/openapi.json").json()
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"detail", "errors"}
    operations = [op for path in doc["paths"].values() for op in path.values()]
    assert len(operations) == 8
    for op in operations:
        assert set(op["responses"]) >= COMMON, op["operationId"]
        for status in COMMON:
            schema = op["responses"][status]["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Problem"}, (op["operationId"], status)


def test_the_chart_documents_its_file_types_not_json(client):
    doc = client.get("/api/v1/openapi.json").json()
    chart = doc["paths"]["/api/v1/measures/{measure_id}/chart.{fmt}"]["get"]["responses"]
    assert set(chart["200"]["content"]) == {"image/svg+xml", "image/png", "application/pdf"}
    assert "409" in chart


@pytest.mark.parametrize("header", [None, "Bearer pic_wrong", "Basic abc"])
def test_401_is_a_problem_and_names_the_scheme(client, world, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/units", **extra)
    assert "Bearer" in assert_problem(response, 401)["detail"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_ninjas_validation_errors_become_a_problem_with_one_item_per_field(client, world, token):
    response = client.post(
        "/api/v1/measures", {"name": "Falls", "unit": "ward a", "kind": "sideways"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    body = assert_problem(response, 422)
    bad = {tuple(e["loc"]) for e in body["errors"]}
    assert bad == {("body", "payload", "unit"), ("body", "payload", "kind")}
    assert all(e["msg"] and e["type"] for e in body["errors"])
    assert "unit" in body["detail"] and "kind" in body["detail"]
    # A path parameter of the wrong type too.
    assert_problem(client.get("/api/v1/measures/abc", **auth(token)), 422)
    assert_problem(client.get("/api/v1/measures?unit=x", **auth(token)), 422)


def test_a_body_that_is_not_json_is_a_400_problem(client, world, token):
    response = client.post(
        "/api/v1/measures", "{not json", content_type="application/json", **auth(token)
    )
    assert_problem(response, 400)


def test_404_is_a_problem_for_unseen_measures_unknown_files_and_unknown_addresses(
    client, world, token, elsewhere_measure
):
    assert_problem(client.get(f"/api/v1/measures/{elsewhere_measure.pk}", **auth(token)), 404)
    assert_problem(client.get("/api/v1/measures/987654", **auth(token)), 404)
    mine = Measure.objects.create(unit=world.ward_a, name="W", definition="x", chart="i")
    assert_problem(client.get(f"/api/v1/measures/{mine.pk}/chart.gif", **auth(token)), 404)
    # No operation at all under /api/: JSON, not the site's HTML page.
    assert_problem(client.get("/api/v1/nothing-here", **auth(token)), 404)
    # Elsewhere the site keeps its page.
    assert client.get("/nothing-here/")["Content-Type"].startswith("text/html")


def test_403_is_a_problem(client, world, token):
    other = Measure.objects.create(unit=world.ward_b, name="B", definition="x", chart="run")
    response = client.post(
        f"/api/v1/measures/{other.pk}/data", {"points": [{"period": "2024-01-01", "value": 1}]},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert_problem(response, 403)


def test_the_apis_own_refusals_are_problems_too(client, world, token):
    m = Measure.objects.create(unit=world.ward_a, name="W", definition="x", chart="i")
    empty = client.post(
        f"/api/v1/measures/{m.pk}/data", {"points": []},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert assert_problem(empty, 422)["errors"] == []
    unknown = client.post(
        "/api/v1/measures", {"name": "X", "unit": world.ward_a.pk, "chart": "zz"},
        content_type="application/json", **auth(token),
    )  # fmt: skip
    assert "Unknown chart" in assert_problem(unknown, 422)["detail"]
    assert_problem(client.get(f"/api/v1/measures/{m.pk}/chart.svg", **auth(token)), 409)


def test_a_bad_query_string_under_the_api_is_a_400_problem_and_plain_text_elsewhere(
    client, world, token
):
    body = assert_problem(client.get("/api/v1/measures?from=2023-02-30", **auth(token)), 400)
    assert "2023-02-30" in body["detail"]
    assert_problem(client.get("/api/v1/units?q=a%00b", **auth(token)), 400)
    page = client.get("/?from=2023-02-30")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/plain")


def test_a_method_an_address_does_not_take_is_a_405_problem_naming_the_allowed_ones(
    client, world, token
):
    response = client.delete("/api/v1/units", **auth(token))
    assert "GET" in assert_problem(response, 405)["detail"]
    assert response["Allow"] == "GET"
