"""The API keeps the promises of its OpenAPI document: schemathesis, in process, on every operation.

For each operation schemathesis generates requests from /api/v1/openapi.json (valid and
invalid ones), sends them through the WSGI app as a seeded member with a real bearer token,
and checks that the answer is no server error, has a status the document lists for that
operation, the content type it names and a body of the schema it gives; that no operation
answers without a valid token; that invalid requests are refused; and that other methods
get 405. Examples are
derandomized and bounded, so the run is the same every time and takes seconds.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from champion.core.models import ApiToken

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ignored_auth,  # an operation answers 401, never data, without a valid token
    negative_data_rejection,  # a request outside the document is refused with a 4xx
    unsupported_method,  # a method an address does not take is 405
]


@pytest.fixture
def api_schema(world, measure, settings):
    from champion.web.wsgi import application

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]  # schemathesis' WSGI host
    assert measure.data_points.exists()  # so the analysis and chart operations have data
    # The real WSGI handler closes the database connection after each request, which on
    # PostgreSQL would end the test's transaction; Django's test client keeps it open the
    # same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(world):
    return ApiToken.issue(world.member, "schemathesis")[1]


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_keeps_its_documented_promises(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
