"""Single sign-on: the one rule that turns an identity provider's word into a person.

Both OpenID Connect (`accounts.oidc`) and SAML 2.0 (`accounts.saml`) end here, so the
rule is written once (docs/deploy.md, "Single sign-on"):

1. The provider must vouch for the e-mail address (OIDC `email_verified`; a SAML assertion
   is signed by the organisation's own directory, so its address counts as verified).
2. The address is matched, ignoring case, to an existing account; only an active account
   signs in. With `<PROTOCOL>_ORGANISATION` set, only that organisation's accounts match.
3. Nobody matched: refused with a clear page, unless `<PROTOCOL>_CREATE_USERS=1`, when the
   person is created as a member of `<PROTOCOL>_DEFAULT_UNIT` (with no usable password).

Every outcome, signed in or refused, is written as an `SsoSignIn` (audited) by `record`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpRequest

from champion.accounts.models import (
    Membership,
    Organisation,
    Role,
    SsoOutcome,
    SsoProtocol,
    SsoSignIn,
    Unit,
    User,
)
from champion.core.limits import SHORT
from champion.core.middleware import client_ip

log = logging.getLogger(__name__)

#: The session's authentication backend for people signed in by single sign-on.
SSO_BACKEND = "champion.accounts.backends.SsoBackend"


class Reason:
    """Why a sign-in was refused (stored in `SsoSignIn.reason`)."""

    NO_EMAIL = "no-email"
    UNVERIFIED = "unverified-email"
    UNKNOWN = "unknown-person"
    INACTIVE = "inactive-account"
    MISCONFIGURED = "misconfigured"
    PROVIDER = "provider-error"
    INVALID = "invalid-response"
    REPLAYED = "replayed"
    THROTTLED = "throttled"


#: What the refusal page says, per reason. `{email}` and `{provider}` are filled in.
MESSAGES = {
    Reason.NO_EMAIL: "{provider} did not tell us your e-mail address, so we cannot find your "
    "account. Ask your IT service desk to release the e-mail address to PI Champion.",
    Reason.UNVERIFIED: "{provider} has not confirmed that {email} belongs to you, so we cannot "
    "sign you in with it. Ask your IT service desk to verify the address in your directory "
    "entry.",
    Reason.UNKNOWN: "There is no PI Champion account for {email}. Ask an admin in your "
    "organisation to add you with this address, then sign in again.",
    Reason.INACTIVE: "The PI Champion account for {email} has been deactivated. Ask an admin in "
    "your organisation if you should still have access.",
    Reason.MISCONFIGURED: "Single sign-on is not set up correctly on this server, so new "
    "accounts cannot be created. Tell the people who run PI Champion.",
    Reason.PROVIDER: "We could not complete signing in with {provider}: it did not answer, or "
    "answered with an error. Try again in a minute.",
    Reason.INVALID: "Signing in with {provider} did not complete: its answer could not be "
    "trusted (an invalid, expired or mis-addressed token). Start again from the sign-in page.",
    Reason.REPLAYED: "This sign-in link has already been used or has expired. Start again from "
    "the sign-in page.",
    Reason.THROTTLED: "Too many failed sign-ins from your network. Wait {minutes} minutes and "
    "try again.",
}


@dataclass(frozen=True)
class Policy:
    """How a protocol matches people: from `<PROTOCOL>_CREATE_USERS`, `_DEFAULT_UNIT` and
    `_ORGANISATION` (the organisation's slug, to match only its people)."""

    create_users: bool = False
    default_unit: int | None = None
    organisation: str = ""


def policy_for(protocol: str) -> Policy:
    prefix = protocol.upper()
    return Policy(
        create_users=getattr(settings, f"{prefix}_CREATE_USERS", False),
        default_unit=getattr(settings, f"{prefix}_DEFAULT_UNIT", None),
        organisation=getattr(settings, f"{prefix}_ORGANISATION", ""),
    )


@dataclass(frozen=True)
class Match:
    """The person to sign in (`user`), or why not (`reason`)."""

    user: User | None = None
    reason: str = ""
    email: str = ""
    created: bool = False


def normalise_email(raw: object) -> str:
    """The address as accounts store it (trimmed, lower case), or "" when it is not one."""
    if not isinstance(raw, str):
        return ""
    email = raw.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email


def match_person(email: object, *, verified: bool, full_name: str, policy: Policy) -> Match:
    """THE matching rule for every single sign-on protocol (see the module's docstring)."""
    address = normalise_email(email)
    if not address:
        return Match(reason=Reason.NO_EMAIL)
    if not verified:
        return Match(reason=Reason.UNVERIFIED, email=address)
    people = User.objects.select_related("organisation").filter(email__iexact=address)
    if policy.organisation:
        people = people.filter(organisation__slug=policy.organisation)
    user = people.first()
    if user is not None:
        if not user.is_active:
            return Match(reason=Reason.INACTIVE, email=address)
        return Match(user=user, email=address)
    if not policy.create_users:
        return Match(reason=Reason.UNKNOWN, email=address)
    if User.objects.filter(email__iexact=address).exists():
        # The address belongs to another organisation's account: never a second one.
        return Match(reason=Reason.UNKNOWN, email=address)
    unit = (
        Unit.objects.select_related("organisation").filter(pk=policy.default_unit).first()
        if policy.default_unit
        else None
    )
    if unit is None or (policy.organisation and unit.organisation.slug != policy.organisation):
        log.error("Single sign-on cannot create %s: the default unit is missing.", address)
        return Match(reason=Reason.MISCONFIGURED, email=address)
    name = " ".join(full_name.split())[:SHORT] or address.split("@")[0]
    with transaction.atomic():
        user = User.objects.create_user(address, full_name=name, organisation=unit.organisation)
        Membership.objects.create(user=user, unit=unit, role=Role.MEMBER)
    return Match(user=user, email=address, created=True)


def record(
    request: HttpRequest,
    protocol: SsoProtocol,
    match: Match,
    *,
    reference: str = "",
) -> SsoSignIn:
    """Write the outcome down (audited) and log refusals."""
    user = match.user
    if user is not None:
        outcome = SsoOutcome.CREATED if match.created else SsoOutcome.SIGNED_IN
        organisation: Organisation | None = user.organisation
    else:
        outcome, organisation = SsoOutcome.REFUSED, None
        log.warning(
            "%s sign-in refused (%s) for %r", protocol.label, match.reason, match.email or "-"
        )
    return SsoSignIn.objects.create(
        protocol=protocol,
        outcome=outcome,
        reason=match.reason,
        email=match.email[:254],
        user=user,
        organisation=organisation,
        ip_address=client_ip(request),
        reference=reference[:200],
    )


def sign_in(request: HttpRequest, user: User) -> None:
    """Start the session (the SSO backend keeps it when password sign-in is off)."""
    login(request, user, backend=SSO_BACKEND)


def refusal_message(reason: str, *, provider: str, email: str = "") -> str:
    return MESSAGES[reason].format(
        provider=provider, email=email or "this address", minutes=settings.SIGN_IN_WINDOW_MINUTES
    )
