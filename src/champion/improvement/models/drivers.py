"""The driver diagram: the aim, primary and secondary drivers, and the change ideas to test.

Change ideas are rows (not JSON) because PDSA cycles point at them: a ramp of cycles
tests one change idea, and the diagram shows which ideas have been tested.
"""

from __future__ import annotations

from django.db import models

from champion.improvement.models.project import Project, ProjectPartQuerySet


class Driver(models.Model):
    """A primary driver (no parent) or a secondary driver (under a primary)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="drivers")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_primary(self) -> bool:
        return self.parent_id is None

    def audit_organisation_id(self) -> int:
        return self.project.unit.organisation_id


class ChangeIdea(models.Model):
    """A change to test, under a driver; PDSA cycles test it in ramps."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="change_ideas")
    driver = models.ForeignKey(
        Driver, null=True, blank=True, on_delete=models.SET_NULL, related_name="change_ideas"
    )
    text = models.CharField(max_length=300)
    order = models.PositiveIntegerField(default=0)
    source_idea = models.ForeignKey(
        "ideas.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="change_ideas"
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )

    objects = ProjectPartQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.text

    def audit_organisation_id(self) -> int:
        return self.project.unit.organisation_id
