"""A leader's view of an area's projects: what is running, in which phase and method, what has
finished and with what result, and which active projects have stalled.

`portfolio` takes projects the caller may see (`Project.objects.visible_to(user)`, narrowed to
an area) and costs a fixed number of queries however many projects there are.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone

from champion.improvement.models import (
    PHASES,
    MeasureRole,
    Method,
    Project,
    ProjectStatus,
)
from champion.improvement.models.project import ProjectQuerySet

#: An active project with no PDSA cycle started or finished in this many weeks has stalled.
STALL_WEEKS = 6
#: How many finished projects the portfolio lists (most recently finished first).
FINISHED_SHOWN = 5


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
    active_projects: list[Project]  # by title, each with its unit
    by_method: list[MethodPhases]
    finished: list[Project]
    finished_total: int
    stalled: list[StalledProject] = field(default_factory=list)
    stall_weeks: int = STALL_WEEKS


def portfolio(projects: ProjectQuerySet, today: datetime.date | None = None) -> Portfolio:
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(weeks=STALL_WEEKS)
    counts: dict[str, int] = dict(
        projects.order_by()
        .values_list("status")
        .annotate(n=Count("pk", distinct=True))
        .values_list("status", "n")
    )
    active = list(
        projects.filter(status=ProjectStatus.ACTIVE)
        .select_related("unit")
        .annotate(
            outcomes=Count(
                "measure_links", filter=Q(measure_links__role=MeasureRole.OUTCOME), distinct=True
            ),
            last_start=Max("cycles__start_date"),
            last_end=Max("cycles__end_date"),
        )
        .order_by("title")
    )
    phase_counts: dict[tuple[str, str], int] = {}
    stalled = []
    for project in active:
        phase_counts[project.method, project.phase] = (
            phase_counts.get((project.method, project.phase), 0) + 1
        )
        last_test = _latest(project.last_start, project.last_end)  # type: ignore[attr-defined]
        quiet = last_test is None or last_test < cutoff
        if quiet or not project.outcomes:  # type: ignore[attr-defined]
            stalled.append(
                StalledProject(project, not project.outcomes, last_test, quiet)  # type: ignore[attr-defined]
            )
    by_method = [
        MethodPhases(
            method.value,
            method.label,
            [(label, phase_counts.get((method.value, key), 0)) for key, label in PHASES[method]],
        )
        for method in Method
    ]
    finished = projects.filter(status=ProjectStatus.FINISHED).select_related("unit")
    return Portfolio(
        by_status=[(s.value, s.label, counts.get(s.value, 0)) for s in ProjectStatus],
        active=len(active),
        active_projects=active,
        by_method=[m for m in by_method if m.total],
        finished=list(finished.order_by("-finished_on", "-pk")[:FINISHED_SHOWN]),
        finished_total=counts.get(ProjectStatus.FINISHED, 0),
        stalled=stalled,
    )


def _latest(*dates: Any) -> datetime.date | None:
    known = [d for d in dates if d is not None]
    return max(known) if known else None
