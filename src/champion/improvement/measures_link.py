"""The seam between projects and the Measure app: a project's family of measures and the
PDSA cycle marks on their charts.

Everything the improvement app needs from Measure goes through here. Marks are the
Measure app's own `Annotation` rows (one mechanism: the chart, its legend and its
exports draw them as they draw any note), tied to their cycle by `CycleMark`, and the
measure's cached summary is refreshed the way the Measure app refreshes it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from champion.charts import format_number
from champion.improvement.models import CycleMark, PDSACycle, Project, ProjectMeasure
from champion.measures.services import (
    Annotation,
    Impact,
    can_enter_data,
    define_measure,
    impact,
    refresh,
    render,
)

#: The Measure app allows 120 characters; on a chart, marks must stay short to stay legible.
MARK_TEXT = 48


def mark_text(cycle: PDSACycle) -> str:
    """Short, because marks close together share the top of the chart: "PDSA 2: Bell clips"."""
    if cycle.change_idea is not None:
        text = f"PDSA {cycle.number_in_ramp()}: {cycle.change_idea.text}"
    else:
        text = f"PDSA: {cycle.title}"
    return text if len(text) <= MARK_TEXT else text[: MARK_TEXT - 1].rstrip() + "…"


def project_measures(project: Project) -> list[ProjectMeasure]:
    """The project's family of measures, outcome first, with their measures loaded."""
    order = {"outcome": 0, "process": 1, "balancing": 2}
    links = project.measure_links.select_related("measure__unit")
    return sorted(links, key=lambda link: (order.get(link.role, 3), link.measure.name))


def can_link(user: Any, measure: Any) -> bool:
    """Linking puts the project's PDSA marks on the measure's chart (notes, not governance),
    so it needs the right to enter that measure's data (the Measure app's own rule)."""
    return can_enter_data(user, measure)


@transaction.atomic
def link_measure(project: Project, measure: Any, role: str, *, by: Any) -> ProjectMeasure:
    """Add a measure to the family and mark every cycle already started on its chart."""
    link, _ = ProjectMeasure.objects.get_or_create(
        project=project,
        measure=measure,
        defaults={"role": role or measure.kind, "added_by": by},
    )
    for cycle in project.cycles.filter(start_date__isnull=False):
        _mark(cycle, measure, by=by)
    _refresh(measure)
    return link


@transaction.atomic
def add_measure(project: Project, measure: Any, *, owners: Any, by: Any) -> Any:
    """Define a new measure (by the Measure app's one service: its rules, its save) and add
    it to the project's family in the role of its own type."""
    define_measure(measure, by=by, owners=owners)
    link_measure(project, measure, measure.kind, by=by)
    return measure


@transaction.atomic
def unlink_measure(link: ProjectMeasure) -> int:
    """Take a measure out of the family, and the project's cycle marks off its chart;
    returns how many marks came off."""
    measure = link.measure
    marks = CycleMark.objects.filter(cycle__project=link.project, annotation__measure=measure)
    removed = 0
    for mark in marks.select_related("annotation"):
        mark.annotation.delete()
        removed += 1
    link.delete()
    _refresh(measure)
    return removed


def annotate_cycle_start(cycle: PDSACycle) -> int:
    """Mark the cycle's start date on each of its project's measures; returns how many.

    Called when a cycle moves from Plan to Do. Idempotent: a cycle has at most one mark
    per measure, moved (not duplicated) if its start date or title changed.
    """
    if cycle.start_date is None:
        return 0
    marked = 0
    with transaction.atomic():
        for link in cycle.project.measure_links.select_related("measure"):
            _mark(cycle, link.measure, by=cycle.updated_by)
            _refresh(link.measure)
            marked += 1
    return marked


def _mark(cycle: PDSACycle, measure: Any, *, by: Any) -> None:
    assert cycle.start_date is not None
    text = mark_text(cycle)
    mark = CycleMark.objects.filter(cycle=cycle, annotation__measure=measure).first()
    if mark is None:
        annotation = Annotation.objects.create(
            measure=measure, period=cycle.start_date, text=text, created_by=by
        )
        CycleMark.objects.create(cycle=cycle, annotation=annotation)
        return
    annotation = mark.annotation
    if (annotation.period, annotation.text) != (cycle.start_date, text):
        annotation.period, annotation.text = cycle.start_date, text
        annotation.save()


