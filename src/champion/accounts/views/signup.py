"""Self-service sign-up (champion.accounts.signup) and the new organisation's first steps."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from champion.accounts import signup
from champion.accounts.forms import SignUpCompleteForm, SignUpForm
from champion.accounts.models import User
from champion.accounts.tasks import send_sign_up_link
from champion.accounts.throttle import TooManyRequests, record_sign_up_request
from champion.core.http import AuthedRequest
from champion.core.middleware import client_ip
from champion.core.permissions import require

SIGN_IN_BACKEND = "champion.accounts.backends.PasswordBackend"


def _signup_open() -> None:
    if not settings.ALLOW_SIGNUP:
        raise Http404("Sign-up is not open on this site.")


@login_not_required
def sign_up(request: HttpRequest) -> HttpResponse:
    """Ask for a confirmation link. The page says the same whether or not the address has
    an account, and the work is the same (one task queued after commit)."""
    _signup_open()
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        try:
            allowed = record_sign_up_request(email, client_ip(request))
        except TooManyRequests:
            form.add_error(
                None, "Too many sign-up requests from your network. Wait an hour and try again."
            )
            return render(request, "accounts/sign_up.html", {"form": form}, status=429)
        if allowed:
            transaction.on_commit(lambda: send_sign_up_link.enqueue(email))
        return render(request, "accounts/sign_up_sent.html", {"email": email})
    return render(request, "accounts/sign_up.html", {"form": form})


@login_not_required
def sign_up_complete(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: name the organisation, yourself, and choose a password."""
    _signup_open()
    email = signup.read_link(token)
    if email is None:
        return render(request, "accounts/sign_up_invalid.html", {"expired": True}, status=400)
    if User.objects.filter(email__iexact=email).exists():
        return render(request, "accounts/sign_up_invalid.html", {"used": True}, status=400)
    form = SignUpCompleteForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = signup.create_organisation(
            email, data["organisation"], data["full_name"], data["password1"]
        )
        login(request, user, backend=SIGN_IN_BACKEND)
        return redirect("accounts:welcome")
    return render(request, "accounts/sign_up_complete.html", {"form": form, "email": email})


def welcome(request: AuthedRequest) -> HttpResponse:
    """The first steps of a new organisation, for its admins: units, people, Foundation."""
    require(request.user.is_org_admin, "The first steps are for the organisation's admins.")
    return render(request, "accounts/welcome.html", {"done": signup.first_steps(request.user)})
