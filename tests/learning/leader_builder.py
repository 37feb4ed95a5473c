"""A leader whose own work on the platform meets every Leader portfolio item."""

from __future__ import annotations

import datetime

from django.utils import timezone

from champion.improvement.ideas.models import Idea, IdeaEvent
from champion.improvement.models import Driver, Tool
from champion.leadership.models import Assessment, Participant, RoundStatus
from tests.learning.project_builder import build_project

PLAN = (
    "1. Close the loop on every incident report within 14 days (owner: ward manager, day 45). "
    "2. Replace 'remind staff' actions with stronger ones (owner: safety lead, day 60)."
)
WRITTEN = {
    "action-learning-text": "Four sessions of the managers' action-learning set (Jan-Apr): "
    "rotas, huddles that overrun, a difficult conversation and board reports; "
    "I took away asking before advising.",
    "reflection-text": "Facilitating the round showed me the frontline sees trust a stage "
    "lower than I do. Sponsoring the falls project taught me to protect the team's time, and "
    "the weekly board round made ideas visible. Next time I would write the change plan first.",
}


def facilitated_round(world, leader, *, finished=True, plan=PLAN, answered=2):
    now = timezone.now()
    a = Assessment.objects.create(
        unit=world.ward_a, title="Ward A maturity, spring", facilitator=leader,
        status=RoundStatus.FINISHED if finished else RoundStatus.DISCUSSING,
        finished_at=now - datetime.timedelta(days=20) if finished else None, action_plan=plan,
    )  # fmt: skip
    for person in (world.member, world.colleague)[:answered]:
        Participant.objects.create(
            assessment=a, user=person, perspective="frontline",
            submitted_at=now - datetime.timedelta(days=25),
        )  # fmt: skip
    return a


def board_responses(world, leader, *, days=42, unit=None):
    """Ideas on the leader's board answered (moved and commented) from `days` ago to now.

    Both events fall at the same time of day, so the calendar-day span is `days` whenever the
    tests run (an event "two hours ago" is yesterday just after midnight).
    """
    now = timezone.now()
    idea = Idea.objects.create(
        unit=unit or world.ward_a, submitted_by=world.member, problem="Bells out of reach.",
        idea="Clip the bells to the bed rail.", created_at=now - datetime.timedelta(days=days + 5),
    )  # fmt: skip
    IdeaEvent.objects.create(
        idea=idea, actor=leader, kind=IdeaEvent.Kind.STATUS, from_status="new",
        to_status="review", at=now - datetime.timedelta(days=days),
    )  # fmt: skip
    IdeaEvent.objects.create(
        idea=idea, actor=leader, kind=IdeaEvent.Kind.COMMENT, note="Tested on nights: keep it.",
        at=now,
    )  # fmt: skip
    return idea


def build_leader_work(world, leader=None, *, owned_actions=3, result=True, drivers=True):
    """Every portfolio item met for `leader` (world.leader, the sponsor of build_project)."""
    leader = leader or world.leader
    facilitated_round(world, leader)
    project = build_project(world)  # world.leader is its sponsor
    project.status = "finished" if result else "active"
    project.result_summary = (
        "Falls fell from 8 to 5 a month and held for 6 months; adopted across the ward."
        if result
        else ""
    )
    project.save()
    if drivers:
        primary = Driver.objects.create(project=project, text="Safe environment at night")
        Driver.objects.create(project=project, parent=primary, text="Bells within reach")
    Tool.objects.create(
        project=project, kind="change_plan", title="Spread to Ward B",
        data={"header": {}, "rows": [
            {"action": f"Action {i}", "owner": "Ward manager", "status": "todo"}
            for i in range(owned_actions)
        ]},
    )  # fmt: skip
    board_responses(world, leader)
    return project
