"""`champion demo --scale large`: Riverside Health grown into a health system of 20,000 staff.

The ordinary demo is built first (its five sign-ins keep their roles: the executive leads the
root unit, so the whole system), then a generated system is added under the same root: about
500 units on 5 levels, the people, measures with years of data, projects with tools and PDSA
cycles, ideas, Learn progress and quiz attempts, and a maturity round. Everything is drawn
from seeded generators, so two loads make the same data; every name is invented.

Fast on purpose (minutes on 2 cores, SQLite or PostgreSQL): rows are written with
`bulk_create` in batches, never one `save()` at a time, and the audit log is suspended for
the load (`audit.suspended`): one entry per generated row would bury the real log. The
measures' analyses are computed through the engine's bulk path (`refresh_many`), and the
people's standing per tier (`learning.services.status`) is rebuilt once at the end instead
of being kept up to date batch by batch.
Idempotent: a second run finds the generated system and changes nothing.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Model, Q
from django.utils import timezone

from champion.accounts.models import Membership, Organisation, Role, Unit, UnitKind, User
from champion.core import audit
from champion.improvement.ideas.models import Idea
from champion.improvement.ideas.models import Status as IdeaStatus
from champion.improvement.models import PDSACycle, Project, ProjectMember, Tool
from champion.improvement.models.pdsa import Stage
from champion.improvement.models.project import Method, ProjectStatus, TeamRole
from champion.leadership.maturity.framework import framework
from champion.leadership.models import Answer, Assessment, Participant, Perspective, RoundStatus
from champion.learning.models import Lesson, LessonProgress, QuizAttempt
from champion.learning.services import status as learning_status
from champion.measures.analysis import BATCH_PREFETCH, refresh_many
from champion.measures.models import DataPoint, Measure
from champion.web import demo

#: Rows per INSERT: well under SQLite's and PostgreSQL's parameter limits for these tables.
BATCH = 2000


@dataclass(frozen=True)
class Scale:
    """How much to generate. `LARGE` is the health system of issue 15; `SMALL` is for tests."""

    people: int
    hospitals: int
    fan_out: int  # divisions per hospital, departments per division, wards per department
    measures: int
    points: int
    projects: int
    ideas: int
    learning_records: int  # lesson progress rows plus quiz attempts
    maturity_answers: int


LARGE = Scale(20_000, 6, 4, 10_000, 60, 2_000, 50_000, 1_000_000, 200)
SMALL = Scale(400, 2, 2, 120, 24, 20, 300, 3_000, 28)
SCALES = {"large": LARGE, "small": SMALL}

#: The generated hospitals: the marker that the large system is already there.
HOSPITALS = [
    "Northfield University Hospital", "Eastbrook General Hospital", "Westmoor Hospital",
    "Southbank Community Hospital", "Highcliff Hospital", "Meadowvale Hospital",
    "Oakridge Hospital", "Lakeside Hospital",
]  # fmt: skip
DIVISIONS = ["Medicine", "Surgery", "Women and Children", "Clinical Support"]
DEPARTMENTS = {
    "Medicine": ["Acute Medicine", "Older People's Care", "Respiratory", "Cardiology"],
    "Surgery": ["General Surgery", "Orthopaedics", "Theatres", "Critical Care"],
    "Women and Children": ["Maternity", "Paediatrics", "Neonatal Unit", "Gynaecology"],
    "Clinical Support": ["Pharmacy", "Radiology", "Pathology", "Therapies"],
}
FIRST = ["Aisha", "Ben", "Chloe", "Daniel", "Elena", "Farah", "George", "Hannah", "Ibrahim",
         "Jade", "Kofi", "Laura", "Mohammed", "Nadia", "Oliver", "Patrick", "Rosa", "Samuel",
         "Tara", "Usman", "Vera", "William", "Yasmin", "Zoe", "Amir", "Bethany", "Callum",
         "Deepa", "Ewan", "Grace", "Hugo", "Isla", "Jonah", "Keira", "Leon", "Maya"]  # fmt: skip
LAST = ["Adeyemi", "Brown", "Chen", "Davies", "Evans", "Fernandes", "Gallagher", "Hughes",
        "Iqbal", "Jones", "Kowalski", "Lewis", "Mensah", "Nowak", "O'Brien", "Patel", "Quinn",
        "Roberts", "Singh", "Taylor", "Walsh", "Wright", "Young", "Zielinski", "Ahmed",
        "Baker", "Clarke", "Dubois", "Ellis", "Fischer"]  # fmt: skip
TITLES = ["Staff nurse", "Healthcare assistant", "Physiotherapist", "Ward clerk", "Doctor",
          "Pharmacist", "Occupational therapist", "Midwife", "Radiographer", "Porter"]  # fmt: skip

# name, chart, kind, unit label, better direction, level, typical denominator, multiply
MEASURES = [
    ("Falls per 1,000 bed-days", "u", "outcome", "falls per 1,000 bed-days", "down", 5.5, 800, 1000),
    ("Hand hygiene compliance", "p", "process", "%", "up", 0.9, 120, 100),
    ("Pressure ulcers (category 2+)", "c", "outcome", "ulcers", "down", 2.0, 0, 1),
    ("Medication omissions", "p", "process", "%", "down", 0.04, 900, 100),
    ("Discharges before noon", "p", "process", "%", "up", 0.2, 110, 100),
    ("Length of stay", "i", "outcome", "days", "down", 4.5, 0, 1),
    ("Staff sickness absence", "p", "balancing", "%", "down", 0.045, 2000, 100),
    ("Patient experience: would recommend", "p", "outcome", "%", "up", 0.9, 300, 100),
    ("Sepsis antibiotics within 1 hour", "p", "process", "%", "up", 0.75, 60, 100),
    ("Catheter infections per 1,000 catheter days", "u", "outcome", "per 1,000 catheter days", "down", 2.4, 900, 1000),
    ("Incidents reported", "c", "process", "incidents", "up", 14.0, 0, 1),
    ("Time to first assessment", "i", "process", "minutes", "down", 35.0, 0, 1),
    ("Readmissions within 30 days", "p", "outcome", "%", "down", 0.11, 400, 100),
    ("Observations on time", "p", "process", "%", "up", 0.85, 500, 100),
    ("Complaints received", "c", "balancing", "complaints", "down", 3.0, 0, 1),
    ("Theatre start delay", "run", "process", "minutes", "down", 18.0, 0, 1),
    ("Agency shifts", "c", "balancing", "shifts", "down", 25.0, 0, 1),
    ("Medicines reconciliation within 24 hours", "p", "process", "%", "up", 0.7, 200, 100),
    ("Venous thromboembolism risk assessed", "p", "process", "%", "up", 0.93, 250, 100),
    ("Delayed transfers of care", "i", "outcome", "bed-days", "down", 40.0, 0, 1),
    ("Therapy minutes per patient", "i", "process", "minutes", "up", 38.0, 0, 1),
    ("Safety huddles held", "run", "process", "huddles", "up", 20.0, 0, 1),
    ("Did not attend rate", "p", "process", "%", "down", 0.08, 1500, 100),
    ("Nutrition screening on admission", "p", "process", "%", "up", 0.88, 150, 100),
    ("Mouth care recorded", "p", "process", "%", "up", 0.6, 180, 100),
]  # fmt: skip
TOPICS = ["falls", "flow", "discharge", "medicines", "sepsis", "hand hygiene", "handover",
          "pressure care", "nutrition", "deterioration", "theatre start times", "waiting"]  # fmt: skip
PROBLEMS = ["Gloves and aprons are kept far from the bays.", "Handover runs long at 07:30.",
            "Discharge letters wait for a doctor's signature.", "Observation charts are hard to find.",
            "The medicines trolley is often locked away.", "Patients wait for a porter to go home.",
            "Nobody knows which bed is clean.", "The huddle board is out of date."]  # fmt: skip
IDEAS = ["Keep a small stock in each bay, topped up daily.", "Use a one-page handover sheet.",
         "Sign letters the afternoon before discharge.", "Put a chart holder at each bedside.",
         "Give the trolley a fixed place and a key on the lanyard.", "Book transport at the ward round.",
         "Add a clean-bed magnet to the board.", "Update the board at the end of each huddle."]  # fmt: skip


def _say(verbose: bool, text: str) -> None:
    if verbose:
        print(text, flush=True)


def _insert(model: type[Model], rows: Iterable[Model]) -> list[Any]:
    """Bulk insert in batches; returns the rows (with primary keys on SQLite and PostgreSQL)."""
    out: list[Any] = []
    batch: list[Model] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            out += model._default_manager.bulk_create(batch)
            batch = []
    if batch:
        out += model._default_manager.bulk_create(batch)
    return out


def _units(org: Organisation, root: Unit, scale: Scale) -> list[list[Unit]]:
    """The generated tree under the root, as its levels (hospitals, divisions, departments, wards)."""
    levels: list[list[Unit]] = []
    parents = [root]
    for depth in range(1, 5):
        rows: list[Unit] = []
        for parent in parents:
            if depth == 1:
                names = [(n, UnitKind.HOSPITAL) for n in HOSPITALS[: scale.hospitals]]
            elif depth == 2:
                names = [(n, UnitKind.DIVISION) for n in DIVISIONS[: scale.fan_out]]
            elif depth == 3:
                names = [
                    (n, UnitKind.DEPARTMENT) for n in DEPARTMENTS[parent.name][: scale.fan_out]
                ]
            else:
                names = [
                    (f"{parent.name} ward {chr(65 + i)}", UnitKind.WARD)
                    for i in range(scale.fan_out)
                ]
            rows += [Unit(organisation=org, parent=parent, name=n, kind=k) for n, k in names]
        made = _insert(Unit, rows)
        for unit in made:
            unit.path = f"{unit.parent.path}{unit.pk}/"
            unit.depth = depth
        Unit.objects.bulk_update(made, ["path", "depth"], batch_size=BATCH)
        levels.append(made)
        parents = made
    return levels


def _people(org: Organisation, units: list[Unit], scale: Scale, rng: random.Random) -> list[int]:
    """Staff in the generated units: a leader per unit, a coach per hospital, members in the
    wards and departments. Returns their ids in creation order."""
    count = scale.people - User.objects.filter(organisation=org).count()
    stamp = timezone.now() - datetime.timedelta(days=400)

    def person(i: int) -> User:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        local = f"{first}.{last}".lower().replace("'", "")
        return User(
            email=f"{local}.{i:05d}@riverside.example",
            full_name=f"{first} {last}",
            given_name=first,
            family_name=last,
            job_title=rng.choice(TITLES),
            organisation=org,
            password="!",  # no usable password: only the five demo accounts sign in
            date_joined=stamp,
        )

    users = _insert(User, (person(i) for i in range(max(0, count))))
    ids = [u.pk for u in users]
    memberships: list[Membership] = []
    # One leader for every unit, then everyone else in a ward (most) or a department.
    leaders = ids[: len(units)]
    for unit, uid in zip(units, leaders, strict=False):
        memberships.append(Membership(user_id=uid, unit=unit, role=Role.LEADER))
    frontline = [u for u in units if u.kind in (UnitKind.WARD, UnitKind.DEPARTMENT)]
    hospitals = [u for u in units if u.kind == UnitKind.HOSPITAL]
    rest = ids[len(units) :]
    for n, uid in enumerate(rest):
        if n < len(hospitals):
            memberships.append(Membership(user_id=uid, unit=hospitals[n], role=Role.COACH))
        else:
            memberships.append(
                Membership(user_id=uid, unit=rng.choice(frontline), role=Role.MEMBER)
            )
    _insert(Membership, memberships)
    return ids


def _series(
    rng: np.random.Generator, spec: tuple[Any, ...], n: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """`n` monthly values of a measure, a third of them with a shift two thirds of the way."""
    _, chart, _, _, better, level, den, _ = spec
    levels = np.full(n, level, dtype=float)
    if rng.random() < 0.35:
        sign = 1 if (better == "up") == (rng.random() < 0.7) else -1
        levels[int(n * 0.65) :] *= 1 + sign * rng.uniform(0.1, 0.3)
    if chart == "p":
        dens = np.maximum(1, rng.normal(den, den * 0.06, n)).round()
        return rng.binomial(dens.astype(int), np.clip(levels, 0, 1)).astype(float), dens
    if chart == "u":
        dens = np.maximum(1, rng.normal(den, den * 0.06, n)).round()
        return rng.poisson(levels / 1000 * dens).astype(float), dens
    if chart == "c":
        return rng.poisson(levels).astype(float), None
    return np.round(rng.normal(levels, np.abs(levels) * 0.1), 1), None


def _months(n: int) -> list[datetime.date]:
    end = datetime.date(2026, 10, 1)
    out = []
    y, m = end.year, end.month
    for _ in range(n):
        out.append(datetime.date(y, m, 1))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return out[::-1]


def _measures(units: list[Unit], leaders: dict[int, int], scale: Scale, verbose: bool) -> list[int]:
    rng = np.random.default_rng(15)
    frontline = [u for u in units if u.kind in (UnitKind.WARD, UnitKind.DEPARTMENT)]
    periods = _months(scale.points)
    specs = [(frontline[i % len(frontline)], MEASURES[(i // len(frontline)) % len(MEASURES)])
             for i in range(scale.measures)]  # fmt: skip
    made = _insert(
        Measure,
        (
            Measure(
                unit=unit, name=spec[0] if i < len(frontline) * len(MEASURES)
                else f"{spec[0]} ({i // (len(frontline) * len(MEASURES)) + 1})",
                chart=spec[1], kind=spec[2], unit_label=spec[3], improvement=spec[4],
                multiply=spec[7], definition=f"{spec[0]}, counted each month on the unit.",
                numerator=spec[0] if spec[6] else "", denominator="(see definition)" if spec[6] else "",
                data_source="Hospital information system", frequency="monthly",
            )
            for i, (unit, spec) in enumerate(specs)
        ),
    )  # fmt: skip
    _say(verbose, f"  {len(made)} measures; writing {len(made) * scale.points} data points...")

    def points() -> Iterable[DataPoint]:
        for measure, (_, spec) in zip(made, specs, strict=True):
            values, dens = _series(rng, spec, scale.points)
            for k, period in enumerate(periods):
                yield DataPoint(
                    measure_id=measure.pk,
                    period=period,
                    value=float(values[k]),
                    denominator=None if dens is None else float(dens[k]),
                )

    _insert(DataPoint, points())
    through = Measure.owners.through
    _insert(
        through,
        (
            through(measure_id=m.pk, user_id=leaders[m.unit_id])
            for m in made
            if m.unit_id in leaders
        ),
    )
    return [m.pk for m in made]


def refresh_all(ids: Sequence[int], progress: Callable[[int, int], None] | None = None) -> int:
    """Analyse the measures through the engine's bulk path, 500 at a time."""
    done = 0
    for start in range(0, len(ids), 500):
        chunk = Measure.objects.filter(pk__in=ids[start : start + 500]).prefetch_related(
            *BATCH_PREFETCH
        )
        done += refresh_many(chunk)
        if progress is not None:
            progress(done, len(ids))
    return done


