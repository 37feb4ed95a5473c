"""Riverside Health's frontline ideas: every status, with endorsements, comments and the
ideas that became projects or PDSA cycles (all invented). Idempotent by idea text."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from champion.accounts.models import Organisation, Role, Unit, User
from champion.actions.models import Action, SourceKind
from champion.core.models import Notification
from champion.core.words import quoted
from champion.improvement.ideas.models import Comment, Endorsement, Idea, IdeaEvent, Status
from champion.improvement.models import PDSACycle, Project

D = "riverside.example"

# (unit, submitter token, problem, idea, status, reason, days ago, link)
IDEAS: list[tuple[str, str, str, str, str, str, int, str]] = [
    (
        "Ward 7 - Acute Medicine",
        "member",
        "We hunt for the bladder scanner every shift; it is often on another ward.",
        "Give the bladder scanner a marked home and a sign-out sheet",
        Status.NEW,
        "",
        2,
        "",
    ),
    (
        "Ward 7 - Acute Medicine",
        "@unit:1",
        "Handover runs 20 minutes over because we repeat everything for each bay.",
        "Bay-based handover at the bedside with a printed summary",
        Status.NEW,
        "",
        11,
        "",
    ),
    (
        "Ward 7 - Acute Medicine",
        "@unit:3",
        "Relatives ring the ward all morning asking for updates, interrupting drug rounds.",
        "A set time for family phone updates, 14:00-15:00, posted on the door",
        Status.UNDER_REVIEW,
        "Discussing with the matron; we like it.",
        9,
        "",
    ),
    (
        "Ward 7 - Acute Medicine",
        "member",
        "Patients fall at night on the way to the toilet, often because the call bell is out of reach.",
        "Clip the call bell to the bed rail and check it at every rounding",
        Status.TESTING,
        "Being tested in the falls project.",
        60,
        "cycle:Bay check at each intentional rounding",
    ),
    (
        "Ward 7 - Acute Medicine",
        "@unit:2",
        "Falls risk assessments are missed for patients transferred in from other wards.",
        "A falls checklist in the admission pack, also used for transfers",
        Status.ADOPTED,
        "Adopted as standard on Ward 7 after three PDSA cycles.",
        110,
        "project:Fewer falls on Ward 7",
    ),
    (
        "Ward 7 - Acute Medicine",
        "@unit:4",
        "The ward fridge temperature log is a paper sheet that gets lost.",
        "Buy a wireless fridge thermometer with alerts",
        Status.NOT_NOW,
        "Trust-wide procurement of monitored fridges is due in spring; we will join that rather than buy one-off.",
        40,
        "",
    ),
    (
        "Ward 9 - Respiratory",
        "@unit:0",
        "Oxygen cylinders run empty on transfers because nobody checks them.",
        "A green tag on full cylinders and a check at handover",
        Status.NEW,
        "",
        3,
        "",
    ),
    (
        "Ward 9 - Respiratory",
        "@unit:1",
        "Discharges wait for medicines all morning.",
        "Write the discharge medicines the afternoon before",
        Status.ADOPTED,
        "Adopted through the discharge-before-noon project.",
        290,
        "project:Discharge before noon on Ward 9",
    ),
    (
        "Emergency Department",
        "@unit:3",
        "Patients at reception can't tell how long the wait to triage is.",
        "A screen showing the current wait to triage",
        Status.UNDER_REVIEW,
        "Checking with IT whether the screen can show live data.",
        15,
        "",
    ),
    (
        "Emergency Department",
        "@unit:0",
        "The triage nurse gets pulled into majors at peak times.",
        "Protect the triage nurse role from 10:00 to 14:00",
        Status.TESTING,
        "Included in the door-to-triage project.",
        80,
        "project:Door-to-triage within 15 minutes in the Emergency Department",
    ),
    (
        "Operating Theatres",
        "@unit:3",
        "Porters start at 08:00 but first patients are needed in theatre at 08:00.",
        "Start one porter at 07:30",
        Status.ADOPTED,
        "Adopted: rota changed in May.",
        300,
        "project:First theatre case starting on time",
    ),
    (
        "Pharmacy",
        "@unit:1",
        "Pharmacists find out about new admissions only when they reach the ward.",
        "Print an admissions list for pharmacy at 08:30",
        Status.ADOPTED,
        "Adopted after a one-week test.",
        70,
        "project:Medicines reconciled within 24 hours of admission",
    ),
    (
        "Outpatients",
        "@unit:1",
        "Patients say they forgot the appointment or never got the letter.",
        "Send a text reminder three days before",
        Status.TESTING,
        "Planning a PDSA cycle.",
        35,
        "project:Fewer missed outpatient appointments",
    ),
    (
        "Outpatients",
        "@unit:0",
        "The clinic waiting area has no clock and patients keep asking the time.",
        "Put a clock on the waiting-room wall",
        Status.ADOPTED,
        "Done: clock fitted.",
        20,
        "",
    ),
    (
        "Patient Access",
        "@unit:0",
        "Registration clerks retype GP details already in the referral.",
        "Auto-fill GP details from the e-referral",
        Status.NOT_NOW,
        "Needs a change to the supplier's system; we have asked for it in the next upgrade (autumn).",
        50,
        "",
    ),
    (
        "Rehabilitation Ward",
        "@unit:0",
        "Patients stay in bed clothes until lunchtime.",
        "'Get up, get dressed' as part of the morning routine",
        Status.UNDER_REVIEW,
        "",
        25,
        "",
    ),
    (
        "Community Nursing",
        "@unit:0",
        "We drive back to base to collect dressings.",
        "Keep a dressing stock box in each car",
        Status.NEW,
        "",
        9,
        "",
    ),
]


def _person(org: Organisation, unit: Unit, token: str) -> User | None:
    if not token.startswith("@"):
        return User.objects.filter(email=f"{token}@{D}").first()
    index = int(token.split(":")[1])
    people = list(
        User.objects.filter(memberships__unit=unit, memberships__role=Role.MEMBER).order_by("pk")
    )
    return people[index % len(people)] if people else None


def _leader(unit: Unit) -> User | None:
    for candidate in reversed(unit.ancestors()):
        person = (
            User.objects.filter(memberships__unit=candidate, memberships__role=Role.LEADER)
            .order_by("pk")
            .first()
        )
        if person:
            return person
    return None


def build(org: Organisation | None) -> Organisation:
    assert org is not None, "the accounts demo builder runs first"
    now = timezone.now()
    colleagues = list(User.objects.filter(organisation=org).order_by("pk")[:40])
    for n, (unit_name, token, problem, text, status, reason, days, link) in enumerate(IDEAS):
        unit = Unit.objects.filter(organisation=org, name=unit_name).first()
        if unit is None or Idea.objects.filter(unit__organisation=org, idea=text).exists():
            continue
        submitter = _person(org, unit, token)
        if submitter is None:
            continue
        created = now - datetime.timedelta(days=days)
        idea = Idea.objects.create(
            unit=unit,
            submitted_by=submitter,
            problem=problem,
            idea=text,
            created_at=created,
            updated_at=created,
        )
        leader = _leader(unit)
        if status != Status.NEW and leader is not None:
            answered = created + datetime.timedelta(days=min(3, days / 2))
            _respond(idea, leader, status, reason, answered)
            # The submitter finds the latest news on their idea under the bell (in-app only).
            Notification.objects.create(
                user=submitter,
                title=f"Your idea is now {quoted(Status(status).label)}",
                body=reason,
                url=idea.get_absolute_url(),
                created_at=answered,
            )
        if link:
            _link(org, idea, link)
        for k in range((n * 7) % 6):
            Endorsement.objects.get_or_create(
                idea=idea, user=colleagues[(n * 5 + k * 3) % len(colleagues)]
            )
        if n % 3 == 0 and leader is not None:
            Comment.objects.create(
                idea=idea,
                author=colleagues[(n * 11) % len(colleagues)],
                body="Yes! This happens on our shifts too.",
                at=created + datetime.timedelta(hours=5),
            )
    _chief_nurse_rounds(org, now)
    _huddle_action(org)
    return org


def _huddle_action(org: Organisation) -> None:
    """At Ward 7's huddle the ward manager gave the bladder-scanner idea to a nurse as an action."""
    idea = Idea.objects.filter(unit__organisation=org, idea__startswith="Give the bladder").first()
    nurse = User.objects.filter(email=f"member@{D}", organisation=org).first()
    manager = User.objects.filter(email=f"leader@{D}", organisation=org).first()
    if idea is None or nurse is None or manager is None:
        return
    if Action.objects.filter(source_kind=SourceKind.HUDDLE, source_id=str(idea.pk)).exists():
        return
    Action.objects.create(
        unit=idea.unit,
        title="Mark a home for the bladder scanner and put up a sign-out sheet",
        owner=nurse,
        created_by=manager,
        due_on=timezone.localdate() + datetime.timedelta(days=5),
        source_kind=SourceKind.HUDDLE,
        source_id=str(idea.pk),
        source_label=f"Huddle: {idea.title}",
        source_url=idea.get_absolute_url(),
    )


