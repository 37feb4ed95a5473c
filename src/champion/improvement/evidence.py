"""What a project holds as evidence for the Practitioner certificate, read live from its records.

Learn's rubric (`learning.rubrics.PROJECT`) names the items; this module says, for one
project, whether each is met, what was found and where to fix what is missing. Every
check reads the platform's own records (the charter and the aim checker, the family of
measures and their data, the tools, the PDSA ramps, the chart marks), never an upload:

- **charter**: the charter has no gaps (`Project.charter_gaps`): a problem, an aim the aim
  checker passes (`champion.aims`, as the charter page uses it), the scope, a lead, a sponsor.
- **measures**: an outcome, a process and a balancing measure linked to the project, each
  with an operational definition.
- **baseline**: a linked measure with enough points before the first change (the project's
  first PDSA cycle or the measure's first phase), or in its frozen baseline: the engine's
  minimums, `spc.MIN_POINTS` (10 for a run chart's runs analysis, 12 for control limits).
- **process**: a fishbone, 5 whys, Pareto chart or process map with at least
  `MIN_CAUSE_ROWS` entries.
- **pdsa**: at least `MIN_CYCLES` complete cycles (prediction, what happened, the study and
  a decision) linked in one ramp (each started from the one before).
- **chart**: a linked measure carrying this project's PDSA marks with data after the first
  one, and what the chart says (`spc.verdict`, in the measure's words).
- **sustain**: a change plan (or control plan) tool with at least one action that has an owner.

`project_evidence` costs a fixed number of queries however much data the project holds.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.urls import reverse

from champion import spc
from champion.core.words import quoted
from champion.improvement.models import (
    CycleMark,
    PDSACycle,
    Project,
    ProjectMeasure,
    TeamRole,
    Tool,
)
from champion.measures.services import DataPoint, analyze, verdict

#: Entries a cause analysis needs to count as real work (causes, whys, categories or steps).
MIN_CAUSE_ROWS = 3
#: Complete PDSA cycles a ramp needs.
MIN_CYCLES = 3
#: The tools that count as a cause analysis, and the column that holds each entry.
CAUSE_TOOLS = {
    "fishbone": "cause",
    "five_whys": "answer",
    "pareto": "category",
    "process_map": "step",
}
ROLE_ORDER = {"outcome": 0, "process": 1, "balancing": 2}


@dataclass(frozen=True)
class Check:
    """One rubric item as the project shows it now."""

    key: str
    met: bool
    found: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    links: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "met": self.met,
            "found": list(self.found),
            "missing": list(self.missing),
            "links": [list(link) for link in self.links],
        }


@dataclass
class ProjectEvidence:
    project: Project
    checks: list[Check]
    #: The measure whose chart shows the result (None when there is none yet).
    chart_measure: Any = None
    headline: str = ""
    roles: dict[int, list[str]] = field(default_factory=dict)

    def check(self, key: str) -> Check:
        return next(c for c in self.checks if c.key == key)


def baseline_minimum(chart: str) -> int:
    """Points a baseline needs: the engine's minimum for the chart's verdict."""
    return spc.MIN_POINTS["runs"] if chart == "run" else spc.MIN_POINTS["limits"]


def project_evidence(project: Project) -> ProjectEvidence:
    """Each Practitioner rubric item (but the reflection, which the learner writes) for a project."""
    members = list(project.members.select_related("user"))
    roles: dict[int, list[str]] = {}
    for m in members:
        roles.setdefault(m.user_id, []).append(m.get_role_display())
    links = list(
        ProjectMeasure.objects.filter(project=project)
        .select_related("measure__unit")
        .prefetch_related(
            Prefetch("measure__data_points", queryset=DataPoint.objects.order_by("period")),
            "measure__phases",
            "measure__exclusions_set",
        )
    )
    links.sort(key=lambda link: (ROLE_ORDER.get(link.role, 3), link.measure.name))
    cycles = list(PDSACycle.objects.filter(project=project).order_by("pk"))
    tools = list(Tool.objects.filter(project=project))
    marks: dict[int, list[datetime.date]] = {}
    for measure_id, period in CycleMark.objects.filter(cycle__project=project).values_list(
        "annotation__measure_id", "annotation__period"
    ):
        marks.setdefault(measure_id, []).append(period)
    chart, chart_measure, headline = _chart(project, links, marks)
    checks = [
        _charter(project, members),
        _measures(project, links),
        _baseline(project, links, cycles),
        _causes(project, tools),
        _cycles(project, cycles),
        chart,
        _sustain(project, tools),
    ]
    return ProjectEvidence(project, checks, chart_measure, headline, roles)


def _url(name: str, pk: int, anchor: str = "") -> str:
    return reverse(name, args=[pk]) + (f"#{anchor}" if anchor else "")


def _charter(project: Project, members: list[Any]) -> Check:
    aim = project.aim_check()
    gaps = []
    if not project.problem_statement.strip():
        gaps.append("a problem statement")
    if not aim.ok:
        gaps.append("an aim that says how much, by when and for whom: " + " ".join(aim.advice))
    if not project.scope_in.strip():
        gaps.append("what is in scope")
    roles = {m.role for m in members}
    if TeamRole.LEAD not in roles:
        gaps.append("a project lead")
    if TeamRole.SPONSOR not in roles:
        gaps.append("a sponsor")
    found = []
    if project.aim_statement.strip():
        verdict_words = (
            "the aim checker finds how much, by when and for whom"
            if aim.ok
            else "the aim checker finds it incomplete (missing: " + ", ".join(aim.missing) + ")"
        )
        found.append(f"Aim: {quoted(project.aim_statement.strip())} ({verdict_words}).")
    team = [
        f"{m.get_role_display()}: {m.user.full_name or m.user.email}"
        for m in members
        if m.role in (TeamRole.LEAD, TeamRole.SPONSOR)
    ]
    if team:
        found.append("; ".join(team) + ".")
    return Check(
        "charter",
        not gaps,
        tuple(found),
        tuple(f"The charter needs {gap}." for gap in gaps),
        (("Edit the charter", _url("improvement:charter", project.pk)),),
    )


def _measures(project: Project, links: list[ProjectMeasure]) -> Check:
    found = [
        f"{link.get_role_display()}: {link.measure.name} ({link.measure.unit.name})"
        for link in links
    ]
    missing = []
    for role, label in (
        ("outcome", "an outcome"),
        ("process", "a process"),
        ("balancing", "a balancing"),
    ):
        if not any(link.role == role for link in links):
            missing.append(f"Link {label} measure to the project.")
    for link in links:
        if not link.measure.definition.strip():
            missing.append(f"Write the operational definition of {quoted(link.measure.name)}.")
    return Check(
        "measures",
        not missing,
        tuple(found),
        tuple(missing),
        (("The project's family of measures", _url("improvement:measures", project.pk)),),
    )


def _baseline(project: Project, links: list[ProjectMeasure], cycles: list[PDSACycle]) -> Check:
    starts = [c.start_date for c in cycles if c.start_date is not None]
    first_cycle = min(starts) if starts else None
    best: tuple[int, int, str, Any] | None = None  # (points, minimum, how, measure)
    for link in links:
        measure = link.measure
        excluded = {e.period for e in measure.exclusions_set.all()}
        periods = [p.period for p in measure.data_points.all() if p.period not in excluded]
        if measure.freeze_until:
            count = sum(1 for d in periods if d <= measure.freeze_until)
            how = f"in its frozen baseline (to {measure.freeze_until:%d %b %Y})"
        else:
            changes = [p.period for p in measure.phases.all()]
            if first_cycle is not None:
                changes.append(first_cycle)
            first = min(changes) if changes else None
            count = sum(1 for d in periods if first is None or d < first)
            how = (
                f"before the first change ({first:%d %b %Y})"
                if first
                else "so far, with no change tested yet"
            )
        minimum = baseline_minimum(measure.chart)
        # The first measure (outcome first) with enough points, else the nearest to enough.
        if (
            best is None
            or (count >= minimum and best[0] < best[1])
            or (best[0] < best[1] and count - minimum > best[0] - best[1])
        ):
            best = (count, minimum, how, measure)
    if best is None:
        return Check(
            "baseline",
            False,
            (),
            (
                "Link a measure with data to the project: its baseline is the points before the first change.",
            ),
            (("The project's family of measures", _url("improvement:measures", project.pk)),),
        )
    count, minimum, how, measure = best
    found = (f"{measure.name} ({measure.get_chart_display()}): {count} points {how}.",)
    missing: tuple[str, ...] = ()
    if count < minimum:
        missing = (
            f"A baseline needs at least {minimum} points before the first change "
            f"({'a run chart’s runs analysis' if minimum == spc.MIN_POINTS['runs'] else 'control limits'} "
            f"need {minimum}); {measure.name} has {count}.",
        )
    return Check(
        "baseline",
        count >= minimum,
        found,
        missing,
        ((f"The chart of {measure.name}", _url("measures:detail", measure.pk)),),
    )


def _entries(tool: Tool) -> int:
    column = CAUSE_TOOLS[tool.kind]
    rows = tool.rows
    if tool.kind == "pareto":
        return sum(
            1 for r in rows if str(r.get(column) or "").strip() and (r.get("count") or 0) > 0
        )
    return sum(1 for r in rows if str(r.get(column) or "").strip())


def _causes(project: Project, tools: list[Tool]) -> Check:
    analyses = [t for t in tools if t.kind in CAUSE_TOOLS]
    found = tuple(
        f"{t.get_kind_display()}: {quoted(t.title)} ({_entries(t)} entries)" for t in analyses
    )
    met = any(_entries(t) >= MIN_CAUSE_ROWS for t in analyses)
    missing = (
        ()
        if met
        else (
            f"Add a fishbone, 5 whys, Pareto chart or process map with at least {MIN_CAUSE_ROWS} "
            "entries (causes, whys, categories or steps).",
        )
    )
    return Check(
        "process",
        met,
        found,
        missing,
        (("The project's tools", _url("improvement:project", project.pk, "tools-h")),),
    )


def _complete(cycle: PDSACycle) -> bool:
    return all(
        str(v).strip()
        for v in (cycle.prediction, cycle.do_notes, cycle.study_notes, cycle.decision)
    )


def ramps(cycles: list[PDSACycle]) -> list[list[PDSACycle]]:
    """The project's ramps: cycles joined by `previous`, each in the order it was run."""
    by_pk = {c.pk: c for c in cycles}

    def root(cycle: PDSACycle) -> int:
        seen = {cycle.pk}
        while cycle.previous_id in by_pk and cycle.previous_id not in seen:
            cycle = by_pk[cycle.previous_id]
            seen.add(cycle.pk)
        return cycle.pk

    groups: dict[int, list[PDSACycle]] = {}
    for c in cycles:
        groups.setdefault(root(c), []).append(c)
    return list(groups.values())


