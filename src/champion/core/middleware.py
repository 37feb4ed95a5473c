"""Request middleware: the client's address, the audit context, security headers on every
response, and refusing query strings no page can use."""

from __future__ import annotations

import ipaddress
import re
import secrets
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.cache import add_never_cache_headers, patch_cache_control

from champion.core import audit
from champion.core.api_errors import is_api, problem_response


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


# Features no page of ours uses: a stolen page cannot turn them on.
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "camera=()",
        "display-capture=()",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "usb=()",
        "fullscreen=(self)",
    ]
)


def content_security_policy(nonce: str) -> str:
    """Our own origin only. Scripts are our files or inline blocks carrying this response's
    nonce; 'unsafe-eval' because Vega compiles chart expressions with `Function` (and HTMX
    evaluates hx-on); styles allow inline `style=` attributes; images may be data: URLs (charts
    exported as PNG); no plugins, no framing, forms post only to us."""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    """Headers on every page (static files are served before this, by WhiteNoise):

    - Content-Security-Policy, report-only unless settings.CSP_ENFORCE (production sets
      CSP_ENFORCE=1 once its browsers' consoles show no reports); `request.csp_nonce` is the
      nonce inline <script> blocks carry;
    - Permissions-Policy switching off device features;
    - `Cache-Control: no-store` (and private) on everything a signed-in person is sent,
      pages and downloads alike: nothing stays in a shared ward computer's cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        header = (
            "Content-Security-Policy"
            if settings.CSP_ENFORCE
            else "Content-Security-Policy-Report-Only"
        )
        response.headers.setdefault(header, content_security_policy(nonce))
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "no-store" not in response.get("Cache-Control", "")
        ):
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


# \u0000 in JSON text, not preceded by another backslash (an escaped backslash before "u0000").
_ESCAPED_NUL = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000", re.IGNORECASE)

# A date-shaped value: what parse_date and the date inputs accept.
_DATE_SHAPED = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")


class BadQueryMiddleware:
    """Refuse, with 400 and a plain message (in the API's JSON error format under /api/),
    query strings that no page can use: NUL characters (databases refuse them in text), and dates that do not exist (2023-02-30) or
    lie outside the years the platform handles (settings.DATE_YEAR_RANGE), which would
    otherwise reach a view's date parsing or a chart's axis as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = self.problem(request)
        if problem:
            if is_api(request):  # the API answers in its own error format (docs/api.md)
                return problem_response(request, problem, 400)
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        if self.json_has_nul(request):
            return problem_response(
                request, "Text in the request may not contain NUL characters (\\u0000).", 422
            )
        return self.get_response(request)

    @staticmethod
    def json_has_nul(request: HttpRequest) -> bool:
        """A JSON body (the API's) holding a NUL character, raw or escaped as \\u0000."""
        if request.content_type != "application/json" or request.method in ("GET", "HEAD"):
            return False
        body = request.body
        return b"\x00" in body or _ESCAPED_NUL.search(body) is not None

    @staticmethod
    def problem(request: HttpRequest) -> str | None:
        first, last = settings.DATE_YEAR_RANGE
        for key, values in request.GET.lists():
            for value in [key, *values]:
                if "\x00" in value:
                    return "The address contains a NUL character, which no page accepts."
                if _DATE_SHAPED.match(value.strip()):
                    try:
                        day = date.fromisoformat(
                            "-".join(part.zfill(2) for part in value.strip().split("-"))
                        )
                    except ValueError:
                        return f"{value.strip()} is not a date that exists."
                    if not first <= day.year <= last:
                        return f"Dates must lie between the years {first} and {last}."
        return None
