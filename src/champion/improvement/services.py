"""What views ask of projects: start one, start one from an idea or another's charter,
reuse a change idea, edit the driver diagram, create tools, run a PDSA cycle forward.

Each function does one whole thing inside a transaction and leaves permission checks to
the caller (the views fetch every object through `permissions`).

This module is also Improve's door for the other rooms (import-linter checks it): the Lead
overview reads projects and ideas through the names re-exported below, and the home page
asks `home_card`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from champion.accounts.models import Role
from champion.core import limits
from champion.core.http import NOT_CONFIRMED
from champion.core.identifiers import patient_text_refusal
from champion.core.words import quoted
from champion.improvement.evidence import Check as Check
from champion.improvement.evidence import ProjectEvidence as ProjectEvidence
from champion.improvement.evidence import project_evidence as project_evidence
from champion.improvement.ideas.funnel import Funnel as Funnel
from champion.improvement.ideas.funnel import funnel as funnel
from champion.improvement.ideas.funnel import waiting_too_long as waiting_too_long
from champion.improvement.ideas.models import Idea as Idea
from champion.improvement.ideas.models import IdeaEvent
from champion.improvement.impact_totals import ImpactTotals as ImpactTotals
from champion.improvement.impact_totals import impact_totals as impact_totals
from champion.improvement.leader_evidence import STRATEGY_STAND_IN as STRATEGY_STAND_IN
from champion.improvement.leader_evidence import leader_evidence as leader_evidence
from champion.improvement.measures_link import ProjectImpact as ProjectImpact
from champion.improvement.measures_link import impacts as impacts
from champion.improvement.measures_link import project_impact as project_impact
from champion.improvement.models import (
    ChangeIdea,
    Driver,
    Method,
    PDSACycle,
    ProjectStatus,
    TeamRole,
    Tool,
    save_versioned,
)
from champion.improvement.models import Project as Project
from champion.improvement.models import ProjectMember as ProjectMember
from champion.improvement.portfolio import STALL_WEEKS, StalledProject, flat, stall, with_tests
from champion.improvement.portfolio import Portfolio as Portfolio
from champion.improvement.portfolio import portfolio as portfolio
from champion.improvement.tools import spec_for


@transaction.atomic
def start_project(project: Project, *, by: Any) -> Project:
    """Save a new project with its creator as lead."""
    project.created_by = by
    project.updated_by = by
    project.save()
    ProjectMember.objects.get_or_create(project=project, user=by, role=TeamRole.LEAD)
    return project


@transaction.atomic
def project_from_gap(*, unit: Any, title: str, problem: str, lead: Any, by: Any) -> Project:
    """A gap someone found elsewhere (a maturity component) becomes a draft project in `unit`,
    its problem statement saying where it came from; `lead` leads it with its creator."""
    title = (title or "").strip()
    if not title:
        raise ValidationError("Give the project a title.")
    limits.check(title, limits.SHORT, "The title")
    project = start_project(
        Project(unit=unit, title=title, problem_statement=problem[: limits.LONG]), by=by
    )
    if lead is not None and lead.pk != by.pk:
        ProjectMember.objects.get_or_create(project=project, user=lead, role=TeamRole.LEAD)
    return project


@transaction.atomic
def project_from_idea(idea: Any, *, by: Any) -> Project:
    """An idea becomes a project: its problem starts the charter, its author joins the team.

    Once only: a second press (a double tap, a resent form) finds the project the first made.
    """
    idea = _locked(idea)
    if idea.project is not None:
        return idea.project
    project = start_project(
        Project(
            unit=idea.unit,
            title=idea.title,
            problem_statement=idea.problem,
            topic="",
        ),
        by=by,
    )
    if idea.submitted_by_id != by.pk:
        ProjectMember.objects.get_or_create(
            project=project, user=idea.submitted_by, role=TeamRole.MEMBER
        )
    ChangeIdea.objects.create(project=project, text=idea.title, source_idea=idea)
    idea.project = project
    idea.save(update_fields=["project"])
    idea.record_conversion(by=by, kind="project", note=f"Now a project: {project.title}")
    return project


@transaction.atomic
def cycle_from_idea(idea: Any, project: Project | None, *, by: Any) -> PDSACycle:
    """An idea becomes a test of change, in an existing project or in a small new one.

    Once only, like `project_from_idea`: a second press finds the cycle the first made.
    """
    idea = _locked(idea)
    if idea.cycle is not None:
        return idea.cycle
    if project is None and idea.project is not None:
        project = idea.project  # the idea is a project already: test it there
    if project is None:
        project = start_project(
            Project(
                unit=idea.unit, title=f"Testing: {idea.title}"[:200], problem_statement=idea.problem
            ),
            by=by,
        )
        if idea.submitted_by_id != by.pk:
            ProjectMember.objects.get_or_create(
                project=project, user=idea.submitted_by, role=TeamRole.MEMBER
            )
        idea.project = project
    change = ChangeIdea.objects.create(project=project, text=idea.title, source_idea=idea)
    cycle = PDSACycle.objects.create(
        project=project,
        change_idea=change,
        title=f"{idea.title[:180]} — cycle 1",
        plan_what=idea.idea,
        created_by=by,
        updated_by=by,
    )
    idea.cycle = cycle
    idea.save(update_fields=["project", "cycle"])
    idea.record_conversion(by=by, kind="cycle", note=f"Now being tested: {cycle.title}")
    return cycle


def _locked(idea: Any) -> Any:
    """The idea re-read under a row lock, so two presses at once convert it once."""
    return (
        type(idea)
        .objects.select_for_update(of=("self",))
        .select_related("project", "cycle")
        .get(pk=idea.pk)
    )


CHARTER_FIELDS = ("topic", "problem_statement", "aim_statement", "scope_in", "scope_out", "method")


@transaction.atomic
def reuse_charter(source: Project, *, unit: Any, by: Any) -> Project:
    """Start a new draft project from another project's charter, crediting the original."""
    project = Project(
        unit=unit,
        title=f"{source.title} (adapted)"[:200],
        copied_from=source,
        **{name: getattr(source, name) for name in CHARTER_FIELDS},
    )
    return start_project(project, by=by)


