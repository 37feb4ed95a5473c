"""URLs for projects, tools, PDSA cycles and reports, mounted under /improve/."""

from django.urls import path

from champion.improvement.views import cycles, measures, projects, reports, tools

app_name = "improvement"

urlpatterns = [
    path("", projects.home, name="home"),
    path("projects/", reports.library, name="library"),
    path("projects/new/", projects.project_new, name="project-new"),
    path("projects/aim-check/", projects.aim_check, name="aim-check"),
    path("projects/<int:pk>/", projects.project_detail, name="project"),
    path("projects/<int:pk>/charter/", projects.charter_edit, name="charter"),
    path("projects/<int:pk>/status/", projects.status_edit, name="status"),
    path("projects/<int:pk>/tollgate/", projects.tollgate, name="tollgate"),
    path("projects/<int:pk>/team/", projects.team, name="team"),
    path("projects/<int:pk>/reuse/", projects.reuse, name="reuse"),
    path("projects/<int:pk>/drivers/", tools.diagram, name="diagram"),
    path("projects/<int:pk>/drivers.<str:fmt>", tools.diagram_export, name="diagram-export"),
    path("projects/<int:pk>/tools/new/", tools.tool_new, name="tool-new"),
    path("projects/<int:pk>/cycles/new/", cycles.cycle_new, name="cycle-new"),
    path("projects/<int:pk>/measures/", measures.family, name="measures"),
    path("projects/<int:pk>/measures/new/", measures.create, name="measure-new"),
    path(
        "projects/<int:pk>/measures/<int:link_pk>/remove/", measures.unlink, name="measure-unlink"
    ),
    path("projects/<int:pk>/a3/", reports.a3, name="a3"),
    path("projects/<int:pk>/a3.pdf", reports.a3_pdf, name="a3-pdf"),
    path("projects/<int:pk>/export.json", reports.project_json, name="project-json"),
    path("change-ideas/<int:pk>/reuse/", projects.reuse_change_idea, name="change-idea-reuse"),
    path("tools/<int:pk>/", tools.tool_detail, name="tool"),
    path("tools/<int:pk>/edit/", tools.tool_edit, name="tool-edit"),
    path("tools/<int:pk>/export.<str:fmt>", tools.tool_export, name="tool-export"),
    path("cycles/<int:pk>/", cycles.cycle_detail, name="cycle"),
    path("cycles/<int:pk>/next/", cycles.cycle_next, name="cycle-next"),
    path("from-idea/<int:idea_pk>/", projects.from_idea, name="from-idea"),
]
