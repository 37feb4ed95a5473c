"""PDSA cycles: plan, do, study, act on one page; chained into ramps under a change idea."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.core.http import AuthedRequest
from champion.improvement import measures_link
from champion.improvement.forms import CycleForm
from champion.improvement.models import PDSACycle, Stage, StaleEdit, save_versioned
from champion.improvement.permissions import (
    can_edit_project,
    change_idea_for,
    cycle_for,
    project_for,
)

STEPS = [(Stage.PLAN, "Plan"), (Stage.DO, "Do"), (Stage.STUDY, "Study"), (Stage.ACT, "Act")]


def cycle_new(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    change_idea = None
    if request.GET.get("change"):
        change_idea = change_idea_for(request.user, request.GET["change"])
        if change_idea.project_id != project.pk:
            change_idea = None
    cycle = PDSACycle(project=project, change_idea=change_idea, created_by=request.user)
    initial = {}
    if change_idea is not None:
        initial["title"] = f"{change_idea.text[:170]} — cycle {change_idea.cycles.count() + 1}"
        initial["plan_what"] = change_idea.text
    form = CycleForm(request.POST or None, instance=cycle, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        cycle = form.save(commit=False)
        cycle.updated_by = request.user
        cycle.save()
        if cycle.lacks_prediction:
            messages.warning(
                request, "Saved as a draft: add a prediction before you start the test."
            )
        else:
            messages.success(request, "Plan saved.")
        return redirect(cycle)
    return render(
        request,
        "improvement/cycle_new.html",
        {"form": form, "project": project, "section": "library"},
    )


def cycle_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The cycle: stepper, ramp, and the form (saving, or saving and moving to the next stage)."""
    cycle = cycle_for(request.user, pk)
    project = cycle.project
    can_edit = can_edit_project(request.user, project)
    form = CycleForm(request.POST or None, instance=cycle, project=project)
    conflict: PDSACycle | None = None
    if request.method == "POST":
        cycle = cycle_for(request.user, pk, "change")
        if form.is_valid():
            updated = form.save(commit=False)
            started = False
            try:
                if request.POST.get("advance"):
                    started = updated.stage == Stage.PLAN
                    updated.advance()
                save_versioned(updated, form.cleaned_data.get("version"), by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
                # The typed text is kept: save it without moving on.
                return _render(request, updated, form, can_edit, None)
            except StaleEdit as stale:
                conflict = stale.current  # type: ignore[assignment]
                form.offer_newer(conflict)
            else:
                # Starting marks the charts; a later edit of the start date moves the marks.
                marked = (
                    measures_link.annotate_cycle_start(updated)
                    if updated.start_date and updated.stage != Stage.PLAN
                    else 0
                )
                if started and marked:
                    messages.info(
                        request,
                        f"The start date is now marked on {marked} measure chart{'s' if marked != 1 else ''}.",
                    )
                messages.success(request, f"Saved. Stage: {updated.get_stage_display()}.")
                return redirect(updated)
    return _render(request, cycle, form, can_edit, conflict)


def _render(
    request: AuthedRequest,
    cycle: PDSACycle,
    form: CycleForm,
    can_edit: bool,
    conflict: PDSACycle | None,
) -> HttpResponse:
    stage = cycle.stage
    order = [s for s, _ in STEPS]
    current = order.index(Stage(stage)) if stage in order else len(order)
    context = {
        "cycle": cycle,
        "project": cycle.project,
        "form": form,
        "can_edit": can_edit,
        "conflict": conflict,
        "steps": [(s, label, i < current, i == current) for i, (s, label) in enumerate(STEPS)],
        "stage_fields": form.stage_fields(stage),
        "ramp": cycle.ramp() if cycle.pk else [],
        "problems": cycle.advance_problems() if cycle.pk else [],
        "section": "library",
        "later_stages": [
            (label, form.stage_fields(s)) for i, (s, label) in enumerate(STEPS) if i < current
        ],
    }
    return render(request, "improvement/cycle.html", context)


@require_POST
def cycle_next(request: AuthedRequest, pk: int) -> HttpResponse:
    cycle = cycle_for(request.user, pk, "change")
    nxt = cycle.start_next(by=request.user)
    messages.success(request, "Next cycle of the ramp: plan it, with a new prediction.")
    return redirect(nxt)
