"""Projects: the Improve overview, starting a project (fresh, from an idea, from a charter),
the project page, the charter, status and phase, tollgates and the team."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from champion.accounts.people import home_unit
from champion.actions.models import SourceKind
from champion.actions.services import from_source as actions_from
from champion.aims import check_aim
from champion.core import limits
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.core.words import quoted
from champion.improvement import aim_data, services
from champion.improvement.forms import CharterForm, MemberForm, StatusForm
from champion.improvement.ideas.models import Idea
from champion.improvement.ideas.permissions import idea_for
from champion.improvement.measures_link import project_impact, project_measures, result_chart
from champion.improvement.models import (
    SHARED_STATUSES,
    Project,
    ProjectMember,
    Stage,
    StaleEdit,
    save_versioned,
)
from champion.improvement.permissions import can_edit_project, change_idea_for, project_for
from champion.improvement.tools import SPECS


def home(request: AuthedRequest) -> HttpResponse:
    """Improve: my projects, my ideas, cycles running now, and what others are improving."""
    user = request.user
    mine = (
        Project.objects.visible_to(user)
        .filter(members__user=user)
        .select_related("unit")
        .distinct()
    )
    led = Project.objects.editable_by(user).exclude(pk__in=mine).select_related("unit")[:8]
    cycles = (
        Project.objects.editable_by(user)
        .filter(cycles__stage__in=[Stage.DO, Stage.STUDY, Stage.ACT])
        .values("cycles__pk", "cycles__title", "cycles__stage", "title")[:8]
    )
    ideas = Idea.objects.visible_to(user).filter(submitted_by=user)[:5]
    context = {
        "section": "home",
        "mine": mine,
        "led": led,
        "cycles": cycles,
        "ideas": ideas,
        "awaiting": Idea.objects.awaiting_answer_from(user).count(),
        "recent": Project.objects.visible_to(user)
        .filter(status__in=SHARED_STATUSES)
        .exclude(pk__in=mine)
        .select_related("unit")[:6],
    }
    return render(request, "improvement/home.html", context)


def project_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    own_unit = home_unit(user)
    form = CharterForm(
        request.POST or None, user=user, initial={"unit": own_unit.pk if own_unit else None}
    )
    if request.method == "POST" and form.is_valid():
        project = services.start_project(form.save(commit=False), by=user)
        messages.success(request, "Project started. You are its lead: add your team and sponsor.")
        return redirect(project)
    return render(
        request,
        "improvement/charter_form.html",
        {"form": form, "project": None, "section": "library", "aim_now": _aim_now(form)},
    )


def _aim_now(form: CharterForm) -> object:
    return check_aim(form["aim_statement"].value() or "")


def project_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    project = project_for(user, pk)
    cycles = project.cycles.select_related("change_idea")
    context = {
        "project": project,
        "section": "library",
        "can_edit": can_edit_project(user, project),
        "team": project.team(),
        "aim": project.aim_check(),
        "gaps": project.charter_gaps(),
        "tools": project.tools.all(),
        "tool_kinds": [(k, s.name, s.purpose) for k, s in SPECS.items()],
        "cycles": cycles,
        "ramps": _ramps(project),
        "source_ideas": project.source_ideas.select_related("submitted_by"),
        "measures": project_measures(project),
        "result": result_chart(project),
        "impact": project_impact(project),
        "aim_data": aim_data.check(project),
        "copies": Project.objects.visible_to(user).filter(copied_from=project),
        **_step_actions(user, project),
    }
    return render(request, "improvement/project.html", context)


def _step_actions(user: Any, project: Project) -> dict[str, Any]:
    """The actions made from this project's steps (phases) that `user` may see, in phase
    order, and the source for a new one from the current step (one query)."""
    phases = project.phases()
    made = actions_from(user, SourceKind.PROJECT_STEP, [f"{project.pk}:{key}" for key, _ in phases])
    return {
        "step_actions": [
            (label, a) for key, label in phases for a in made.get(f"{project.pk}:{key}", [])
        ],
        "step_source": (
            f"{project.pk}:{project.phase}",
            f"{project.title[:150]}: {project.phase_label()} step",
        ),
    }


def _ramps(project: Project) -> list[tuple[object, list[object]]]:
    """Cycles grouped by change idea, each group in ramp order."""
    groups: dict[object, list[object]] = {}
    for cycle in project.cycles.select_related("change_idea").order_by("pk"):
        groups.setdefault(cycle.change_idea, []).append(cycle)
    return list(groups.items())


def charter_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    form = CharterForm(request.POST or None, instance=project, user=request.user)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            save_versioned(
                form.save(commit=False), form.cleaned_data.get("version"), by=request.user
            )
        except StaleEdit as stale:
            conflict = stale.current
            form.offer_newer(conflict)
        else:
            messages.success(request, "Charter saved.")
            return redirect(project)
    return render(
        request,
        "improvement/charter_form.html",
        {
            "form": form,
            "project": project,
            "conflict": conflict,
            "section": "library",
            "aim_now": _aim_now(form),
        },
    )


def aim_check(request: AuthedRequest) -> HttpResponse:
    """The live aim checker beside the charter form (HTMX, as the person types)."""
    text = (
        request.POST.get("aim_statement", "")
        if request.method == "POST"
        else request.GET.get("aim_statement", "")
    )
    return render(request, "improvement/_aim_check.html", {"aim": check_aim(text)})


def status_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    form = StatusForm(request.POST or None, instance=project)
    conflict = None
    if request.method == "POST" and form.is_valid():
        updated = form.save(commit=False)
        try:
            save_versioned(updated, form.cleaned_data.get("version"), by=request.user)
        except StaleEdit as stale:
            conflict = stale.current
            form.offer_newer(conflict)
        else:
            messages.success(
                request, f"Status saved: {updated.get_status_display()}, {updated.phase_label()}."
            )
            return redirect(project)
    return render(
        request,
        "improvement/status_form.html",
        {"form": form, "project": project, "conflict": conflict, "section": "library"},
    )


@require_POST
def tollgate(request: AuthedRequest, pk: int) -> HttpResponse:
    """A sponsor, coach or the unit's leader signs off a DMAIC phase; the project moves on."""
    project = project_for(request.user, pk, "change")
    require(
        project.can_pass_tollgate(request.user),
        "Only the sponsor, a coach or the unit's leader passes a tollgate.",
    )
    note = request.POST.get("note", "").strip()
    if message := limits.too_long(note, limits.TEXT, "The note"):
        messages.error(request, message)
        return redirect(project)
    nxt = project.next_phase()
    project.tollgates = {
        **project.tollgates,
        project.phase: {
            "by": str(request.user),
            "by_id": request.user.pk,
            "at": timezone.localdate().isoformat(),
            "note": note,
        },
    }
    label = project.phase_label()
    if nxt:
        project.phase = nxt
    try:
        save_versioned(project, request.POST.get("version"), by=request.user)
    except StaleEdit:
        messages.error(
            request, "Someone changed the project meanwhile: check it and pass the tollgate again."
        )
    else:
        messages.success(
            request,
            f"Tollgate passed: {label}." + (f" Now in {project.phase_label()}." if nxt else ""),
        )
    return redirect(project)


