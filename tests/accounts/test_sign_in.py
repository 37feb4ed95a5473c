"""Signing in by e-mail, throttling, sessions, signing out and passwords."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from champion.accounts.throttle import account_key
from tests.conftest import PASSWORD


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:sign-in"), {"username": email, "password": password}, **extra
    )


def signed_in(client):
    return "_auth_user_id" in client.session


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
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not signed_in(client)


def test_the_same_account_from_another_address_is_not_locked_out(world, client):
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, "member@test.example", "guess", REMOTE_ADDR="203.0.113.9")
    response = sign_in(client, "member@test.example", REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302 and signed_in(client)


def test_random_failures_from_one_address_do_not_lock_out_everyone_behind_it(world, client):
    # A hospital NAT: twenty failures with made-up e-mails from the shared address...
    for n in range(20):
        sign_in(client, f"nobody{n}@elsewhere.example", "guess")
    # ...do not stop a colleague behind the same address with the right password.
    response = sign_in(client, "member@test.example")
    assert response.status_code == 302 and signed_in(client)


@override_settings(SIGN_IN_MAX_FAILURES_PER_ADDRESS=30)
def test_one_address_has_a_higher_ceiling_for_any_accounts(world, client):
    for n in range(30):
        sign_in(client, f"nobody{n}@elsewhere.example", "guess")
    response = sign_in(client, "member@test.example")
    assert response.status_code == 429 and not signed_in(client)
    # Another address is unaffected.
    assert sign_in(client, "member@test.example", REMOTE_ADDR="198.51.100.7").status_code == 302


@pytest.mark.parametrize(
    "lookalike",
    [
        "MEMBER@TEST.EXAMPLE",
        "\uff4d\uff45\uff4d\uff42\uff45\uff52@test.example",  # full-width letters
    ],
)
def test_lookalike_addresses_count_as_one_account(world, client, lookalike):
    assert account_key(lookalike) == account_key("member@test.example")
    for _ in range(settings.SIGN_IN_MAX_FAILURES - 1):
        sign_in(client, lookalike, "guess")
    sign_in(client, "member@test.example", "guess")
    response = sign_in(client, "member@test.example")
    assert response.status_code == 429 and not signed_in(client)


def test_the_dotless_i_and_accents_count_with_the_plain_letters():
    assert account_key("ıvan@test.example") == account_key("IVAN@test.example")
    assert account_key("İvan@test.example") == "ivan@test.example"
    assert account_key("membe\u0301r@test.example") == "member@test.example"


def test_a_dotless_i_spelling_counts_against_the_account_on_the_admin_sign_in(world, client):
    # PostgreSQL's case-insensitive match reads "admın" as "admin": the guesses must count.
    for n in range(settings.SIGN_IN_MAX_FAILURES):
        spelling = "adm\u0131n@test.example" if n % 2 else "ADM\u0130N@test.example"
        client.post(reverse("admin:login"), {"username": spelling, "password": "guess"})
    assert sign_in(client, "admin@test.example").status_code == 429


def test_the_proxy_header_is_ignored_without_behind_proxy(world, client):
    for n in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(client, "member@test.example", "guess", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    # Forged headers did not spread the failures over five addresses: the account is locked.
    assert (
        sign_in(client, "member@test.example", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_last_forwarded_address_is_the_client(world, client):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        sign_in(
            client,
            "member@test.example",
            "guess",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9",  # the client forged the first entry
            **proxy,
        )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    locked = sign_in(client, "member@test.example", HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy)
    assert locked.status_code == 429
    # A colleague behind the same proxy at another address signs in.
    other = sign_in(client, "member@test.example", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert other.status_code == 302 and signed_in(client)


@override_settings(BEHIND_PROXY=True)
def test_a_garbled_forwarded_header_falls_back_to_the_connecting_address(world, client):
    sign_in(client, "member@test.example", "guess", HTTP_X_FORWARDED_FOR="not-an-address")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_the_admin_sign_in_is_throttled_too(world, client):
    url = reverse("admin:login")
    for _ in range(settings.SIGN_IN_MAX_FAILURES):
        client.post(url, {"username": "member@test.example", "password": "guess"})
    response = client.post(url, {"username": "member@test.example", "password": PASSWORD})
    assert response.status_code == 429 and not signed_in(client)
    # The throttle is shared: the platform's own sign-in is refused as well.
    assert sign_in(client, "member@test.example").status_code == 429


def test_success_clears_that_accounts_failures_only(world, client):
    sign_in(client, "member@test.example", "guess")
    sign_in(client, "nobody@elsewhere.example", "guess")
    sign_in(client, "member@test.example")
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == [
        "nobody@elsewhere.example"
    ]


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


def reset(client, email, **extra):
    return client.post(reverse("accounts:password-reset"), {"email": email}, **extra)


def test_password_reset_by_email_lets_you_choose_a_new_password(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the e-mail is a task after commit
        reset(client, "member@test.example")
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


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = reset(client, "nobody@test.example")
    assert response.status_code == 302 and len(mail.outbox) == 0


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    world, client, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from champion.accounts.tasks import send_password_reset

    with django_capture_on_commit_callbacks(execute=True):
        known = reset(client, "member@test.example")
        unknown = reset(client, "nobody@test.example")
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    # Nothing is looked up or sent in the request: one queued task each, the same task.
    assert len(mail.outbox) == 0
    queued = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [t.task_path for t in queued] == [send_password_reset.module_path] * 2
    # The worker sends the link to the account that exists, and nothing otherwise.
    assert send_password_reset.call("member@test.example") == 1
    assert send_password_reset.call("nobody@test.example") == 0
    assert [m.to for m in mail.outbox] == [["member@test.example"]]


def test_password_reset_is_throttled_per_account_without_saying_so(
    world, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        responses = [
            reset(client, email, REMOTE_ADDR=f"198.51.100.{n}")
            for n, email in enumerate(["member@test.example", "MEMBER@test.example"] * 3)
        ]
    assert {r.status_code for r in responses} == {302}  # the same answer every time
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAX_PER_ACCOUNT


def test_password_reset_is_throttled_per_client_address(world, client):
    for n in range(settings.PASSWORD_RESET_MAX_PER_ADDRESS):
        assert reset(client, f"nobody{n}@test.example").status_code == 302
    refused = reset(client, "member@test.example")
    assert refused.status_code == 429 and "Too many password reset requests" in refused.text
    assert reset(client, "member@test.example", REMOTE_ADDR="198.51.100.7").status_code == 302


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
