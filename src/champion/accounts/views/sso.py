"""Single sign-on pages: start and finish OpenID Connect and SAML sign-in, the SAML
service provider's metadata. The matching rule is `champion.accounts.sso.match_person`."""

from __future__ import annotations

import logging

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client.errors import MismatchingStateError
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from joserfc.errors import JoseError

from champion.accounts import oidc, saml, sso
from champion.accounts.models import SsoProtocol, SsoSignIn

log = logging.getLogger(__name__)

#: The session key holding where to go after an OpenID Connect sign-in.
NEXT_KEY = "sso_next"
#: The SAML request in flight: a signed cookie (the answer is a cross-site POST, which does
#: not carry the Lax session cookie), bound to this browser, valid ten minutes.
SAML_COOKIE = "champion_saml"
SAML_COOKIE_SALT = "champion.accounts.saml-request"
SAML_REQUEST_SECONDS = 10 * 60

STATUS = {
    sso.Reason.PROVIDER: 502,
    sso.Reason.MISCONFIGURED: 500,
    sso.Reason.INVALID: 400,
    sso.Reason.REPLAYED: 400,
    sso.Reason.THROTTLED: 429,
}


#: Refusals that count as failed sign-ins for the throttle (django-axes).
COUNTED = {sso.Reason.UNKNOWN, sso.Reason.UNVERIFIED, sso.Reason.INACTIVE}


def _next_url(request: HttpRequest, raw: str | None) -> str:
    if raw and url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return raw
    return reverse(settings.LOGIN_REDIRECT_URL)


def _refuse(
    request: HttpRequest,
    protocol: SsoProtocol,
    reason: str,
    *,
    provider: str,
    email: str = "",
    reference: str = "",
) -> HttpResponse:
    """Record the refusal and say why, clearly. Refusing a person (unknown, unverified,
    deactivated) counts as a failed sign-in for the throttle; the provider's outages and
    broken answers do not (an outage must not use up a hospital address's ceiling)."""
    sso.record(request, protocol, sso.Match(reason=reason, email=email), reference=reference)
    if reason in COUNTED:
        user_login_failed.send(sender=__name__, credentials={"username": email}, request=request)
    message = sso.refusal_message(reason, provider=provider, email=email)
    return render(
        request,
        "accounts/sso_refused.html",
        {"message": message, "provider": provider},
        status=STATUS.get(reason, 403),
    )


def _complete(
    request: HttpRequest,
    protocol: SsoProtocol,
    *,
    provider: str,
    email: object,
    verified: bool,
    full_name: str,
    next_url: str,
    reference: str = "",
) -> HttpResponse:
    """Throttle, match (one rule for every protocol), record and sign in."""
    address = sso.normalise_email(email)
    if AxesProxyHandler.is_locked(request, {"username": address}):
        return _refuse(request, protocol, sso.Reason.THROTTLED, provider=provider, email=address)
    match = sso.match_person(
        email, verified=verified, full_name=full_name, policy=sso.policy_for(protocol)
    )
    if match.user is None:
        return _refuse(
            request, protocol, match.reason, provider=provider, email=match.email,
            reference=reference,
        )  # fmt: skip
    sso.record(request, protocol, match, reference=reference)
    sso.sign_in(request, match.user)
    return HttpResponseRedirect(_next_url(request, next_url))


# OpenID Connect ---------------------------------------------------------------------------


def _oidc_or_404() -> None:
    if not oidc.configured():
        raise Http404("OpenID Connect sign-in is not set up.")


@login_not_required
@require_GET
def oidc_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider (state, nonce and PKCE verifier kept in the session)."""
    _oidc_or_404()
    provider = settings.OIDC_NAME
    try:
        app = oidc.client()
        redirect_uri = settings.SITE_URL + reverse("accounts:oidc-callback")
        response = app.authorize_redirect(request, redirect_uri=redirect_uri)
    except (oidc.DiscoveryError, requests.RequestException, AuthlibBaseError) as exc:
        log.error("OpenID Connect sign-in could not start: %s", exc)
        return _refuse(request, SsoProtocol.OIDC, sso.Reason.PROVIDER, provider=provider)
    request.session[NEXT_KEY] = _next_url(request, request.GET.get("next"))
    return response


@login_not_required
@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the code is exchanged and the ID token checked by Authlib."""
    _oidc_or_404()
    provider = settings.OIDC_NAME
    state = request.GET.get("state", "")[:200]
    try:
        token = oidc.client().authorize_access_token(request, claims_options=oidc.claims_options())
    except MismatchingStateError:
        return _refuse(request, SsoProtocol.OIDC, sso.Reason.REPLAYED, provider=provider)
    except JoseError as exc:
        log.warning("OpenID Connect ID token refused: %r", exc)
        return _refuse(request, SsoProtocol.OIDC, sso.Reason.INVALID, provider=provider)
    except (oidc.DiscoveryError, requests.RequestException, AuthlibBaseError) as exc:
        log.warning("OpenID Connect sign-in failed at the provider: %r", exc)
        return _refuse(request, SsoProtocol.OIDC, sso.Reason.PROVIDER, provider=provider)
    claims = token.get("userinfo")
    if not claims:
        return _refuse(request, SsoProtocol.OIDC, sso.Reason.INVALID, provider=provider)
    return _complete(
        request,
        SsoProtocol.OIDC,
        provider=provider,
        email=claims.get("email"),
        verified=oidc.email_verified(claims),
        full_name=oidc.full_name(claims),
        next_url=request.session.pop(NEXT_KEY, ""),
        reference=f"oidc:{state}",
    )


