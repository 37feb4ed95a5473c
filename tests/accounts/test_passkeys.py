"""Passkeys (WebAuthn) as a second factor: adding one (registration) and signing in with it
(authentication), checked by py_webauthn against answers made here by a software
authenticator (EC P-256 keys, attestation "none"); a wrong challenge, a wrong origin, a
replayed counter and another person's passkey are refused, and a failure counts like a wrong
code."""

from __future__ import annotations

import hashlib
import json
import os
import re
import struct
from html import unescape

import cbor2
import pyotp
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url

from champion.accounts import passkeys, twofactor
from champion.accounts.models import Passkey
from champion.core.models import AuditEvent
from tests.conftest import PASSWORD

ORIGIN = "http://localhost:8000"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = ORIGIN


class Authenticator:
    """A software authenticator: one credential, an EC P-256 key and a signature counter."""

    def __init__(self, rp_id="localhost", origin=ORIGIN):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(16)
        self.rp_id = rp_id
        self.origin = origin
        self.count = 0

    def _client_data(self, kind, challenge):
        return json.dumps(
            {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        ).encode()

    def _cose_key(self):
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,
                3: -7,
                -1: 1,
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )

    def create(self, options):
        """The answer to navigator.credentials.create for `options` (the server's JSON)."""
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        attested = (
            bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id
        ) + self._cose_key()
        auth_data = rp_hash + bytes([0x45]) + struct.pack(">I", self.count) + attested
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return json.dumps(
            {
                "id": bytes_to_base64url(self.credential_id),
                "rawId": bytes_to_base64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": bytes_to_base64url(
                        self._client_data("webauthn.create", options["challenge"])
                    ),
                    "attestationObject": bytes_to_base64url(attestation),
                },
                "clientExtensionResults": {},
            }
        )

    def get(self, options, count=None):
        """The answer to navigator.credentials.get (the counter goes up unless `count`)."""
        self.count = self.count + 1 if count is None else count
        rp_hash = hashlib.sha256(self.rp_id.encode()).digest()
        auth_data = rp_hash + bytes([0x05]) + struct.pack(">I", self.count)
        client_data = self._client_data("webauthn.get", options["challenge"])
        signature = self.key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": bytes_to_base64url(self.credential_id),
                "rawId": bytes_to_base64url(self.credential_id),
                "type": "public-key",
                "response": {
                    "clientDataJSON": bytes_to_base64url(client_data),
                    "authenticatorData": bytes_to_base64url(auth_data),
                    "signature": bytes_to_base64url(signature),
                },
                "clientExtensionResults": {},
            }
        )


def page_options(response):
    match = re.search(
        r'<script id="passkey-options" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    assert match, "no passkey options on the page"
    return json.loads(unescape(match.group(1)))


def add_passkey(client, authenticator, name="My laptop"):
    options = page_options(client.get(reverse("accounts:two-factor")))
    return client.post(
        reverse("accounts:passkey-add"),
        {"name": name, "credential": authenticator.create(options)},
    )


def registered(client, user, name="My laptop"):
    client.force_login(user)
    authenticator = Authenticator()
    response = add_passkey(client, authenticator, name)
    assert response.status_code == 302
    assert Passkey.objects.filter(user=user, name=name).exists()
    client.logout()
    return authenticator


def sign_in(client, email):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": PASSWORD})


def signed_in(client):
    return "_auth_user_id" in client.session


def use_passkey(client, authenticator, **get):
    options = page_options(client.get(reverse("accounts:sign-in-verify")))
    return client.post(
        reverse("accounts:sign-in-verify"), {"credential": authenticator.get(options, **get)}
    )


# ---------------------------------------------------------------------------------------
# Registration


def test_adding_a_passkey(world, client):
    client.force_login(world.member)
    options = page_options(client.get(reverse("accounts:two-factor")))
    assert options["rp"] == {"id": "localhost", "name": "PI Champion"}
    authenticator = Authenticator()
    response = client.post(
        reverse("accounts:passkey-add"),
        {"name": "Work laptop", "credential": authenticator.create(options)},
    )
    assert response.status_code == 302
    key = Passkey.objects.get(user=world.member)
    assert bytes(key.credential_id) == authenticator.credential_id
    assert key.name == "Work laptop" and key.sign_count == 0
    assert twofactor.has_two_factor(world.member) and not twofactor.has_app(world.member)
    page = client.get(reverse("accounts:two-factor")).content.decode()
    assert "Work laptop" in page
    # The audit log has the passkey, without its key material.
    event = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Passkey), object_id=str(key.pk)
    ).get()
    assert "Work laptop" in json.dumps(event.changes, default=str)
    assert "public_key" not in json.dumps(event.changes, default=str)
    # The next page's options exclude the passkey already registered.
    again = page_options(client.get(reverse("accounts:two-factor")))
    assert [c["id"] for c in again["excludeCredentials"]] == [
        bytes_to_base64url(authenticator.credential_id)
    ]


