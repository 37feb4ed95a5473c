"""Self-service sign-up (ALLOW_SIGNUP=1) and invitations by e-mail."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core import mail, signing
from django.urls import reverse

from champion.accounts import signup
from champion.accounts.models import Membership, Organisation, Role, Unit, User

NEW_PASSWORD = "a-long-and-unusual-passphrase"


@pytest.fixture
def open_signup(settings):
    settings.ALLOW_SIGNUP = True
    settings.SITE_URL = "https://pi.example.org"
    return settings


def ask(client, email, **extra):
    return client.post(reverse("accounts:sign-up"), {"email": email}, **extra)


def link_in(message) -> str:
    return re.search(r"https://pi\.example\.org(/\S+)", message.body).group(1)


def complete(client, path, organisation="Riverside Community Hospital", **overrides):
    data = {
        "organisation": organisation,
        "full_name": "Rae Rivers",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **overrides,
    }
    return client.post(path, data)


def test_sign_up_is_off_unless_allowed(db, client, settings):
    settings.ALLOW_SIGNUP = False
    assert client.get(reverse("accounts:sign-up")).status_code == 404
    assert ask(client, "rae@riverside.example").status_code == 404
    token = signing.dumps({"email": "rae@riverside.example"}, salt=signup.SALT)
    assert client.get(reverse("accounts:sign-up-complete", args=[token])).status_code == 404
    assert "Start your organisation" not in client.get(reverse("accounts:sign-in")).content.decode()


def test_a_new_organisation_after_confirming_the_address(
    db, client, open_signup, django_capture_on_commit_callbacks
):
    assert "Start your organisation" in client.get(reverse("accounts:sign-in")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "Rae@Riverside.example")
    assert response.status_code == 200 and "Check your e-mail" in response.content.decode()
    assert not User.objects.exists()  # nothing is made before the address is confirmed
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["rae@riverside.example"]
    path = link_in(mail.outbox[0])  # the link uses SITE_URL
    assert client.get(path).status_code == 200
    response = complete(client, path)
    assert response.status_code == 302 and response.url == reverse("accounts:welcome")
    user = User.objects.get(email="rae@riverside.example")
    org = Organisation.objects.get(name="Riverside Community Hospital")
    root = Unit.objects.get(organisation=org)
    assert user.organisation == org and user.check_password(NEW_PASSWORD)
    assert Membership.objects.get(user=user).unit == root
    assert Membership.objects.get(user=user).role == Role.ADMIN and user.is_org_admin
    assert int(client.session["_auth_user_id"]) == user.pk
    # It starts empty, with the guided first step.
    page = client.get(reverse("accounts:welcome")).content.decode()
    assert "Add your units" in page and "Invite people" in page and "Start Foundation" in page
    assert Unit.objects.filter(organisation=org).count() == 1
    # The link works once.
    client.logout()
    assert client.get(path).status_code == 400
    assert complete(client, path, "Another Org").status_code == 400
    assert not Organisation.objects.filter(name="Another Org").exists()


def test_a_changed_or_expired_link_is_refused(db, client, open_signup):
    path = reverse("accounts:sign-up-complete", args=["not-a-token"])
    assert client.get(path).status_code == 400
    token = signing.dumps({"email": "rae@riverside.example"}, salt="another-salt")
    assert client.get(reverse("accounts:sign-up-complete", args=[token])).status_code == 400
    open_signup.SIGNUP_LINK_HOURS = 0
    token = signing.dumps({"email": "rae@riverside.example"}, salt=signup.SALT)
    response = complete(client, reverse("accounts:sign-up-complete", args=[token]))
    assert response.status_code == 400 and "too old" in response.content.decode()
    assert not User.objects.exists()


def test_an_address_with_an_account_is_told_by_e_mail_not_on_the_page(
    world, client, open_signup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        page = ask(client, "member@test.example").content.decode()
    assert "Check your e-mail" in page
    assert "already has an account" in mail.outbox[0].body
    assert "/accounts/sign-up/" not in mail.outbox[0].body


def test_bad_input_is_refused_and_nothing_is_made(db, client, open_signup):
    token = signing.dumps({"email": "rae@riverside.example"}, salt=signup.SALT)
    path = reverse("accounts:sign-up-complete", args=[token])
    Organisation.objects.create(name="Taken Trust")
    for overrides in (
        {"organisation": "taken trust"},
        {"organisation": "Ward > Bay"},
        {"password2": "something-else-entirely"},
        {"password1": "short", "password2": "short"},
        {"organisation": "x" * 201},
    ):
        response = complete(client, path, **{"organisation": "Fine Name", **overrides})
        assert response.status_code == 200, overrides
    assert not User.objects.exists() and Organisation.objects.count() == 1
    assert ask(client, "not an address").status_code == 200


def test_sign_up_links_are_throttled(db, client, open_signup, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(open_signup.SIGNUP_MAX_PER_ACCOUNT + 2):
            assert ask(client, "rae@riverside.example").status_code == 200
    assert len(mail.outbox) == open_signup.SIGNUP_MAX_PER_ACCOUNT  # then silently no more
    for n in range(open_signup.SIGNUP_MAX_PER_ADDRESS):
        ask(client, f"p{n}@riverside.example")
    response = ask(client, "last@riverside.example")
    assert response.status_code == 429 and "Too many" in response.content.decode()
    # Another client address is not held back.
    assert ask(client, "last@riverside.example", REMOTE_ADDR="198.51.100.7").status_code == 200


def test_the_first_steps_are_for_organisation_admins(world, client):
    client.force_login(world.member)
    assert client.get(reverse("accounts:welcome")).status_code == 403
    client.force_login(world.admin)
    assert client.get(reverse("accounts:welcome")).status_code == 200


# ---------------------------------------------------------------------------------------
# Invitations


def test_an_invited_person_chooses_their_own_password_once(
    world, client, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://pi.example.org"
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:person-add"),
            {
                "given_name": "Ivy",
                "family_name": "Invited",
                "email": "ivy@test.example",
                "unit": world.ward_a.pk,
                "role": Role.MEMBER,
            },
        )
    invited = User.objects.get(email="ivy@test.example")
    assert not invited.has_usable_password()
    path = link_in(mail.outbox[-1])
    client.logout()
    page = client.get(path, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else path
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.check_password(NEW_PASSWORD)
    # The link worked once.
    again = client.get(path, follow=True).content.decode()
    assert "new_password1" not in again


def test_an_admin_sends_the_invitation_again(world, client, django_capture_on_commit_callbacks):
    client.force_login(world.admin)
    url = reverse("accounts:person-invite", args=[world.member.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert mail.outbox[-1].to == ["member@test.example"]
    token = re.search(r"/accounts/password/reset/[^/]+/([^/\s]+)/", mail.outbox[-1].body).group(1)
    assert default_token_generator.check_token(world.member, token)
    # Not for someone who has signed in already.
    client.force_login(world.member)
    client.force_login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert len(mail.outbox) == 1
