"""SAML 2.0 sign-in against a real identity provider on loopback, built on pysaml2's own
IdP (tests/accounts/saml_provider.py): metadata both ways, a signed assertion over the
HTTP-POST binding, and every way it must refuse."""

from __future__ import annotations

import shutil
from urllib.parse import urlsplit

import pytest
import requests
from django.urls import reverse

from champion.accounts import saml
from champion.accounts.models import Role, SsoOutcome, SsoSignIn, User
from champion.accounts.views.sso import SAML_COOKIE
from tests.accounts.saml_provider import XMLSEC_MISSING, SamlIdentityProvider, posted_form


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    if shutil.which("xmlsec1") is None:
        pytest.fail(XMLSEC_MISSING, pytrace=False)
    idp = SamlIdentityProvider(tmp_path_factory.mktemp("saml-idp"))
    yield idp
    idp.stop()


@pytest.fixture
def idp(provider, settings, client):
    provider.reset()
    provider.person = {"mail": "member@test.example", "displayName": "Mia Member"}
    settings.SAML_IDP_METADATA_URL = f"{provider.base}/metadata"
    settings.SAML_NAME = "Testshire Health SAML"
    saml.forget_metadata()
    # The identity provider's administrator loads our published metadata.
    provider.sp_metadata = client.get(reverse("accounts:saml-metadata")).content.decode()
    yield provider
    saml.forget_metadata()


def to_idp(client, next_url=None):
    """Start at our button; the IdP signs its person in and answers with an auto-posting form."""
    start = reverse("accounts:saml-start") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, response.content
    page = requests.get(response.url, timeout=10)
    assert page.status_code == 200, page.text
    action, fields = posted_form(page.text)
    assert urlsplit(action).path == reverse("accounts:saml-acs")
    return fields


def sign_in(client, next_url=None):
    return client.post(reverse("accounts:saml-acs"), to_idp(client, next_url))


def signed_in_as(client):
    return int(client.session["_auth_user_id"]) if "_auth_user_id" in client.session else None


def test_a_known_person_signs_in_with_a_signed_assertion(world, client, idp):
    response = sign_in(client, "/learn/")
    assert response.status_code == 302 and response.url == "/learn/"
    assert signed_in_as(client) == world.member.pk
    assert client.get("/").status_code == 200
    event = SsoSignIn.objects.get()
    assert (event.protocol, event.outcome, event.user) == (
        "saml",
        SsoOutcome.SIGNED_IN,
        world.member,
    )


def test_the_service_provider_metadata_is_published(world, client, idp, settings):
    response = client.get(reverse("accounts:saml-metadata"))
    assert (
        response.status_code == 200 and response["Content-Type"] == "application/samlmetadata+xml"
    )
    body = response.content.decode()
    assert f'entityID="{settings.SAML_SP_ENTITY_ID}"' in body
    assert settings.SITE_URL + reverse("accounts:saml-acs") in body
    assert 'WantAssertionsSigned="true"' in body


def test_saml_pages_do_not_exist_and_no_button_shows_when_not_configured(world, client, settings):
    settings.SAML_IDP_METADATA_URL = settings.SAML_IDP_METADATA_FILE = ""
    assert client.get(reverse("accounts:saml-metadata")).status_code == 404
    assert client.get(reverse("accounts:saml-start")).status_code == 404
    assert "Sign in with" not in client.get(reverse("accounts:sign-in")).content.decode()


def test_the_button_shows_when_configured(world, client, idp):
    assert (
        "Sign in with Testshire Health SAML"
        in client.get(reverse("accounts:sign-in")).content.decode()
    )


def test_an_unsigned_assertion_is_refused(world, client, idp, caplog):
    idp.sign_assertion = False
    response = sign_in(client)
    assert response.status_code == 400 and signed_in_as(client) is None
    assert "Signature missing for assertion" in caplog.text


