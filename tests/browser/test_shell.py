"""A person signs in, finds their way around, and signs out, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import sideways
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, email):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/$"))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_leader_signs_in_sees_their_team_and_signs_out(page, world):
    sign_in(page, "leader@test.example")
    expect(page.get_by_role("heading", name="Hello, Lee")).to_be_visible()
    expect(page.get_by_role("heading", name="Your team")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Lead").click()
    expect(page.get_by_role("heading", name="Ward A", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Lead").get_by_role("link", name="People").click()
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Mia Member")).to_be_visible()
    expect(page.get_by_text("Cal Colleague")).to_have_count(0)

    # The search narrows the list in place (HTMX) and keeps the URL shareable.
    page.get_by_label("Name or e-mail").fill("nobody-like-this")
    expect(page.get_by_text("Nobody matches this search.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"q=nobody-like-this"))

    page.locator("details.account-menu summary", has_text="account menu for Lee Leader").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"))
    page.goto("/people/")
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/\?next=/people/"))


def test_a_wrong_password_is_explained_and_a_member_has_no_lead_section(page, world):
    page.goto("/accounts/sign-in/")
    page.get_by_label("E-mail address").fill("member@test.example")
    page.get_by_label("Password").fill("not-my-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an account")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your units and roles")).to_be_visible()
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Lead")
    ).to_have_count(0)


def test_the_layout_works_on_a_phone(page, world):
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(page, "admin@test.example")
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    assert not sideways(page), sideways(page)
