"""The project's other tools (fishbone, 5 whys, SIPOC, process map, FMEA, Pareto, stakeholders,
change plan): one row each, with the tool's rows in JSON validated by its spec.

Each kind's fields, validation, picture and exports live in `champion.improvement.tools`;
the table stays one shape, so adding a tool adds no migration.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone

from champion.improvement.models.project import Project, ProjectPartQuerySet
from champion.improvement.models.versioned import Versioned


class ToolKind(models.TextChoices):
    FISHBONE = "fishbone", "Fishbone (cause and effect)"
    FIVE_WHYS = "five_whys", "5 whys"
    SIPOC = "sipoc", "SIPOC"
    PROCESS_MAP = "process_map", "Process map"
    FMEA = "fmea", "FMEA (failure modes and effects)"
    PARETO = "pareto", "Pareto chart"
    STAKEHOLDERS = "stakeholders", "Stakeholder analysis"
    CHANGE_PLAN = "change_plan", "Change plan"


class Tool(Versioned):
    """A saved, editable artefact of a project: header fields and rows, as its spec defines."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tools")
    kind = models.CharField(max_length=20, choices=ToolKind.choices)
    title = models.CharField(max_length=200)
    # {"header": {field: value}, "rows": [{column: value}, ...]}
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:tool", args=[self.pk])

    def audit_organisation_id(self) -> int:
        return self.project.unit.organisation_id

    @property
    def header(self) -> dict[str, Any]:
        return dict(self.data.get("header") or {})

    @property
    def rows(self) -> list[dict[str, Any]]:
        return list(self.data.get("rows") or [])