@transaction.atomic
def copy_change_idea(idea: ChangeIdea, target: Project) -> ChangeIdea:
    return ChangeIdea.objects.create(project=target, text=idea.text, copied_from=idea)


#: The edits `edit_diagram` knows; the page's forms and its in-place editor post the same ones.
DIAGRAM_OPS = (
    "add_primary",
    "add_secondary",
    "add_change",
    "rename_aim",
    "rename_driver",
    "rename_change",
    "move_driver",
    "move_change",
    "delete_driver",
    "delete_change",
)
_NEEDS_TEXT = tuple(op for op in DIAGRAM_OPS if op.startswith(("add_", "rename_")))


def _reorder(items: list[Any], item: Any, direction: str) -> bool:
    """Move `item` one place up or down among its siblings `items` and renumber them all;
    False when it is already at that end."""
    at = items.index(item)
    to = at - 1 if direction == "up" else at + 1
    if direction not in ("up", "down") or not 0 <= to < len(items):
        return False
    items[at], items[to] = items[to], items[at]
    for n, sibling in enumerate(items):
        if sibling.order != n:
            sibling.order = n
            sibling.save(update_fields=["order"])
    return True


@transaction.atomic
def edit_diagram(
    project: Project, op: str, data: dict[str, str], *, by: Any, confirmed: bool = False
) -> str:
    """One edit to the driver diagram; returns a message for the page.

    Refuses bad input with ValidationError (and changes nothing): empty or over-long text,
    text naming a patient (drivers are read organisation-wide, like the charter), nodes of
    another project, a rename over someone else's newer rename, a removal without the second
    click (`confirmed`), a change idea that PDSA cycles test.
    """
    text = (data.get("text") or "").strip()
    limits.check(text, limits.TEXT if op == "rename_aim" else limits.SHORT, "The text")
    if op not in DIAGRAM_OPS:
        raise ValidationError("Unknown change to the diagram.")
    if op in _NEEDS_TEXT:
        if not text:
            raise ValidationError("Write the text first.")
        refusal = patient_text_refusal(text, what="Projects")
        if refusal:
            raise ValidationError(refusal)

    def driver(key: str) -> Driver:
        found = project.drivers.filter(pk=_int(data.get(key))).first()
        if found is None:
            raise ValidationError("That driver is no longer on the diagram.")
        return found

    def change(key: str) -> ChangeIdea:
        found = project.change_ideas.filter(pk=_int(data.get(key))).first()
        if found is None:
            raise ValidationError("That change idea is no longer on the diagram.")
        return found

    if op == "add_primary":
        Driver.objects.create(project=project, text=text, order=project.drivers.count())
        return f"Added the primary driver {quoted(text)}."
    if op == "add_secondary":
        parent = driver("parent")
        if parent.parent_id is not None:
            raise ValidationError("Secondary drivers go under a primary driver.")
        Driver.objects.create(
            project=project, parent=parent, text=text, order=parent.children.count()
        )
        return f"Added the secondary driver {quoted(text)}."
    if op == "add_change":
        ChangeIdea.objects.create(
            project=project, driver=driver("driver"), text=text, order=project.change_ideas.count()
        )
        return f"Added the change idea {quoted(text)}."

    def unchanged(current: str) -> None:
        # Renames carry the text the editor saw: a rename made meanwhile is never overwritten.
        was = data.get("was")
        # (compared word by word: a form may send its line breaks as CRLF)
        if was is not None and was.split() != current.split():
            raise ValidationError(
                f"Someone changed this to {quoted(current)} while you were editing; "
                f"your text {quoted(text)} was not saved. Change it again if yours is better."
            )

    if op == "rename_aim":
        current = Project.objects.select_for_update().get(pk=project.pk)
        unchanged(current.aim_statement)
        current.aim_statement = text
        save_versioned(current, current.version, by=by)
        project.aim_statement, project.version = current.aim_statement, current.version
        return "Aim changed."
    if op == "rename_driver":
        target = driver("driver")
        unchanged(target.text)
        target.text = text
        target.save()
        return "Driver renamed."
    if op == "rename_change":
        idea = change("change")
        unchanged(idea.text)
        idea.text = text
        idea.save()
        return "Change idea renamed."
    if op == "move_driver":
        target = driver("driver")
        if data.get("to"):
            new_parent = driver("to")
            if target.parent_id is None or new_parent.parent_id is not None:
                raise ValidationError("Only a secondary driver moves, and only under a primary.")
            if new_parent.pk != target.parent_id:
                target.parent = new_parent
                target.order = new_parent.children.count()
                target.save(update_fields=["parent", "order"])
            return f"Moved {quoted(target.text)} under {quoted(new_parent.text)}."
        siblings = list(project.drivers.filter(parent_id=target.parent_id))
        if not _reorder(siblings, target, data.get("dir", "")):
            raise ValidationError(f"{quoted(target.text)} cannot move further that way.")
        return f"Moved {quoted(target.text)} {data['dir']}."
    if op == "move_change":
        idea = change("change")
        if data.get("to"):
            new_driver = driver("to")
            if new_driver.pk != idea.driver_id:
                idea.driver = new_driver
                idea.order = project.change_ideas.count()
                idea.save(update_fields=["driver", "order"])
            return f"Moved {quoted(idea.text)} under {quoted(new_driver.text)}."
        siblings = list(
            project.change_ideas.filter(driver__isnull=True)
            if idea.driver_id is None
            else project.change_ideas.filter(driver_id=idea.driver_id)
        )
        if not _reorder(siblings, idea, data.get("dir", "")):
            raise ValidationError(f"{quoted(idea.text)} cannot move further that way.")
        return f"Moved {quoted(idea.text)} {data['dir']}."
    if not confirmed:
        raise ValidationError(NOT_CONFIRMED)
    if op == "delete_driver":
        target = driver("driver")
        target.delete()
        return f"Removed {quoted(target.text)} (its change ideas and their cycles are kept)."
    idea = change("change")
    if idea.cycles.exists():
        raise ValidationError("This change idea has PDSA cycles: keep it, or move them first.")
    idea.delete()
    return f"Removed the change idea {quoted(idea.text)}."


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def new_tool(project: Project, kind: str, *, by: Any) -> Tool:
    spec = spec_for(kind)
    return Tool.objects.create(
        project=project,
        kind=kind,
        title=spec.name,
        data={"header": {}, "rows": []},
        updated_by=by,
    )


