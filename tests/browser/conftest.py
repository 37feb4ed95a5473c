"""Real-browser tests: Playwright driving Debian's Chromium against Django's live server."""

from __future__ import annotations

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright


def chromium_path() -> str:
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        shutil.which("chromium"),
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    pytest.fail(
        "Chromium is not installed: run scripts/ensure-chromium (apt-get install chromium), or set CHROMIUM."
    )


@pytest.fixture(scope="module")
def browser():
    # Playwright's sync API keeps an event loop running in this thread until the module's
    # tests end; our ORM calls here stay synchronous, so Django's async guard is lifted
    # for exactly that span (module scope, so tests after these run with the guard on).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server, transactional_db, settings):
    # The Content-Security-Policy is enforced, as production can: every page, chart and HTMX
    # interaction the tests drive must work under it, and any violation fails the test.
    settings.CSP_ENFORCE = True
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = []
    page.on(
        "console",
        lambda message: refused.append(message.text)
        if "Content Security Policy" in message.text
        else None,
    )
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy refused something"


@pytest.fixture
def login(page, live_server):
    """`login(user)` signs the browser in as `user` without typing (for tests about other pages)."""
    from django.test import Client

    def sign_in(user):
        client = Client()
        client.force_login(user)
        page.context.clear_cookies()
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign_in
