"""App configuration for improvement: projects, their tools and PDSA cycles."""

from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "champion.improvement"
    label = "improvement"
    verbose_name = "Improvement projects"

    def ready(self) -> None:
        from champion.core import audit
        from champion.improvement import models

        for model in (
            models.Project,
            models.ProjectMember,
            models.Driver,
            models.ChangeIdea,
            models.Tool,
            models.PDSACycle,
            models.ProjectMeasure,
        ):
            audit.register(model, exclude=("version", "updated_at"))

    def nav_section(self, user: object) -> tuple[str, str] | None:
        """Everyone improves: ideas, projects and PDSA cycles live under "Improve"."""
        return ("Improve", "improvement:home")
