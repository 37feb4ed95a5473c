"""The improvement tools' pictures on a desktop and a phone: the driver diagram edited in place
with the keyboard, the fishbone readable at 390 px, and A3 tables that never split a word."""

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from champion.core.models import AuditEvent
from champion.improvement.models import (
    ChangeIdea,
    Driver,
    PDSACycle,
    Project,
    ProjectMember,
    ProjectStatus,
    Tool,
)
from tests.browser.test_accessibility import sideways, violations
from tests.improvement.a3_builder import a3_with_long_words

pytestmark = pytest.mark.browser

WIDTHS = [1280, 390]


def a_project(world):
    project = Project.objects.create(
        unit=world.ward_a,
        title="Fewer falls",
        status=ProjectStatus.ACTIVE,
        aim_statement="Reduce falls on Ward A from 8 to 4 a month by June 2026.",
    )
    ProjectMember.objects.create(project=project, user=world.member, role="lead")
    return project


@pytest.mark.parametrize("width", WIDTHS)
def test_the_driver_diagram_is_edited_in_place_with_the_keyboard(page, world, login, width):
    page.set_viewport_size({"width": width, "height": 900})
    project = a_project(world)
    primary = Driver.objects.create(project=project, text="Safe environment")
    secondary = Driver.objects.create(project=project, parent=primary, text="Bells in reach")
    change = ChangeIdea.objects.create(project=project, driver=secondary, text="Bell clips")
    ChangeIdea.objects.create(project=project, driver=secondary, text="Hourly rounding")
    PDSACycle.objects.create(project=project, change_idea=change, title="Clips 1")
    login(world.member)
    page.goto(f"/improve/projects/{project.pk}/drivers/")
    assert violations(page) == []
    assert not sideways(page), sideways(page)
    # With JavaScript the boxes show their text and an Edit button, not a stack of forms.
    expect(page.get_by_label("Text").first).to_be_hidden()
    expect(page.get_by_text("1 PDSA cycle")).to_be_visible()
    status = page.locator("#dd-status")

    # Rename a secondary driver: Edit, type, Enter; focus comes back to its Edit button.
    edit = page.get_by_role("button", name="Edit “Bells in reach”")
    edit.focus()
    page.keyboard.press("Enter")
    field = page.locator(f"#t-secondary-{secondary.pk}")
    expect(field).to_be_focused()
    field.fill("Call bells within reach")
    page.keyboard.press("Enter")
    expect(status).to_have_text("Driver renamed.")
    expect(page.get_by_role("button", name="Edit “Call bells within reach”")).to_be_focused()
    secondary.refresh_from_db()
    assert secondary.text == "Call bells within reach"
    assert AuditEvent.objects.filter(object_id=str(secondary.pk), action="update").exists()

    # Escape cancels an edit and puts the saved text back.
    page.keyboard.press("Enter")
    page.keyboard.type(" (draft)")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Edit “Call bells within reach”")).to_be_focused()
    expect(page.locator(f"#t-secondary-{secondary.pk}")).to_be_hidden()

    # Add a change idea where it belongs; focus stays in the add field for the next one.
    add = page.get_by_label("Add a change idea under “Call bells within reach”")
    add.fill("Bell check at handover")
    add.press("Enter")
    expect(status).to_have_text("Added the change idea “Bell check at handover”.")
    expect(page.get_by_label("Add a change idea under “Call bells within reach”")).to_be_focused()
    expect(page.get_by_text("Bell check at handover", exact=True)).to_be_visible()

    # Move "Hourly rounding" up: the editor stays open on the same button.
    page.get_by_role("button", name="Edit “Hourly rounding”").click()
    page.get_by_role("button", name="Up “Hourly rounding”").press("Enter")
    expect(status).to_have_text("Moved “Hourly rounding” up.")
    expect(page.get_by_role("button", name="Up “Hourly rounding”")).to_be_disabled()
    texts = [c.text for c in ChangeIdea.objects.filter(driver=secondary).order_by("order", "pk")]
    assert texts[0] == "Hourly rounding"

    # Remove takes a second click; a tested change idea is refused and nothing is lost.
    page.get_by_role("button", name="Edit “Bell clips”").click()
    page.locator(f"#edit-change-{change.pk} summary").click()
    page.get_by_role("button", name="Yes, remove “Bell clips”").click()
    expect(status).to_have_text(re.compile("has PDSA cycles"))
    assert ChangeIdea.objects.filter(pk=change.pk).exists()

    added = ChangeIdea.objects.get(text="Bell check at handover")
    page.get_by_role("button", name="Edit “Bell check at handover”").click()
    page.locator(f"#edit-change-{added.pk} summary").click()
    page.get_by_role("button", name="Yes, remove “Bell check at handover”").press("Enter")
    expect(status).to_have_text("Removed the change idea “Bell check at handover”.")
    expect(page.get_by_role("button", name="Edit “Call bells within reach”")).to_be_focused()
    assert not ChangeIdea.objects.filter(pk=added.pk).exists()

    # The aim, on the diagram.
    page.get_by_role("button", name="Edit the aim").click()
    page.get_by_label("The aim").fill("Reduce falls on Ward A from 8 to 3 a month by June 2026.")
    page.get_by_role("button", name="Save the aim").click()
    expect(status).to_have_text("Aim changed.")
    project.refresh_from_db()
    assert "8 to 3" in project.aim_statement
    assert violations(page) == []
    assert not sideways(page), sideways(page)


