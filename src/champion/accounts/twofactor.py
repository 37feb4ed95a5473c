"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238, with pyotp) and recovery codes.

The password comes first. A person with a confirmed authenticator app is then only *half*
signed in: the session holds who they are and when the password was right
(`PENDING_*` keys), nobody is logged in, and the second step (`accounts:sign-in-verify`)
asks for a code. A wrong code counts as a failed sign-in for django-axes, with the same
limits as a wrong password; a half sign-in older than TWO_FACTOR_STEP_SECONDS is dropped
and the person starts again from the password.

A code is accepted once: the device keeps the last time step used, and only later steps
pass (so a code seen over a shoulder cannot be replayed within its 30 seconds). Recovery
codes are stored as keyed hashes and each works once.
"""

from __future__ import annotations

import secrets
import time
from typing import Any

import pyotp
import segno
from django.conf import settings
from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import SafeString

from champion.accounts.models import Passkey, RecoveryCode, Role, TotpDevice, User

ISSUER = "PI Champion"
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i look-alikes

PENDING_USER = "twofactor_user"
PENDING_AT = "twofactor_at"
PENDING_BACKEND = "twofactor_backend"
PENDING_NEXT = "twofactor_next"
NEW_SECRET = "twofactor_new_secret"
#: Set at sign-in for an admin whose organisation requires two-factor sign-in and who has no
#: authenticator app yet: every page sends them to set one up (accounts.middleware).
ENROL_REQUIRED = "twofactor_enrol_required"


# ---------------------------------------------------------------------------------------
# The authenticator app


def has_app(user: Any) -> bool:
    """A confirmed authenticator app."""
    return TotpDevice.objects.filter(user=user, confirmed=True).exists()


def has_two_factor(user: Any) -> bool:
    """A second factor of either kind: an authenticator app or a passkey (accounts.passkeys);
    either one makes the password only the first step, and satisfies an organisation that
    requires admins to use two-factor sign-in."""
    return has_app(user) or Passkey.objects.filter(user=user).exists()


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> SafeString:
    """The otpauth:// address as an inline SVG QR code, drawn here (no external service)."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", svgclass="qr")
    # segno's own markup (no user text inside: the address is drawn as modules, not written).
    labelled = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )
    return SafeString(labelled)


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if not ch.isspace())


def _matching_step(secret: str, code: str, after: int) -> int | None:
    """The time step (now, or one either side for clock drift) whose code is `code`, if
    it is later than `after`; None otherwise."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now = int(time.time()) // totp.interval
    for step in (now - 1, now, now + 1):
        if step > after and constant_time_compare(totp.generate_otp(step), code):
            return step
    return None


def check_new_secret(secret: str, code: str) -> int | None:
    """The step a first code matches while setting up an app (no step used yet)."""
    return _matching_step(secret, code, after=0)


def verify_code(user: Any, code: str) -> bool:
    """True when `code` is the person's current authenticator code, not used before. The
    step is claimed in one conditional update, so two requests cannot both use it."""
    device = TotpDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return False
    step = _matching_step(device.secret, code, after=device.last_step)
    if step is None:
        return False
    return bool(TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step))


@transaction.atomic
def confirm_device(user: User, secret: str, step: int) -> list[str]:
    """Keep the app whose first code matched `step`; returns fresh recovery codes."""
    TotpDevice.objects.filter(user=user).delete()
    TotpDevice.objects.create(user=user, secret=secret, confirmed=True, last_step=step)
    return make_recovery_codes(user)


@transaction.atomic
def remove_two_factor(user: User) -> None:
    TotpDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()


# ---------------------------------------------------------------------------------------
# Recovery codes


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch.isalnum())


def _recovery_digest(user: Any, code: str) -> str:
    # Codes carry 50 random bits: a keyed hash is enough (nothing to brute-force offline
    # without the SECRET_KEY), and checking one costs no slow password hash.
    return salted_hmac(
        "champion.accounts.recovery-code", f"{user.pk}:{normalise_recovery_code(code)}"
    ).hexdigest()


@transaction.atomic
def make_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with RECOVERY_CODES new ones, returned once."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, digest=_recovery_digest(user, c)) for c in codes
    )
    return codes


def use_recovery_code(user: Any, code: str) -> bool:
    """True (and the code is spent) when `code` is one of the person's unused codes."""
    if len(normalise_recovery_code(code)) != 10:
        return False
    spent = RecoveryCode.objects.filter(
        user=user, digest=_recovery_digest(user, code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return spent == 1


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


# ---------------------------------------------------------------------------------------
# The half-signed-in session


def start_pending(request: HttpRequest, user: User, next_url: str) -> None:
    """The password was right: remember who, for the second step only."""
    request.session.cycle_key()
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_AT] = int(time.time())
    request.session[PENDING_BACKEND] = getattr(
        user, "backend", settings.AUTHENTICATION_BACKENDS[-1]
    )
    request.session[PENDING_NEXT] = next_url


def clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_AT, PENDING_BACKEND, PENDING_NEXT):
        request.session.pop(key, None)


def pending_user(request: HttpRequest) -> User | None:
    """The half-signed-in person, or None (never started, expired, or no longer active);
    an expired half sign-in is cleared, so the next attempt starts from the password."""
    user_id, at = request.session.get(PENDING_USER), request.session.get(PENDING_AT)
    if user_id is None or at is None:
        return None
    if time.time() - at > settings.TWO_FACTOR_STEP_SECONDS:
        clear_pending(request)
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        clear_pending(request)
    return user


def finish_pending(request: HttpRequest, user: User) -> str:
    """Both steps passed: sign the person in; returns where they were going."""
    backend = request.session.get(PENDING_BACKEND) or settings.AUTHENTICATION_BACKENDS[-1]
    next_url = request.session.get(PENDING_NEXT) or settings.LOGIN_REDIRECT_URL
    clear_pending(request)
    login(request, user, backend=backend)
    after_sign_in(request, user)
    return next_url


def enrolment_required(user: Any) -> bool:
    """An admin of an organisation that requires two-factor sign-in, without an app yet."""
    organisation = getattr(user, "organisation", None)
    return bool(
        organisation is not None
        and organisation.require_two_factor
        and user.units_with_roles(Role.ADMIN)
        and not has_two_factor(user)
    )


def after_sign_in(request: HttpRequest, user: User) -> None:
    """Called once a person is fully signed in: flag an admin who must set up an app."""
    if enrolment_required(user):
        request.session[ENROL_REQUIRED] = True
