"""Improve in a real browser: an idea captured on a phone, and a PDSA cycle run from plan to
act and on to its mark on the measure's chart."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from champion.improvement.ideas.models import Idea
from champion.improvement.measures_link import link_measure
from champion.improvement.models import ChangeIdea, PDSACycle, Project, ProjectMember, ProjectStatus
from champion.measures.models import DataPoint, Measure
from tests.browser.test_accessibility import sideways
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser


def test_a_nurse_captures_an_idea_on_a_phone_and_the_leader_answers_it(page, world):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "member@test.example")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Improve").click()
    page.get_by_role("link", name="+ Share an idea").click()
    page.get_by_label("What is the problem?").fill("We hunt for the bladder scanner every shift.")
    page.get_by_label("What is your idea?").fill(
        "Give the scanner a marked home and a sign-out sheet"
    )
    # Their own ward, chosen already in the unit picker (which searches as you type).
    expect(page.locator(f'input[name="unit"][value="{world.ward_a.pk}"]')).to_be_checked()
    page.get_by_role("button", name="Send my idea").click()
    expect(page.get_by_role("status")).to_contain_text("your idea is with the leaders of Ward A")
    expect(
        page.get_by_role("heading", name="Give the scanner a marked home and a sign-out sheet")
    ).to_be_visible()
    # Nothing on the page is wider than the phone.
    assert not sideways(page), sideways(page)
    idea = Idea.objects.get()
    assert idea.submitted_by == world.member and idea.unit == world.ward_a

    page.context.clear_cookies()
    sign_in(page, "leader@test.example")
    page.goto(f"/improve/ideas/{idea.pk}/")
    page.get_by_label("Under review").check()
    page.get_by_label("Note to the person who suggested it").fill(
        "Good idea: checking with the matron."
    )
    page.get_by_role("button", name=re.compile("Save and tell")).click()
    expect(page.get_by_text("Under review:", exact=False).first).to_be_visible()
    idea.refresh_from_db()
    assert idea.status == "review"


def test_a_team_runs_a_pdsa_cycle_from_plan_to_act_and_sees_it_on_the_chart(page, world):
    project = Project.objects.create(
        unit=world.ward_a, title="Fewer falls on Ward A", status=ProjectStatus.ACTIVE
    )
    falls = Measure.objects.create(
        unit=world.ward_a, name="Inpatient falls", definition="Falls reported", chart="c"
    )
    DataPoint.objects.bulk_create(
        DataPoint(measure=falls, period=datetime.date(2026, m, 1), value=v)
        for m, v in zip(range(1, 12), [8, 9, 7, 8, 9, 8, 5, 4, 4, 3, 4], strict=True)
    )
    link_measure(project, falls, "outcome", by=world.member)
    ProjectMember.objects.create(project=project, user=world.member, role="lead")
    ChangeIdea.objects.create(project=project, text="Bell clips on bed rails")
    sign_in(page, "member@test.example")
    page.goto(f"/improve/projects/{project.pk}/")
    page.get_by_role("link", name="Plan a PDSA cycle").first.click()

    # Plan, first without a prediction: saved, but flagged as a draft that cannot start.
    page.get_by_label("Title").fill("Bell clips — cycle 1")
    page.get_by_label("Change idea").select_option(label="Bell clips on bed rails")
    page.get_by_label("What question will this test answer?").fill(
        "Will clips keep call bells in reach at night?"
    )
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_text("Draft: no prediction yet")).to_be_visible()
    page.get_by_role("button", name="Save and start the test (Do)").click()
    expect(page.get_by_text("Write a prediction before you start").first).to_be_visible()

    page.get_by_label("What do we predict will happen?").fill(
        "Bells out of reach fall from 5 to 1 in 32 checks."
    )
    page.get_by_role("button", name="Save and start the test (Do)").click()
    expect(page.get_by_role("heading", name="Do", exact=True)).to_be_visible()
    expect(page.get_by_text("The start date is now marked on 1 measure chart.")).to_be_visible()
    # The prediction stays in view while the test runs and its results are studied.
    expect(page.locator(".callout.prediction")).to_contain_text("from 5 to 1 in 32 checks")

    page.get_by_label("What happened").fill(
        "Clips fitted in bays 1-2; checked at each rounding for three nights."
    )
    page.get_by_role("button", name="Save and study the results").click()
    page.get_by_label("Results compared with the prediction").fill("1 of 32 checks: as predicted.")
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Save and decide (Act)").click()
    page.get_by_label("Adopt").check()
    page.get_by_label("What next").fill("Clips on every bed; add to the rounding checklist.")
    page.get_by_role("button", name="Save and complete the cycle").click()
    expect(page.get_by_role("heading", name="Complete")).to_be_visible()

    cycle = PDSACycle.objects.get()
    assert (cycle.stage, cycle.decision, cycle.prediction_held) == ("done", "adopt", "yes")
    assert cycle.start_date is not None

    # The measure's chart shows when the change was tested, in the Measure app's own notes.
    page.goto(f"/improve/projects/{project.pk}/")
    page.get_by_role("link", name="Inpatient falls").click()
    expect(page.get_by_text("PDSA 1: Bell clips on bed rails").first).to_be_visible()
    page.go_back()
    page.goto(cycle.get_absolute_url())

    # The ramp continues: the next cycle keeps the change idea.
    page.get_by_role("button", name="Start the next cycle").click()
    expect(page.get_by_role("heading", name="Bell clips on bed rails — cycle 2")).to_be_visible()


def test_a_wall_screen_shows_the_board_signed_in_as_nobody_until_a_leader_switches_it_off(
    page, world, browser, live_server
):
    idea = Idea.objects.create(
        unit=world.ward_a, submitted_by=world.member, problem="Scanner lost", idea="Scanner home"
    )
    sign_in(page, "leader@test.example")
    page.goto(f"/improve/ideas/boards/{world.ward_a.pk}/")
    page.get_by_label("Where is the screen?").fill("Staff room")
    page.get_by_role("button", name="Make a wall-screen link").click()
    link = page.get_by_label("The link").input_value()

    screen = browser.new_context(viewport={"width": 1920, "height": 1080})
    try:
        wall = screen.new_page()
        wall.goto(link)
        expect(wall.get_by_role("heading", name="Ward A: ideas")).to_be_visible()
        expect(wall.locator("#col-new").locator("..")).to_contain_text("Scanner home")
        # Nobody is signed in, so there is no session to expire.
        assert "sessionid" not in {c["name"] for c in screen.cookies()}

        idea.move_to("testing", by=world.leader)
        # What the page does every minute, without waiting a minute.
        wall.evaluate("htmx.ajax('GET', location.pathname, {target: '#board', swap: 'innerHTML'})")
        expect(wall.locator("#col-testing").locator("..")).to_contain_text("Scanner home")

        page.goto(f"/improve/ideas/boards/{world.ward_a.pk}/")
        page.get_by_role("button", name="Switch off “Staff room”").click()
        expect(page.get_by_role("status")).to_contain_text("switched off")
        wall.evaluate("htmx.ajax('GET', location.pathname, {target: '#board', swap: 'innerHTML'})")
        expect(
            wall.get_by_role("heading", name="This wall-screen link does not work")
        ).to_be_visible()
        expect(wall.get_by_text("Scanner home")).to_have_count(0)
    finally:
        screen.close()


def test_two_people_edit_a_charter_at_once_and_the_second_is_shown_the_newer_version(
    page, world, browser, live_server
):
    project = Project.objects.create(
        unit=world.ward_a,
        title="Fewer falls on Ward A",
        status=ProjectStatus.ACTIVE,
        problem_statement="Eight falls a month.",
        aim_statement="Reduce falls on Ward A from 8 to 4 a month by June 2027.",
    )
    ProjectMember.objects.create(project=project, user=world.member, role="lead")
    other = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    try:
        leader = other.new_page()
        sign_in(page, "member@test.example")
        sign_in(leader, "leader@test.example")
        charter = f"/improve/projects/{project.pk}/charter/"
        page.goto(charter)
        leader.goto(charter)  # both open the same version

        page.get_by_label("Problem statement").fill("Eight falls a month, most at night.")
        page.get_by_role("button", name="Save charter").click()
        expect(page).to_have_url(re.compile(rf"/improve/projects/{project.pk}/$"))

        leader.get_by_label("Problem statement").fill("The leader's wording of the problem.")
        leader.get_by_role("button", name="Save charter").click()
        expect(leader.get_by_role("alert")).to_contain_text("saved a newer version")
        newer = leader.get_by_role("complementary", name=re.compile("The saved version"))
        expect(newer).to_contain_text("Eight falls a month, most at night.")
        # What the leader typed is still in the form, and nothing was overwritten.
        expect(leader.get_by_label("Problem statement")).to_have_value(
            "The leader's wording of the problem."
        )
        project.refresh_from_db()
        assert project.problem_statement == "Eight falls a month, most at night."

        # Having compared, the leader saves again on purpose, and that save goes through.
        leader.get_by_role("button", name="Save charter").click()
        expect(leader).to_have_url(re.compile(rf"/improve/projects/{project.pk}/$"))
        project.refresh_from_db()
        assert project.problem_statement == "The leader's wording of the problem."
    finally:
        other.close()
