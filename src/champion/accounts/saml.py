"""SAML 2.0 sign-in with pysaml2 (service-provider initiated, HTTP-Redirect out, HTTP-POST back).

pysaml2 checks the response against the identity provider's metadata: the assertion must be
signed by the provider's key (`want_assertions_signed`; pysaml2 verifies XML signatures with
the `xmlsec1` program), addressed to us (audience, recipient, destination), within its
validity window, and an answer to a request we made (`allow_unsolicited` off: its
InResponseTo must be the request id kept in a signed cookie for ten minutes). A request is
answered once: `SsoSignIn.reference` remembers it. The person is then matched by
`champion.accounts.sso.match_person`; the address signed by the organisation's directory
counts as verified.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests
from django.conf import settings
from django.urls import reverse

if TYPE_CHECKING:
    from saml2.client import Saml2Client
    from saml2.config import SPConfig

# pysaml2 itself is imported inside the functions that use it: importing it builds the SAML
# XML schemas (one to three seconds), which every process would otherwise pay at start-up
# whether or not SAML is set up. (Third-party only: our own modules are imported at the top.)

BINDING_HTTP_POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
BINDING_HTTP_REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
NAMEID_FORMAT_EMAILADDRESS = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
NAMEID_FORMAT_UNSPECIFIED = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"

#: How long the identity provider's metadata (read from its URL) is reused.
METADATA_SECONDS = 60 * 60

#: Attribute names that usually carry the e-mail address (after pysaml2's friendly-name
#: mapping): the common LDAP/eduPerson names and Microsoft's claim URI.
EMAIL_ATTRIBUTES = (
    "email",
    "mail",
    "emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
)
NAME_ATTRIBUTES = (
    "displayname",
    "name",
    "cn",
    "http://schemas.microsoft.com/identity/claims/displayname",
)

_lock = threading.Lock()
_metadata: dict[str, tuple[float, str]] = {}

XMLSEC_MISSING = (
    "SAML sign-in needs the xmlsec1 program to check signatures, and it is not installed. "
    "Install it (Debian/Ubuntu: apt-get install xmlsec1)."
)


class SamlSetupError(Exception):
    """SAML is configured but cannot run: no xmlsec1, or no readable metadata."""


def configured() -> bool:
    return bool(settings.SAML_IDP_METADATA_URL or settings.SAML_IDP_METADATA_FILE)


def xmlsec_binary() -> str:
    found = shutil.which("xmlsec1")
    if not found:
        raise SamlSetupError(XMLSEC_MISSING)
    return found


def idp_metadata() -> str:
    """The identity provider's metadata XML: from its file, or its URL (cached for an hour)."""
    if settings.SAML_IDP_METADATA_FILE:
        try:
            return Path(settings.SAML_IDP_METADATA_FILE).read_text(encoding="utf-8")
        except OSError as exc:
            raise SamlSetupError(f"Could not read SAML_IDP_METADATA_FILE: {exc}") from exc
    url = settings.SAML_IDP_METADATA_URL
    with _lock:
        cached = _metadata.get(url)
        if cached and time.time() - cached[0] < METADATA_SECONDS:
            return cached[1]
    try:
        response = requests.get(url, timeout=settings.SSO_HTTP_TIMEOUT)
        response.raise_for_status()
    except requests.RequestException as exc:
        raise SamlSetupError(f"Could not read the SAML metadata at {url}: {exc}") from exc
    with _lock:
        _metadata[url] = (time.time(), response.text)
    return response.text


def forget_metadata() -> None:
    with _lock:
        _metadata.clear()


def acs_url() -> str:
    return settings.SITE_URL + reverse("accounts:saml-acs")


def sp_config(*, with_idp: bool = True) -> SPConfig:
    """pysaml2's configuration of this service provider (built from settings each time)."""
    config: dict[str, Any] = {
        "entityid": settings.SAML_SP_ENTITY_ID,
        "xmlsec_binary": xmlsec_binary(),
        "allow_unknown_attributes": True,
        "accepted_time_diff": 60,
        "http_client_timeout": settings.SSO_HTTP_TIMEOUT,
        "service": {
            "sp": {
                "name": "PI Champion",
                "endpoints": {"assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)]},
                "allow_unsolicited": False,
                "authn_requests_signed": False,
                "want_assertions_signed": True,
                "want_response_signed": False,
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                "name_id_format_allow_create": False,
            }
        },
    }
    if with_idp:
        config["metadata"] = {"inline": [idp_metadata()]}
    from saml2.config import SPConfig

    sp = SPConfig()
    sp.load(config)
    return sp


def client() -> Saml2Client:
    from saml2.client import Saml2Client

    return Saml2Client(config=sp_config())


def idp_entity_id(saml_client: Saml2Client) -> str:
    providers = list(saml_client.metadata.identity_providers())
    if len(providers) != 1:
        raise SamlSetupError(
            f"The SAML metadata must describe one identity provider (it has {len(providers)})."
        )
    return str(providers[0])


def sp_metadata() -> bytes:
    """This service provider's metadata, for the identity provider's administrator."""
    from saml2.metadata import create_metadata_string

    return bytes(create_metadata_string(None, config=sp_config(with_idp=False)))


def redirect_url(saml_client: Saml2Client) -> tuple[str, str]:
    """The request's id and the identity provider's address to send the browser to."""
    request_id, info = saml_client.prepare_for_authenticate(
        entityid=idp_entity_id(saml_client),
        binding=BINDING_HTTP_REDIRECT,
        nameid_format=NAMEID_FORMAT_UNSPECIFIED,
    )
    location = dict(info["headers"])["Location"]
    return str(request_id), str(location)


def parse_response(saml_client: Saml2Client, saml_response: str, request_id: str) -> Any:
    """pysaml2's checked AuthnResponse (it raises on anything it does not trust)."""
    return saml_client.parse_authn_request_response(
        saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"}
    )


def _attribute(ava: dict[str, list[Any]], wanted: tuple[str, ...]) -> str:
    lowered = {str(k).lower(): v for k, v in ava.items()}
    for name in wanted:
        values = lowered.get(name.lower())
        if values and isinstance(values[0], str):
            return str(values[0])
    return ""


def email_of(response: Any) -> str:
    ava: dict[str, list[Any]] = response.ava or {}
    configured_name = settings.SAML_EMAIL_ATTRIBUTE
    email = _attribute(ava, (configured_name,) if configured_name else EMAIL_ATTRIBUTES)
    if not email and not configured_name:
        name_id = response.name_id
        if name_id is not None and name_id.format == NAMEID_FORMAT_EMAILADDRESS:
            email = str(name_id.text or "")
    return email


def name_of(response: Any) -> str:
    ava: dict[str, list[Any]] = response.ava or {}
    name = _attribute(ava, NAME_ATTRIBUTES)
    if not name:
        name = " ".join(
            filter(None, (_attribute(ava, ("givenname",)), _attribute(ava, ("sn", "surname"))))
        )
    return name
