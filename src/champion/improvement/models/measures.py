"""A project's family of measures, and the chart marks its PDSA cycles leave on them.

The measures themselves, their charts and their annotations belong to the Measure app;
these two small link tables only say which measures a project watches (and in which
role) and which of the Measure app's annotations marks which cycle's start, so a mark
is moved with its cycle and never made twice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from champion.improvement.models.pdsa import PDSACycle
from champion.improvement.models.project import Project, ProjectPartQuerySet


class MeasureRole(models.TextChoices):
    OUTCOME = "outcome", "Outcome"
    PROCESS = "process", "Process"
    BALANCING = "balancing", "Balancing"


class ProjectMeasure(models.Model):
    """A measure in a project's family; its role here may differ from the measure's own type
    (readmissions are an outcome on a ward's board but a balancing measure for a discharge project)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="measure_links")
    measure = models.ForeignKey(
        "measures.Measure", on_delete=models.CASCADE, related_name="project_links"
    )
    role = models.CharField(max_length=10, choices=MeasureRole.choices)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["role", "measure__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "measure"], name="measure_once_per_project")
        ]

    def __str__(self) -> str:
        return f"{self.measure} ({self.get_role_display()}) for {self.project}"

    def audit_organisation_id(self) -> int:
        return self.project.unit.organisation_id


class CycleMark(models.Model):
    """The Measure app's annotation that marks a PDSA cycle's start on one measure's chart."""

    cycle = models.ForeignKey(PDSACycle, on_delete=models.CASCADE, related_name="chart_marks")
    annotation = models.OneToOneField(
        "measures.Annotation", on_delete=models.CASCADE, related_name="cycle_mark"
    )

    def __str__(self) -> str:
        return f"{self.cycle} on {self.annotation.measure}"