def _cycles(project: Project, cycles: list[PDSACycle]) -> Check:
    chains = sorted(ramps(cycles), key=lambda r: -sum(_complete(c) for c in r))
    found = tuple(
        f"Ramp {quoted(chain[0].title.split(' — ')[0])}: {len(chain)} cycle{'s' if len(chain) != 1 else ''}, "
        f"{sum(_complete(c) for c in chain)} complete"
        for chain in chains
    )
    best = sum(_complete(c) for c in chains[0]) if chains else 0
    missing: tuple[str, ...] = ()
    if best < MIN_CYCLES:
        missing = (
            f"At least {MIN_CYCLES} complete cycles linked in one ramp (each started with "
            "“Start the next cycle” from the one before, each with a prediction, what happened, "
            f"the study and a decision); the best ramp has {best}.",
        )
    return Check(
        "pdsa",
        best >= MIN_CYCLES,
        found,
        missing,
        (("The project's PDSA ramps", _url("improvement:project", project.pk, "pdsa-h")),),
    )


def _chart(
    project: Project, links: list[ProjectMeasure], marks: dict[int, list[datetime.date]]
) -> tuple[Check, Any, str]:
    fix = (("The project's family of measures", _url("improvement:measures", project.pk)),)
    for link in links:
        measure = link.measure
        on_chart = sorted(marks.get(measure.pk, []))
        if not on_chart:
            continue
        points = list(measure.data_points.all())
        after = sum(1 for p in points if p.period >= on_chart[0])
        if not after:
            continue
        try:
            result = analyze(measure, points)
            headline = verdict(measure, result).headline
        except spc.SPCError:
            continue  # a chart the engine refuses shows no result; the next measure may
        found = (
            f"{measure.name} ({link.get_role_display().lower()} measure, "
            f"{measure.get_chart_display()}): {len(on_chart)} PDSA "
            f"mark{'s' if len(on_chart) != 1 else ''}, {after} points since the first.",
            f"What the chart says: {headline}",
        )
        return (
            Check(
                "chart",
                True,
                found,
                (),
                ((f"The chart of {measure.name}", _url("measures:detail", measure.pk)),),
            ),
            measure,
            headline,
        )
    return (
        Check(
            "chart",
            False,
            (),
            (
                "A linked measure whose chart carries this project's PDSA marks and has data "
                "after the first one (starting a cycle marks every linked measure).",
            ),
            fix,
        ),
        None,
        "",
    )


def _sustain(project: Project, tools: list[Tool]) -> Check:
    plans = [t for t in tools if t.kind == "change_plan"]
    found = []
    met = False
    for plan in plans:
        owned = [
            r
            for r in plan.rows
            if str(r.get("action") or "").strip() and str(r.get("owner") or "").strip()
        ]
        met = met or bool(owned)
        owners = sorted({str(r["owner"]).strip() for r in owned})
        found.append(
            f"{plan.get_kind_display()}: {quoted(plan.title)} ({len(plan.rows)} actions"
            + (f"; owners: {', '.join(owners)}" if owners else "; no owner named")
            + ")"
        )
    missing = (
        ()
        if met
        else (
            "Add a change plan (the control plan: who keeps the change going, doing what, by when) "
            "with at least one action and its owner.",
        )
    )
    return Check(
        "sustain",
        met,
        tuple(found),
        missing,
        (("The project's tools", _url("improvement:project", project.pk, "tools-h")),),
    )
