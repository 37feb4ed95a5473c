"""The REST API at /api/v1/ (django-ninja): personal bearer tokens, OpenAPI at /api/v1/openapi.json.

Each app adds a router. Requests authenticate with `Authorization: Bearer <token>`
(tokens are created on the API tokens page or with `champion token create`); without
one the answer is 401. The API acts as the token's person, through the same
permission helpers as the pages. Swagger UI is off: it would load from a CDN.

Every error answer has one shape, `Problem` (champion.core.api_errors, docs/api.md): the
handlers below turn django-ninja's own errors (its request validation answers
`{"detail": [...]}` by default) and Django's 403/404 into it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from champion.core.api_errors import problem, problem_response
from champion.core.models import ApiToken
from champion.measures.api import router as measures_router


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="PI Champion API",
    version="1",
    description="Measures, data points and their analysis. Authenticate with "
    "`Authorization: Bearer <token>`.",
    auth=TokenAuth(),
    docs_url=None,
    urls_namespace="api",
)
api.add_router("", measures_router)


def _problem(request: HttpRequest, detail: str, status: int, errors: Any = None) -> HttpResponse:
    return api.create_response(request, problem(detail, errors), status=status)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _problem(request, str(exc) or "You may not do that.", 403)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _problem(request, "There is nothing here, or you may not see it.", 404)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = _problem(request, "Send a valid API token: `Authorization: Bearer <token>`.", 401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own: 400 for a body that is not JSON, 405, 429...
    return _problem(request, exc.message, exc.status_code)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """ninja's request validation: one readable sentence, and its items (loc, msg, type)."""
    errors = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    where = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors[:5])
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return _problem(request, f"The request is not valid: {where}{more}.", 422, errors)


def api_urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns, exempt from the sign-in redirect: they answer 401 instead."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _token_view(pattern.callback)
    return patterns, app_name, namespace


def _token_view(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = view(request, *args, **kwargs)
        if response.status_code == 405 and not response.get("Content-Type", "").startswith(
            "application/json"
        ):  # ninja's own 405 is plain text: answer in the API's error format
            allowed = response.get("Allow", "")
            response = problem_response(
                request, f"{request.method} is not allowed here; use {allowed}.", 405
            )
            response["Allow"] = allowed
        return response

    wrapper.login_required = False  # type: ignore[attr-defined]
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # no cookies: bearer tokens only
    wrapper.__name__ = getattr(view, "__name__", "api_view")
    return wrapper
