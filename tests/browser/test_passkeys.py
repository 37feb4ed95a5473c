"""Passkeys in a real browser: Chromium's virtual authenticator (a CDP session) makes a
passkey on the two-factor page and then signs in with it at the second step, through
static/accounts/passkeys.js under the enforced CSP; axe at 390 px on both pages."""

from __future__ import annotations

import pytest

from champion.accounts.models import Passkey
from tests.browser.test_accessibility import sideways, violations
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_adding_a_passkey_and_signing_in_with_it(page, world, login, live_server, settings):
    settings.SITE_URL = live_server.url  # http://localhost:port: a secure context, RP id localhost
    assert "localhost" in live_server.url
    page.set_viewport_size({"width": 390, "height": 800})
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )

    login(world.member)
    page.goto("/accounts/two-factor/")
    assert not violations(page) and not sideways(page)
    page.get_by_label("A name for this passkey").fill("Work phone")
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_text("Passkey “Work phone” added").wait_for()
    assert Passkey.objects.filter(user=world.member, name="Work phone").count() == 1
    assert not violations(page) and not sideways(page)

    page.context.clear_cookies()
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("member@test.example")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Use your passkey").wait_for()
    assert not violations(page) and not sideways(page)
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("navigation", name="Main").is_visible()
    assert Passkey.objects.get(user=world.member).last_used_at is not None
