"""The REST API at /api/v1/ (django-ninja): personal bearer tokens, OpenAPI at /api/v1/openapi.json.

Each app adds a router. Requests authenticate with `Authorization: Bearer <token>`
(tokens are created on the API tokens page or with `champion token create`); without
one the answer is 401. The API acts as the token's person, through the same
permission helpers as the pages. Swagger UI is off: it would load from a CDN.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import HttpBearer

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


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc) or "You may not do that."}, status=403)


def api_urls() -> tuple[list[Any], str, str]:
    """The API's URL patterns, exempt from the sign-in redirect: they answer 401 instead."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _token_view(pattern.callback)
    return patterns, app_name, namespace


def _token_view(view: Any) -> Any:
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    wrapper.login_required = False  # type: ignore[attr-defined]
    wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # no cookies: bearer tokens only
    wrapper.__name__ = getattr(view, "__name__", "api_view")
    return wrapper