def _projects(
    units: list[Unit], members: dict[int, list[int]], leaders: dict[int, int], scale: Scale
) -> None:
    rng = random.Random(1502)
    frontline = [u for u in units if u.kind in (UnitKind.WARD, UnitKind.DEPARTMENT)]
    today = timezone.localdate()
    statuses = [ProjectStatus.ACTIVE] * 5 + [ProjectStatus.FINISHED] * 2 + [
        ProjectStatus.DRAFT, ProjectStatus.ON_HOLD, ProjectStatus.STOPPED]  # fmt: skip
    rows = []
    for i in range(scale.projects):
        unit = frontline[i % len(frontline)]
        topic = TOPICS[i % len(TOPICS)]
        started = today - datetime.timedelta(days=rng.randint(20, 700))
        rows.append(
            Project(
                unit=unit,
                title=f"Better {topic} on {unit.name} ({i + 1})",
                topic=topic,
                problem_statement=rng.choice(PROBLEMS),
                aim_statement=f"Improve {topic} on {unit.name} by 30% within 12 months.",
                method=rng.choice([Method.MFI, Method.MFI, Method.DMAIC, Method.A3]),
                status=rng.choice(statuses),
                started_on=started,
                created_by_id=leaders.get(unit.pk),
                updated_by_id=leaders.get(unit.pk),
            )
        )
    projects = _insert(Project, rows)
    team: list[ProjectMember] = []
    tools: list[Tool] = []
    cycles: list[PDSACycle] = []
    for project in projects:
        lead = leaders.get(project.unit_id)
        people = members.get(project.unit_id, [])
        if lead:
            team.append(ProjectMember(project=project, user_id=lead, role=TeamRole.LEAD))
        for uid in rng.sample(people, min(3, len(people))):
            team.append(ProjectMember(project=project, user_id=uid, role=TeamRole.MEMBER))
        why = rng.choice(PROBLEMS)
        tools.append(
            Tool(
                project=project, kind="five_whys", title="Why does this happen?",
                data={"header": {"problem": why, "countermeasure": rng.choice(IDEAS)},
                      "rows": [{"answer": "Nobody owns the task."},
                               {"answer": "The rota leaves no time for it."}]},
                updated_by_id=lead,
            )
        )  # fmt: skip
        tools.append(
            Tool(
                project=project, kind="pareto", title="Causes counted for a month",
                data={"header": {"measure": "Delays by cause", "period": "One month"}, "rows": [{"category": c, "count": rng.randint(2, 40)}
                                             for c in ("Staffing", "Equipment", "Process", "Other")]},
                updated_by_id=lead,
            )
        )  # fmt: skip
        start = project.started_on or today
        for number in (1, 2):
            done = number == 1
            cycles.append(
                PDSACycle(
                    project=project, title=f"{rng.choice(IDEAS)} — cycle {number}",
                    stage=Stage.DONE if done else Stage.DO,
                    question="Will it work here, and what does it take?",
                    prediction="Fewer delays within two weeks.",
                    plan_who="Ward team", plan_what=rng.choice(IDEAS), plan_where=project.title[:200],
                    start_date=start + datetime.timedelta(days=14 * number),
                    end_date=start + datetime.timedelta(days=14 * number + 7) if done else None,
                    study_notes="Better than predicted on most shifts." if done else "",
                    prediction_held="yes" if done else "", decision="adapt" if done else "",
                    created_by_id=lead, updated_by_id=lead,
                )
            )  # fmt: skip
    _insert(ProjectMember, team)
    _insert(Tool, tools)
    _insert(PDSACycle, cycles)