def test_a_registration_with_a_wrong_challenge_is_refused(world, client):
    client.force_login(world.member)
    page_options(client.get(reverse("accounts:two-factor")))
    forged = {"challenge": bytes_to_base64url(os.urandom(32))}
    response = client.post(
        reverse("accounts:passkey-add"),
        {"name": "Laptop", "credential": Authenticator().create(forged)},
        follow=True,
    )
    assert "was not added" in response.content.decode()
    assert not Passkey.objects.exists()


def test_a_registration_from_another_origin_is_refused(world, client):
    client.force_login(world.member)
    response = add_passkey(client, Authenticator(origin="https://evil.example"))
    assert response.status_code == 302 and not Passkey.objects.exists()
    response = add_passkey(client, Authenticator(rp_id="evil.example"))
    assert not Passkey.objects.exists()


def test_a_challenge_serves_once(world, client):
    client.force_login(world.member)
    options = page_options(client.get(reverse("accounts:two-factor")))
    first, second = Authenticator(), Authenticator()
    client.post(reverse("accounts:passkey-add"), {"name": "A", "credential": first.create(options)})
    client.post(
        reverse("accounts:passkey-add"), {"name": "B", "credential": second.create(options)}
    )
    assert list(Passkey.objects.values_list("name", flat=True)) == ["A"]


def test_garbage_is_refused_clearly(world, client):
    client.force_login(world.member)
    page_options(client.get(reverse("accounts:two-factor")))
    for credential in ("", "not json", "[1]", json.dumps({"id": "x", "response": {}})):
        response = client.post(
            reverse("accounts:passkey-add"), {"name": "A", "credential": credential}, follow=True
        )
        assert response.status_code == 200
        assert "was not added" in response.content.decode()
    assert not Passkey.objects.exists()


# ---------------------------------------------------------------------------------------
# Signing in


def test_a_passkey_alone_makes_the_password_the_first_step(world, client):
    authenticator = registered(client, world.member)
    response = sign_in(client, "member@test.example")
    assert response.url == reverse("accounts:sign-in-verify") and not signed_in(client)
    page = client.get(reverse("accounts:sign-in-verify")).content.decode()
    assert "Use a passkey" in page and 'name="code"' not in page  # no app: no code box
    response = use_passkey(client, authenticator)
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session["_auth_user_id"]) == world.member.pk
    key = Passkey.objects.get(user=world.member)
    assert key.sign_count == 1 and key.last_used_at is not None


def test_with_an_app_and_a_passkey_both_are_offered(world, client):
    authenticator = registered(client, world.member)
    twofactor.confirm_device(world.member, pyotp.random_base32(), 1)
    sign_in(client, "member@test.example")
    page = client.get(reverse("accounts:sign-in-verify")).content.decode()
    assert 'name="code"' in page and "Or use a passkey" in page
    assert use_passkey(client, authenticator).status_code == 302 and signed_in(client)


def test_the_sign_in_options_name_only_this_persons_passkeys(world, client):
    mine = registered(client, world.member)
    registered(client, world.admin)
    sign_in(client, "member@test.example")
    options = page_options(client.get(reverse("accounts:sign-in-verify")))
    assert options["rpId"] == "localhost"
    assert [c["id"] for c in options["allowCredentials"]] == [
        bytes_to_base64url(mine.credential_id)
    ]


def test_another_persons_passkey_does_not_sign_in(world, client):
    registered(client, world.member)
    theirs = registered(client, world.admin)
    sign_in(client, "member@test.example")
    response = use_passkey(client, theirs)
    assert response.status_code == 200 and "did not check out" in response.content.decode()
    assert not signed_in(client)


def test_a_replayed_or_stale_counter_is_refused(world, client):
    authenticator = registered(client, world.member)
    sign_in(client, "member@test.example")
    options = page_options(client.get(reverse("accounts:sign-in-verify")))
    answer = authenticator.get(options, count=5)
    client.post(reverse("accounts:sign-in-verify"), {"credential": answer})
    assert signed_in(client)
    client.logout()
    sign_in(client, "member@test.example")
    # The same answer again (its challenge is spent), then a fresh one with the old count.
    response = client.post(reverse("accounts:sign-in-verify"), {"credential": answer})
    assert response.status_code == 200 and not signed_in(client)
    response = use_passkey(client, authenticator, count=5)
    assert response.status_code == 200 and not signed_in(client)
    response = use_passkey(client, authenticator, count=3)
    assert not signed_in(client)
    assert use_passkey(client, authenticator, count=6).status_code == 302 and signed_in(client)
    assert Passkey.objects.get().sign_count == 6


