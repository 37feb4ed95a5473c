"""OpenID Connect sign-in against a real provider on loopback (tests/accounts/oidc_provider.py):
the whole authorization code flow with PKCE over HTTP, and every way it must refuse."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from champion.accounts import oidc
from champion.accounts.models import Role, SsoOutcome, SsoSignIn, User
from champion.core.models import AuditEvent
from tests.accounts.oidc_provider import CLIENT_ID, CLIENT_SECRET, OpenIDProvider
from tests.conftest import PASSWORD


@pytest.fixture(scope="module")
def provider():
    op = OpenIDProvider()
    yield op
    op.stop()


@pytest.fixture
def op(provider, settings):
    provider.reset()
    provider.person = {"email": "member@test.example", "email_verified": True, "name": "Mia M"}
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_NAME = "Testshire Health ID"
    oidc.forget_metadata()
    yield provider
    oidc.forget_metadata()


def to_provider(client, next_url=None):
    """Start at our sign-in button; the provider signs its person in and sends back a code."""
    start = reverse("accounts:oidc-start") + (f"?next={next_url}" if next_url else "")
    response = client.get(start)
    assert response.status_code == 302, response.content
    answer = requests.get(response.url, allow_redirects=False, timeout=5)
    assert answer.status_code == 302, answer.text
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("accounts:oidc-callback")
    return f"{back.path}?{back.query}"


def sign_in(client, next_url=None):
    return client.get(to_provider(client, next_url))


def signed_in_as(client):
    return int(client.session["_auth_user_id"]) if "_auth_user_id" in client.session else None


def test_a_known_person_with_a_verified_address_signs_in(world, client, op):
    response = sign_in(client)
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_as(client) == world.member.pk
    # PKCE (S256), state and nonce were sent, and the verifier was checked by the provider.
    sent = op.authorize_requests[-1]
    assert sent["code_challenge_method"] == "S256" and sent["code_challenge"]
    assert sent["state"] and sent["nonce"] and "openid" in sent["scope"].split()
    assert op.token_requests[-1]["code_verifier"]
    # The session holds: the next page is served signed in.
    assert client.get("/").status_code == 200
    # Recorded and audited in the person's organisation.
    event = SsoSignIn.objects.get()
    assert (event.outcome, event.user, event.organisation) == (
        SsoOutcome.SIGNED_IN,
        world.member,
        world.org,
    )
    assert AuditEvent.objects.filter(object_id=str(event.pk), organisation=world.org).exists()


def test_the_sign_in_page_shows_the_button_only_when_configured(world, client, settings):
    settings.OIDC_ISSUER = ""
    page = client.get(reverse("accounts:sign-in")).content.decode()
    assert "Sign in with" not in page
    assert client.get(reverse("accounts:oidc-start")).status_code == 404
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = "https://id.example", "x"
    settings.OIDC_NAME = "Testshire Health ID"
    page = client.get(reverse("accounts:sign-in") + "?next=/learn/").content.decode()
    assert "Sign in with Testshire Health ID" in page
    assert reverse("accounts:oidc-start") + "?next=/learn/" in page


def test_next_is_followed_when_it_is_on_this_site_only(world, client, op):
    assert sign_in(client, "/learn/").url == "/learn/"
    client.logout()
    assert sign_in(client, "https://evil.example/").url == "/"


def test_a_token_signed_with_another_key_is_refused(world, client, op, caplog):
    op.sign_with_rogue_key = True
    response = sign_in(client)
    assert "BadSignatureError" in caplog.text
    assert response.status_code == 400 and signed_in_as(client) is None
    assert "could not be trusted" in response.content.decode()


def test_a_token_for_another_audience_is_refused(world, client, op, caplog):
    # Issued to another application, whatever it says of the authorised party.
    for azp in ("some-other-application", CLIENT_ID):
        caplog.clear()
        op.tamper = {"aud": ["some-other-application"], "azp": azp}
        response = sign_in(client)
        assert response.status_code == 400 and signed_in_as(client) is None
        assert "Invalid claim: 'aud'" in caplog.text


def test_an_expired_token_is_refused(world, client, op, caplog):
    now = int(time.time())
    op.tamper = {"iat": now - 7200, "exp": now - 3600}
    response = sign_in(client)
    assert "ExpiredTokenError" in caplog.text
    assert response.status_code == 400 and signed_in_as(client) is None


def test_a_token_from_another_issuer_or_with_another_nonce_is_refused(world, client, op):
    op.tamper = {"iss": "https://impostor.example"}
    assert sign_in(client).status_code == 400
    op.tamper = {"nonce": "not-the-one-we-sent"}
    assert sign_in(client).status_code == 400
    assert signed_in_as(client) is None


def test_a_replayed_state_is_refused(world, client, op):
    callback = to_provider(client)
    assert client.get(callback).status_code == 302
    client.logout()
    response = client.get(callback)
    assert response.status_code == 400 and signed_in_as(client) is None
    assert "already been used" in response.content.decode()


def test_a_callback_started_in_another_browser_is_refused(world, client, op):
    callback = to_provider(Client())
    response = client.get(callback)
    assert response.status_code == 400 and signed_in_as(client) is None


def test_an_unverified_address_is_refused_with_a_clear_page(world, client, op):
    op.person = {"email": "member@test.example", "email_verified": False}
    response = sign_in(client)
    assert response.status_code == 403 and signed_in_as(client) is None
    assert "has not confirmed that member@test.example belongs to you" in response.content.decode()
    assert SsoSignIn.objects.get().reason == "unverified-email"


def test_entra_ids_verified_domain_claim_counts_as_verified(world, client, op):
    op.person = {"email": "member@test.example", "xms_edov": True}
    assert sign_in(client).status_code == 302 and signed_in_as(client) == world.member.pk


def test_an_unknown_person_is_refused_with_a_clear_page(world, client, op):
    op.person = {"email": "stranger@test.example", "email_verified": True}
    response = sign_in(client)
    assert response.status_code == 403 and signed_in_as(client) is None
    assert "There is no PI Champion account for stranger@test.example" in response.content.decode()
    assert not User.objects.filter(email="stranger@test.example").exists()
    assert SsoSignIn.objects.get().outcome == SsoOutcome.REFUSED


def test_a_deactivated_person_is_refused(world, client, op):
    User.objects.filter(pk=world.member.pk).update(is_active=False)
    response = sign_in(client)
    assert response.status_code == 403 and "deactivated" in response.content.decode()


def test_unknown_people_are_created_when_the_server_says_so(world, client, op, settings):
    settings.OIDC_CREATE_USERS = True
    settings.OIDC_DEFAULT_UNIT = world.ward_b.pk
    op.person = {
        "email": "Nia.New@test.example",
        "email_verified": True,
        "given_name": "Nia",
        "family_name": "New",
    }
    assert sign_in(client).status_code == 302
    user = User.objects.get(email="nia.new@test.example")
    assert signed_in_as(client) == user.pk and user.full_name == "Nia New"
    assert list(user.memberships.values_list("unit", "role")) == [(world.ward_b.pk, Role.MEMBER)]
    assert SsoSignIn.objects.get().outcome == SsoOutcome.CREATED


def test_sso_keeps_working_when_password_sign_in_is_off(world, client, op):
    world.org.password_sign_in = False
    world.org.save()
    assert sign_in(client).status_code == 302
    assert client.get("/").status_code == 200 and signed_in_as(client) == world.member.pk


def test_an_account_throttled_for_password_guesses_is_throttled_here_too(world, client, op):
    for _ in range(django_settings.SIGN_IN_MAX_FAILURES):
        client.post(
            reverse("accounts:sign-in"), {"username": "member@test.example", "password": "guess"}
        )
    response = sign_in(client)
    assert response.status_code == 429 and signed_in_as(client) is None


def test_refusing_a_person_counts_as_a_failed_sign_in_but_an_outage_does_not(
    world, client, op, settings
):
    op.person = {"email": "stranger@test.example", "email_verified": True}
    sign_in(client)
    assert AccessAttempt.objects.filter(username="stranger@test.example").exists()
    AccessAttempt.objects.all().delete()
    op.sign_with_rogue_key = True
    sign_in(client)
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    client.get(reverse("accounts:oidc-start"))
    assert not AccessAttempt.objects.exists()


def test_a_discovery_document_for_another_issuer_stops_the_sign_in(world, client, op, settings):
    settings.OIDC_ISSUER = op.issuer + "/"  # the document says the issuer has no slash
    response = client.get(reverse("accounts:oidc-start"))
    assert (
        response.status_code == 502 and "could not complete signing in" in response.content.decode()
    )


def test_a_password_still_works_beside_sso(world, client, op):
    response = client.post(
        reverse("accounts:sign-in"), {"username": "member@test.example", "password": PASSWORD}
    )
    assert response.status_code == 302 and signed_in_as(client) == world.member.pk


def test_the_authorize_request_names_our_callback(world, client, op):
    response = client.get(reverse("accounts:oidc-start"))
    query = parse_qs(urlsplit(response.url).query)
    assert query["redirect_uri"] == [django_settings.SITE_URL + reverse("accounts:oidc-callback")]
    assert query["client_id"] == [CLIENT_ID]


def switch_passwords(client, on, confirm=True):
    """Posts the Sign-in and security form; switching off is confirmed unless told not to."""
    data = {"password_sign_in": "on"} if on else {}
    if confirm:
        data["confirm"] = "1"
    return client.post(reverse("accounts:organisation-security"), data, follow=True)


def test_an_org_admin_signed_in_with_sso_switches_password_sign_in_off_and_on(world, client, op):
    op.person = {"email": "admin@test.example", "email_verified": True}
    sign_in(client)
    security = reverse("accounts:organisation-security")
    assert "How people sign in" in client.get(security).content.decode()
    response = switch_passwords(client, on=False)
    assert "only with single sign-on" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.password_sign_in is False
    assert AuditEvent.objects.filter(
        object_id=str(world.org.pk), changes__password_sign_in=[True, False]
    ).exists()
    switch_passwords(client, on=True)
    world.org.refresh_from_db()
    assert world.org.password_sign_in is True


def test_switching_passwords_off_asks_first_and_counts_who_never_used_sso(world, client, op):
    op.person = {"email": "admin@test.example", "email_verified": True}
    sign_in(client)  # the admin has now signed in with single sign-on; the others have not
    response = switch_passwords(client, on=False, confirm=False)
    page = response.content.decode()
    assert "Switch passwords off?" in page
    others = world.org.people.filter(is_active=True, is_superuser=False).count() - 1
    assert others > 0 and f"{others} active people have never signed in" in page
    world.org.refresh_from_db()
    assert world.org.password_sign_in is True
    assert not AuditEvent.objects.filter(changes__password_sign_in=[True, False]).exists()


def test_the_settings_keep_one_form_for_passwords_and_two_factor(world, client, op):
    op.person = {"email": "admin@test.example", "email_verified": True}
    sign_in(client)
    url = reverse("accounts:organisation-security")
    client.post(url, {"password_sign_in": "on", "require_two_factor": "on"})
    world.org.refresh_from_db()
    assert world.org.password_sign_in is True and world.org.require_two_factor is True


def test_the_units_page_links_org_admins_to_the_settings_and_the_old_address_moves(world, client):
    security = reverse("accounts:organisation-security")
    client.force_login(world.admin)
    assert security in client.get(reverse("accounts:units")).content.decode()
    old = client.get("/units/sign-in/")
    assert old.status_code == 301 and old.url == security
    client.force_login(world.leader)
    assert security not in client.get(reverse("accounts:units")).content.decode()


def test_an_org_admin_signed_in_with_a_password_cannot_switch_passwords_off(world, client, op):
    client.post(
        reverse("accounts:sign-in"), {"username": "admin@test.example", "password": PASSWORD}
    )
    response = switch_passwords(client, on=False)
    assert "Sign in with single sign-on first" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.password_sign_in is True


def test_only_an_org_admin_changes_how_people_sign_in(world, client, op):
    op.person = {"email": "leader@test.example", "email_verified": True}
    sign_in(client)
    assert "How people sign in" not in client.get(reverse("accounts:units")).content.decode()
    assert client.get(reverse("accounts:organisation-security")).status_code == 403
    assert client.post(reverse("accounts:organisation-security"), {}).status_code == 403
    world.org.refresh_from_db()
    assert world.org.password_sign_in is True


def test_without_sso_set_up_passwords_cannot_be_switched_off(world, client, settings):
    settings.OIDC_ISSUER = ""
    client.post(
        reverse("accounts:sign-in"), {"username": "admin@test.example", "password": PASSWORD}
    )
    security = reverse("accounts:organisation-security")
    assert "How people sign in" not in client.get(security).content.decode()
    response = switch_passwords(client, on=False)
    assert "Single sign-on is not set up" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.password_sign_in is True


def test_a_provider_that_does_not_answer_gives_a_clear_page(world, client, op, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # the discard port: nothing listens
    response = client.get(reverse("accounts:oidc-start"))
    assert response.status_code == 502 and signed_in_as(client) is None
    assert "Try again in a minute" in response.content.decode()
