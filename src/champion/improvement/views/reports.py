"""The A3 page and storyboard PDF assembled from a project, and the project library."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from champion.accounts import picker
from champion.accounts.models import Unit
from champion.core.http import AuthedRequest
from champion.core.pdf import render_pdf
from champion.improvement import aim_data, tools
from champion.improvement.measures_link import (
    impacts,
    project_impact,
    project_measures,
    result_chart,
)
from champion.improvement.models import (
    SHARED_STATUSES,
    ChangeIdea,
    Method,
    Project,
    ProjectStatus,
)
from champion.improvement.permissions import can_edit_project, project_for
from champion.improvement.tools.svg import driver_svg
from champion.improvement.views.tools import picture_context


def a3_context(project: Project) -> dict[str, Any]:
    """The A3 story from the project's own parts: background, now, goal, causes, changes, results."""
    by_kind: dict[str, Any] = {}
    for tool in project.tools.all():
        by_kind.setdefault(tool.kind, picture_context(tool))
    cycles = sorted(
        project.cycles.select_related("change_idea"),
        key=lambda c: (c.start_date is None, c.start_date or datetime.date.min, c.pk),
    )
    return {
        "project": project,
        "team": project.team(),
        "aim": project.aim_check(),
        "tools": by_kind,
        "driver_svg": mark_safe(
            driver_svg(
                project.aim_statement,
                tools.driver_tree(project, link_cycles=False),
                ident="a3-drivers",
            )
        )
        if project.drivers.exists()
        else None,
        "cycles": cycles,
        "adopted": [c for c in cycles if c.decision == "adopt"],
        "measures": project_measures(project),
        "result_chart": (result_chart(project) or (None, None))[1],
        "impact": project_impact(project),
        "aim_data": aim_data.check(project),
    }


def a3(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk)
    context = a3_context(project)
    context.update({"section": "library", "can_edit": can_edit_project(request.user, project)})
    return render(request, "improvement/a3.html", context)


def a3_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk)
    pdf = render_pdf("improvement/a3_print.html", a3_context(project), request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(project.title)[:80] or "project"}-a3.pdf"'
    )
    return response


def project_json(request: AuthedRequest, pk: int) -> HttpResponse:
    """The whole project as JSON (charter, team, drivers, tools, cycles, measures): the
    organisation's record, portable to a registry, a report or another system."""
    import json

    project = project_for(request.user, pk)
    data = {
        "title": project.title,
        "unit": project.unit.full_path,
        "method": project.get_method_display(),
        "status": project.get_status_display(),
        "phase": project.phase_label(),
        "topic": project.topic,
        "problem_statement": project.problem_statement,
        "aim_statement": project.aim_statement,
        "aim_check": dict(project.aim_check().parts()),
        "scope_in": project.scope_in,
        "scope_out": project.scope_out,
        "result_summary": project.result_summary,
        "started_on": project.started_on.isoformat() if project.started_on else None,
        "finished_on": project.finished_on.isoformat() if project.finished_on else None,
        "tollgates": project.tollgates,
        "team": {role: [str(p) for p in people] for role, people in project.team().items()},
        "drivers": [
            {
                "primary": node.text,
                "secondary": [
                    {"driver": s.text, "change_ideas": [c.text for c in s.children]}
                    for s in node.children
                ],
            }
            for node in tools.driver_tree(project, link_cycles=False)
        ],
        "tools": [json.loads(tools.export_json(tool)) for tool in project.tools.all()],
        "cycles": [
            {
                "title": c.title,
                "change_idea": c.change_idea.text if c.change_idea else None,
                "previous": c.previous.title if c.previous else None,
                "stage": c.get_stage_display(),
                "question": c.question,
                "prediction": c.prediction,
                "who": c.plan_who,
                "what": c.plan_what,
                "where": c.plan_where,
                "when": c.plan_when,
                "data_to_collect": c.data_to_collect,
                "start_date": c.start_date.isoformat() if c.start_date else None,
                "end_date": c.end_date.isoformat() if c.end_date else None,
                "what_happened": c.do_notes,
                "results": c.study_notes,
                "prediction_held": c.prediction_held,
                "decision": c.decision,
                "next": c.act_notes,
            }
            for c in project.cycles.select_related("change_idea", "previous").order_by("pk")
        ],
        "measures": [
            {"measure": link.measure.name, "unit": link.measure.unit.name, "role": link.role}
            for link in project_measures(project)
        ],
    }
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{slugify(project.title)[:80] or "project"}.json"'
    )
    return response


def library(request: AuthedRequest) -> HttpResponse:
    """Everyone searches the organisation's active and finished projects and reuses what worked."""
    user = request.user
    projects = (
        Project.objects.visible_to(user)
        .select_related("unit")
        .annotate(n_cycles=Count("cycles", distinct=True))
    )
    f = {
        k: request.GET.get(k, "").strip()
        for k in ("q", "unit", "method", "status", "result", "worked")
    }
    if f["q"]:
        for word in f["q"].split()[:6]:
            projects = projects.filter(
                Q(title__icontains=word)
                | Q(topic__icontains=word)
                | Q(problem_statement__icontains=word)
                | Q(aim_statement__icontains=word)
                | Q(result_summary__icontains=word)
                | Q(change_ideas__text__icontains=word)
            )
    if f["unit"].isdigit():
        unit = Unit.objects.visible_to(user).filter(pk=int(f["unit"])).first()
        if unit:
            projects = projects.filter(unit__path__startswith=unit.path)
    if f["method"] in Method.values:
        projects = projects.filter(method=f["method"])
    if f["status"] in ProjectStatus.values:
        projects = projects.filter(status=f["status"])
    elif f["status"] != "all":
        projects = projects.filter(status__in=SHARED_STATUSES)
    if f["result"] == "yes":
        projects = projects.exclude(result_summary="")
    if f["worked"] == "yes":  # an outcome measure whose latest change a rule confirmed as better
        projects = projects.filter(
            measure_links__role="outcome",
            measure_links__measure__summary__impact__status="confirmed",
            measure_links__measure__summary__impact__meaning="improvement",
        )
    found = list(projects.distinct().order_by("-status", "-updated_at")[:100])
    adopted: dict[int, list[str]] = {}
    for project_id, text in (
        ChangeIdea.objects.filter(project__in=found, cycles__decision="adopt")
        .values_list("project_id", "text")
        .distinct()
    ):
        adopted.setdefault(project_id, []).append(text)
    results = impacts(found)
    for project in found:
        project.adopted_changes = adopted.get(project.pk, [])  # type: ignore[attr-defined]
        project.impact = results.get(project.pk)  # type: ignore[attr-defined]
    context = {
        "projects": found,
        "filters": f,
        "unit_picker": picker.unit_picker(user, "visible", "unit", f["unit"]),
        "methods": Method.choices,
        "statuses": ProjectStatus.choices,
        "section": "library",
    }
    return render(request, "improvement/library.html", context)
