"""The maturity self-assessment in a real browser: a participant answers, the facilitator
records the consensus and reads the report; every page passes the automated WCAG checks."""

import re

import pytest
from playwright.sync_api import expect

from champion.leadership.models import Assessment, RoundStatus
from tests.browser.test_accessibility import assert_pages_pass
from tests.leadership.maturity import KEYS, answer_all, finish, start_round

pytestmark = pytest.mark.browser


def test_a_participant_answers_and_the_facilitator_agrees_the_consensus(page, world, login):
    a = start_round(world)
    # The Ward A leader answers: every choice is saved as it is made.
    login(world.leader)
    page.goto("/lead/maturity/")
    page.get_by_role("link", name=re.compile("^Answer")).click()
    expect(page.get_by_role("heading", name="North maturity, spring", level=1)).to_be_visible()
    board = page.get_by_role("group", name=re.compile("^Board"))
    board.get_by_role("radio", name=re.compile("^Developing")).check()
    expect(page.get_by_role("status").filter(has_text="1 of 14 answered")).to_be_visible()
    page.get_by_label("Note").first.fill("Quality is a standing item, but a short one.")
    for i, key in enumerate(KEYS[1:], start=2):
        page.locator(f'input[name="stage-{key}"][value="{1 + i % 4}"]').check()
    expect(page.get_by_role("status").filter(has_text="14 of 14 answered")).to_be_visible()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("Thank you: your answers are in.")).to_be_visible()

    # The coach facilitates: sees who answered, closes, agrees each component, finishes.
    answer_all(a, world.member, 1)
    page.context.clear_cookies()
    login(world.coach)
    page.goto(a.get_absolute_url())
    who = page.get_by_role("region", name="Who has answered")
    expect(who.get_by_role("row", name=re.compile("Lee Leader"))).to_contain_text("Sent")
    expect(who.get_by_role("row", name=re.compile("Coco Coach"))).to_contain_text("Not started")
    page.get_by_role("button", name="Close answering and agree the consensus").click()
    expect(page.get_by_role("heading", name="Agree the consensus")).to_be_visible()
    board = page.get_by_role("group", name=re.compile("^Board"))
    expect(board.get_by_role("img")).to_have_attribute(
        "aria-label", "2 answers: Beginning 1, Developing 1."
    )
    for key in KEYS:
        page.locator(f'input[name="stage-{key}"][value="2"]').check()
    page.locator('input[name="stage-methods"][value="3"]').check()
    page.get_by_role("button", name="Finish and publish the report").click()

    expect(page.get_by_role("heading", name="North maturity, spring", level=1)).to_be_visible()
    expect(page.get_by_role("region", name="Maturity profile")).to_be_visible()
    strengths = page.locator("section", has=page.get_by_role("heading", name="Strengths"))
    expect(strengths).to_contain_text("Methods")
    expect(page.get_by_role("heading", name="Suggested next steps")).to_be_visible()
    assert Assessment.objects.get().status == RoundStatus.FINISHED


@pytest.mark.parametrize("width", [1280, 375])
def test_the_maturity_pages_pass_automated_wcag_checks_and_fit_a_phone(page, world, login, width):
    done = start_round(world, "Finished round")
    answer_all(done, world.leader, 2)
    answer_all(done, world.member, 1)
    finish(done, {**dict.fromkeys(KEYS, 2), "methods": 3, "spread": 1})
    discussing = start_round(world, "Discussing round")
    answer_all(discussing, world.leader, 3)
    from champion.leadership.maturity import rounds

    rounds.close_answers(discussing)
    open_round = start_round(world, "Open round")
    page.set_viewport_size({"width": width, "height": 800})
    assert_pages_pass(
        page,
        login,
        (
            (world.coach, "/lead/maturity/"),
            (world.coach, "/lead/maturity/new/"),
            (world.coach, open_round.get_absolute_url()),
            (world.coach, f"/lead/maturity/{discussing.pk}/consensus/"),
            (world.coach, f"/lead/maturity/{done.pk}/report/"),
            (world.coach, "/lead/"),
            (world.member, "/lead/maturity/"),
            (world.member, f"/lead/maturity/{open_round.pk}/answer/"),
        ),
    )
