"""Request middleware: attributes every write in a request to the signed-in person."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from champion.core import audit


def client_ip(request: HttpRequest) -> str | None:
    """The client's address; behind a proxy, REMOTE_ADDR is set by the proxy-aware server."""
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with audit.acting_as(user, client_ip(request)):
            return self.get_response(request)
