"""The installation's badge-signing keys and compact JWS signatures (Open Badges 3.0 VC-JWT).

Open Badges 3.0 §8.2 "JSON Web Token Proof Format" signs a credential as a compact JWS:
BASE64URL(header) "." BASE64URL(payload) "." BASE64URL(signature). The signature itself
always comes from `cryptography`; this module only chooses the algorithm for the key type,
writes the JWKs (RFC 7517/7518/8037) and their RFC 7638 thumbprints, and joins the parts.

Keys:

- the *signing key*: `BADGE_SIGNING_KEY` (PEM private key). RSA (2048 bits or more) signs
  with RS256, the one algorithm OB 3.0 requires every verifier to support; a P-256 key
  signs with ES256 and an Ed25519 key with EdDSA (allowed, but fewer verifiers accept them).
- *retired keys*: `BADGE_RETIRED_KEYS` (PEM public keys), published so that credentials
  signed before a rotation still verify, never used to sign. A key removed from both is
  revoked: its `kid` stops resolving, so what it signed no longer verifies.
- with `DEBUG=1` and no signing key, a development key is made once under `DATA_DIR`
  and reused; it is never read when `DEBUG` is off.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey
PublicKey = rsa.RSAPublicKey | ec.EllipticCurvePublicKey | ed25519.Ed25519PublicKey

KEY_TYPES = ("rsa", "p256", "ed25519")
RSA_BITS = 3072  # NIST SP 800-57: good beyond 2030; OB 3.0 (SEC-11 §6.1) asks for 2048 at least
DEV_KEY_NAME = "badge-signing-key.dev.pem"
_PEM_BLOCK = re.compile(r"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----", re.DOTALL)


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64url_uint(value: int, length: int | None = None) -> str:
    size = length or max(1, (value.bit_length() + 7) // 8)
    return b64url(value.to_bytes(size, "big"))


@dataclass(frozen=True)
class BadgeKey:
    """One key: its public half always, its private half only for the signing key."""

    public: PublicKey
    private: PrivateKey | None = None

    @property
    def alg(self) -> str:
        if isinstance(self.public, rsa.RSAPublicKey):
            return "RS256"
        if isinstance(self.public, ec.EllipticCurvePublicKey):
            return "ES256"
        return "EdDSA"

    @functools.cached_property
    def public_jwk(self) -> dict[str, str]:
        """The public key as a JWK with only its required members (never `d`)."""
        key = self.public
        if isinstance(key, rsa.RSAPublicKey):
            numbers = key.public_numbers()
            return {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}
        if isinstance(key, ec.EllipticCurvePublicKey):
            point = key.public_numbers()
            return {
                "crv": "P-256",
                "kty": "EC",
                "x": _b64url_uint(point.x, 32),
                "y": _b64url_uint(point.y, 32),
            }
        raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"crv": "Ed25519", "kty": "OKP", "x": b64url(raw)}

    @functools.cached_property
    def thumbprint(self) -> str:
        """RFC 7638: SHA-256 of the required members, sorted, without whitespace."""
        canonical = json.dumps(self.public_jwk, sort_keys=True, separators=(",", ":"))
        return b64url(hashlib.sha256(canonical.encode()).digest())

    def published_jwk(self) -> dict[str, str]:
        """The JWK as the key URL and the JWKS publish it: `kid` is that URL itself."""
        return {**self.public_jwk, "kid": key_url(self), "alg": self.alg, "use": "sig"}

    def sign(self, data: bytes) -> bytes:
        """The JWS signature (RFC 7518 §3.3, §3.4; RFC 8037 §3.1) of `data`."""
        key = self.private
        if key is None:
            raise ValueError("A retired key only verifies; it never signs.")
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
        if isinstance(key, ec.EllipticCurvePrivateKey):
            # JWS wants R || S, each 32 bytes, not the DER structure cryptography returns.
            r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
            return r.to_bytes(32, "big") + s.to_bytes(32, "big")
        return key.sign(data)


def _check_supported(key: object, where: str) -> None:
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        if key.key_size < 2048:
            raise ValueError(f"{where}: an RSA key needs at least 2048 bits (got {key.key_size}).")
    elif isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError(
                f"{where}: an EC key must be on P-256 for ES256 (got {key.curve.name})."
            )
    elif not isinstance(key, ed25519.Ed25519PublicKey | ed25519.Ed25519PrivateKey):
        raise ValueError(f"{where}: use an RSA, P-256 or Ed25519 key (got {type(key).__name__}).")


@functools.lru_cache(maxsize=8)
def load_private_key(pem: str, where: str = "BADGE_SIGNING_KEY") -> BadgeKey:
    """Parse a PEM private key (unencrypted PKCS#8 or traditional); ValueError says why not."""
    try:
        private = serialization.load_pem_private_key(pem.strip().encode(), password=None)
    except (ValueError, TypeError) as exc:
        raise ValueError(
            f"{where} is not an unencrypted PEM private key ({exc}). "
            "Make one with `champion manage badge_key generate`."
        ) from None
    _check_supported(private, where)
    key = cast(PrivateKey, private)
    return BadgeKey(public=key.public_key(), private=key)


@functools.lru_cache(maxsize=8)
def load_public_keys(text: str, where: str = "BADGE_RETIRED_KEYS") -> tuple[BadgeKey, ...]:
    """Every PEM public key in `text`; a private key here is refused (it must not linger)."""
    keys = []
    for block in _PEM_BLOCK.finditer(text):
        if "PRIVATE" in block.group(1):
            raise ValueError(
                f"{where} holds a private key: keep only its public key "
                "(`champion manage badge_key public` prints it)."
            )
        try:
            public = serialization.load_pem_public_key(block.group(0).encode())
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{where} has a PEM block that is not a public key ({exc}).") from None
        _check_supported(public, where)
        keys.append(BadgeKey(public=cast(PublicKey, public)))
    if text.strip() and not keys:
        raise ValueError(f"{where} holds no PEM public key.")
    return tuple(keys)


def generate_private_key_pem(kind: str = "rsa") -> str:
    """A new private key as unencrypted PKCS#8 PEM, for an operator to store as a secret."""
    private: PrivateKey
    if kind == "rsa":
        private = rsa.generate_private_key(public_exponent=65537, key_size=RSA_BITS)
    elif kind == "p256":
        private = ec.generate_private_key(ec.SECP256R1())
    elif kind == "ed25519":
        private = ed25519.Ed25519PrivateKey.generate()
    else:
        raise ValueError(f"Key type must be one of {', '.join(KEY_TYPES)} (got {kind!r}).")
    return private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def public_key_pem(key: BadgeKey) -> str:
    return key.public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def development_key_pem(data_dir: Path) -> str:
    """The development key under `data_dir`, made on first use and then reused.

    Two processes starting at once (gunicorn workers) agree on one key: each writes a
    private temporary file and links it into place; a link that loses the race is dropped
    and the winner's key is read.
    """
    path = Path(data_dir) / DEV_KEY_NAME
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{DEV_KEY_NAME}.{secrets.token_hex(8)}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate_private_key_pem())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    return path.read_text()


