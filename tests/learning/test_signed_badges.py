"""Signed Open Badges (OB 3.0 §8.2 VC-JWT): verifiable with the published key, and only with it.

The verifier here is written independently of the product, with `cryptography` only: it
reads the JWKS the site publishes, rebuilds the public key from the JWK and checks the
signature, as a badge wallet would.
"""

from __future__ import annotations

import base64
import json
import stat
from datetime import datetime
from io import StringIO
from urllib.parse import urlsplit

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import CommandError

from champion.accounts.models import Organisation
from champion.learning.services import signing

CLAIMS = ("iss", "jti", "nbf", "sub")


def b64d(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64int(part: str) -> int:
    return int.from_bytes(b64d(part), "big")


def key_from_jwk(jwk: dict):
    if jwk["kty"] == "RSA":
        return rsa.RSAPublicNumbers(b64int(jwk["e"]), b64int(jwk["n"])).public_key()
    if jwk["kty"] == "EC":
        assert jwk["crv"] == "P-256"
        return ec.EllipticCurvePublicNumbers(
            b64int(jwk["x"]), b64int(jwk["y"]), ec.SECP256R1()
        ).public_key()
    assert (jwk["kty"], jwk["crv"]) == ("OKP", "Ed25519")
    return ed25519.Ed25519PublicKey.from_public_bytes(b64d(jwk["x"]))


def verify(token: str, jwks: dict) -> tuple[dict, dict]:
    """Check a compact JWS against a JWKS; raise if the key is unknown or the signature bad."""
    header_part, payload_part, signature_part = token.split(".")
    header = json.loads(b64d(header_part))
    matches = [jwk for jwk in jwks["keys"] if jwk["kid"] == header["kid"]]
    if not matches:
        raise LookupError(f"no published key {header['kid']}")
    jwk = matches[0]
    assert jwk["alg"] == header["alg"]
    key = key_from_jwk(jwk)
    data = f"{header_part}.{payload_part}".encode()
    signature = b64d(signature_part)
    if header["alg"] == "RS256":
        key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    elif header["alg"] == "ES256":
        r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
    elif header["alg"] == "EdDSA":
        key.verify(signature, data)
    else:
        raise AssertionError(f"unexpected alg {header['alg']}")
    return header, json.loads(b64d(payload_part))


def path_of(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture(scope="module")
def pems():
    return {kind: signing.generate_private_key_pem(kind) for kind in signing.KEY_TYPES}


@pytest.fixture
def signed(settings, pems):
    settings.BADGE_SIGNING_KEY = pems["rsa"]
    settings.BADGE_RETIRED_KEYS = ""
    return settings


def fetch(client, cert):
    response = client.get(f"/verify/{cert.public_id}/credential.jwt")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def jwks(client):
    response = client.get("/verify/keys/")
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize(
    ("kind", "alg"), [("rsa", "RS256"), ("p256", "ES256"), ("ed25519", "EdDSA")]
)
def test_the_signed_credential_verifies_with_the_published_key(
    client, cert, settings, pems, kind, alg
):
    settings.BADGE_SIGNING_KEY = pems[kind]
    response = client.get(f"/verify/{cert.public_id}/credential.jwt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")  # OB 3.0 §5.2 "Web Resource"
    header, payload = verify(response.content.decode(), jwks(client))
    assert header["alg"] == alg and header["typ"] == "JWT"
    assert set(header) <= {"alg", "kid", "jwk", "typ"}  # OB 3.0: no other JOSE headers
    assert "d" not in header["jwk"] and all("d" not in k for k in jwks(client)["keys"])
    # The kid dereferences to the same key, on its own (OB 3.0 §8.2.3, "Dereferencing").
    jwk = client.get(path_of(header["kid"])).json()
    assert jwk["kid"] == header["kid"] and {k: jwk[k] for k in header["jwk"]} == header["jwk"]
    assert payload["credentialSubject"]["achievement"]["name"] == "PI Champion Foundation"


def test_the_claims_match_the_certificate_and_the_json_form(client, cert, signed):
    _, payload = verify(fetch(client, cert), jwks(client))
    credential = client.get(f"/verify/{cert.public_id}/credential.json").json()
    assert payload["iss"] == payload["issuer"]["id"] == credential["issuer"]["id"]
    assert payload["jti"] == payload["id"] == credential["id"]
    assert payload["jti"].endswith(f"/verify/{cert.public_id}/credential.json")
    assert payload["sub"] == payload["credentialSubject"]["id"]
    assert payload["sub"].startswith("urn:uuid:")
    assert payload["nbf"] == int(cert.issued_at.timestamp())
    assert datetime.fromisoformat(payload["validFrom"]).timestamp() == payload["nbf"]
    assert "exp" not in payload and "validUntil" not in payload  # certificates do not expire
    # The JSON form is the same credential without the JWT claims, and carries no proof.
    assert {k: v for k, v in payload.items() if k not in CLAIMS} == credential
    assert "proof" not in credential
    assert "member@test.example" not in json.dumps(payload)


def test_the_issuer_id_resolves_to_the_organisations_profile(client, cert, signed):
    _, payload = verify(fetch(client, cert), jwks(client))
    profile = client.get(path_of(payload["iss"]))
    assert profile.status_code == 200
    body = profile.json()
    assert body["id"] == payload["iss"] and body["type"] == ["Profile"]
    assert body["name"] == "Testshire Health"


def test_an_organisation_without_certificates_has_no_public_profile(client, cert, world):
    assert client.get("/verify/issuers/elsewhere-care/").status_code == 404
    assert client.get("/verify/issuers/nobody/").status_code == 404
    Organisation.objects.create(name="Quiet Trust")
    assert client.get("/verify/issuers/quiet-trust/").status_code == 404


def test_a_tampered_payload_or_a_foreign_signature_fails(client, cert, signed):
    token = fetch(client, cert)
    header_part, payload_part, signature_part = token.split(".")
    payload = json.loads(b64d(payload_part))
    payload["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else"
    forged = f"{header_part}.{b64e(json.dumps(payload).encode())}.{signature_part}"
    with pytest.raises(InvalidSignature):
        verify(forged, jwks(client))
    # A signature made with another key but claiming this key's kid does not verify either.
    impostor = signing.load_private_key(signing.generate_private_key_pem("rsa"))
    signing_input = f"{header_part}.{payload_part}".encode()
    with pytest.raises(InvalidSignature):
        verify(f"{header_part}.{payload_part}.{b64e(impostor.sign(signing_input))}", jwks(client))
    verify(token, jwks(client))  # the genuine token still verifies


def test_unknown_certificates_and_keys_are_not_found(client, cert, signed):
    for guess in ("1", cert.public_id[:-1], cert.public_id + "x"):
        assert client.get(f"/verify/{guess}/credential.jwt").status_code == 404
    assert client.get("/verify/keys/not-a-key-id").status_code == 404


def test_rotation_keeps_old_credentials_verifiable_and_revocation_ends_them(
    client, cert, settings, pems
):
    settings.BADGE_SIGNING_KEY, settings.BADGE_RETIRED_KEYS = pems["rsa"], ""
    old_token = fetch(client, cert)
    old_public = signing.public_key_pem(signing.load_private_key(pems["rsa"]))

    # Rotate: a new signing key; the old public key stays published.
    settings.BADGE_SIGNING_KEY, settings.BADGE_RETIRED_KEYS = pems["ed25519"], old_public
    new_token = fetch(client, cert)
    keys = jwks(client)
    assert len(keys["keys"]) == 2
    assert verify(old_token, keys)[0]["alg"] == "RS256"
    assert verify(new_token, keys)[0]["alg"] == "EdDSA"
    old_kid = json.loads(b64d(old_token.split(".")[0]))["kid"]
    assert client.get(path_of(old_kid)).status_code == 200

    # Revoke: the old key is published no more, so what it signed no longer verifies.
    settings.BADGE_RETIRED_KEYS = ""
    assert client.get(path_of(old_kid)).status_code == 404
    with pytest.raises(LookupError):
        verify(old_token, jwks(client))
    verify(fetch(client, cert), jwks(client))  # a fresh download is signed with the new key


def test_without_a_key_production_serves_unsigned_credentials_and_check_deploy_warns(
    client, cert, settings
):
    settings.DEBUG, settings.BADGE_SIGNING_KEY, settings.BADGE_RETIRED_KEYS = False, "", ""
    assert client.get(f"/verify/{cert.public_id}/credential.jwt").status_code == 404
    credential = client.get(f"/verify/{cert.public_id}/credential.json")
    assert credential.status_code == 200 and "proof" not in credential.json()
    assert jwks(client) == {"keys": []}
    page = client.get(f"/verify/{cert.public_id}/").content.decode()
    assert "credential.jwt" not in page and "(unsigned)" in page
    warnings = [m.id for m in run_checks(include_deployment_checks=True)]
    assert "learning.W001" in warnings


def test_check_deploy_is_quiet_about_badges_when_a_key_is_set(signed):
    assert "learning.W001" not in [m.id for m in run_checks(include_deployment_checks=True)]


def test_the_pages_link_the_signed_credential_next_to_the_json(client, cert, signed, client_for):
    for page in (
        client.get(f"/verify/{cert.public_id}/"),
        client_for(cert.user).get(f"/learn/certificates/{cert.pk}/"),
    ):
        text = page.content.decode()
        assert f"/verify/{cert.public_id}/credential.jwt" in text
        assert f"/verify/{cert.public_id}/credential.json" in text


def test_debug_makes_a_development_key_once_and_reuses_it(tmp_path, settings):
    settings.DEBUG, settings.BADGE_SIGNING_KEY, settings.DATA_DIR = True, "", tmp_path
    first = signing.signing_key()
    path = tmp_path / signing.DEV_KEY_NAME
    assert first is not None and first.alg == "RS256" and path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # a private key, readable by its owner only
    written = path.read_text()
    signing.load_private_key.cache_clear()  # as a new process would
    second = signing.signing_key()
    assert second is not None and second.thumbprint == first.thumbprint
    assert path.read_text() == written
    assert list(tmp_path.iterdir()) == [path]  # no temporary files left behind


def test_the_development_key_is_never_used_in_production(tmp_path, settings):
    settings.DEBUG, settings.BADGE_SIGNING_KEY, settings.DATA_DIR = True, "", tmp_path
    signing.signing_key()
    settings.DEBUG = False
    assert signing.signing_key() is None
    assert signing.published_keys() == []


@pytest.mark.parametrize(
    ("pem", "problem"),
    [
        ("not a key", "not an unencrypted PEM private key"),
        (
            rsa.generate_private_key(public_exponent=65537, key_size=1024)
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode(),
            "at least 2048 bits",
        ),
        (
            ec.generate_private_key(ec.SECP384R1())
            .private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
            .decode(),
            "must be on P-256",
        ),
    ],
)
def test_unusable_signing_keys_are_refused_with_a_reason(pem, problem):
    with pytest.raises(ValueError, match=problem):
        signing.load_private_key(pem)


def test_retired_keys_must_be_public_keys(pems):
    with pytest.raises(ValueError, match="holds a private key"):
        signing.load_public_keys(pems["rsa"])
    with pytest.raises(ValueError, match="holds no PEM public key"):
        signing.load_public_keys("garbage")
    public = signing.public_key_pem(signing.load_private_key(pems["p256"]))
    assert [k.alg for k in signing.load_public_keys(public + "\n" + public)] == ["ES256"] * 2


def test_the_thumbprint_is_rfc7638():
    # RFC 7638 §3.1: the example RSA key and its thumbprint.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_"
        "BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_"
        "FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4"
        "vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    public = rsa.RSAPublicNumbers(65537, b64int(n)).public_key()
    key = signing.BadgeKey(public=public)
    assert key.thumbprint == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_badge_key_generate_prints_a_usable_private_key_and_public_its_public_half(settings):
    out = StringIO()
    call_command("badge_key", "generate", "--type", "ed25519", stdout=out)
    pem = out.getvalue()
    assert pem.startswith("-----BEGIN PRIVATE KEY-----") and pem.rstrip().endswith("-----")
    key = signing.load_private_key(pem)
    assert key.alg == "EdDSA"

    settings.BADGE_SIGNING_KEY = pem
    out = StringIO()
    call_command("badge_key", "public", stdout=out)
    (published,) = signing.load_public_keys(out.getvalue())
    assert published.thumbprint == key.thumbprint and "PRIVATE" not in out.getvalue()


def test_badge_key_public_needs_a_configured_key(settings):
    settings.DEBUG, settings.BADGE_SIGNING_KEY = False, ""
    with pytest.raises(CommandError, match="BADGE_SIGNING_KEY is not set"):
        call_command("badge_key", "public", stdout=StringIO())