#: The chief nurse's weekly board round (the Leader certificate's huddle evidence in the demo):
#: (days ago, what she wrote on an idea on the board).
BOARD_ROUND = [
    (63, "Seen at Thursday's board round: thank you for raising this. Who will test it first?"),
    (
        49,
        "Board round: good to see this tested. Please put the before-and-after count on the board.",
    ),
    (35, "Board round: I have asked estates to join the next huddle about this."),
    (21, "Board round: the test results look promising. What would stop it on nights?"),
    (10, "Board round: shared with the other wards as an example at the sisters' meeting."),
    (3, "Board round: thank you, this is the kind of idea we want more of."),
]


def _chief_nurse_rounds(org: Organisation, now: datetime.datetime) -> None:
    """The chief nurse answers ideas on the boards of her hospital every week or two."""
    chief = User.objects.filter(email=f"executive@{D}", organisation=org).first()
    if chief is None or IdeaEvent.objects.filter(actor=chief, kind=IdeaEvent.Kind.COMMENT).exists():
        return
    ideas = list(Idea.objects.filter(unit__organisation=org).order_by("created_at", "pk"))
    for i, (days, body) in enumerate(BOARD_ROUND):
        at = now - datetime.timedelta(days=days)
        older = [idea for idea in ideas if idea.created_at < at - datetime.timedelta(days=1)]
        if not older:
            continue
        idea = older[i % len(older)]
        Comment.objects.create(idea=idea, author=chief, body=body, at=at)
        IdeaEvent.objects.create(
            idea=idea, actor=chief, kind=IdeaEvent.Kind.COMMENT, note=body, at=at
        )


