"""Two-factor sign-in: the second step after the password, and setting up an authenticator app
(see champion.accounts.twofactor for the rules)."""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from champion.accounts import passkeys, twofactor
from champion.accounts.models import Passkey
from champion.accounts.throttle import THROTTLED_MESSAGE
from champion.core.http import AuthedRequest, confirmed
from champion.core.limits import SHORT
from champion.core.words import quoted

logger = logging.getLogger(__name__)


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        help_text="The 6-digit code your authenticator app shows now, or one of your "
        "recovery codes.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "text",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="6-digit code from your app",
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9 ]*"}
        ),
    )


WRONG_CODE = "That code is not right, or it was used already. Wait for the next code and try again."
STARTED_OVER = "Your sign-in took too long to finish. Sign in again."


@login_not_required
def verify(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, a recovery code (once each), or a
    passkey (the form's `credential`, filled in by static/js/passkeys.js)."""
    user = twofactor.pending_user(request)
    if user is None:
        messages.info(request, STARTED_OVER)
        return redirect("accounts:sign-in")
    credentials = {"username": user.email}
    using_passkey = "credential" in request.POST
    form = CodeForm(None if using_passkey else (request.POST or None))
    passkey_failed = False
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            twofactor.clear_pending(request)
            return _throttled(request, form)
        if using_passkey:
            passed = _passkey_passes(request, user)
            passkey_failed = not passed
        elif form.is_valid():
            code = form.cleaned_data["code"]
            passed = twofactor.verify_code(user, code) or twofactor.use_recovery_code(user, code)
        else:
            passed = None
        if passed:
            next_url = twofactor.finish_pending(request, user)
            if not url_has_allowed_host_and_scheme(
                next_url, {request.get_host()}, require_https=request.is_secure()
            ):
                next_url = "/"
            return redirect(next_url)
        if passed is False:
            # Counted with wrong passwords for this account at this address (django-axes):
            # the same limit stops guessing codes as stops guessing passwords.
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):
                twofactor.clear_pending(request)
                return _throttled(request, form)
            if not using_passkey:
                form.add_error("code", WRONG_CODE)
    has_app = twofactor.has_app(user)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {
            "form": form if has_app else None,
            "passkey_options": passkeys.authentication_options(request, user)
            if passkeys.has_passkey(user)
            else None,
            "passkey_failed": passkey_failed,
        },
    )


def _passkey_passes(request: HttpRequest, user: Any) -> bool:
    try:
        passkeys.authenticate(request, user, request.POST.get("credential", ""))
    except passkeys.PasskeyError as error:
        logger.info("Passkey sign-in refused for user %s: %s", user.pk, error)
        return False
    return True


def _throttled(request: HttpRequest, form: CodeForm) -> HttpResponse:
    request.axes_locked_out = False  # type: ignore[attr-defined]  # our page, not Axes' own
    message = THROTTLED_MESSAGE.format(minutes=settings.SIGN_IN_WINDOW_MINUTES)
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"form": None, "passkey_options": None, "throttled": message},
        status=429,
    )


def overview(request: AuthedRequest) -> HttpResponse:
    user = request.user
    enrolled = twofactor.has_app(user)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "enrolled": enrolled,
            "passkeys": Passkey.objects.filter(user=user),
            "passkey_form": PasskeyForm(),
            "passkey_options": passkeys.registration_options(request, user),
            "codes_left": twofactor.recovery_codes_left(user) if enrolled else 0,
            "required": user.organisation is not None
            and user.organisation.require_two_factor
            and user.is_admin,
            "form": AppCodeForm(),
        },
    )


def setup(request: AuthedRequest) -> HttpResponse:
    """Show a new secret as a QR code (and as text to type); the first right code keeps it
    and shows the recovery codes, once."""
    user = request.user
    if twofactor.has_app(user) and not request.session.get(twofactor.NEW_SECRET):
        return redirect("accounts:two-factor")
    secret = request.session.get(twofactor.NEW_SECRET)
    if not secret:
        secret = request.session[twofactor.NEW_SECRET] = twofactor.new_secret()
    form = AppCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        step = twofactor.check_new_secret(secret, form.cleaned_data["code"])
        if step is not None:
            codes = twofactor.confirm_device(user, secret, step)
            request.session.pop(twofactor.NEW_SECRET, None)
            request.session.pop(twofactor.ENROL_REQUIRED, None)
            return render(request, "accounts/two_factor_codes.html", {"codes": codes, "new": True})
        form.add_error("code", WRONG_CODE)
    uri = twofactor.provisioning_uri(secret, user)
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(uri),
            "secret": grouped,
            "required": request.session.get(twofactor.ENROL_REQUIRED, False),
        },
    )


