"""Self-service sign-up: a new organisation with its first admin, after the address is confirmed.

1. Someone types their work e-mail address (`accounts:sign-up`); a signed link that expires
   after SIGNUP_LINK_HOURS is e-mailed to it (`make_link`), through Django's e-mail backend
   like every other e-mail. An address that already has an account is e-mailed a note
   saying so instead, so the page reveals nothing about who has an account.
2. The link (`accounts:sign-up-complete`) opens a form for the organisation's name, the
   person's name and a password; the organisation, its top unit and the person, admin of
   that unit, are made together. The link then stops working: its address has an account.
3. The new admin lands on a first-steps page (`accounts:welcome`): add units, invite
   people, start Foundation.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import reverse

from champion.accounts.models import Membership, Organisation, Role, Unit, UnitKind, User

SALT = "champion.accounts.sign-up"


def make_link(email: str) -> str:
    """The confirmation link for `email`: signed with SECRET_KEY, dated, at SITE_URL."""
    token = signing.dumps({"email": email.strip().lower()}, salt=SALT, compress=True)
    return f"{settings.SITE_URL}{reverse('accounts:sign-up-complete', args=[token])}"


def read_link(token: str) -> str | None:
    """The address a link confirms, or None when it is forged, changed or too old."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.SIGNUP_LINK_HOURS * 3600)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    email = data.get("email") if isinstance(data, dict) else None
    return email if isinstance(email, str) and email else None


@transaction.atomic
def create_organisation(email: str, organisation_name: str, full_name: str, password: str) -> User:
    """The organisation, its top unit and its first admin, all or nothing."""
    organisation = Organisation.objects.create(name=organisation_name)
    root = Unit.objects.create(
        organisation=organisation, name=organisation_name, kind=UnitKind.SYSTEM
    )
    user = User.objects.create_user(email, password, full_name=full_name, organisation=organisation)
    Membership.objects.create(user=user, unit=root, role=Role.ADMIN)
    return user


def first_steps(user: Any) -> dict[str, bool]:
    """What the first-steps page ticks off: units added, people invited."""
    organisation = user.organisation
    return {
        "units": Unit.objects.filter(organisation=organisation, parent__isnull=False).exists(),
        "people": User.objects.filter(organisation=organisation).exclude(pk=user.pk).exists(),
    }
