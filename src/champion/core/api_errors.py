"""The REST API's one error format (docs/api.md), shared by every router and the middleware.

Every answer of the API that is not a success is JSON of the `Problem` shape:
`{"detail": "<one readable sentence>", "errors": [<one object per bad item>]}`. `errors` is
always present: empty when there is nothing itemised, else one entry per bad field (request
validation: `loc`, `msg`, `type`) or per bad data point (`index`, `period`, `message`).
Each operation documents the statuses it can answer with `responses(...)`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema

#: Where the API lives: the middleware and the 404 page answer in JSON below it.
API_PREFIX = "/api/"


class Problem(Schema):
    """An error: what went wrong in a sentence, and the bad items (possibly none)."""

    detail: str
    errors: list[dict[str, Any]]


def problem(detail: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The body of an error answer."""
    return {"detail": detail, "errors": errors or []}


def problem_response(request: HttpRequest, detail: str, status: int) -> HttpResponse:
    """An error answer outside an API operation (middleware, URL resolution)."""
    response = JsonResponse(problem(detail), status=status)
    if status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


#: The statuses any operation may answer besides its successes: 400 for a query string or
#: body that cannot be read, 401 without a valid token, 403 when the person may not do it,
#: 404 for what does not exist or they may not see, 422 for a request that does not validate.
ERRORS: dict[int, Any] = {
    400: Problem,
    401: Problem,
    403: Problem,
    404: Problem,
    422: Problem,
}


def responses(documented: dict[int, Any]) -> dict[int, Any]:
    """An operation's documented responses: its own (successes, and any error it alone
    answers, such as 409) and the common errors above."""
    return {**ERRORS, **documented}