@require_POST
def recovery_codes(request: AuthedRequest) -> HttpResponse:
    """New recovery codes (the old ones stop working), after a current code from the app."""
    form = AppCodeForm(request.POST)
    if not (form.is_valid() and twofactor.verify_code(request.user, form.cleaned_data["code"])):
        messages.error(request, WRONG_CODE)
        return redirect("accounts:two-factor")
    codes = twofactor.make_recovery_codes(request.user)
    return render(request, "accounts/two_factor_codes.html", {"codes": codes, "new": False})


@require_POST
def disable(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if _required(user) and not passkeys.has_passkey(user):
        messages.error(
            request,
            "Your organisation requires admins to use two-factor sign-in, so it stays on. "
            "To move to a new phone, use 'Move to a new app' instead, or add a passkey first.",
        )
        return redirect("accounts:two-factor")
    form = AppCodeForm(request.POST)
    if not (form.is_valid() and twofactor.verify_code(user, form.cleaned_data["code"])):
        messages.error(request, WRONG_CODE)
        return redirect("accounts:two-factor")
    twofactor.remove_two_factor(user)
    if passkeys.has_passkey(user):
        messages.success(request, "The authenticator app is removed. You sign in with a passkey.")
    else:
        messages.success(
            request, "Two-factor sign-in is off. You sign in with your password alone."
        )
    return redirect("accounts:two-factor")


@require_POST
def replace(request: AuthedRequest) -> HttpResponse:
    """Move to a new phone: after a current code (or a recovery code), a new secret is set up;
    the old app keeps working until the new one is confirmed."""
    form = CodeForm(request.POST)
    user = request.user
    code = form.cleaned_data["code"] if form.is_valid() else ""
    if not (twofactor.verify_code(user, code) or twofactor.use_recovery_code(user, code)):
        messages.error(request, WRONG_CODE)
        return redirect("accounts:two-factor")
    request.session[twofactor.NEW_SECRET] = twofactor.new_secret()
    return redirect("accounts:two-factor-setup")


def _required(user: Any) -> bool:
    return bool(
        user.organisation is not None and user.organisation.require_two_factor and user.is_admin
    )


class PasskeyForm(forms.Form):
    name = forms.CharField(
        label="A name for this passkey",
        max_length=SHORT,
        help_text="So you can tell your passkeys apart, for example 'Work laptop' or 'My phone'.",
    )
    credential = forms.CharField(widget=forms.HiddenInput, max_length=passkeys.MAX_CREDENTIAL_CHARS)


PASSKEY_FAILED = (
    "The passkey was not added. Your browser or device did not finish, or its answer did not "
    "check out. Try again."
)


@require_POST
def passkey_add(request: AuthedRequest) -> HttpResponse:
    """Keep the passkey the browser made from the options on the two-factor page."""
    form = PasskeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, PASSKEY_FAILED)
        return redirect("accounts:two-factor")
    try:
        passkey = passkeys.register(
            request, request.user, form.cleaned_data["credential"], form.cleaned_data["name"]
        )
    except passkeys.PasskeyError as error:
        logger.info("Passkey refused for user %s: %s", request.user.pk, error)
        messages.error(request, PASSKEY_FAILED)
        return redirect("accounts:two-factor")
    request.session.pop(twofactor.ENROL_REQUIRED, None)
    messages.success(
        request,
        f"Passkey {quoted(passkey.name)} added. After your password, you can use it instead of a code.",
    )
    return redirect("accounts:two-factor")


@require_POST
def passkey_remove(request: AuthedRequest, passkey_id: int) -> HttpResponse:
    user = request.user
    passkey = get_object_or_404(Passkey, pk=passkey_id, user=user)
    if not confirmed(request):
        return redirect("accounts:two-factor")
    last_factor = not twofactor.has_app(user) and Passkey.objects.filter(user=user).count() == 1
    if _required(user) and last_factor:
        messages.error(
            request,
            "Your organisation requires admins to use two-factor sign-in: add another passkey "
            "or an authenticator app before you remove your last passkey.",
        )
        return redirect("accounts:two-factor")
    passkey.delete()
    messages.success(request, f"Passkey {quoted(passkey.name)} removed.")
    return redirect("accounts:two-factor")
