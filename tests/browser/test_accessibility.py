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


def check_as(page, login, width, visits):
    """Each (person, path) of `visits`, signed in as that person: what axe finds on the page
    and whether it scrolls sideways at `width`, by "e-mail:path" (empty when all is well)."""
    found = {}
    for persona, path in visits:
        login(persona)
        page.goto(path)
        if problems := violations(page):
            found[f"{persona.email}:{path}"] = problems
        scroll = page.evaluate("document.documentElement.scrollWidth")
        if scroll > width:
            found[f"{persona.email}:{path}:width"] = [f"scrolls sideways ({scroll}px)"]
    return found


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
