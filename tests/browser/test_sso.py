"""The sign-in page with single sign-on set up: both buttons, WCAG 2.1 AA (axe) and no
sideways scrolling at phone width; the organisation's sign-in settings for an org admin (on
the "Sign-in and security" page, linked from the Units page)."""

import pytest

from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser


@pytest.fixture
def sso_configured(settings):
    settings.OIDC_ISSUER = "https://id.example"  # the page only names it: nothing is fetched
    settings.OIDC_CLIENT_ID = "pi-champion"
    settings.OIDC_NAME = "Testshire Health ID"
    settings.SAML_IDP_METADATA_URL = "https://idp.example/metadata"
    settings.SAML_NAME = "Testshire SAML"


@pytest.mark.parametrize("width", [1280, 390])
def test_the_sign_in_page_offers_single_sign_on_accessibly(page, world, sso_configured, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/accounts/sign-in/?next=/learn/")
    oidc = page.get_by_role("link", name="Sign in with Testshire Health ID")
    saml = page.get_by_role("link", name="Sign in with Testshire SAML")
    assert oidc.is_visible() and saml.is_visible()
    assert oidc.get_attribute("href") == "/accounts/oidc/start/?next=/learn/"
    assert page.get_by_label("E-mail address").is_visible()  # passwords stay beside it
    assert violations(page) == []
    assert not sideways(page), sideways(page)


@pytest.mark.parametrize("width", [1280, 390])
def test_the_org_admins_sign_in_setting_is_accessible(page, world, login, sso_configured, width):
    page.set_viewport_size({"width": width, "height": 800})
    login(world.admin)
    page.goto("/units/")
    page.get_by_role("link", name="sign-in and security settings").click()
    page.wait_for_url("**/organisation/security/")
    assert page.get_by_role("heading", name="Sign-in settings").is_visible()
    assert page.get_by_label("Password sign-in allowed").is_checked()
    assert violations(page) == []
    assert not sideways(page), sideways(page)
