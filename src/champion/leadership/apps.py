"""App configuration for leadership: the Lead section (the overview, the maturity
self-assessment, and the people list under it)."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "champion.leadership"
    label = "leadership"
    verbose_name = "Leadership"

    #: Pages of other apps that belong to the Lead section (the menu marks "Lead" on them).
    nav_also = ("accounts:people",)

    def ready(self) -> None:
        from champion.core import audit
        from champion.leadership import models

        for model in (models.Assessment, models.Participant, models.Answer, models.Consensus):
            audit.register(model)

    def nav_section(self, user: Any) -> tuple[str, str] | None:
        """Leaders, coaches and admins of a unit see the capability of the area they oversee."""
        if getattr(user, "oversees_people", False):
            return ("Lead", "leadership:overview")
        return None
