"""The seam between projects and the Measure app: a project's family of measures and the
PDSA cycle marks on their charts.

Everything the improvement app needs from Measure goes through here. Marks are the
Measure app's own `Annotation` rows (one mechanism: the chart, its legend and its
exports draw them as they draw any note), tied to their cycle by `CycleMark`, and the
measure's cached summary is refreshed the way the Measure app refreshes it.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from champion.improvement.models import CycleMark, PDSACycle, Project, ProjectMeasure
from champion.measures.services import (
    Annotation,
    can_enter_data,
    define_measure,
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
