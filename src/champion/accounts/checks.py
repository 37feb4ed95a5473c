"""System checks for single sign-on (run by `champion manage check`)."""

from __future__ import annotations

import shutil
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from champion.accounts import saml


@register()
def saml_can_check_signatures(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """SAML configured without the xmlsec1 program would refuse every sign-in."""
    if not saml.configured() or shutil.which("xmlsec1"):
        return []
    return [
        Error(
            saml.XMLSEC_MISSING,
            hint="Install the xmlsec1 package, or unset SAML_IDP_METADATA_URL/_FILE.",
            id="accounts.E001",
        )
    ]


@register(Tags.security, deploy=True)
def sso_over_https(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy`: the identity provider is reached over HTTPS (its keys and metadata
    are what every signature is checked against)."""
    found: list[CheckMessage] = []
    for name in ("OIDC_ISSUER", "SAML_IDP_METADATA_URL"):
        value = getattr(settings, name)
        if value and not value.startswith("https://"):
            found.append(
                Warning(
                    f"{name} is not an https:// address: the identity provider's keys and "
                    "metadata could be changed on the way.",
                    hint=f"Use the provider's https:// address for {name} (docs/deploy.md).",
                    id="accounts.W001",
                )
            )
    return found
