"""The demo organisation's strategy: a true north, three breakthrough objectives, annual goals
of 2026 with their measures, monthly plans and projects (so their bowling charts and the
X-matrix have something to show), and one goal Ward 7 proposed that waits for a decision.
Fictional, like the rest of the demo. Runs after Measure and Improve have built theirs."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from champion.accounts.models import Organisation, Role, User
from champion.improvement.services import Project
from champion.leadership.strategy.models import (
    Catch,
    CatchKind,
    GoalProject,
    GoalStatus,
    Level,
    Objective,
    PlanMonth,
)
from champion.measures.services import Measure

D = "riverside.example"
TRUE_NORTH = "Safe care without waiting, from a team that improves its own work"
BREAKTHROUGH = [
    ("B1", "Halve harm from falls and pressure ulcers", 2028),
    ("B2", "No patient waits longer than they should", 2028),
    ("B3", "Every team improves its own work, every month", 2029),
]
START = datetime.date(2026, 1, 1)

# unit, title, serves, measure (unit, name), direction, target, plan Jan..Dec, owner, projects,
# status, note
GOALS: list[dict[str, Any]] = [
    {
        "unit": "Ward 7 - Acute Medicine",
        "title": "Falls on Ward 7 under 5 per 1,000 bed-days",
        "serves": "B1",
        "measure": ("Ward 7 - Acute Medicine", "Inpatient falls per 1,000 bed-days"),
        "direction": "down",
        "target": 4.5,
        "plan": [6.0, 5.9, 5.8, 5.6, 5.5, 5.4, 5.2, 5.1, 5.0, 4.8, 4.6, 4.5],
        "owner": "leader",
        "projects": [("Fewer falls on Ward 7", "strong")],
        "status": GoalStatus.ACCEPTED,
        "note": "Our falls bundle is in place; we think we can get under five by the autumn.",
    },
    {
        "unit": "Ward 7 - Acute Medicine",
        "title": "A third of Ward 7's discharges before noon",
        "serves": "B2",
        "measure": ("Ward 7 - Acute Medicine", "Discharges before noon"),
        "direction": "up",
        "target": 33,
        "plan": [20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 31, 33],
        "owner": "leader",
        "projects": [],
        "status": GoalStatus.ACCEPTED,
        "note": "Criteria-led discharge should carry us most of the way.",
    },
    {
        "unit": "Emergency Department",
        "title": "Four in five ED patients seen within 4 hours",
        "serves": "B2",
        "measure": ("Emergency Department", "Patients seen within 4 hours"),
        "direction": "up",
        "target": 80,
        "plan": [74, 74, 75, 75, 76, 76, 77, 77, 78, 78, 79, 80],
        "owner": "Emergency department matron",
        "projects": [("Door-to-triage within 15 minutes in the Emergency Department", "strong")],
        "status": GoalStatus.ACCEPTED,
        "note": "",
    },
    {
        "unit": "Operating Theatres",
        "title": "Three in four theatre lists start on time",
        "serves": "B2",
        "measure": ("Operating Theatres", "First case on time"),
        "direction": "up",
        "target": 75,
        "plan": [60, 62, 63, 64, 66, 67, 68, 70, 71, 72, 74, 75],
        "owner": "Theatre manager",
        "projects": [("First theatre case starting on time", "strong")],
        "status": GoalStatus.ACCEPTED,
        "note": "",
    },
    {
        "unit": "Ward 7 - Acute Medicine",
        "title": "Hand hygiene at 95% on Ward 7 every month",
        "serves": "B1",
        "measure": ("Ward 7 - Acute Medicine", "Hand hygiene compliance"),
        "direction": "up",
        "target": 95,
        "plan": [90, 90, 91, 91, 92, 92, 93, 93, 94, 94, 95, 95],
        "owner": "leader",
        "projects": [],
        "status": GoalStatus.PROPOSED,
        "note": "Peer observers are trained; we would like to commit to 95% by the end of the "
        "year. Can the division fund two more observers' time?",
    },
]


def _person(org: Organisation, token: str, unit_name: str = "") -> User | None:
    if token.islower():
        return User.objects.filter(email=f"{token}@{D}").first()
    return (
        User.objects.filter(
            organisation=org,
            job_title=token,
            memberships__unit__name=unit_name,
            memberships__role=Role.LEADER,
        )
        .order_by("pk")
        .first()
    )


def _at(month: int, day: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2025, month, day, 10, 0))


def build(org: Organisation) -> Organisation:
    root = org.units.filter(parent__isnull=True).order_by("pk").first()
    if root is None or Objective.objects.filter(unit=root, title=TRUE_NORTH).exists():
        return org
    executive = _person(org, "executive")
    units = {u.name: u for u in org.units.all()}
    with transaction.atomic():
        north = Objective.objects.create(
            unit=root,
            level=Level.TRUE_NORTH,
            title=TRUE_NORTH,
            description="What Riverside Health is for, agreed by the board for the next decade: "
            "no avoidable harm, no needless waiting, and staff who improve their own work.",
            owner=executive,
            created_by=executive,
            decided_by=executive,
            created_at=_at(10, 1),
            decided_at=_at(10, 1),
        )
        Catch.objects.create(objective=north, kind=CatchKind.SET, author=executive, at=_at(10, 1))
        codes = {}
        for code, title, year in BREAKTHROUGH:
            codes[code] = Objective.objects.create(
                unit=root,
                level=Level.BREAKTHROUGH,
                parent=north,
                title=title,
                year=year,
                owner=executive,
                created_by=executive,
                decided_by=executive,
                created_at=_at(10, 8),
                decided_at=_at(10, 8),
            )
            Catch.objects.create(
                objective=codes[code], kind=CatchKind.SET, author=executive, at=_at(10, 8)
            )
        for spec in GOALS:
            unit = units.get(spec["unit"])
            measure_unit, measure_name = spec["measure"]
            measure = Measure.objects.filter(unit__name=measure_unit, name=measure_name).first()
            owner = _person(org, spec["owner"], spec["unit"])
            if unit is None:
                continue
            accepted = spec["status"] == GoalStatus.ACCEPTED
            goal = Objective.objects.create(
                unit=unit,
                level=Level.ANNUAL,
                parent=codes[spec["serves"]],
                title=spec["title"],
                year=START.year,
                start=START,
                measure=measure,
                direction=spec["direction"],
                target=spec["target"],
                owner=owner,
                status=spec["status"],
                created_by=owner,
                created_at=_at(11, 20),
                decided_by=executive if accepted else None,
                decided_at=_at(12, 4) if accepted else None,
            )
            for i, value in enumerate(spec["plan"]):
                month = datetime.date(START.year, i + 1, 1)
                PlanMonth.objects.create(objective=goal, month=month, plan=value)
            Catch.objects.create(
                objective=goal, kind=CatchKind.PROPOSED, author=owner, text=spec["note"],
                at=_at(11, 20),
            )  # fmt: skip
            if accepted:
                Catch.objects.create(
                    objective=goal, kind=CatchKind.COMMENT, author=executive, at=_at(11, 28),
                    text="What would you need from the division to get there? Say so now, "
                    "not in September.",
                )  # fmt: skip
                Catch.objects.create(
                    objective=goal, kind=CatchKind.ACCEPTED, author=executive, at=_at(12, 4),
                    text="Agreed, with the support we discussed. We review it monthly.",
                )  # fmt: skip
            for title, strength in spec["projects"]:
                project = Project.objects.filter(unit__organisation=org, title=title).first()
                if project is not None:
                    GoalProject.objects.create(
                        objective=goal, project=project, strength=strength, added_by=owner
                    )
    return org
