"""Sign-in throttling with django-axes: per account at one address, plus a per-address ceiling.

Failures are counted for the combination of an account and the client's address (a handful
locks that person out from that address for a while) and for the address alone with a much
higher ceiling (so a whole hospital behind one NAT address is never locked out by a few
typos or by someone trying random addresses; docs/deploy.md, "Sign-in throttling").
E-mail addresses are normalised before counting, so look-alike spellings count together.
"""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from champion.accounts.forms import SignInForm
from champion.accounts.models import SignUpRequest
from champion.core.middleware import client_ip

# Letters that casefolding leaves distinct but that read as a plain "i" in an address.
_LOOKALIKES = str.maketrans({"ı": "i", "ſ": "s", "ĸ": "k"})


def account_key(raw: str | None) -> str:
    """The e-mail address as throttling counts it: NFKC, casefolded, accents and dots-on-i
    removed, so `İVAN@…`, `ıvan@…` and full-width `ｉｖａｎ@…` are one account."""
    text = unicodedata.normalize("NFKC", raw or "").strip().casefold().translate(_LOOKALIKES)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", text)[:255]


def username_from(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """AXES_USERNAME_CALLABLE: the normalised address from the credentials or the posted form."""
    raw = None
    if credentials:
        raw = credentials.get("username") or credentials.get("email")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get("email")
    return account_key(raw)


def ip_from(request: HttpRequest) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the proxy-aware client address (see core.middleware.client_ip)."""
    return client_ip(request)


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with two limits instead of one.

    AXES_LOCKOUT_PARAMETERS is `[["username", "ip_address"], "ip_address"]`; Axes compares the
    largest count with one limit (AXES_FAILURE_LIMIT, the per-account limit), so the per-address
    count is scaled onto that limit: it reaches it exactly when the address reaches its own
    ceiling (floor(a * L / C) >= L if and only if a >= C).
    """

    def get_failures(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = settings.SIGN_IN_MAX_FAILURES
        ceiling = max(settings.SIGN_IN_MAX_FAILURES_PER_ADDRESS, 1)
        return max(by_account, by_address * limit // ceiling)

    def reset_user_attempts(self, request: Any, credentials: dict[str, Any] | None = None) -> int:
        """A successful sign-in clears that account's failures at that address only: signing in
        to one's own account must not reset the address's ceiling for everyone else."""
        deleted, _ = AccessAttempt.objects.filter(
            username=username_from(request, credentials), ip_address=request.axes_ip_address
        ).delete()
        return deleted


class ThrottleBackend(AxesStandaloneBackend):
    """Axes' backend (first in AUTHENTICATION_BACKENDS: refuses a throttled sign-in before the
    password is checked), except that `authenticate()` without a request, which only scripts
    and the shell do, is let through: there is no client to throttle. Every web sign-in,
    ours and the admin's, passes its request."""

    def authenticate(self, request: Any, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)


THROTTLED_MESSAGE = "Too many failed sign-ins. Wait {minutes} minutes, or reset your password."


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the sign-in page again, saying why, with 429 Too Many Requests."""
    form = SignInForm(request, initial={"username": request.POST.get("username", "")[:254]})
    message = THROTTLED_MESSAGE.format(minutes=settings.SIGN_IN_WINDOW_MINUTES)
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "throttled": message, "next": request.POST.get("next", "")[:2000]},
        status=429,
    )


class TooManyRequests(Exception):
    """Too many sign-up links asked for from one client address within the hour."""


def record_sign_up_request(email: str, ip: str | None) -> bool:
    """Count a sign-up link asked for; True when it may be sent. Beyond
    SIGNUP_MAX_PER_ACCOUNT an hour for one address typed, nothing more is sent (silently:
    the page is the same); beyond SIGNUP_MAX_PER_ADDRESS from one client address,
    `TooManyRequests` is raised (the page says to wait)."""
    now = timezone.now()
    account = account_key(email)
    recent = SignUpRequest.objects.filter(at__gte=now - timedelta(hours=1))
    if ip and recent.filter(ip_address=ip).count() >= settings.SIGNUP_MAX_PER_ADDRESS:
        raise TooManyRequests
    with transaction.atomic():
        SignUpRequest.objects.filter(at__lt=now - timedelta(days=1)).delete()
        allowed = recent.filter(account=account).count() < settings.SIGNUP_MAX_PER_ACCOUNT
        SignUpRequest.objects.create(account=account, ip_address=ip, at=now)
    return allowed