def test_an_assertion_for_another_audience_is_refused(world, client, idp, caplog):
    idp.audience = "https://another-service.example/saml"
    response = sign_in(client)
    assert response.status_code == 400 and signed_in_as(client) is None
    assert "AudienceRestrictions conditions not satisfied" in caplog.text


def test_an_assertion_signed_by_another_key_is_refused(world, client, idp, caplog):
    idp.sign_with_rogue_key = True
    response = sign_in(client)
    assert "Failed to verify signature" in caplog.text
    assert response.status_code == 400 and signed_in_as(client) is None
    assert "could not be trusted" in response.content.decode()


def test_a_replayed_response_is_refused(world, client, idp):
    fields = to_idp(client)
    cookie = client.cookies[SAML_COOKIE].value
    assert client.post(reverse("accounts:saml-acs"), fields).status_code == 302
    client.logout()
    # Posted again: the request it answered is no longer pending in this browser...
    response = client.post(reverse("accounts:saml-acs"), fields)
    assert response.status_code == 400 and signed_in_as(client) is None
    # ...and even with that request's cookie put back, a request is answered once.
    client.cookies[SAML_COOKIE] = cookie
    response = client.post(reverse("accounts:saml-acs"), fields)
    assert response.status_code == 400 and signed_in_as(client) is None
    assert "already been used" in response.content.decode()


def test_a_response_to_another_browsers_request_is_refused(world, client, idp):
    other = type(client)()
    fields = to_idp(other)
    response = client.post(reverse("accounts:saml-acs"), fields)
    assert response.status_code == 400 and signed_in_as(client) is None


def test_an_unknown_person_is_refused_with_a_clear_page(world, client, idp):
    idp.person = {"mail": "stranger@test.example"}
    response = sign_in(client)
    assert response.status_code == 403 and signed_in_as(client) is None
    assert "There is no PI Champion account for stranger@test.example" in response.content.decode()


def test_the_address_can_come_from_the_name_id(world, client, idp):
    # The IdP makes "email" the NameID (format emailAddress); no attribute names an address.
    idp.person = {"email": "member@test.example", "displayName": "Mia Member"}
    idp.release_attributes = False
    response = sign_in(client)
    assert response.status_code == 302 and signed_in_as(client) == world.member.pk


def test_unknown_people_are_created_when_the_server_says_so(world, client, idp, settings):
    settings.SAML_CREATE_USERS = True
    settings.SAML_DEFAULT_UNIT = world.ward_a.pk
    idp.person = {"mail": "sam.new@test.example", "displayName": "Sam New"}
    assert sign_in(client).status_code == 302
    user = User.objects.get(email="sam.new@test.example")
    assert signed_in_as(client) == user.pk and user.full_name == "Sam New"
    assert list(user.memberships.values_list("unit", "role")) == [(world.ward_a.pk, Role.MEMBER)]


def test_the_identity_providers_metadata_can_come_from_a_file(
    world, client, idp, settings, tmp_path
):
    path = tmp_path / "idp-metadata.xml"
    path.write_bytes(idp.metadata if isinstance(idp.metadata, bytes) else idp.metadata.encode())
    settings.SAML_IDP_METADATA_URL = ""
    settings.SAML_IDP_METADATA_FILE = str(path)
    assert sign_in(client).status_code == 302 and signed_in_as(client) == world.member.pk


def test_without_xmlsec1_sign_in_stops_with_a_clear_message(
    world, client, idp, monkeypatch, caplog
):
    monkeypatch.setattr(saml.shutil, "which", lambda name: None)
    response = client.get(reverse("accounts:saml-start"))
    assert (
        response.status_code == 502 and "could not complete signing in" in response.content.decode()
    )
    assert "apt-get install xmlsec1" in caplog.text
    metadata = client.get(reverse("accounts:saml-metadata"))
    assert metadata.status_code == 503 and "apt-get install xmlsec1" in metadata.content.decode()
