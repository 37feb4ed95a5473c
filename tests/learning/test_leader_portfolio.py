"""The Leader certificate's portfolio is the leader's own work, read live from the platform.

A maturity round they facilitated with its 90-day action plan and an annual goal of strategy
deployment they own or accepted, with its bowling chart (Lead), a project they sponsored to its
result, their huddle board responses over six weeks, a change plan, and a driver diagram with
measures accepted instead of the goal (Improve); action learning and a reflection written on
the submission. Submitting needs every item; the
snapshot is what the coach reviews and the certificate keeps.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from champion.improvement.ideas.models import IdeaEvent
from champion.improvement.services import STRATEGY_STAND_IN
from champion.leadership.models import Assessment
from champion.leadership.strategy.models import Level, Objective, PlanMonth
from champion.learning.content.load import load_content
from champion.learning.models import Certificate, Submission, SubmissionStatus
from champion.learning.rubrics import PORTFOLIO
from champion.learning.services import evidence, portfolio
from champion.measures.models import DataPoint, Measure
from tests.learning.conftest import write_lesson
from tests.learning.leader_builder import (
    WRITTEN,
    board_responses,
    build_leader_work,
    facilitated_round,
)
from tests.learning.test_certificates import complete, submit_practical


@pytest.fixture
def leader_tier(curriculum):
    module = curriculum["root"] / "leader" / "01-leading"
    module.mkdir()
    (module / "module.yaml").write_text("slug: leading\ntitle: Leading\nsummary: S.\norder: 1\n")
    write_lesson(module, "01-lead", "lead")
    load_content(curriculum["root"])
    from champion.learning.models import Tier

    return Tier.objects.get(slug="leader")


def items(user, **written):
    submission = evidence.submission_for_tier(user, _tier())
    submission.evidence = {k.removesuffix("-text"): {"text": v} for k, v in written.items()}
    return {s.item.key: s for s in portfolio.gather(submission).items}


def _tier():
    from champion.learning.models import Tier

    return Tier.objects.get(slug="leader")


# Each item met or missing ------------------------------------------------------------------


def test_a_leaders_complete_work_meets_every_item(curriculum, world):
    build_leader_work(world)
    found = items(world.leader, **WRITTEN)
    assert {key: s.met for key, s in found.items()} == {item.key: True for item in PORTFOLIO}
    assert "You facilitated “Ward A maturity, spring”" in found["maturity"].found[0]
    assert "You sponsor “Fewer falls on Ward A”" in found["sponsorship"].found[0]
    assert "on the huddle board of Ward A" in found["standard-work"].found[0]
    # The driver diagram, accepted instead of a goal, says what it is (page and snapshot).
    assert STRATEGY_STAND_IN in found["strategy"].found
    assert any(url.endswith("/drivers/") for _, url in found["strategy"].links)


def test_a_round_the_leader_only_took_part_in_does_not_count(curriculum, world):
    build_leader_work(world)
    Assessment.objects.all().delete()
    a = facilitated_round(world, world.coach)
    a.participants.create(user=world.leader, perspective="leader", submitted_at=timezone.now())
    check = items(world.leader)["maturity"]
    assert not check.met
    assert "Taking part in someone else's round does not count." in check.missing[0]


def test_a_round_without_its_action_plan_or_consensus_is_missing(curriculum, world):
    facilitated_round(world, world.leader, plan="Do better.")
    check = items(world.leader)["maturity"]
    assert not check.met and "a 90-day action plan" in check.missing[0]
    Assessment.objects.all().delete()
    facilitated_round(world, world.leader, finished=False)
    check = items(world.leader)["maturity"]
    assert not check.met and "the consensus agreed and the round finished" in check.missing[0]
    Assessment.objects.all().delete()
    facilitated_round(world, world.leader, answered=1)
    assert "at least 2 people answering" in items(world.leader)["maturity"].missing[0]


def test_a_sponsored_project_without_a_result_is_missing(curriculum, world):
    build_leader_work(world, result=False)
    check = items(world.leader)["sponsorship"]
    assert not check.met
    assert "active, no result written yet" in check.found[0]
    # Leading a finished project is not sponsoring it.
    assert not items(world.member)["sponsorship"].met


def test_idea_responses_over_five_weeks_are_not_six(curriculum, world):
    facilitated_round(world, world.leader)
    board_responses(world, world.leader, days=35)
    check = items(world.leader)["standard-work"]
    assert not check.met and "35 so far" in check.missing[0]
    board_responses(world, world.leader, days=42)
    assert items(world.leader)["standard-work"].met


def test_responses_on_a_board_the_leader_does_not_oversee_do_not_count(curriculum, world):
    board_responses(world, world.leader, days=60, unit=world.ward_c)
    check = items(world.leader)["standard-work"]
    assert not check.met and check.found == ()


def test_strategy_needs_a_goal_or_drivers_and_measures_on_a_project_they_steer(curriculum, world):
    build_leader_work(world, drivers=False)
    check = items(world.leader)["strategy"]
    assert not check.met
    assert "Own an annual goal of strategy deployment" in check.missing[0]
    assert check.missing[1].startswith("Or instead: on a project you sponsor or lead, draw")
    assert STRATEGY_STAND_IN in check.found


def strategy_goal(world, *, owner=None, decided_by=None, measure=True, data=True, accept=True):
    """An annual goal of Ward A with a plan for January 2026 and (optionally) its data."""
    b1 = Objective.objects.filter(level=Level.BREAKTHROUGH).first() or Objective.objects.create(
        unit=world.root, level=Level.BREAKTHROUGH, title="Halve harm"
    )
    m = None
    if measure:
        m = Measure.objects.create(
            unit=world.ward_a, name=f"Falls {Objective.objects.count()}", definition="x", chart="i"
        )
        if data:
            DataPoint.objects.create(measure=m, period=datetime.date(2026, 1, 1), value=4.0)
    goal = Objective.objects.create(
        unit=world.ward_a, level=Level.ANNUAL, parent=b1, title="Falls under 5", year=2026,
        start=datetime.date(2026, 1, 1), direction="down", measure=m, owner=owner,
        decided_by=decided_by, status="accepted" if accept else "proposed",
    )  # fmt: skip
    PlanMonth.objects.create(objective=goal, month=datetime.date(2026, 1, 1), plan=5.0)
    return goal


def test_a_goal_they_own_with_its_bowling_chart_meets_strategy(curriculum, world):
    build_leader_work(world, drivers=False)
    strategy_goal(world, owner=world.leader)
    check = items(world.leader)["strategy"]
    assert check.met and check.missing == ()
    assert check.found[0] == (
        "Annual goal “Falls under 5” (Ward A, 2026): you own it; measure “Falls 1”; bowling "
        "chart: 1 of 1 months met the plan, 0 missed it."
    )
    assert check.links[0][1].startswith("/lead/strategy/")


def test_a_goal_they_accepted_in_catchball_counts_too(curriculum, world):
    strategy_goal(world, owner=world.member, decided_by=world.admin)
    assert items(world.admin)["strategy"].met
    assert "you accepted it in catchball" in items(world.admin)["strategy"].found[0]
    assert items(world.member)["strategy"].met  # and its owner
    assert not items(world.leader)["strategy"].met  # neither owned nor accepted


def test_a_goal_without_its_chart_or_not_accepted_does_not_count(curriculum, world):
    strategy_goal(world, owner=world.leader, measure=False)
    strategy_goal(world, owner=world.leader, data=False)
    strategy_goal(world, owner=world.leader, accept=False)
    check = items(world.leader)["strategy"]
    assert not check.met
    assert [line.rsplit(": ", 1)[-1] for line in check.found[:2]] == [
        "you own it; no measure linked",
        "No month has both a plan and data yet.",
    ]


def test_a_change_plan_needs_three_owned_actions(curriculum, world):
    build_leader_work(world, owned_actions=2)
    check = items(world.leader)["change-plan"]
    assert not check.met and "at least 3 actions" in check.missing[0]


def test_written_items_need_enough_words(curriculum, world):
    build_leader_work(world)
    found = items(world.leader, **{"reflection-text": "Good.", "action-learning-text": "Yes"})
    assert not found["reflection"].met and not found["action-learning"].met


def test_gathering_costs_a_fixed_number_of_queries(curriculum, world):
    build_leader_work(world)
    strategy_goal(world, owner=world.leader)
    submission = evidence.submission_for_tier(world.leader, _tier())
    portfolio.gather(submission)  # warms the person's role cache
    with CaptureQueriesContext(connection) as few:
        portfolio.gather(submission)
    for _ in range(4):
        build_leader_work(world)
        board_responses(world, world.leader, days=70)
        strategy_goal(world, owner=world.leader)
    with CaptureQueriesContext(connection) as many:
        portfolio.gather(submission)
    assert len(many) == len(few)


# Submitting, the snapshot, the coach's review ----------------------------------------------


def ready(world, curriculum, leader_tier):
    complete(world.leader, [curriculum["first"], curriculum["second"]])
    assert submit_practical(world.leader, curriculum["foundation"]) == []
    complete(world.leader, list(leader_tier.live_lessons()))
    build_leader_work(world)


def test_submit_is_refused_until_every_item_is_met(curriculum, world, client_for, leader_tier):
    facilitated_round(world, world.leader)
    client = client_for(world.leader)
    response = client.post("/learn/leader/evidence/", {**WRITTEN, "submit": "1"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "Not submitted yet" in page and "A project you sponsored through to its result" in page
    submission = Submission.objects.get(user=world.leader, tier=leader_tier)
    assert submission.status == SubmissionStatus.DRAFT and submission.snapshot == {}
    # What was written is kept, not lost.
    assert "Four sessions" in portfolio.written(submission, "action-learning")


def test_submit_approve_and_the_certificate_keeps_the_snapshot(
    curriculum, world, client_for, leader_tier
):
    ready(world, curriculum, leader_tier)
    client = client_for(world.leader)
    page = client.get("/learn/leader/evidence/").content.decode()
    assert "An annual goal of strategy deployment (Lead &gt; Strategy)" in page
    assert client.post("/learn/leader/evidence/", {**WRITTEN, "submit": "1"}).status_code == 302
    submission = Submission.objects.get(user=world.leader, tier=leader_tier)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert all(i["met"] for i in submission.snapshot["items"])
    assert [i["key"] for i in submission.snapshot["items"]] == [i.key for i in PORTFOLIO]
    # The records change afterwards: the snapshot keeps what was submitted.
    Assessment.objects.all().delete()
    assert "does not count" not in str(submission.snapshot)
    coach = client_for(world.coach)
    review_page = coach.get(f"/learn/evidence/{submission.pk}/").content.decode()
    assert "As submitted" in review_page and "Now" in review_page
    assert "You facilitated “Ward A maturity, spring”" in review_page
    assert "Facilitate a round of the maturity self-assessment" in review_page  # live: gone
    assert (
        coach.post(f"/learn/evidence/{submission.pk}/review/", {"decision": "approve"}).status_code
        == 302
    )
    cert = Certificate.objects.get(user=world.leader, tier=leader_tier)
    assert cert.submission == submission
    submission.refresh_from_db()
    assert submission.snapshot["items"][0]["met"] is True


def test_return_with_item_comments_then_resubmit(curriculum, world, client_for, leader_tier):
    ready(world, curriculum, leader_tier)
    client = client_for(world.leader)
    client.post("/learn/leader/evidence/", {**WRITTEN, "submit": "1"})
    submission = Submission.objects.get(user=world.leader, tier=leader_tier)
    first = submission.snapshot["taken_at"]
    coach = client_for(world.coach)
    coach.post(
        f"/learn/evidence/{submission.pk}/review/",
        {"decision": "return", "comment-change-plan": "Name who owns the Ward B spread."},
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.RETURNED
    client = client_for(world.leader)  # one test client: sign the leader in again
    page = client.get("/learn/leader/evidence/").content.decode()
    assert "A change plan:</strong> Name who owns the Ward B spread." in page
    assert client.post("/learn/leader/evidence/", {**WRITTEN, "submit": "1"}).status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.snapshot["taken_at"] != first
    assert not Certificate.objects.filter(user=world.leader, tier=leader_tier).exists()


def test_who_sees_and_who_reviews_a_portfolio(curriculum, world, client_for, leader_tier):
    ready(world, curriculum, leader_tier)
    client_for(world.leader).post("/learn/leader/evidence/", {**WRITTEN, "submit": "1"})
    submission = Submission.objects.get(user=world.leader, tier=leader_tier)
    url = f"/learn/evidence/{submission.pk}/"
    assert client_for(world.leader).get(url).status_code == 200
    assert client_for(world.coach).get(url).status_code == 200
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.outsider_member).get(url).status_code == 404
    assert client_for(world.member).get(url).status_code == 404
    # Only a coach reviews: the learner cannot approve their own, an outsider finds nothing.
    review = f"{url}review/"
    assert client_for(world.leader).post(review, {"decision": "approve"}).status_code == 403
    assert client_for(world.outsider).post(review, {"decision": "approve"}).status_code == 404
    assert not Certificate.objects.filter(tier=leader_tier).exists()


def test_the_portfolio_is_not_saved_as_written_answers(curriculum, world):
    from django.core.exceptions import ValidationError

    submission = evidence.submission_for_tier(world.leader, _tier())
    with pytest.raises(ValidationError):
        evidence.save_evidence(submission, {}, None, submit=True)


# The round's action plan (Lead) --------------------------------------------------------------


def test_only_the_facilitator_writes_a_finished_rounds_action_plan(world, client_for):
    a = facilitated_round(world, world.leader, plan="")
    url = f"/lead/maturity/{a.pk}/plan/"
    text = "1. Close the loop on every incident report within 14 days (owner: ward manager)."
    assert client_for(world.member).post(url, {"action_plan": text}).status_code == 403
    assert client_for(world.outsider).post(url, {"action_plan": text}).status_code == 404
    assert client_for(world.leader).post(url, {"action_plan": text}).status_code == 302
    a.refresh_from_db()
    assert a.action_plan == text and a.action_plan_updated_at is not None
    report = client_for(world.member).get(f"/lead/maturity/{a.pk}/report/").content.decode()
    assert "Close the loop on every incident report" in report
    unfinished = facilitated_round(world, world.leader, finished=False, plan="")
    response = client_for(world.leader).post(
        f"/lead/maturity/{unfinished.pk}/plan/", {"action_plan": text}
    )
    assert response.status_code == 409
    unfinished.refresh_from_db()
    assert unfinished.action_plan == ""
    assert IdeaEvent.objects.count() == 0
