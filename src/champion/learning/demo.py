"""Learners at every stage in Riverside Health: loads the curriculum, then progress and credentials.

Idempotent and fast: the curriculum load skips unchanged lessons, and the progress is
created only when nobody in the organisation has any yet. `member@riverside.example` is
part-way through Foundation (so the demo shows "resume"), two of their Ward 7 colleagues
and their ward manager hold the Foundation certificate, and some assignments are overdue.

Practitioner: the Ward 9 ward sister holds the certificate, earned on her own project
("Discharge before noon on Ward 9", from Improve's demo, which meets every rubric item) and
approved by the coach; a Ward 9 staff nurse on the same project has submitted it and waits
for the coach; the Ward 7 manager and two colleagues are part-way through the tier's lessons.
Both submissions go through the real service (`save_project_evidence`), so their snapshots
are what the project shows.

Leader: the chief nurse (`executive@riverside.example`) holds the certificate on her own
work in the other rooms' demo data (she facilitated the maturity round and wrote its action
plan, sponsored "Discharge before noon on Ward 9" to its result and its change plan, answered
ideas on the boards for nine weeks), approved by the coach through the real services; the
Ward 7 manager is mid-way: some Leader lessons read and a draft portfolio. Both use whatever
Leader lessons exist (with none, the certificate cannot be issued and only the approved
portfolio is made).
"""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.utils import timezone

from champion.accounts.models import Organisation, Unit, User
from champion.improvement.services import Project
from champion.learning.content.load import load_content
from champion.learning.models import (
    Assignment,
    Certificate,
    LessonProgress,
    Module,
    QuizAttempt,
    Submission,
    SubmissionStatus,
    Tier,
)
from champion.learning.services import evidence, portfolio
from champion.learning.services.certificates import award_if_eligible

PRACTICAL = {
    "where": "Ward 7 medicines room and the corridor to the store, on a Tuesday late shift with a healthcare assistant.",
    "wastes": "Motion: nurses walked to the far store for gloves 11 times in an hour. Waiting: two patients waited for pharmacy to release discharge medicines. Inventory: 40 boxes of one dressing, many past their date.",
    "idea": "Keep a small stock of gloves and aprons in each bay, topped up daily, so nurses stop walking to the far store room.",
    "next": "Shared the idea at the safety huddle; the ward manager agreed to test it in bay 2 for one week.",
}


def _complete(user: Any, lessons: list[Any], start: datetime.datetime, rng: random.Random) -> None:
    rows = []
    attempts = []
    latest = timezone.now() - datetime.timedelta(days=1)
    for i, lesson in enumerate(lessons):
        # Never in the future: a late start simply packs the lessons into the last days.
        when = min(
            start + datetime.timedelta(days=i * 2, hours=rng.randint(0, 8)),
            latest - datetime.timedelta(hours=len(lessons) - i),
        )
        score = rng.choice([0.8, 0.8, 1.0])
        rows.append(
            LessonProgress(
                user=user,
                lesson=lesson,
                first_viewed_at=when,
                last_viewed_at=when,
                read_at=when,
                quiz_passed_at=when,
                best_score=score,
                exercise_passed_at=when if hasattr(lesson, "exercise") else None,
                completed_at=when,
            )
        )
        attempts.append(
            QuizAttempt(
                user=user,
                lesson=lesson,
                started_at=when,
                submitted_at=when,
                score=score,
                passed=True,
            )
        )
    LessonProgress.objects.bulk_create(rows)
    QuizAttempt.objects.bulk_create(attempts)


def _certify(
    user: Any, tier: Tier, lessons: list[Any], start: datetime.datetime, rng: random.Random
) -> None:
    _complete(user, lessons, start, rng)
    issued = min(start + datetime.timedelta(days=35), timezone.now() - datetime.timedelta(hours=12))
    Submission.objects.create(
        user=user,
        tier=tier,
        kind="practical",
        variant="waste-walk",
        evidence={key: {"text": text, "links": []} for key, text in PRACTICAL.items()},
        status=SubmissionStatus.APPROVED,
        submitted_at=start + datetime.timedelta(days=35),
        decided_at=start + datetime.timedelta(days=35),
    )
    cert = award_if_eligible(user, tier)
    if cert is not None:
        cert.issued_at = issued
        cert.save(update_fields=["issued_at"])


PROJECT_TITLE = "Discharge before noon on Ward 9"
REFLECTIONS = {
    "lead": (
        "Discharges before noon rose from about 12% to over a third and held for months; ED "
        "waits for a Ward 9 bed fell with them. I led the huddle tests. The lesson I will keep: "
        "our first idea (booking transport at the huddle) failed its test, and because it was "
        "small we lost a week, not a winter. Next time I would bring pharmacy in at the start."
    ),
    "member": (
        "I ran the 'tomorrow's discharges' list on my shifts and collected the tally. Since the "
        "list and the day-before TTOs the chart sits at a new, higher level that varies only by "
        "chance, and readmissions did not rise. "
        "I learned to write a prediction before each test: it turned arguments into data. I "
        "would now test one change at a time on the weekend discharges too."
    ),
}


