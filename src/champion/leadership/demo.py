"""Riverside Health's two finished maturity rounds a year apart: the leadership team and three
frontline staff answered, then agreed a profile; a year on, most components had moved up a
stage, so the report charts each component across rounds (all invented).

Idempotent by the round's unit and title. No notifications: nobody is told about demo data.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from champion.accounts.models import Organisation, Role, User
from champion.actions.models import Action, SourceKind
from champion.actions.models import Status as ActionStatus
from champion.leadership.maturity import gaps, rounds
from champion.leadership.maturity.framework import framework
from champion.leadership.models import (
    Answer,
    Assessment,
    Consensus,
    Participant,
    Perspective,
    RoundStatus,
)

TITLE = "Leadership team self-assessment"
#: A local round on the ward manager's ward, still answering and with nothing sent yet: it
#: asks twelve components (no board, no chief executive) and offers no close button yet.
WARD_TITLE = "Ward self-assessment"
D = "riverside.example"

# The agreed stage per component (1 beginning ... 4 approaching) and the group's reason.
CONSENSUS: dict[str, tuple[int, str]] = {
    "board": (2, "Quality is on every agenda, but mostly as a compliance report."),
    "ceo_management": (3, "Executives sponsor projects and review them monthly."),
    "physicians": (2, "Strong in medicine, rare in surgery."),
    "quality_strategy": (3, "Zero falls with harm is a strategic goal with its own budget."),
    "quality_measures": (3, "Run and SPC charts on every ward board since spring."),
    "information_technology": (1, "Staff still work around the prescribing system."),
    "trust": (2, "Frontline answers were a stage lower than the leaders': we heard why."),
    "accountability": (2, "A fair-response policy exists; it is not applied evenly yet."),
    "unsafe_conditions": (3, "Near-miss reporting doubled after the huddle boards."),
    "strengthening_systems": (2, "Too many actions are still 'remind staff'."),
    "culture_assessment": (2, "Survey every two years; results reach few wards."),
    "methods": (3, "Model for Improvement everywhere, DMAIC for the big projects."),
    "training": (2, "Foundation is spreading; few Practitioners yet."),
    "spread": (2, "Falls bundle copied to two wards; the rest stays local."),
}

#: The round a year earlier, and what moved since: the components one stage lower then
#: (quality measures and near-miss reporting two lower: the huddle boards came after it).
EARLIER_TITLE = "Leadership team self-assessment, a year earlier"
EARLIER_LOWER = {
    "ceo_management": 1, "quality_strategy": 1, "quality_measures": 2, "unsafe_conditions": 2,
    "methods": 1, "training": 1, "spread": 1, "board": 0, "physicians": 0,
    "information_technology": 0, "trust": 1, "accountability": 0, "strengthening_systems": 0,
    "culture_assessment": 0,
}  # fmt: skip
EARLIER_NOTE = "Agreed a year earlier."

# Who answered: (e-mail local part or job title, perspective).
LEADERS = ["executive", "coach", "admin", "Director of operations", "Hospital director",
           "Clinical director, medicine", "Clinical director, surgery"]  # fmt: skip
FRONTLINE = ["member", "Emergency physician", "Staff nurse"]

# A fixed pattern of disagreement, so the spread looks like a real room and never changes:
# on each component people differ from the consensus by at most one stage, all in the same
# direction (up on even components, down on odd ones), except where noted below.
OFFSETS = [0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0]
NOTES = {
    ("member", "trust"): "People on our ward still worry about being blamed after an incident.",
    ("Staff nurse", "trust"): "It depends on which manager is on.",
    ("executive", "trust"): "Reporting is up, which tells me people feel safer.",
    ("coach", "training"): "Most Practitioner candidates stall at the measurement step.",
    ("Emergency physician", "physicians"): "In ED the consultants lead; elsewhere less so.",
}


#: What the group agreed to do in the 90 days after the round (the facilitator wrote it).
ACTION_PLAN = (
    "1. Trust and reporting: every ward manager closes the loop on each incident report "
    "within 14 days, saying what changed (owner: divisional nurses; review at day 45).\n"
    "2. Strengthening systems: replace 'remind staff' actions with a stronger action from "
    "the hierarchy in the next three incident reviews (owner: patient safety lead; by day 60).\n"
    "3. Training: each Practitioner candidate stalled at the measurement step gets a coach "
    "session on their own data (owner: improvement coach; by day 30).\n"
    "4. Repeat the self-assessment in six months and compare (owner: chief nurse)."
)


def _person(org: Organisation, token: str) -> User | None:
    if "@" not in token and " " not in token and token.islower():
        return User.objects.filter(email=f"{token}@{D}").first()
    return (
        User.objects.filter(organisation=org, job_title=token, is_active=True)
        .exclude(email__in=[f"{t}@{D}" for t in ("member", "leader")])
        .order_by("pk")
        .first()
    )


def build(org: Organisation) -> Organisation:
    root = org.units.filter(parent__isnull=True).order_by("pk").first()
    if root is None:
        return org
    fw = framework()
    keys = [c.key for c in fw.components]
    assert set(keys) == set(CONSENSUS), "the demo's consensus must cover every component"
    assert set(keys) == set(EARLIER_LOWER), "the earlier round must cover every component"
    now = timezone.now()
    with transaction.atomic():
        if not Assessment.objects.filter(unit=root, title=EARLIER_TITLE).exists():
            earlier = {
                k: (max(1, s - EARLIER_LOWER[k]), EARLIER_NOTE) for k, (s, _) in CONSENSUS.items()
            }
            _round(org, root, EARLIER_TITLE, now - datetime.timedelta(days=52 + 365), earlier, "")
        if not Assessment.objects.filter(unit=root, title=TITLE).exists():
            latest = _round(
                org, root, TITLE, now - datetime.timedelta(days=52), CONSENSUS, ACTION_PLAN
            )
            _gap_actions(org, latest)
        _ward_round(org, now - datetime.timedelta(days=3))
    return org


def _ward_round(org: Organisation, started: datetime.datetime) -> None:
    leader, member = _person(org, "leader"), _person(org, "member")
    wards = leader.units_with_roles(Role.LEADER) if leader is not None else []
    if leader is None or not wards or Assessment.objects.filter(title=WARD_TITLE).exists():
        return
    a = rounds.start(unit=wards[0], title=WARD_TITLE, by=leader)
    Assessment.objects.filter(pk=a.pk).update(created_at=started)
    if member is not None:  # invited without a notification (demo data tells nobody)
        Participant.objects.create(
            assessment=a, user=member, perspective=Perspective.FRONTLINE, invited_at=started
        )


#: Actions the group made from the latest round's gaps: (component, owner, title, due in days
#: from today (negative: overdue), done).
GAP_ACTIONS = [
    ("trust", "leader", "Close the loop on every incident report within 14 days, saying what changed", 2, False),
    ("strengthening_systems", "coach", "Replace 'remind staff' with a stronger action in the next three incident reviews", -5, False),
    ("training", "coach", "Coach each stalled Practitioner candidate on their own data", -20, True),
]  # fmt: skip


def _gap_actions(org: Organisation, a: Assessment) -> None:
    today = timezone.localdate()
    names = {c.key: c for c in framework().components}
    stages = dict(CONSENSUS)
    for key, owner_token, title, days, done in GAP_ACTIONS:
        owner = _person(org, owner_token)
        if owner is None:
            continue
        component = names[key]
        Action.objects.create(
            unit=a.unit,
            title=title,
            owner=owner,
            created_by=a.facilitator,
            due_on=today + datetime.timedelta(days=days),
            status=ActionStatus.DONE if done else ActionStatus.OPEN,
            completed_at=timezone.now() - datetime.timedelta(days=22) if done else None,
            source_kind=SourceKind.MATURITY_GAP,
            source_id=gaps.source_id(a, component),
            source_label=gaps.label(a, component, stages[key][0]),
            source_url=gaps.link(a, component),
            created_at=a.finished_at or timezone.now(),
        )


def _round(
    org: Organisation,
    root: Any,
    title: str,
    started: datetime.datetime,
    consensus: dict[str, tuple[int, str]],
    plan: str,
) -> Assessment:
    """One finished round: everyone's answers near the consensus, then the consensus."""
    keys = [c.key for c in framework().components]
    executive = _person(org, "executive")
    a = Assessment.objects.create(
        unit=root,
        title=title,
        facilitator=executive,
        status=RoundStatus.FINISHED,
        created_at=started,
        answers_closed_at=started + datetime.timedelta(days=14),
        finished_at=started + datetime.timedelta(days=16),
        action_plan=plan,
        action_plan_updated_at=started + datetime.timedelta(days=18) if plan else None,
    )
    people = [(t, Perspective.LEADER) for t in LEADERS] + [
        (t, Perspective.FRONTLINE) for t in FRONTLINE
    ]
    for i, (token, perspective) in enumerate(people):
        user = _person(org, token)
        if user is None:
            continue
        p = Participant.objects.create(
            assessment=a,
            user=user,
            perspective=perspective,
            invited_at=started,
            submitted_at=started + datetime.timedelta(days=2 + i),
        )
        answers = []
        for j, key in enumerate(keys):
            offset = OFFSETS[(i * 5 + j * 3) % len(OFFSETS)] * (1 if j % 2 == 0 else -1)
            if key == "trust":  # leaders rate trust higher than the frontline does
                offset = -1 if perspective == Perspective.FRONTLINE else (1 if i % 2 else 0)
            stage = min(4, max(1, consensus[key][0] + offset))
            note = NOTES.get((token, key), "") if title == TITLE else ""
            answers.append(Answer(participant=p, component=key, stage=stage, note=note))
        Answer.objects.bulk_create(answers)
    Consensus.objects.bulk_create(
        Consensus(assessment=a, component=k, stage=s, note=n) for k, (s, n) in consensus.items()
    )
    return a
