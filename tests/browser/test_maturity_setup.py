"""Setting up a maturity round in a real browser, at desktop and phone widths: the form's
inputs look like the product's other forms, a ward round leaves out the board, answering
cannot be closed before anyone has sent, and every page passes the automated WCAG checks."""

import re

import pytest
from playwright.sync_api import expect

from champion.leadership.models import Assessment, Scope
from tests.browser.test_accessibility import sideways, violations

pytestmark = pytest.mark.browser


def check(page, width, found, where):
    if problems := violations(page):
        found[where] = problems
    if wide := sideways(page):
        found[f"{where}:width"] = [wide]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_leader_sets_up_a_ward_round(page, world, login, width):
    page.set_default_timeout(60_000)  # a loaded CI machine; the checks do not depend on speed
    page.set_viewport_size({"width": width, "height": 900})
    login(world.leader)
    found: dict[str, list[str]] = {}
    page.goto("/lead/maturity/new/")
    check(page, width, found, "new")
    title = page.get_by_label("Name of the round")
    # Styled by the shared form rules (a bordered, rounded, padded box), like other forms.
    style = title.evaluate(
        "el => { const s = getComputedStyle(el); return [s.borderTopLeftRadius, s.paddingTop]; }"
    )
    assert style == ["8px", "9.6px"], style
    expect(page.get_by_text("leaves out the board")).to_be_visible()
    # A refused submission: each error is shown by its field and the page stays accessible.
    title.fill("")
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_text("Give the round a name")).to_be_visible()
    expect(title).to_have_attribute("aria-invalid", "true")
    check(page, width, found, "new:refused")
    title.fill("Ward A, spring")
    # The unit is searched, not listed (a whole system has hundreds).
    page.get_by_label(re.compile("search units by name")).fill("Ward A")
    page.get_by_role("radio", name=re.compile(r"^Ward A")).check()
    page.get_by_role("button", name="Start the round").click()
    expect(page.get_by_text("This is a local round: it asks 12 components")).to_be_visible()
    a = Assessment.objects.get(title="Ward A, spring")
    assert a.scope == Scope.LOCAL
    # Nobody has sent answers: no close button, and the reason is given instead.
    expect(page.get_by_role("button", name=re.compile("Close answering"))).to_have_count(0)
    expect(page.get_by_text("at least one person has sent their answers")).to_be_visible()
    page.get_by_label("Frontline staff (optional)").fill("nobody@test.example")
    page.get_by_role("button", name="Invite", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("nobody@test.example")
    check(page, width, found, "round:invite-refused")
    page.goto(f"/lead/maturity/{a.pk}/answer/")
    expect(page.get_by_role("group", name=re.compile("^Board"))).to_have_count(0)
    expect(page.get_by_role("status")).to_contain_text("0 of 12 answered")
    check(page, width, found, "answer")
    assert not found, found
