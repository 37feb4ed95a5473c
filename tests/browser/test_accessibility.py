"""Every page passes an automated WCAG 2.1 A/AA check (axe-core, run in Chromium).

Automated checks find only part of what WCAG asks (contrast, names, labels, landmarks,
structure); keyboard and screen-reader behaviour are tested in the flow tests. New
pages should be added to PAGES.
"""

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pages(world):
    return {
        "admin": [
            "/",
            "/people/",
            f"/people/{world.member.pk}/",
            "/people/add/",
            "/people/import/",
            "/units/",
            f"/units/{world.ward_a.pk}/",
            f"/units/{world.ward_a.pk}/edit/",
            "/units/add/",
            "/audit/",
            "/accounts/password/change/",
        ],
        "member": ["/", f"/units/{world.ward_a.pk}/", "/notifications/settings/"],
        None: ["/accounts/sign-in/", "/accounts/password/reset/"],
    }


def violations(page):
    page.evaluate(AXE.read_text())  # not a <script> tag: the enforced CSP would refuse it
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def sideways(page) -> str:
    """'' when the page fits its window; else how much wider it is, for an assertion's message.
    A page wider than its window by more than a rounding pixel scrolls sideways, which WCAG
    1.4.10 (reflow) forbids: wide content scrolls in its own region instead."""
    extra = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return f"scrolls sideways ({extra}px wider than the window)" if extra > 1 else ""


def assert_pages_pass(page, login, visits):
    """Sign in as each persona, open the page, run axe, and check the page is no wider than
    the window (the viewport the caller set); one assertion lists every problem."""
    found = {}
    for persona, path in visits:
        page.context.clear_cookies()
        login(persona)
        page.goto(path)
        if problems := violations(page):
            found[f"{persona.email}:{path}"] = problems
        if wide := sideways(page):
            found[f"{persona.email}:{path}:width"] = [wide]
    assert not found, found


@pytest.mark.parametrize("width", [1280, 375])
def test_pages_pass_automated_wcag_checks(page, world, login, width):
    page.set_viewport_size({"width": width, "height": 800})
    found = {}
    for persona, paths in pages(world).items():
        page.context.clear_cookies()
        if persona:
            login(getattr(world, persona))
        for path in paths:
            page.goto(path)
            problems = violations(page)
            if problems:
                found[f"{persona}:{path}"] = problems
    assert not found, found