# SAML 2.0 ---------------------------------------------------------------------------------


def _saml_or_404() -> None:
    if not saml.configured():
        raise Http404("SAML sign-in is not set up.")


def _saml_setup_failed(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.error("SAML sign-in cannot run: %s", exc)
    return _refuse(request, SsoProtocol.SAML, sso.Reason.PROVIDER, provider=settings.SAML_NAME)


@login_not_required
@require_GET
def saml_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider with a request, remembered in a cookie."""
    _saml_or_404()
    try:
        request_id, location = saml.redirect_url(saml.client())
    except saml.SamlSetupError as exc:
        return _saml_setup_failed(request, exc)
    response = HttpResponseRedirect(location)
    value = signing.dumps(
        {"id": request_id, "next": _next_url(request, request.GET.get("next"))},
        salt=SAML_COOKIE_SALT,
    )
    secure = settings.SESSION_COOKIE_SECURE
    response.set_cookie(
        SAML_COOKIE,
        value,
        max_age=SAML_REQUEST_SECONDS,
        secure=secure,
        httponly=True,
        # The identity provider's answer is a cross-site POST: only SameSite=None (which
        # browsers accept only with Secure) carries the cookie back.
        samesite="None" if secure else "Lax",
        path=reverse("accounts:saml-acs"),
    )
    return response


@csrf_exempt  # a cross-site POST from the identity provider; bound by the signed cookie
@login_not_required
@require_POST
def saml_acs(request: HttpRequest) -> HttpResponse:
    """The assertion consumer service: check the signed assertion, match, sign in."""
    _saml_or_404()
    provider = settings.SAML_NAME
    try:
        pending = signing.loads(
            request.COOKIES.get(SAML_COOKIE, ""),
            salt=SAML_COOKIE_SALT,
            max_age=SAML_REQUEST_SECONDS,
        )
        request_id, next_url = str(pending["id"]), str(pending["next"])
    except (signing.BadSignature, KeyError, TypeError):
        return _forget(_refuse(request, SsoProtocol.SAML, sso.Reason.REPLAYED, provider=provider))
    reference = f"saml:{request_id}"[:200]
    if SsoSignIn.objects.filter(protocol=SsoProtocol.SAML, reference=reference).exists():
        return _forget(_refuse(request, SsoProtocol.SAML, sso.Reason.REPLAYED, provider=provider))
    try:
        saml_client = saml.client()
    except saml.SamlSetupError as exc:
        return _forget(_saml_setup_failed(request, exc))
    try:
        response = saml.parse_response(
            saml_client, request.POST.get("SAMLResponse", ""), request_id
        )
    except Exception as exc:  # pysaml2 raises many kinds, several plain Exception: all untrusted
        log.warning("SAML response refused: %r", exc)
        response = None
    if response is None:
        refused = _refuse(
            request, SsoProtocol.SAML, sso.Reason.INVALID, provider=provider, reference=reference
        )
        return _forget(refused)
    return _forget(
        _complete(
            request,
            SsoProtocol.SAML,
            provider=provider,
            email=saml.email_of(response),
            # Signed by the organisation's own directory: its word on the address is the proof.
            verified=True,
            full_name=saml.name_of(response),
            next_url=next_url,
            reference=reference,
        )
    )


def _forget(response: HttpResponse) -> HttpResponse:
    response.delete_cookie(SAML_COOKIE, path=reverse("accounts:saml-acs"))
    return response


@login_not_required
@require_GET
def saml_metadata(request: HttpRequest) -> HttpResponse:
    """This service provider's metadata (entity id, assertion consumer service)."""
    _saml_or_404()
    try:
        document = saml.sp_metadata()
    except saml.SamlSetupError as exc:
        log.error("SAML metadata cannot be made: %s", exc)
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(document, content_type="application/samlmetadata+xml")
