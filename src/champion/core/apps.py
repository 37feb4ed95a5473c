"""App configuration for core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "champion.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from champion.core import audit, models

        # Notifications are not audited: they are the platform talking, not a person's write.
        audit.register(models.ApiToken, exclude=("last_used_at",), redact=("digest",))