def _ideas(units: list[Unit], members: dict[int, list[int]], scale: Scale) -> None:
    rng = random.Random(1503)
    frontline = [u for u in units if u.kind in (UnitKind.WARD, UnitKind.DEPARTMENT)]
    now = timezone.now()
    statuses = [IdeaStatus.NEW] * 3 + [IdeaStatus.UNDER_REVIEW, IdeaStatus.TESTING,
                                       IdeaStatus.ADOPTED, IdeaStatus.ADOPTED, IdeaStatus.NOT_NOW]  # fmt: skip

    anyone = [next(uid for ids in members.values() for uid in ids)]  # a unit with no members

    def rows() -> Iterable[Idea]:
        for i in range(scale.ideas):
            unit = frontline[i % len(frontline)]
            people = members.get(unit.pk) or anyone
            status = rng.choice(statuses)
            at = now - datetime.timedelta(days=rng.randint(1, 720), hours=rng.randint(0, 23))
            yield Idea(
                unit=unit,
                submitted_by_id=rng.choice(people),
                problem=rng.choice(PROBLEMS),
                idea=rng.choice(IDEAS),
                status=status,
                status_reason="Waiting for the new rota." if status == IdeaStatus.NOT_NOW else "",
                created_at=at,
                updated_at=at,
                responded_at=None if status == IdeaStatus.NEW else at + datetime.timedelta(days=3),
            )

    _insert(Idea, rows())


