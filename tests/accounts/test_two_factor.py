"""Two-factor sign-in: the code after the password, one use per code, recovery codes once,
throttling with the password's limits, an expired half sign-in, and the admin requirement."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.conf import settings
from django.urls import reverse

from champion.accounts import twofactor
from champion.accounts.models import RecoveryCode, TotpDevice
from champion.core.models import AuditEvent
from tests.conftest import PASSWORD


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:sign-in"), {"username": email, "password": password}, **extra
    )


def send_code(client, code, **extra):
    return client.post(reverse("accounts:sign-in-verify"), {"code": code}, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


def enrol(user, at=None):
    """An authenticator app for `user`, set up a minute ago; returns its TOTP and codes."""
    secret = pyotp.random_base32()
    totp = pyotp.TOTP(secret)
    step = int((at or time.time()) - 60) // 30
    codes = twofactor.confirm_device(user, secret, step)
    return totp, codes


def test_with_an_app_the_password_alone_does_not_sign_in(world, client):
    totp, _ = enrol(world.member)
    response = sign_in(client, "member@test.example")
    assert response.status_code == 302 and response.url == reverse("accounts:sign-in-verify")
    assert not signed_in(client)
    # Nothing behind the sign-in is reachable half signed in.
    assert client.get("/").status_code == 302
    response = send_code(client, totp.now())
    assert response.status_code == 302 and response.url == "/"
    assert int(client.session["_auth_user_id"]) == world.member.pk


def test_the_next_address_survives_the_second_step(world, client):
    totp, _ = enrol(world.member)
    client.post(
        reverse("accounts:sign-in"),
        {"username": "member@test.example", "password": PASSWORD, "next": "/people/"},
    )
    assert send_code(client, totp.now()).url == "/people/"


def test_a_wrong_code_is_refused(world, client):
    totp, _ = enrol(world.member)
    sign_in(client, "member@test.example")
    wrong = f"{(int(totp.now()) + 1) % 1_000_000:06d}"
    response = send_code(client, wrong)
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert not signed_in(client)
    assert send_code(client, "not a code").status_code == 200 and not signed_in(client)


def test_a_code_is_accepted_once(world, client):
    totp, _ = enrol(world.member)
    code = totp.now()
    sign_in(client, "member@test.example")
    assert send_code(client, code).status_code == 302 and signed_in(client)
    client.logout()
    sign_in(client, "member@test.example")
    response = send_code(client, code)
    assert response.status_code == 200 and not signed_in(client)
    assert "used already" in response.content.decode()


def test_a_code_from_before_setting_up_is_refused(world, client):
    totp, _ = enrol(world.member)
    device = TotpDevice.objects.get(user=world.member)
    old = totp.at(device.last_step * 30)  # the step used to confirm the app
    sign_in(client, "member@test.example")
    assert send_code(client, old).status_code == 200 and not signed_in(client)


def test_a_recovery_code_signs_in_once(world, client):
    _, codes = enrol(world.member)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in(client, "member@test.example")
    assert send_code(client, codes[3].upper().replace("-", " ")).status_code == 302
    assert signed_in(client)
    client.logout()
    sign_in(client, "member@test.example")
    assert send_code(client, codes[3]).status_code == 200 and not signed_in(client)
    assert twofactor.recovery_codes_left(world.member) == 9


def test_recovery_codes_are_stored_hashed(world):
    _, codes = enrol(world.member)
    stored = list(RecoveryCode.objects.filter(user=world.member).values_list("digest", flat=True))
    assert len(stored) == 10
    for code in codes:
        assert all(code not in d and code.replace("-", "") not in d for d in stored)


def test_someone_elses_code_does_not_work(world, client):
    totp_member, codes_member = enrol(world.member)
    enrol(world.leader)
    sign_in(client, "leader@test.example")
    assert send_code(client, totp_member.now()).status_code == 200
    assert send_code(client, codes_member[0]).status_code == 200
    assert not signed_in(client)


def test_wrong_codes_are_throttled_like_wrong_passwords(world, client):
    totp, _ = enrol(world.member)
    sign_in(client, "member@test.example")
    wrong = f"{(int(totp.now()) + 7) % 1_000_000:06d}"
    statuses = [send_code(client, wrong).status_code for _ in range(settings.SIGN_IN_MAX_FAILURES)]
    assert statuses[-1] == 429, statuses
    # The half sign-in is over and the right password is refused for a while too.
    assert sign_in(client, "member@test.example").status_code == 429
    assert not signed_in(client)


def test_an_expired_half_sign_in_starts_over(world, client, settings):
    settings.TWO_FACTOR_STEP_SECONDS = 60
    totp, _ = enrol(world.member)
    sign_in(client, "member@test.example")
    session = client.session
    session[twofactor.PENDING_AT] -= 61
    session.save()
    response = send_code(client, totp.now())
    assert response.status_code == 302 and response.url == reverse("accounts:sign-in")
    assert not signed_in(client)
    assert twofactor.PENDING_USER not in client.session
    page = client.get(response.url).content.decode()
    assert "took too long" in page
    # Starting over works.
    sign_in(client, "member@test.example")
    assert send_code(client, totp.now()).status_code == 302 and signed_in(client)


def test_the_second_step_without_a_password_goes_back_to_sign_in(world, client):
    response = send_code(client, "123456")
    assert response.status_code == 302 and response.url == reverse("accounts:sign-in")


def test_a_deactivated_person_cannot_finish_signing_in(world, client):
    totp, _ = enrol(world.member)
    sign_in(client, "member@test.example")
    world.member.is_active = False
    world.member.save()
    assert send_code(client, totp.now()).status_code == 302 and not signed_in(client)


def test_setting_up_an_app_with_a_real_code(world, client):
    client.force_login(world.member)
    page = client.get(reverse("accounts:two-factor-setup"))
    html = page.content.decode()
    assert page.status_code == 200 and '<svg role="img"' in html
    secret = client.session[twofactor.NEW_SECRET]
    assert secret[:4] in html  # the key is also shown to type in
    assert client.post(reverse("accounts:two-factor-setup"), {"code": "000000"}).status_code == 200
    assert not twofactor.has_two_factor(world.member)
    response = client.post(reverse("accounts:two-factor-setup"), {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200 and twofactor.has_two_factor(world.member)
    shown = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", response.content.decode())
    assert len(shown) == 10
    # The codes are shown once: the overview only counts them.
    overview = client.get(reverse("accounts:two-factor")).content.decode()
    assert shown[0] not in overview and "10</strong> unused recovery codes" in overview
    assert AuditEvent.objects.filter(
        content_type__model="totpdevice", action="create", actor=world.member
    ).exists()
    event = AuditEvent.objects.get(content_type__model="totpdevice", action="create")
    assert secret not in str(event.changes)


def test_the_qr_code_names_the_person_and_the_secret(world):
    uri = twofactor.provisioning_uri("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", world.member)
    assert uri.startswith("otpauth://totp/") and "secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" in uri
    assert "member%40test.example" in uri and "issuer=PI%20Champion" in uri


def test_turning_off_needs_a_current_code(world, client):
    totp, _ = enrol(world.member)
    client.force_login(world.member)
    client.post(reverse("accounts:two-factor-disable"), {"code": "111111"})
    assert twofactor.has_two_factor(world.member)
    client.post(reverse("accounts:two-factor-disable"), {"code": totp.now()})
    assert not twofactor.has_two_factor(world.member)
    assert not RecoveryCode.objects.filter(user=world.member).exists()


def test_new_recovery_codes_replace_the_old(world, client):
    totp, old = enrol(world.member)
    client.force_login(world.member)
    response = client.post(reverse("accounts:two-factor-recovery-codes"), {"code": totp.now()})
    new = re.findall(r"<li>([a-z0-9]{5}-[a-z0-9]{5})</li>", response.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert not twofactor.use_recovery_code(world.member, old[0])
    assert twofactor.use_recovery_code(world.member, new[0])


# ---------------------------------------------------------------------------------------
# Required for admins


@pytest.fixture
def required(world):
    world.org.require_two_factor = True
    world.org.save()
    return world


def test_an_admin_without_an_app_is_sent_to_set_one_up(required, client):
    response = sign_in(client, "admin@test.example")
    assert response.status_code == 302 and signed_in(client)
    for path in ("/", "/people/", reverse("accounts:organisation-security")):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == reverse("accounts:two-factor-setup")
    assert client.get(reverse("accounts:two-factor-setup")).status_code == 200
    secret = client.session[twofactor.NEW_SECRET]
    client.post(reverse("accounts:two-factor-setup"), {"code": pyotp.TOTP(secret).now()})
    assert client.get("/people/").status_code == 200


def test_a_member_is_not_required_to(required, client):
    sign_in(client, "member@test.example")
    assert client.get("/").status_code == 200


def test_without_the_setting_an_admin_is_not_required_to(world, client):
    sign_in(client, "admin@test.example")
    assert client.get("/people/").status_code == 200


def test_a_required_admin_cannot_turn_it_off(required, client):
    totp, _ = enrol(required.admin)
    client.force_login(required.admin)
    client.post(reverse("accounts:two-factor-disable"), {"code": totp.now()})
    assert twofactor.has_two_factor(required.admin)


def test_only_an_organisation_admin_changes_the_requirement(world, client):
    url = reverse("accounts:organisation-security")
    client.force_login(world.leader)
    assert client.post(url, {"require_two_factor": "on"}).status_code == 403
    client.force_login(world.admin)
    assert client.get(url).status_code == 200
    assert client.post(url, {"require_two_factor": "on"}).status_code == 302
    world.org.refresh_from_db()
    assert world.org.require_two_factor
    assert AuditEvent.objects.filter(
        content_type__model="organisation", changes__has_key="require_two_factor"
    ).exists()
