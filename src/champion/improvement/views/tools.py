"""Tools: add one to a project, see its picture, edit it (with version checks), export it;
and the driver diagram, which is built from drivers and change ideas."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from champion.core.csv import CONTENT_TYPE as CSV_TYPE
from champion.core.http import AuthedRequest, confirmed
from champion.core.pdf import render_pdf
from champion.improvement import services, tools
from champion.improvement.models import Project, StaleEdit, Tool
from champion.improvement.permissions import can_edit_project, project_for, tool_for
from champion.improvement.tools.svg import driver_svg, process_summary

EXTRA_ROWS = 4


@require_POST
def tool_new(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    kind = request.POST.get("kind", "")
    if kind not in tools.SPECS:
        raise Http404("No such tool")
    tool = services.new_tool(project, kind, by=request.user)
    return redirect("improvement:tool-edit", pk=tool.pk)


def picture_context(tool: Tool) -> dict[str, Any]:
    """What a tool's picture needs, shared by its page, the A3 and the PDF."""
    spec = tools.spec_for(tool.kind)
    rows = spec.table(tool.data)
    context: dict[str, Any] = {"tool": tool, "spec": spec, "rows": rows, "header": tool.header}
    svg = tools.picture_svg(tool)
    context["svg"] = mark_safe(svg) if svg else None
    if tool.kind == "fmea":
        context["rows"] = sorted(rows, key=lambda r: -(r.get("rpn") or 0))
    if tool.kind == "pareto":
        context["pareto"] = tools.pareto_summary(tool)
    if tool.kind == "process_map":
        context["summary"] = process_summary(rows)
    if tool.kind == "stakeholders":
        context["rows"] = tools.stakeholder_moves(rows)
    if tool.kind == "fishbone":
        grouped: dict[str, list[str]] = {}
        for row in rows:
            grouped.setdefault(row.get("category") or "Other", []).append(row.get("cause") or "")
        context["grouped"] = grouped
    return context


def tool_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    tool = tool_for(request.user, pk)
    context = picture_context(tool)
    context.update(
        {
            "project": tool.project,
            "can_edit": can_edit_project(request.user, tool.project),
            "section": "library",
        }
    )
    return render(request, "improvement/tool.html", context)


