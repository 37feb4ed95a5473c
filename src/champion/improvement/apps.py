"""App configuration for improvement: projects, their tools and PDSA cycles."""

from typing import Any

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

    def home_card(self, request: Any) -> dict[str, Any]:
        """The home page's Improve card: your projects and ideas, ideas awaiting your answer."""
        from champion.improvement.ideas.models import Idea, IdeaEvent
        from champion.improvement.models import Project

        user = request.user
        return {
            "template": "improvement/_home_block.html",
            "projects": Project.objects.visible_to(user).filter(members__user=user).distinct()[:4],
            "ideas": Idea.objects.visible_to(user).filter(submitted_by=user)[:3],
            "news": IdeaEvent.objects.filter(idea__submitted_by=user).exclude(actor=user).count(),
            "awaiting": Idea.objects.respondable_by(user).awaiting_response().count(),
        }