def signing_key() -> BadgeKey | None:
    """The key that signs credentials now, or None when credentials are served unsigned."""
    pem = settings.BADGE_SIGNING_KEY
    if not pem and settings.DEBUG:
        return load_private_key(development_key_pem(settings.DATA_DIR), "the development key")
    if not pem:
        return None
    try:
        return load_private_key(pem)
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None


def published_keys() -> list[BadgeKey]:
    """Every key a verifier may fetch: the signing key first, then the retired ones."""
    try:
        retired = list(load_public_keys(settings.BADGE_RETIRED_KEYS))
    except ValueError as exc:
        raise ImproperlyConfigured(str(exc)) from None
    current = signing_key()
    keys = [current] if current else []
    for key in retired:  # a key listed twice, or retired and current at once, is published once
        if all(key.thumbprint != known.thumbprint for known in keys):
            keys.append(key)
    return keys


def key_url(key: BadgeKey) -> str:
    """The `kid`: a URL that dereferences to this key's JWK (OB 3.0 §8.2.3, §8.5)."""
    return settings.SITE_URL + reverse("learning:badge-key", args=[key.thumbprint])


def _json_bytes(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def compact_jws(payload: dict[str, Any], key: BadgeKey) -> str:
    """Sign `payload` as a compact JWS with the JOSE header OB 3.0 §8.2.3 allows.

    Only `alg`, `typ` ("JWT"), `kid` (this key's URL) and `jwk` (its public half) are set;
    OB 3.0 allows no other header. The `jwk` lets a verifier check the signature at once;
    the `kid` says where the issuer publishes the key, which is what makes it trustworthy.
    """
    header = {"alg": key.alg, "typ": "JWT", "kid": key_url(key), "jwk": key.public_jwk}
    signing_input = b64url(_json_bytes(header)) + "." + b64url(_json_bytes(payload))
    return signing_input + "." + b64url(key.sign(signing_input.encode("ascii")))