def _posted(
    request: AuthedRequest, spec: tools.ToolSpec
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    header = {f.name: request.POST.get(f"h-{f.name}", "") for f in spec.header}
    count = min(int(request.POST.get("row_count") or 0), 200)
    rows = [
        {c.name: request.POST.get(f"r-{i}-{c.name}", "") for c in spec.columns}
        for i in range(count)
    ]
    return header, rows


def tool_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    tool = tool_for(request.user, pk, "change")
    spec = tools.spec_for(tool.kind)
    errors: dict[str, Any] = {}
    conflict = None
    if request.method == "POST":
        header, rows = _posted(request, spec)
        title = request.POST.get("title", "")
        version = request.POST.get("version")
        try:
            errors = services.save_tool(
                tool, header, rows, title=title, version=version, by=request.user
            )
        except StaleEdit as stale:
            conflict = stale.current
            errors = {}
        if not errors and conflict is None:
            messages.success(request, f"{tool.title} saved.")
            return redirect(tool)
        if errors:
            messages.error(request, "Some entries need fixing: see the messages in red.")
        # After a conflict the page carries the newer version, so saving again goes through.
        version_shown = str(conflict.version) if conflict is not None else version
    else:
        header, rows, title = tool.header, tool.rows, tool.title
        version_shown = str(tool.version)
    blank = {c.name: "" for c in spec.columns}
    grid = [*rows, *[dict(blank) for _ in range(EXTRA_ROWS)]]
    context: dict[str, Any] = {
        "tool": tool,
        "project": tool.project,
        "spec": spec,
        "title": title,
        "header_fields": [(f, header.get(f.name, ""), errors.get(f.name)) for f in spec.header],
        "grid": [
            (i, [(c, row.get(c.name, ""), errors.get(f"{i}-{c.name}")) for c in spec.columns])
            for i, row in enumerate(grid)
        ],
        "row_count": len(grid),
        "rows_error": errors.get("rows"),
        "version": version_shown,
        "conflict": conflict,
        "section": "library",
    }
    if conflict is not None:
        assert isinstance(conflict, Tool)
        context["newer"] = picture_context(conflict)
    return render(request, "improvement/tool_edit.html", context)


def tool_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    tool = tool_for(request.user, pk)
    name = slugify(f"{tool.project.title}-{tool.title}")[:80] or "tool"
    if fmt == "csv":
        response = HttpResponse(tools.export_csv(tool), content_type=CSV_TYPE)
    elif fmt == "json":
        response = HttpResponse(tools.export_json(tool), content_type="application/json")
    elif fmt == "svg":
        svg = tools.picture_svg(tool)
        if svg is None:
            raise Http404("This tool is a table: export it as CSV or PDF.")
        response = HttpResponse(svg, content_type="image/svg+xml")
    elif fmt == "pdf":
        context = picture_context(tool)
        context["project"] = tool.project
        response = HttpResponse(
            render_pdf("improvement/print_tool.html", context, request),
            content_type="application/pdf",
        )
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# The driver diagram ------------------------------------------------------------------------


def diagram_context(project: Project, user: Any) -> dict[str, Any]:
    """The diagram as nested boxes (aim, primary and secondary drivers, change ideas with
    how many PDSA cycles tested them), for the page and for each in-place edit's answer.
    Three queries whatever the diagram's size."""
    drivers = list(project.drivers.all())
    ideas = list(
        project.change_ideas.annotate(n_cycles=Count("cycles"), latest=Max("cycles__pk")).order_by(
            "order", "pk"
        )  # Meta.ordering does not apply to a grouped query
    )
    by_driver: dict[int | None, list[Any]] = {}
    for idea in ideas:
        by_driver.setdefault(idea.driver_id, []).append(idea)
    primaries = [d for d in drivers if d.parent_id is None]
    tree = []
    for primary in primaries:
        secondaries = [d for d in drivers if d.parent_id == primary.pk]
        tree.append(
            {
                "driver": primary,
                "secondaries": [(s, by_driver.get(s.pk, [])) for s in secondaries],
                "direct": by_driver.get(primary.pk, []),
            }
        )
    can_edit = can_edit_project(user, project)
    return {
        "project": project,
        "can_edit": can_edit,
        "tree": tree,
        "primaries": primaries,
        "all_drivers": [
            (d, next((p for p in primaries if p.pk == d.parent_id), None)) for d in drivers
        ],
        "unlinked": by_driver.get(None, []),
        "my_projects": []
        if can_edit
        else list(Project.objects.editable_by(user).exclude(pk=project.pk)[:50]),
    }


def diagram(request: AuthedRequest, pk: int) -> HttpResponse:
    """The driver diagram, edited in place: each box carries its own small forms (which work
    without JavaScript, answering with a redirect); `improvement/diagram.js` posts them with
    fetch and swaps in the redrawn diagram that this view answers to an HTMX-style request."""
    project = project_for(request.user, pk)
    if request.method == "POST":
        project = project_for(request.user, pk, "change")
        ok = True
        try:
            message = services.edit_diagram(
                project,
                request.POST.get("op", ""),
                request.POST.dict(),
                by=request.user,
                confirmed=confirmed(request),
            )
        except ValidationError as exc:
            ok, message = False, " ".join(exc.messages)
        if request.htmx:
            context = diagram_context(project, request.user)
            context.update({"message": message, "ok": ok})
            return render(
                request, "improvement/_driver_diagram.html", context, status=200 if ok else 400
            )
        (messages.success if ok else messages.error)(request, message)
        return redirect("improvement:diagram", pk=project.pk)
    context = diagram_context(project, request.user)
    context["section"] = "library"
    return render(request, "improvement/diagram.html", context)


def diagram_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    project = project_for(request.user, pk)
    name = slugify(f"{project.title}-driver-diagram")[:80]
    if fmt == "svg":
        response = HttpResponse(
            driver_svg(project.aim_statement, tools.driver_tree(project, link_cycles=False)),
            content_type="image/svg+xml",
        )
    elif fmt == "json":
        tree = [
            {
                "primary": p.text,
                "secondary": [
                    {
                        "driver": s.text,
                        "change_ideas": [{"idea": c.text, "tested": c.note} for c in s.children],
                    }
                    for s in p.children
                ],
            }
            for p in tools.driver_tree(project)
        ]
        response = HttpResponse(
            json.dumps(
                {"project": project.title, "aim": project.aim_statement, "drivers": tree},
                indent=2,
                ensure_ascii=False,
            ),
            content_type="application/json",
        )
    else:
        raise Http404("Unknown format")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