def result_chart(project: Project) -> tuple[Any, str] | None:
    """The first outcome measure with data and its chart as SVG (with the cycle marks)."""
    for link in project_measures(project):
        if link.role != "outcome" or not link.measure.data_points.exists():
            continue
        try:
            return link.measure, render(link.measure, "svg").decode("utf-8")
        except Exception:  # a chart that cannot be drawn leaves the page without it, not broken
            return None
    return None


def _refresh(measure: Any) -> None:
    refresh(measure)


@dataclasses.dataclass(frozen=True)
class ProjectImpact:
    """A project's result in numbers: its outcome measure's impact (`measures.impact`), or
    why there is none. `impact` is None only when no outcome measure is linked."""

    measure: Any | None
    impact: Impact | None
    reason: str = ""

    @property
    def confirmed(self) -> bool:
        return self.impact is not None and self.impact.confirmed

    @property
    def sentence(self) -> str:
        """ "Falls per 1,000 bed-days down from 8.1 to 5.9 (2.2, an improvement), confirmed
        by a shift ... sustained from Jul 2025"; or why there is no result."""
        if self.impact is None or self.measure is None:
            return self.reason
        i, m = self.impact, self.measure
        if i.before is None or i.after is None:
            return i.message
        what = m.unit_label or m.name
        diff = i.difference or 0.0
        moved = {"up": "up", "down": "down"}.get(i.direction, "unchanged")
        text = (
            f"{m.name}: {moved} from {format_number(i.before)} to {format_number(i.after)} "
            f"{what} ({format_number(abs(diff))} {moved}"
        )
        text += (
            f", a{'n' if i.meaning == 'improvement' else ''} {i.meaning})"
            if i.meaning in ("improvement", "deterioration")
            else ")"
        )
        if i.confirmed:
            sustained = f", sustained from {i.sustained:%b %Y}" if i.sustained else ""
            return f"{text}. Confirmed by {i.rule}{sustained}."
        return f"{text}. {i.message}"


def _phase_in_project(project: Project, found: Impact) -> Impact:
    """A phase that started before the project did is not the project's change."""
    if (
        project.started_on
        and found.phase_start
        and found.phase_start < project.started_on
        and found.status not in ("no_data",)
    ):
        return Impact(
            "no_phase",
            "No phase on the outcome measure starts after the project began "
            f"({project.started_on:%d %b %Y}), so there is no result of this project to compute.",
        )
    return found


def outcome_measure(project: Project) -> Any | None:
    """The project's first outcome measure (the one its result is read from)."""
    for link in project_measures(project):
        if link.role == "outcome":
            return link.measure
    return None


def project_impact(project: Project) -> ProjectImpact:
    """The project's result, computed from its outcome measure's phases (never typed in)."""
    measure = outcome_measure(project)
    if measure is None:
        return ProjectImpact(None, None, "No outcome measure is linked, so there is no result "
                                         "to compute.")  # fmt: skip
    return ProjectImpact(measure, _phase_in_project(project, impact(measure)))


def impacts(projects: Iterable[Project]) -> dict[int, ProjectImpact]:
    """The stored results of many projects in one query (the library, Lead): each project's
    first outcome measure's impact as its last refresh stored it (no analysis runs here)."""
    ids = [p.pk for p in projects]
    by_id = {p.pk: p for p in projects}
    out: dict[int, ProjectImpact] = {}
    links = (
        ProjectMeasure.objects.filter(project_id__in=ids, role="outcome")
        .select_related("measure__unit", "measure__shared")
        .order_by("project_id", "measure__name")
    )
    for link in links:
        if link.project_id in out:
            continue
        stored = link.measure.summary.impact
        if stored is None:
            continue
        out[link.project_id] = ProjectImpact(
            link.measure, _phase_in_project(by_id[link.project_id], stored)
        )
    return out