def team(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    form = MemberForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if "remove" in request.POST:
            ProjectMember.objects.filter(
                project=project, pk=request.POST.get("remove", "0")
            ).delete()
            messages.success(request, "Removed from the team.")
            return redirect("improvement:team", pk=project.pk)
        if form.is_valid():
            ProjectMember.objects.get_or_create(
                project=project, user=form.cleaned_data["person"], role=form.cleaned_data["role"]
            )
            messages.success(request, f"{form.cleaned_data['person']} joined the team.")
            return redirect("improvement:team", pk=project.pk)
    members = project.members.select_related("user")
    return render(
        request,
        "improvement/team.html",
        {"project": project, "form": form, "members": members, "section": "library"},
    )


def from_idea(request: AuthedRequest, idea_pk: int) -> HttpResponse:
    """One step from an idea to a project or a PDSA cycle, keeping the link and the credit."""
    user = request.user
    idea = idea_for(user, idea_pk, "convert")
    as_ = request.POST.get("as") or request.GET.get("as") or "cycle"
    projects = (
        Project.objects.editable_by(user)
        .filter(Q(unit=idea.unit) | Q(unit__path__startswith=idea.unit.path))
        .exclude(status__in=["finished", "stopped"])
    )
    # Converting twice would split the work and the credit: go to what the first made.
    if idea.project is not None and as_ == "project":
        messages.info(request, "This idea is already a project.")
        return redirect(idea.project)
    if idea.cycle is not None and as_ == "cycle":
        messages.info(request, "This idea is already being tested in this cycle.")
        return redirect(idea.cycle)
    if request.method == "POST":
        try:
            if as_ == "project":
                project = services.project_from_idea(idea, by=user)
                messages.success(
                    request, f"The idea is now a project. {idea.submitted_by} is on the team."
                )
                return redirect(project)
            chosen = projects.filter(pk=request.POST.get("project") or 0).first()
            cycle = services.cycle_from_idea(idea, chosen, by=user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                "A PDSA cycle is ready to plan. Start with the question and your prediction.",
            )
            return redirect(cycle)
    return render(
        request,
        "improvement/from_idea.html",
        {"idea": idea, "as": as_, "projects": projects, "section": "ideas"},
    )


@require_POST
def reuse(request: AuthedRequest, pk: int) -> HttpResponse:
    """Copy a charter into a new draft project in one of my units."""
    source = project_for(request.user, pk)
    unit = home_unit(request.user)
    if unit is None:
        messages.error(request, "You need a unit to start a project: ask your manager to add you.")
        return redirect(source)
    project = services.reuse_charter(source, unit=unit, by=request.user)
    messages.success(
        request,
        f"A new draft project from {quoted(source.title)}'s charter. Adapt it to your unit.",
    )
    return redirect("improvement:charter", pk=project.pk)


@require_POST
def reuse_change_idea(request: AuthedRequest, pk: int) -> HttpResponse:
    idea = change_idea_for(request.user, pk)
    target = project_for(request.user, request.POST.get("project", ""), "change")
    services.copy_change_idea(idea, target)
    messages.success(
        request, f"{quoted(idea.text)} copied into {target}. Link it to a driver on the diagram."
    )
    return redirect("improvement:diagram", pk=target.pk)
