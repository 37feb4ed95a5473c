"""Permission helpers for projects and their parts (see champion.core.permissions).

A tool, a driver, a change idea or a PDSA cycle is seen and changed by exactly those
who see and change its project, so every helper defers to the project's rules.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models

from champion.core.permissions import get_for
from champion.improvement.models import ChangeIdea, PDSACycle, Project, Tool

M = TypeVar("M", bound=models.Model)


def can_edit_project(user: Any, project: Project) -> bool:
    """The team, and the leaders and coaches of the project's unit or above it."""
    return project.is_editable_by(user)


def project_for(user: Any, pk: Any, action: str = "view") -> Project:
    return get_for(
        user,
        Project.objects.select_related("unit"),
        pk,
        allowed=can_edit_project if action == "change" else None,
    )


def _part_for(user: Any, queryset: models.QuerySet[M], pk: Any, action: str) -> M:
    allowed = (lambda u, obj: can_edit_project(u, obj.project)) if action == "change" else None
    return get_for(user, queryset.select_related("project__unit"), pk, allowed=allowed)


def tool_for(user: Any, pk: Any, action: str = "view") -> Tool:
    return _part_for(user, Tool.objects.all(), pk, action)


def cycle_for(user: Any, pk: Any, action: str = "view") -> PDSACycle:
    return _part_for(user, PDSACycle.objects.all(), pk, action)


def change_idea_for(user: Any, pk: Any, action: str = "view") -> ChangeIdea:
    return _part_for(user, ChangeIdea.objects.all(), pk, action)