def _learning(people: list[int], scale: Scale) -> None:
    """Lesson progress and a quiz attempt for each lesson a person finished, in curriculum
    order, about `learning_records` rows in all."""
    rng = random.Random(1504)
    lessons = list(Lesson.objects.filter(retired=False, module__retired=False).order_by(
        "module__tier__order", "module__order", "order").values_list("pk", flat=True))  # fmt: skip
    if not lessons or not people:
        return
    mean = scale.learning_records / 2 / len(people)  # lessons per person on average
    top = min(len(lessons), max(1, round(2 * mean)))
    now = timezone.now()
    progress: list[LessonProgress] = []
    attempts: list[QuizAttempt] = []
    for uid in people:
        count = rng.randint(0, top)
        when = now - datetime.timedelta(days=rng.randint(5, 300))
        for k in range(count):
            at = when + datetime.timedelta(hours=6 * k)
            score = rng.choice((0.8, 0.8, 1.0))
            progress.append(LessonProgress(
                user_id=uid, lesson_id=lessons[k], first_viewed_at=at, last_viewed_at=at,
                read_at=at, quiz_passed_at=at, best_score=score, completed_at=at,
                exercise_passed_at=at))  # fmt: skip
            attempts.append(QuizAttempt(
                user_id=uid, lesson_id=lessons[k], started_at=at, submitted_at=at,
                score=score, passed=True))  # fmt: skip
        if len(progress) >= 20 * BATCH:
            _insert(LessonProgress, progress)
            _insert(QuizAttempt, attempts)
            progress, attempts = [], []
    _insert(LessonProgress, progress)
    _insert(QuizAttempt, attempts)


