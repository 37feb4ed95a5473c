"""Permission helpers for projects and their parts (see champion.core.permissions).

A tool, a driver, a change idea or a PDSA cycle is seen and changed by exactly those
who see and change its project, so every helper defers to the project's rules.
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from django.db import models

from champion.core.permissions import actions, get_for
from champion.improvement.models import ChangeIdea, PDSACycle, Project, ProjectMeasure, Tool

M = TypeVar("M", bound=models.Model)


def can_edit_project(user: Any, project: Project) -> bool:
    """The team, and the leaders and coaches of the project's unit or above it."""
    return project.is_editable_by(user)


ProjectAction = Literal["view", "change"]
PROJECT_ACTIONS = actions(ProjectAction, view=None, change=can_edit_project)
PART_ACTIONS = actions(
    ProjectAction, view=None, change=lambda user, part: can_edit_project(user, part.project)
)


def project_for(user: Any, pk: Any, action: ProjectAction = "view") -> Project:
    return get_for(
        user, Project.objects.select_related("unit"), pk, action=action, rules=PROJECT_ACTIONS
    )


def _part_for(user: Any, queryset: models.QuerySet[M], pk: Any, action: ProjectAction) -> M:
    return get_for(
        user, queryset.select_related("project__unit"), pk, action=action, rules=PART_ACTIONS
    )


def tool_for(user: Any, pk: Any, action: ProjectAction = "view") -> Tool:
    return _part_for(user, Tool.objects.all(), pk, action)


def cycle_for(user: Any, pk: Any, action: ProjectAction = "view") -> PDSACycle:
    return _part_for(user, PDSACycle.objects.all(), pk, action)


def change_idea_for(user: Any, pk: Any, action: ProjectAction = "view") -> ChangeIdea:
    return _part_for(user, ChangeIdea.objects.all(), pk, action)


def measure_link_for(
    user: Any, project: Project, pk: Any, action: ProjectAction = "change"
) -> ProjectMeasure:
    """One of `project`'s measures (404 if the link belongs to another project)."""
    return _part_for(
        user, ProjectMeasure.objects.filter(project=project).select_related("measure"), pk, action
    )
