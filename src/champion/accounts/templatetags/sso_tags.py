"""`{% sso_buttons %}`: the sign-in page's single sign-on buttons, shown only when set up."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from champion.accounts import oidc, saml

register = template.Library()


@register.inclusion_tag("accounts/_sso_buttons.html", takes_context=True)
def sso_buttons(context: template.Context) -> dict[str, Any]:
    buttons = []
    if oidc.configured():
        buttons.append((reverse("accounts:oidc-start"), settings.OIDC_NAME))
    if saml.configured():
        buttons.append((reverse("accounts:saml-start"), settings.SAML_NAME))
    return {"buttons": buttons, "next": context.get("next", "")}