def _maturity(root: Unit, facilitator: User, people: list[int], scale: Scale) -> None:
    rng = random.Random(1505)
    keys = [c.key for c in framework().components]
    started = timezone.now() - datetime.timedelta(days=30)
    assessment = Assessment.objects.create(
        unit=root,
        title=MATURITY_TITLE,
        facilitator=facilitator,
        status=RoundStatus.OPEN,
        created_at=started,
    )
    count = max(1, round(scale.maturity_answers / len(keys)))
    participants = _insert(
        Participant,
        (
            Participant(
                assessment=assessment,
                user_id=uid,
                perspective=Perspective.LEADER if i % 3 == 0 else Perspective.FRONTLINE,
                invited_at=started,
                submitted_at=started + datetime.timedelta(days=1 + i % 10),
            )
            for i, uid in enumerate(people[:count])
        ),
    )
    _insert(
        Answer,
        (
            Answer(participant=p, component=k, stage=rng.randint(1, 4))
            for p in participants
            for k in keys
        ),
    )


MATURITY_TITLE = "System-wide maturity round (all hospitals)"


def load_large(scale: Scale = LARGE, *, verbose: bool = False) -> Organisation:
    """Build the ordinary demo, then grow it to `scale`. Idempotent and resumable: each part
    is written once, so a load that was stopped part-way finishes where it stopped."""
    demo.load_demo(verbose=False)
    org = Organisation.objects.get(name="Riverside Health")
    began = time.monotonic()

    def step(text: str) -> None:
        _say(verbose, f"[{time.monotonic() - began:6.1f} s] {text}")

    root = Unit.objects.get(organisation=org, parent__isnull=True)
    with audit.suspended(), audit.acting_as(None), learning_status.suspended():
        if not Unit.objects.filter(organisation=org, name=HOSPITALS[0]).exists():
            with transaction.atomic():
                step("units...")
                levels = _units(org, root, scale)
                units = [u for level in levels for u in level]
                step(f"{len(units)} units; people...")
                _people(org, units, scale, random.Random(1501))
                step("people; measures...")
                leaders, _ = _staff(units)
                _measures(units, leaders, scale, verbose)
        hospitals = Unit.objects.filter(organisation=org, name__in=HOSPITALS[: scale.hospitals])
        within = Q()
        for hospital in hospitals:
            within |= Q(path__startswith=hospital.path)
        units = list(Unit.objects.filter(within).order_by("depth", "pk"))
        leaders, members = _staff(units)
        people = list(
            Membership.objects.filter(unit__in=units)
            .order_by("user_id")
            .values_list("user_id", flat=True)
            .distinct()
        )
        waiting = list(
            Measure.objects.filter(unit__in=units, summary_at__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if waiting:
            step(f"analysing {len(waiting)} measures (engine bulk path)...")
            refresh_all(waiting)
        if not Project.objects.filter(unit__in=units).exists():
            step("projects, tools and PDSA cycles...")
            with transaction.atomic():
                _projects(units, members, leaders, scale)
        if not Idea.objects.filter(unit__in=units).exists():
            step("ideas...")
            with transaction.atomic():
                _ideas(units, members, scale)
        if not LessonProgress.objects.filter(user__memberships__unit__in=units).exists():
            step("lesson progress and quiz attempts...")
            with transaction.atomic():
                _learning(people, scale)
        if not Assessment.objects.filter(unit=root, title=MATURITY_TITLE).exists():
            step("maturity round...")
            with transaction.atomic():
                executive = User.objects.get(email="executive@riverside.example")
                _maturity(root, executive, people, scale)
    # Each person's standing per tier, from the progress just written, in one pass (the
    # upkeep per write was suspended for the load; a second run finds nothing to correct).
    step("learning status...")
    learning_status.rebuild()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh planner statistics for the tables just filled
    step("done.")
    return org


def _staff(units: list[Unit]) -> tuple[dict[int, int], dict[int, list[int]]]:
    """Each generated unit's leader, and its members, by unit id."""
    leaders = dict(
        Membership.objects.filter(unit__in=units, role=Role.LEADER).values_list(
            "unit_id", "user_id"
        )
    )
    members: dict[int, list[int]] = {}
    for unit_id, user_id in (
        Membership.objects.filter(unit__in=units, role=Role.MEMBER)
        .order_by("pk")
        .values_list("unit_id", "user_id")
    ):
        members.setdefault(unit_id, []).append(user_id)
    return leaders, members