def _read_only(user: Any, lessons: list[Any], start: datetime.datetime) -> None:
    """Lessons read, their quizzes not passed yet."""
    LessonProgress.objects.bulk_create(
        LessonProgress(
            user=user,
            lesson=lesson,
            first_viewed_at=start + datetime.timedelta(days=i),
            last_viewed_at=start + datetime.timedelta(days=i),
            read_at=start + datetime.timedelta(days=i),
        )
        for i, lesson in enumerate(lessons)
    )


def _practitioner(
    org: Organisation, foundation: list[Any], rng: random.Random, now: datetime.datetime
) -> set[int]:
    """The Practitioner tier in the demo; returns the people it has taken care of."""
    tier = Tier.objects.get(slug="practitioner")
    lessons = list(tier.live_lessons().select_related("module"))
    project = Project.objects.filter(unit__organisation=org, title=PROJECT_TITLE).first()
    coach = User.objects.filter(email="coach@riverside.example").first()
    if project is None or coach is None:
        return set()
    team = {m.role: m.user for m in project.members.select_related("user").order_by("-pk")}
    people = [(team.get("lead"), "lead"), (team.get("member"), "member")]
    done: set[int] = set()
    for person, role in people:
        if person is None:
            continue
        done.add(person.pk)
        _certify(
            person,
            Tier.objects.get(slug="foundation"),
            foundation,
            now - datetime.timedelta(days=200),
            rng,
        )
        _complete(person, lessons, now - datetime.timedelta(days=120), rng)
        submission = evidence.submission_for_tier(person, tier)
        problems = evidence.save_project_evidence(
            submission, project, REFLECTIONS[role], submit=True
        )
        if problems:  # the demo project must meet the rubric; tests/learning/test_demo.py checks
            raise RuntimeError(f"The demo project does not meet the rubric: {problems}")
        if role == "lead":
            submission.refresh_from_db()
            evidence.review(
                submission,
                coach,
                approve=True,
                comment="A clear ramp, a new level held since the change and a control plan with owners.",
            )
            # Submitted and approved some weeks ago, as the story goes.
            when = now - datetime.timedelta(days=21)
            Submission.objects.filter(pk=submission.pk).update(
                submitted_at=when - datetime.timedelta(days=6), decided_at=when
            )
            submission.reviews.update(at=when)
            Certificate.objects.filter(user=person, tier=tier).update(issued_at=when)
    return done


LEADER_PORTFOLIO = {
    "action-learning": (
        "Five sessions of the chief nurses' action-learning set (January to May): flow out of "
        "ED at weekends, sustaining falls work after the project ends, a difficult conversation "
        "about a never event, board reporting with SPC, and coaching ward sisters. I took away "
        "asking before advising."
    ),
    "reflection": (
        "Facilitating the maturity round showed me how differently the frontline sees trust: "
        "the consensus landed a stage below my own answer. Sponsoring the discharge project I "
        "learned to protect time for the team rather than ask for updates, and the weekly board "
        "round made ideas visible. Next time I would start the change plan on day one."
    ),
}