def test_the_diagram_still_works_without_javascript(browser, live_server, world, settings):
    project = a_project(world)
    primary = Driver.objects.create(project=project, text="Safe environment")
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    client = Client()
    client.force_login(world.member)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"/improve/projects/{project.pk}/drivers/")
    page.locator(f"#t-primary-{primary.pk}").fill("A safe environment")
    page.get_by_role("button", name="Save “Safe environment”").click()
    expect(page.get_by_text("Driver renamed.")).to_be_visible()
    primary.refresh_from_db()
    assert primary.text == "A safe environment"
    context.close()


FISHBONE = [
    {"category": "People", "cause": "Night staff covering two bays at once"},
    {"category": "Methods", "cause": "No intentional rounding after midnight"},
    {"category": "Equipment", "cause": "Call bells clipped out of reach"},
    {"category": "Environment", "cause": "Poor lighting on the way to the toilet"},
    {"category": "Patients", "cause": "Confusion and urgency at night"},
]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_fishbone_is_readable_on_a_phone(page, world, login, width):
    page.set_viewport_size({"width": width, "height": 900})
    project = a_project(world)
    tool = Tool.objects.create(
        project=project,
        kind="fishbone",
        title="Why patients fall",
        data={"header": {"effect": "Falls at night"}, "rows": FISHBONE},
    )
    login(world.member)
    page.goto(f"/improve/tools/{tool.pk}/")
    assert violations(page) == []
    assert not sideways(page), sideways(page)
    region = page.get_by_role("region", name=re.compile("Fishbone diagram"))
    region.focus()
    expect(region).to_be_focused()
    # Rendered text never shrinks below 11 px (the drawing's smallest type): the cause
    # labels are drawn at 12.
    smallest = page.evaluate(
        """() => Math.min(...[...document.querySelectorAll('.svg-wrap svg text')].map(t => {
            const box = t.getBoundingClientRect();
            const lines = t.querySelectorAll('tspan').length || 1;
            return box.height / lines / 1.25;
        }))"""
    )
    assert smallest >= 11
    if width == 390:
        # The picture scrolls in its region and starts at the effect (the fish's head).
        at = page.evaluate(
            "() => { const r = document.querySelector('.picture-fishbone .svg-wrap'); "
            "return [r.scrollLeft, r.scrollWidth - r.clientWidth]; }"
        )
        assert at[1] > 0 and at[0] >= at[1] - 1


def split_words(page, selector):
    """Words of the cells matched by `selector` that the browser laid out across two lines."""
    return page.evaluate(
        """selector => {
            const split = [];
            for (const cell of document.querySelectorAll(selector)) {
              const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
              for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const re = /\\S+/g; let m;
                while ((m = re.exec(node.data))) {
                  const range = document.createRange();
                  range.setStart(node, m.index); range.setEnd(node, m.index + m[0].length);
                  const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                  if (tops.size > 1) split.push(m[0]);
                }
              }
            }
            return split;
        }""",
        selector,
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_a3_tables_never_split_a_word(page, world, login, width):
    page.set_viewport_size({"width": width, "height": 900})
    project = a_project(world)
    change = ChangeIdea.objects.create(project=project, text="Bell clips")
    a3_with_long_words(project, change_idea=change, question="Q", stage="study")
    login(world.member)
    page.goto(f"/improve/projects/{project.pk}/a3/")
    assert violations(page) == []
    assert not sideways(page), sideways(page)
    assert split_words(page, ".a3-screen td, .a3-screen th") == []
    style = page.evaluate(
        "() => { const s = getComputedStyle(document.querySelector('.a3-screen td')); "
        "return [s.overflowWrap, s.wordBreak]; }"
    )
    assert style == ["break-word", "normal"]