def _respond(idea: Idea, leader: User, status: str, reason: str, at: datetime.datetime) -> None:
    """Walk the idea through review to its status, as a leader would have."""
    paths: dict[str, list[str]] = {
        Status.UNDER_REVIEW: [Status.UNDER_REVIEW],
        Status.TESTING: [Status.UNDER_REVIEW, Status.TESTING],
        Status.ADOPTED: [Status.UNDER_REVIEW, Status.TESTING, Status.ADOPTED],
        Status.NOT_NOW: [Status.UNDER_REVIEW, Status.NOT_NOW],
    }
    path = paths[status]
    previous: str = Status.NEW
    for step, target in enumerate(path):
        IdeaEvent.objects.create(
            idea=idea,
            actor=leader,
            kind=IdeaEvent.Kind.STATUS,
            from_status=previous,
            to_status=target,
            note=reason if target == status else "",
            at=at + datetime.timedelta(days=step * 2),
        )
        previous = target
    Idea.objects.filter(pk=idea.pk).update(
        status=status, status_reason=reason, responded_at=at, updated_at=at
    )


def _link(org: Organisation, idea: Idea, link: str) -> None:
    kind, _, name = link.partition(":")
    fields: dict[str, Any] = {}
    if kind == "project":
        fields["project"] = Project.objects.filter(unit__organisation=org, title=name).first()
    else:
        cycle = (
            PDSACycle.objects.filter(project__unit__organisation=org, change_idea__text=name)
            .order_by("pk")
            .first()
        )
        fields.update(cycle=cycle, project=cycle.project if cycle else None)
    Idea.objects.filter(pk=idea.pk).update(**fields)
