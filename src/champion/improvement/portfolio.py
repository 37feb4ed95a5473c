"""A leader's view of an area's projects: what is running, in which phase and method, what has
finished and with what result, and which active projects have stalled.

`portfolio` takes projects the caller may see (`Project.objects.visible_to(user)`, narrowed to
an area) and costs a fixed number of queries however many projects there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    Max,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from champion.improvement.models import (
    PHASES,
    MeasureRole,
    Method,
    Project,
    ProjectMeasure,
    ProjectStatus,
)
from champion.improvement.models.project import ProjectQuerySet

#: An active project with no PDSA cycle started or finished in this many weeks has stalled.
STALL_WEEKS = 6
#: How many finished projects the portfolio lists (most recently finished first).
FINISHED_SHOWN = 5
#: How many active and stalled projects the portfolio lists (by title; it counts them all).
SHOWN = 20


@dataclass
class StalledProject:
    project: Project
    no_outcome_measure: bool
    last_test: datetime.date | None  # the latest PDSA start or end date, if any
    quiet: bool  # no cycle started or finished within STALL_WEEKS

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if self.no_outcome_measure:
            reasons.append("no outcome measure")
        if self.quiet:
            reasons.append(
                f"no PDSA cycle since {self.last_test:%-d %b %Y}"
                if self.last_test
                else "no PDSA cycle yet"
            )
        return reasons


@dataclass
class MethodPhases:
    method: str
    label: str
    phases: list[tuple[str, int]]  # (phase label, active projects in it), in the method's order

    @property
    def total(self) -> int:
        return sum(n for _, n in self.phases)


@dataclass
class Portfolio:
    by_status: list[tuple[str, str, int]]
    active: int
    active_projects: list[Project]  # the first `SHOWN` by title, each with its unit
    by_method: list[MethodPhases]
    finished: list[Project]
    finished_total: int
    stalled: list[StalledProject] = field(default_factory=list)  # the first `SHOWN` by title
    stalled_total: int = 0
    #: Why each listed active project needs a nudge (empty when it does not), by project id.
    nudges: dict[int, list[str]] = field(default_factory=dict)
    stall_weeks: int = STALL_WEEKS


def flat(projects: QuerySet[Project]) -> QuerySet[Project]:
    """`projects` (narrowed by `visible_to`, whose joins need DISTINCT) as a plain filter on
    their ids: counting, grouping and ordering then need no DISTINCT over whole rows."""
    return Project.objects.filter(pk__in=projects.order_by().values("pk"))


def with_tests(projects: QuerySet[Project], today: datetime.date) -> QuerySet[Project]:
    """`projects` annotated with the stall rule's inputs, worked out in the database:
    `outcomes` (has an outcome measure), `last_test` (the latest PDSA start or end date, or
    None) and `stalled` / `quiet` (no outcome measure, or no test since `STALL_WEEKS`)."""
    cutoff = today - datetime.timedelta(weeks=STALL_WEEKS)
    outcome = ProjectMeasure.objects.filter(project=OuterRef("pk"), role=MeasureRole.OUTCOME)
    # One join to the cycles grouped by project (not a subquery per project and use).
    start, end = Max("cycles__start_date"), Max("cycles__end_date")
    # The later of the two, either when the other is NULL (GREATEST is NULL then on SQLite).
    last = Greatest(Coalesce(start, end), Coalesce(end, start), output_field=DateField())
    quiet = Q(last_test__isnull=True) | Q(last_test__lt=cutoff)
    return projects.annotate(outcomes=Exists(outcome), last_test=last).annotate(
        quiet=ExpressionWrapper(quiet, output_field=BooleanField()),
        stalled=ExpressionWrapper(quiet | Q(outcomes=False), output_field=BooleanField()),
    )


def stall(project: Any) -> StalledProject:
    """The stall rule's verdict on a project annotated by `with_tests`."""
    return StalledProject(project, not project.outcomes, project.last_test, project.quiet)


def portfolio(
    projects: ProjectQuerySet, today: datetime.date | None = None, shown: int = SHOWN
) -> Portfolio:
    """The portfolio of `projects`: every count and the phases are aggregates in the
    database; only the first `shown` active and stalled projects and the last finished are
    read as rows. A fixed number of queries however many projects there are."""
    today = today or timezone.localdate()
    ids = flat(projects)
    counts: dict[str, int] = dict(
        ids.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    plain = ids.filter(status=ProjectStatus.ACTIVE)
    active = with_tests(plain, today)
    phase_counts: dict[tuple[str, str], int] = {
        (method, phase): n
        for method, phase, n in plain.order_by()
        .values_list("method", "phase")
        .annotate(n=Count("pk"))
        .values_list("method", "phase", "n")
    }
    listed = list(active.select_related("unit").order_by("title", "pk")[:shown])
    stalled = active.filter(Q(stalled=True))
    by_method = [
        MethodPhases(
            method.value,
            method.label,
            [(label, phase_counts.get((method.value, key), 0)) for key, label in PHASES[method]],
        )
        for method in Method
    ]
    finished = ids.filter(status=ProjectStatus.FINISHED).select_related("unit")
    return Portfolio(
        by_status=[(s.value, s.label, counts.get(s.value, 0)) for s in ProjectStatus],
        active=counts.get(ProjectStatus.ACTIVE, 0),
        active_projects=listed,
        by_method=[m for m in by_method if m.total],
        finished=list(finished.order_by("-finished_on", "-pk")[:FINISHED_SHOWN]),
        finished_total=counts.get(ProjectStatus.FINISHED, 0),
        stalled=[stall(p) for p in stalled.select_related("unit").order_by("title", "pk")[:shown]],
        stalled_total=stalled.count(),
        nudges={p.pk: stall(p).reasons for p in listed},
    )
