"""Sends an admin who must use two-factor sign-in to set it up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from champion.accounts.twofactor import ENROL_REQUIRED


class TwoFactorEnrolmentMiddleware:
    """While the session carries the flag `after_sign_in` set (an admin of an organisation
    that requires two-factor sign-in, without an authenticator app), every page but setting
    one up (an app, or a passkey on the two-factor page), signing out and static files redirects to the set-up page. The flag costs no
    query on other requests; setting up an app clears it."""

    ALLOWED = (
        "accounts:two-factor-setup",
        "accounts:two-factor",
        "accounts:passkey-add",
        "accounts:sign-out",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.session.get(ENROL_REQUIRED) and request.user.is_authenticated:
            allowed = {reverse(name) for name in self.ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:two-factor-setup")
        return self.get_response(request)
