"""Passkeys (WebAuthn) as a second factor, beside the authenticator app (accounts.twofactor).

A person adds a passkey on the two-factor page (the registration ceremony) and, after the
password, may use it instead of a code (the authentication ceremony). The ceremonies are
checked by py_webauthn: the challenge kept in the session (used once), the origin and the
relying party id from SITE_URL, the signature by the stored public key, and the signature
counter (a count that does not go up is refused: a copied authenticator).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import (
    InvalidAuthenticationResponse,
    InvalidJSONStructure,
    InvalidRegistrationResponse,
)
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from champion.accounts.models import Passkey, User

RP_NAME = "PI Champion"
REGISTER_CHALLENGE = "passkey_register_challenge"
SIGN_IN_CHALLENGE = "passkey_sign_in_challenge"
MAX_CREDENTIAL_CHARS = 20000


class PasskeyError(Exception):
    """The browser's answer did not pass the checks (the message is for the log, not the page)."""


def rp_id() -> str:
    """The relying party id: the host of SITE_URL (a passkey works on that host only)."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def origin() -> str:
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def has_passkey(user: Any) -> bool:
    return Passkey.objects.filter(user=user).exists()


def _challenge_to_session(request: HttpRequest, key: str, challenge: bytes) -> None:
    request.session[key] = challenge.hex()


def _challenge_from_session(request: HttpRequest, key: str) -> bytes:
    """The challenge issued for this ceremony, removed so it serves once."""
    value = request.session.pop(key, None)
    if not value:
        raise PasskeyError("no challenge in the session")
    return bytes.fromhex(value)


def _parse(credential: str) -> dict[str, Any]:
    if not credential or len(credential) > MAX_CREDENTIAL_CHARS:
        raise PasskeyError("no credential, or too long")
    try:
        data = json.loads(credential)
    except ValueError as error:
        raise PasskeyError("not JSON") from error
    if not isinstance(data, dict):
        raise PasskeyError("not an object")
    return data


# ---------------------------------------------------------------------------------------
# Registration


def registration_options(request: HttpRequest, user: User) -> dict[str, Any]:
    """Options for navigator.credentials.create (for json_script); the challenge stays in the session."""
    options = generate_registration_options(
        rp_id=rp_id(),
        rp_name=RP_NAME,
        user_id=f"champion-user-{user.pk}".encode(),
        user_name=user.email,
        user_display_name=str(user),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
            for key in Passkey.objects.filter(user=user)
        ],
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.PREFERRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
    )
    _challenge_to_session(request, REGISTER_CHALLENGE, options.challenge)
    return dict(json.loads(options_to_json(options)))


@transaction.atomic
def register(request: HttpRequest, user: User, credential: str, name: str) -> Passkey:
    """Check the browser's answer to the registration options and keep the passkey."""
    challenge = _challenge_from_session(request, REGISTER_CHALLENGE)
    try:
        verified = verify_registration_response(
            credential=_parse(credential),
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
        )
    except (InvalidRegistrationResponse, InvalidJSONStructure, KeyError, ValueError) as error:
        raise PasskeyError(str(error)) from error
    if Passkey.objects.filter(credential_id=verified.credential_id).exists():
        raise PasskeyError("this passkey is registered already")
    return Passkey.objects.create(
        user=user,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        name=name,
    )


# ---------------------------------------------------------------------------------------
# Authentication (the second sign-in step)


def authentication_options(request: HttpRequest, user: Any) -> dict[str, Any]:
    """Options for navigator.credentials.get, limited to this person's passkeys."""
    options = generate_authentication_options(
        rp_id=rp_id(),
        allow_credentials=[
            PublicKeyCredentialDescriptor(id=bytes(key.credential_id))
            for key in Passkey.objects.filter(user=user)
        ],
        user_verification=UserVerificationRequirement.PREFERRED,
    )
    _challenge_to_session(request, SIGN_IN_CHALLENGE, options.challenge)
    return dict(json.loads(options_to_json(options)))


def authenticate(request: HttpRequest, user: Any, credential: str) -> Passkey:
    """Check the browser's signed answer with one of this person's passkeys; the counter is
    claimed in one conditional update, so a replayed answer cannot pass twice."""
    challenge = _challenge_from_session(request, SIGN_IN_CHALLENGE)
    data = _parse(credential)
    try:
        credential_id = base64url_to_bytes(str(data.get("rawId") or data.get("id") or ""))
    except ValueError as error:
        raise PasskeyError("bad credential id") from error
    passkey = Passkey.objects.filter(user=user, credential_id=credential_id).first()
    if passkey is None:
        raise PasskeyError("not one of this person's passkeys")
    try:
        verified = verify_authentication_response(
            credential=data,
            expected_challenge=challenge,
            expected_rp_id=rp_id(),
            expected_origin=origin(),
            credential_public_key=bytes(passkey.public_key),
            credential_current_sign_count=passkey.sign_count,
        )
    except (InvalidAuthenticationResponse, InvalidJSONStructure, KeyError, ValueError) as error:
        raise PasskeyError(str(error)) from error
    claimed = Passkey.objects.filter(pk=passkey.pk, sign_count=passkey.sign_count)
    if verified.new_sign_count > 0:
        claimed = claimed.filter(sign_count__lt=verified.new_sign_count)
    if not claimed.update(sign_count=verified.new_sign_count, last_used_at=timezone.now()):
        raise PasskeyError("the counter changed meanwhile")
    return passkey
