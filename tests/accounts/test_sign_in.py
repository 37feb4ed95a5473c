"""Signing in by e-mail, throttling, sessions, signing out and passwords."""

import re

from django.conf import settings
from django.core import mail
from django.urls import reverse

from champion.accounts.models import SignInFailure
from tests.conftest import PASSWORD


def sign_in(client, email, password=PASSWORD):
    return client.post(reverse("accounts:sign-in"), {"username": email, "password": password})


def test_sign_in_by_email_ignores_case(world, client):
    response = sign_in(client, "MEMBER@test.example")
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session["_auth_user_id"]) == world.member.pk


def test_a_wrong_password_says_so_without_saying_which_part(world, client):
    response = sign_in(client, "member@test.example", "wrong")
    assert response.status_code == 200
    assert "do not match an account" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_repeated_failures_are_throttled_even_with_the_right_password(world, client):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, "member@test.example", "guess")
    response = sign_in(client, "member@test.example")
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_success_clears_earlier_failures(world, client):
    sign_in(client, "member@test.example", "guess")
    sign_in(client, "member@test.example")
    assert not SignInFailure.objects.filter(email="member@test.example").exists()


def test_passwords_are_hashed_with_argon2(world):
    assert world.member.password.startswith("argon2")


def test_sessions_expire_when_idle_and_at_browser_close():
    assert settings.SESSION_SAVE_EVERY_REQUEST is True  # each request restarts the idle clock
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True


def test_an_expired_session_sends_you_to_sign_in_and_back(world, client):
    sign_in(client, "member@test.example")
    client.session.flush()
    client.cookies.clear()
    response = client.get(reverse("accounts:units"))
    assert (
        response.status_code == 302
        and response.url == f"{reverse('accounts:sign-in')}?next=/units/"
    )


def test_sign_out_needs_a_post_and_ends_the_session(world, client):
    sign_in(client, "member@test.example")
    assert client.get(reverse("accounts:sign-out")).status_code == 405
    client.post(reverse("accounts:sign-out"))
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_lets_you_choose_a_new_password(world, client):
    client.post(reverse("accounts:password-reset"), {"email": "member@test.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(
        1
    )
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-passphrase", "new_password2": "a-brand-new-passphrase"},
    )
    assert sign_in(client, "member@test.example", "a-brand-new-passphrase").status_code == 302


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(world, client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@test.example"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_password_change_needs_the_old_password(world, client_for):
    client = client_for(world.member)
    response = client.post(
        reverse("accounts:password-change"),
        {
            "old_password": "wrong",
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 200
    world.member.refresh_from_db()
    assert world.member.check_password(PASSWORD)
    client.post(
        reverse("accounts:password-change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    world.member.refresh_from_db()
    assert world.member.check_password("another-long-passphrase")


def test_a_short_password_is_refused(world, client_for):
    response = client_for(world.member).post(
        reverse("accounts:password-change"),
        {"old_password": PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert "too short" in response.content.decode()
