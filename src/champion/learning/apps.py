"""App configuration for learning: audit registration, the Learn nav section and the home card."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "champion.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from champion.core import audit
        from champion.learning import models

        # Content rows change only through `content load`; learners' records and the
        # decisions people take about them (reviews, certificates, assignments) are audited.
        for model in (
            models.Submission,
            models.Certificate,
            models.Assignment,
            models.Review,
        ):
            audit.register(model)
        audit.register(models.EvidenceFile, exclude=("content",))

    def nav_section(self, user: Any) -> tuple[str, str] | None:
        """Everyone learns: the Learn section is offered to every signed-in person."""
        return ("Learn", "learning:index")

    def home_card(self, request: Any) -> dict[str, Any] | None:
        """The home page's Learn card: where to resume, assignments due, certificates."""
        from champion.learning.services.overview import home_card

        return home_card(request.user)
