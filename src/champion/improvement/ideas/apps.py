"""App configuration for ideas: frontline suggestions, their responses and huddle boards."""

from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "champion.improvement.ideas"
    label = "ideas"
    verbose_name = "Ideas"

    def ready(self) -> None:
        from champion.core import audit
        from champion.improvement.ideas import models

        audit.register(models.Idea, exclude=("reminded_at",))
        audit.register(models.Comment)
        audit.register(models.Endorsement)
        audit.register(models.UnitIdeaSettings)
        # The secret's hash stays out of the log; a screen's visits are not edits.
        audit.register(models.WallDisplay, exclude=("token_hash", "last_seen_at"))