def _leader(org: Organisation, rng: random.Random, now: datetime.datetime) -> set[int]:
    """The Leader tier in the demo; returns the people it has taken care of."""
    tier = Tier.objects.get(slug="leader")
    lessons = list(tier.live_lessons().select_related("module"))
    chief = User.objects.filter(organisation=org, email="executive@riverside.example").first()
    manager = User.objects.filter(organisation=org, email="leader@riverside.example").first()
    coach = User.objects.filter(organisation=org, email="coach@riverside.example").first()
    done: set[int] = set()
    if chief is not None and coach is not None:
        done.add(chief.pk)
        foundation = Tier.objects.get(slug="foundation")
        _certify(
            chief,
            foundation,
            list(foundation.live_lessons()),
            now - datetime.timedelta(days=400),
            rng,
        )
        _complete(chief, lessons, now - datetime.timedelta(days=150), rng)
        submission = evidence.submission_for_tier(chief, tier)
        problems = portfolio.save(
            submission, {f"{k}-text": v for k, v in LEADER_PORTFOLIO.items()}, submit=True
        )
        if problems:  # the demo's records must meet the rubric; tests/learning/test_demo.py checks
            raise RuntimeError(f"The demo leader's work does not meet the rubric: {problems}")
        submission.refresh_from_db()
        evidence.review(
            submission,
            coach,
            approve=True,
            comment="A facilitated round with a real plan, a sponsored result and a steady board round.",
        )
        when = now - datetime.timedelta(days=2)
        Submission.objects.filter(pk=submission.pk).update(
            submitted_at=when - datetime.timedelta(days=3), decided_at=when
        )
        submission.reviews.update(at=when)
        Certificate.objects.filter(user=chief, tier=tier).update(issued_at=when)
    if manager is not None:
        # Mid-way: the first third of the Leader lessons read, a draft portfolio started.
        _complete(manager, lessons[: len(lessons) // 3], now - datetime.timedelta(days=12), rng)
        _read_only(
            manager,
            lessons[len(lessons) // 3 : len(lessons) // 3 + 2],
            now - datetime.timedelta(days=3),
        )
        draft = evidence.submission_for_tier(manager, tier)
        portfolio.save(
            draft,
            {
                "action-learning-text": "Two sessions so far of the ward managers' set: rota fairness, and huddles that run over."
            },
            submit=False,
        )
    return done


def build(org: Organisation | None) -> Organisation | None:
    load_content()
    if org is None:
        return org
    people = list(User.objects.filter(organisation=org).order_by("pk"))
    if LessonProgress.objects.filter(user__in=people).exists():
        return org
    foundation = Tier.objects.get(slug="foundation")
    lessons = list(foundation.live_lessons().select_related("module"))
    rng = random.Random(7)
    now = timezone.now()
    by_email = {p.email: p for p in people}
    member = by_email["member@riverside.example"]
    ward7 = Unit.objects.get(organisation=org, name="Ward 7 - Acute Medicine")
    colleagues = [
        p
        for p in User.objects.filter(memberships__unit=ward7).exclude(pk=member.pk).order_by("pk")
        if p.email != "leader@riverside.example"
    ]
    # Alex, the staff nurse: the first module done, the second lesson of module 2 open.
    _complete(member, lessons[:6], now - datetime.timedelta(days=20), rng)
    LessonProgress.objects.create(
        user=member,
        lesson=lessons[6],
        first_viewed_at=now - datetime.timedelta(hours=20),
        last_viewed_at=now - datetime.timedelta(hours=20),
    )
    _certify(
        by_email["leader@riverside.example"],
        foundation,
        lessons,
        now - datetime.timedelta(days=90),
        rng,
    )
    for colleague in colleagues[:2]:
        _certify(
            colleague,
            foundation,
            lessons,
            now - datetime.timedelta(days=60 + rng.randint(0, 20)),
            rng,
        )
    if len(colleagues) > 2:
        _complete(colleagues[2], lessons[:9], now - datetime.timedelta(days=25), rng)
    # Practitioner: a certificate on a real project, a submission waiting, lessons under way.
    done = {member.pk, by_email["leader@riverside.example"].pk, *(c.pk for c in colleagues[:3])}
    done |= _practitioner(org, lessons, rng, now)
    done |= _leader(org, rng, now)
    practitioner = list(Tier.objects.get(slug="practitioner").live_lessons())
    _complete(
        by_email["leader@riverside.example"],
        practitioner[:5],
        now - datetime.timedelta(days=15),
        rng,
    )
    for colleague in colleagues[:2]:
        _complete(colleague, practitioner[:2], now - datetime.timedelta(days=10), rng)
        _read_only(colleague, practitioner[2:4], now - datetime.timedelta(days=4))
    # Everyone else: a spread of stages (not started, in progress, lessons done, certified).
    for person in people:
        if person.pk in done:
            continue
        roll = rng.random()
        start = now - datetime.timedelta(days=rng.randint(10, 120))
        if roll < 0.3:
            continue
        if roll < 0.65:
            _complete(person, lessons[: rng.randint(1, 12)], start, rng)
        elif roll < 0.8:
            _complete(person, lessons, start, rng)
        else:
            _certify(person, foundation, lessons, start, rng)
    leader = by_email["leader@riverside.example"]
    executive = by_email["executive@riverside.example"]
    today = timezone.localdate()
    Assignment.objects.create(
        organisation=org,
        assigned_by=leader,
        tier=foundation,
        unit=ward7,
        due_on=today - datetime.timedelta(days=10),
        created_at=now - datetime.timedelta(days=45),
    )
    surgery = Unit.objects.get(organisation=org, name="Surgery")
    Assignment.objects.create(
        organisation=org,
        assigned_by=executive,
        unit=surgery,
        module=Module.objects.get(slug="seeing-work-as-a-process"),
        due_on=today + datetime.timedelta(days=5),
    )
    access = Unit.objects.get(organisation=org, name="Patient Access")
    Assignment.objects.create(
        organisation=org,
        assigned_by=executive,
        tier=foundation,
        unit=access,
        due_on=today - datetime.timedelta(days=3),
        created_at=now - datetime.timedelta(days=40),
    )
    return org
