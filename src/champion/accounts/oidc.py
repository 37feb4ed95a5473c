"""OpenID Connect sign-in with Authlib: the authorization code flow with PKCE (S256).

Authlib keeps the state, the nonce and the PKCE verifier in the session (a state is used
once), exchanges the code at the token endpoint, and checks the ID token: its signature
against the provider's published keys (JWKS), its issuer, its audience (our client id), its
expiry and issue time, and its nonce. We add: the provider's discovery document must name
the issuer we were configured with, and the ID token must be signed (never `alg: none`).
(Authlib checks the audience only when told to: `claims_options`.) The person is then matched by `champion.accounts.sso.match_person`.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from authlib.integrations.django_client import DjangoOAuth2App, OAuth
from django.conf import settings

#: How long the discovery document and the keys are reused before they are read again.
METADATA_SECONDS = 60 * 60

_lock = threading.Lock()
_metadata: dict[str, dict[str, Any]] = {}


class DiscoveryError(Exception):
    """The provider's discovery document could not be read or does not fit the issuer."""


def configured() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def discovery_url(issuer: str) -> str:
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


def metadata() -> dict[str, Any]:
    """The provider's discovery document (cached for an hour, per issuer)."""
    issuer = settings.OIDC_ISSUER
    with _lock:
        cached = _metadata.get(issuer)
        if cached and time.time() - cached["_loaded_at"] < METADATA_SECONDS:
            return cached
    try:
        response = requests.get(discovery_url(issuer), timeout=settings.SSO_HTTP_TIMEOUT)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise DiscoveryError(f"Could not read {discovery_url(issuer)}: {exc}") from exc
    if not isinstance(document, dict) or document.get("issuer") != issuer:
        raise DiscoveryError(
            f"The discovery document names issuer {document.get('issuer')!r}, not {issuer!r}."
            if isinstance(document, dict)
            else "The discovery document is not a JSON object."
        )
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(document.get(key), str):
            raise DiscoveryError(f"The discovery document has no {key}.")
    algorithms = [
        alg
        for alg in document.get("id_token_signing_alg_values_supported") or ["RS256"]
        if isinstance(alg, str) and alg.lower() != "none"
    ]
    document["id_token_signing_alg_values_supported"] = algorithms or ["RS256"]
    document["_loaded_at"] = time.time()
    with _lock:
        _metadata[issuer] = document
    return document


def forget_metadata() -> None:
    """Read the discovery document and keys again on next use (tests; key rotation)."""
    with _lock:
        _metadata.clear()


def client() -> DjangoOAuth2App:
    """An Authlib client for the configured provider, sharing the cached metadata (Authlib
    stores the fetched keys in it)."""
    registry = OAuth()
    app = registry.register(
        name="oidc",
        client_id=settings.OIDC_CLIENT_ID,
        client_secret=settings.OIDC_CLIENT_SECRET,
        server_metadata_url=discovery_url(settings.OIDC_ISSUER),
        client_kwargs={
            "scope": settings.OIDC_SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": settings.SSO_HTTP_TIMEOUT,
        },
    )
    app.server_metadata = metadata()
    return app


def claims_options() -> dict[str, Any]:
    """What the ID token must say: our issuer, and our client id among its audiences. (Given
    no options, Authlib checks the audience only through `azp`, so a token issued to another
    application that names us as its authorised party would pass.)"""
    return {
        "iss": {"essential": True, "values": [settings.OIDC_ISSUER]},
        "aud": {"essential": True, "values": [settings.OIDC_CLIENT_ID]},
    }


def email_verified(claims: dict[str, Any]) -> bool:
    """Did the provider vouch for the address? The standard `email_verified` claim, or
    Microsoft Entra ID's `xms_edov` (the address's domain is verified by its tenant)."""
    return any(
        claims.get(name) in (True, "true", "True") for name in ("email_verified", "xms_edov")
    )


def full_name(claims: dict[str, Any]) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get("given_name"), claims.get("family_name")]
        name = " ".join(p for p in parts if isinstance(p, str))
    return name.strip()