def save_tool(
    tool: Tool,
    header: dict[str, Any],
    rows: list[dict[str, Any]],
    *,
    title: str,
    version: Any,
    by: Any,
) -> dict[str, Any]:
    """Validate and save; returns the errors (empty when saved). Raises StaleEdit on a clash."""
    data, errors = spec_for(tool.kind).validate(header, rows)
    if errors:
        return errors
    tool.title = (title or tool.title).strip()[:200] or spec_for(tool.kind).name
    tool.data = data
    save_versioned(tool, version, by=by)
    return {}


def home_card(user: Any) -> dict[str, Any]:
    """The home page's Improve card: your projects and ideas, ideas awaiting your answer."""
    return {
        "template": "improvement/_home_block.html",
        "projects": Project.objects.visible_to(user).filter(members__user=user).distinct()[:4],
        "ideas": Idea.objects.visible_to(user).filter(submitted_by=user)[:3],
        "news": IdeaEvent.objects.filter(idea__submitted_by=user).exclude(actor=user).count(),
        "awaiting": Idea.objects.awaiting_answer_from(user).count(),
    }


def week_in(units: Any, since: datetime.datetime) -> dict[str, int]:
    """What happened in `units` (a Unit queryset) since `since`: ideas shared, tests of
    change (PDSA cycles) started, projects finished; one query each."""
    return {
        "ideas": Idea.objects.filter(unit__in=units, created_at__gte=since).count(),
        "cycles": PDSACycle.objects.filter(
            project__unit__in=units, start_date__gte=since.date()
        ).count(),
        "finished": Project.objects.filter(
            unit__in=units, status=ProjectStatus.FINISHED, finished_on__gte=since.date()
        ).count(),
    }