def test_a_wrong_challenge_or_origin_does_not_sign_in(world, client):
    authenticator = registered(client, world.member)
    sign_in(client, "member@test.example")
    client.get(reverse("accounts:sign-in-verify"))
    forged = authenticator.get({"challenge": bytes_to_base64url(os.urandom(32))})
    response = client.post(reverse("accounts:sign-in-verify"), {"credential": forged})
    assert response.status_code == 200 and not signed_in(client)
    authenticator.origin = "https://evil.example"
    assert use_passkey(client, authenticator).status_code == 200 and not signed_in(client)
    authenticator.origin, authenticator.rp_id = ORIGIN, "evil.example"
    assert use_passkey(client, authenticator).status_code == 200 and not signed_in(client)


def test_a_tampered_signature_does_not_sign_in(world, client):
    authenticator = registered(client, world.member)
    sign_in(client, "member@test.example")
    options = page_options(client.get(reverse("accounts:sign-in-verify")))
    answer = json.loads(authenticator.get(options))
    signature = bytearray(base64url_to_bytes(answer["response"]["signature"]))
    signature[-1] ^= 1
    answer["response"]["signature"] = bytes_to_base64url(bytes(signature))
    client.post(reverse("accounts:sign-in-verify"), {"credential": json.dumps(answer)})
    assert not signed_in(client)


def test_failed_passkeys_are_throttled_like_wrong_codes(world, client, settings):
    registered(client, world.member)
    stranger = Authenticator()
    sign_in(client, "member@test.example")
    statuses = [
        use_passkey(client, stranger).status_code for _ in range(settings.SIGN_IN_MAX_FAILURES)
    ]
    assert statuses[-1] == 429, statuses
    assert sign_in(client, "member@test.example").status_code == 429
    assert not signed_in(client)


def test_the_ceremony_checks_the_relying_party_from_site_url(world, rf, settings):
    settings.SITE_URL = "https://champion.hospital.example/"
    assert passkeys.rp_id() == "champion.hospital.example"
    assert passkeys.origin() == "https://champion.hospital.example"


# ---------------------------------------------------------------------------------------
# Removing, and the admin requirement


def test_removing_a_passkey_needs_the_second_click(world, client):
    registered(client, world.member)
    key = Passkey.objects.get()
    client.force_login(world.member)
    url = reverse("accounts:passkey-remove", args=[key.pk])
    client.post(url)
    assert Passkey.objects.filter(pk=key.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not Passkey.objects.filter(pk=key.pk).exists()


def test_nobody_removes_another_persons_passkey(world, client):
    registered(client, world.admin)
    key = Passkey.objects.get()
    client.force_login(world.member)
    response = client.post(reverse("accounts:passkey-remove", args=[key.pk]), {"confirm": "yes"})
    assert response.status_code == 404 and Passkey.objects.filter(pk=key.pk).exists()


@pytest.fixture
def required(world):
    world.org.require_two_factor = True
    world.org.save()
    return world


def test_a_required_admin_may_add_a_passkey_instead_of_an_app(required, client):
    response = sign_in(client, "admin@test.example")
    assert client.get("/people/").url == reverse("accounts:two-factor-setup")
    assert client.get(reverse("accounts:two-factor")).status_code == 200
    add_passkey(client, Authenticator())
    assert client.get("/people/").status_code == 200
    client.logout()
    response = sign_in(client, "admin@test.example")
    assert response.url == reverse("accounts:sign-in-verify")
    assert not twofactor.enrolment_required(required.admin)


def test_a_required_admin_keeps_a_last_passkey(required, client):
    registered(client, required.admin)
    key = Passkey.objects.get()
    client.force_login(required.admin)
    client.post(reverse("accounts:passkey-remove", args=[key.pk]), {"confirm": "yes"})
    assert Passkey.objects.filter(pk=key.pk).exists()


def test_a_required_admin_with_a_passkey_may_drop_the_app(required, client):
    registered(client, required.admin)
    secret = pyotp.random_base32()
    twofactor.confirm_device(required.admin, secret, 1)
    client.force_login(required.admin)
    totp = pyotp.TOTP(secret)
    response = client.post(
        reverse("accounts:two-factor-disable"), {"code": totp.now()}, follow=True
    )
    assert "You sign in with a passkey" in response.content.decode()
    assert not twofactor.has_app(required.admin) and twofactor.has_two_factor(required.admin)
