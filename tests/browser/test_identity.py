"""Two-factor enrolment and sign-in, sign-up and the provisioning page in a real browser:
WCAG 2.1 A/AA by axe at 1280 and 390 px, nothing wider than a phone's screen, and the
second sign-in step typed as a person would."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.core import signing

from champion.accounts import signup, twofactor
from tests.browser.test_accessibility import sideways, violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]


def check(page, path, found):
    page.goto(path)
    problems = violations(page)
    if wide := sideways(page):
        problems.append(wide)
    if problems:
        found[path] = problems


@pytest.mark.parametrize("width", WIDTHS)
def test_enrolment_and_security_pages(page, world, login, width, settings):
    page.set_viewport_size({"width": width, "height": 800})
    login(world.admin)
    found: dict[str, list[str]] = {}
    for path in (
        "/accounts/two-factor/",
        "/accounts/two-factor/set-up/",
        "/organisation/security/",
        "/welcome/",
    ):
        check(page, path, found)
    # The QR code is drawn in the page and named for screen readers.
    page.goto("/accounts/two-factor/set-up/")
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert not found, found


@pytest.mark.parametrize("width", WIDTHS)
def test_sign_up_pages(page, db, width, settings):
    settings.ALLOW_SIGNUP = True
    page.set_viewport_size({"width": width, "height": 800})
    token = signing.dumps({"email": "rae@riverside.example"}, salt=signup.SALT)
    found: dict[str, list[str]] = {}
    for path in ("/accounts/sign-in/", "/accounts/sign-up/", f"/accounts/sign-up/{token}/"):
        check(page, path, found)
    page.goto("/accounts/sign-up/")
    page.get_by_label("Your work e-mail address").fill("rae@riverside.example")
    page.get_by_role("button", name="E-mail me a link").click()
    page.get_by_role("heading", name="Check your e-mail").wait_for()
    assert not violations(page)
    assert not found, found


@pytest.mark.parametrize("width", WIDTHS)
def test_signing_in_with_a_code_from_the_app(page, world, width):
    page.set_viewport_size({"width": width, "height": 800})
    secret = pyotp.random_base32()
    twofactor.confirm_device(world.member, secret, int(time.time() - 90) // 30)
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("member@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Enter your code").wait_for()
    assert not violations(page) and not sideways(page)
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
    assert page.get_by_role("navigation", name="Main").is_visible()
