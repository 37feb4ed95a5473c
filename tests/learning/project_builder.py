"""A project that meets every Practitioner rubric item, for the evidence and certificate tests."""

from __future__ import annotations

import datetime

from champion.improvement.measures_link import link_measure
from champion.improvement.models import PDSACycle, Project, ProjectMember, Stage, TeamRole, Tool
from champion.measures.models import DataPoint, Measure

REFLECTION = (
    "Falls fell from about eight to five a month after the bell clips and the admission "
    "checklist. I led the night-shift tests and learned that small tests with a prediction "
    "taught us more than the big launch we first planned. Next: spread to Ward B."
)
AIM = "Reduce inpatient falls on Ward A from 8 to 4 a month by 31 March 2027."
START = datetime.date(2025, 1, 1)


def month(i: int) -> datetime.date:
    return datetime.date(
        START.year + (START.month - 1 + i) // 12, (START.month - 1 + i) % 12 + 1, 1
    )


def measure(unit, name, *, chart="run", points=20, definition="Falls recorded, any harm"):
    m = Measure.objects.create(
        unit=unit, name=name, kind="outcome", chart=chart, definition=definition,
        frequency="monthly", improvement="down",
    )  # fmt: skip
    DataPoint.objects.bulk_create(
        DataPoint(measure=m, period=month(i), value=8 - (3 if i >= 14 else 0) + (i % 3))
        for i in range(points)
    )
    return m


def cycle(project, previous, n, *, complete=True, start=None):
    return PDSACycle.objects.create(
        project=project,
        previous=previous,
        title=f"Bell clips — cycle {n}",
        stage=Stage.DONE if complete else Stage.DO,
        question="Will clips keep bells in reach?",
        prediction="Bells out of reach in fewer than 2 of 8 checks.",
        do_notes="Checked 4 times a night in bays 1-2." if complete else "",
        study_notes="1 of 32 checks; the prediction held." if complete else "",
        decision="adopt" if complete else "",
        start_date=start or month(14 + n),
    )


def build_project(world, *, learner=None, cycles=3, points=20, aim=AIM, cause_rows=3):
    """A project on Ward A meeting every item (each argument can take one item away)."""
    learner = learner or world.member
    project = Project.objects.create(
        unit=world.ward_a, title="Fewer falls on Ward A", status="active",
        problem_statement="Ward A had 48 falls last year, most at night.",
        aim_statement=aim, scope_in="All adult inpatients on Ward A.",
    )  # fmt: skip
    ProjectMember.objects.create(project=project, user=learner, role=TeamRole.LEAD)
    ProjectMember.objects.create(project=project, user=world.leader, role=TeamRole.SPONSOR)
    previous = None
    for n in range(1, cycles + 1):
        previous = cycle(project, previous, n)
    Tool.objects.create(
        project=project, kind="fishbone", title="Why patients fall at night",
        data={"header": {"effect": "Night falls"}, "rows": [
            {"category": "Equipment", "cause": f"Cause {i}"} for i in range(cause_rows)
        ]},
    )  # fmt: skip
    Tool.objects.create(
        project=project, kind="change_plan", title="Control plan",
        data={"header": {}, "rows": [
            {"action": "Weekly falls chart at the huddle", "owner": "Ward manager", "status": "done"}
        ]},
    )  # fmt: skip
    for role in ("outcome", "process", "balancing"):
        taken = Measure.objects.filter(unit=world.ward_a, name=f"Falls {role}").exists()
        name = f"Falls {role}" + (f" {project.pk}" if taken else "")
        m = measure(world.ward_a, name, points=points)
        link_measure(project, m, role, by=learner)
    return project
