"""App configuration for learning: audit registration, the Learn nav section and the home card."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured


class LearningConfig(AppConfig):
    name = "champion.learning"
    label = "learning"
    verbose_name = "Learning"

    def ready(self) -> None:
        from django.conf import settings

        from champion.core import audit
        from champion.learning import checks, models  # noqa: F401 (checks register themselves)
        from champion.learning.services import signing, status

        # A badge key that is set but unreadable stops every process at start (gunicorn
        # included), as a bad SECRET_KEY would: it must never silently mean "unsigned".
        try:
            if settings.BADGE_SIGNING_KEY:
                signing.load_private_key(settings.BADGE_SIGNING_KEY)
            signing.load_public_keys(settings.BADGE_RETIRED_KEYS)
        except ValueError as exc:
            raise ImproperlyConfigured(str(exc)) from None

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
        # Each person's standing on each tier follows their lesson progress and certificates.
        status.connect()

    def nav_section(self, user: Any) -> tuple[str, str] | None:
        """Everyone learns: the Learn section is offered to every signed-in person."""
        return ("Learn", "learning:index")