@dataclass
class CoachProjects:
    """What a coach looks after in Improve (`coach_projects`)."""

    coached: list[Project]  # projects where they are the team's coach, not finished or stopped
    stalled: list[StalledProject]  # active projects with no PDSA cycle in STALL_WEEKS
    tollgates: list[Project]  # active DMAIC projects whose current phase awaits its tollgate
    stall_weeks: int = STALL_WEEKS


#: How many projects each list of the coach's workspace shows.
COACH_SHOWN = 8


def coach_projects(user: Any, today: datetime.date | None = None) -> CoachProjects:
    """The projects `user` coaches (as the team's coach), and among those and the active
    projects of the units where they hold the coach role: the stalled ones (by the portfolio's
    rule, no test of change in `STALL_WEEKS`) and those waiting for a DMAIC tollgate.

    A fixed number of queries, whatever the number of projects."""
    visible = Project.objects.visible_to(user)
    mine = Q(members__user=user, members__role=TeamRole.COACH)
    in_units = Q(pk__in=[])
    for unit in user.units_with_roles(Role.COACH):
        in_units |= Q(unit__path__startswith=unit.path)
    coached = list(
        visible.filter(mine)
        .exclude(status__in=[ProjectStatus.FINISHED, ProjectStatus.STOPPED])
        .select_related("unit")
        .order_by("title")
        .distinct()[:COACH_SHOWN]
    )
    # Plain filters on the ids in scope (no DISTINCT over whole rows); the stall rule and its
    # order (the longest quiet first) worked out in the database, only the shown rows read.
    scope = flat(visible.filter(mine | in_units))
    active = scope.filter(status=ProjectStatus.ACTIVE)
    quiet = (
        with_tests(active, today or timezone.localdate())
        .filter(Q(quiet=True))
        .select_related("unit")
        .order_by(F("last_test").asc(nulls_first=True), "title", "pk")[:COACH_SHOWN]
    )
    dmaic = active.filter(method=Method.DMAIC).select_related("unit")
    tollgates = [
        p
        for p in dmaic.only("pk", "title", "method", "phase", "tollgates", "unit").order_by("title")
        if p.needs_tollgate() and p.next_phase()
    ]
    return CoachProjects(coached, [stall(p) for p in quiet], tollgates[:COACH_SHOWN])
