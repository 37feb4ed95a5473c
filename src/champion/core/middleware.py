"""Request middleware: attributes every write in a request to the signed-in person."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from champion.core import audit


def client_ip(request: HttpRequest) -> str | None:
    """The client's address.

    Only with BEHIND_PROXY=1 is the proxy's `X-Forwarded-For` header believed, and then only
    its last entry: the address that connected to our proxy, which the client cannot forge
    (anything the client sent itself comes earlier in the list). Without a proxy the header
    is the client's own words and is ignored.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            try:
                return str(ipaddress.ip_address(forwarded))
            except ValueError:
                pass
    return remote


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user if request.user.is_authenticated else None
        with audit.acting_as(user, client_ip(request)):
            return self.get_response(request)
