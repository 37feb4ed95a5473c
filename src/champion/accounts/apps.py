"""App configuration for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "champion.accounts"
    label = "accounts"
    verbose_name = "People and organisation"

    def ready(self) -> None:
        from champion.accounts import models
        from champion.core import audit

        audit.register(models.Organisation)
        audit.register(models.Unit, exclude=("path", "depth"))
        audit.register(models.User, exclude=("last_login",), redact=("password",))
        audit.register(models.Membership)

    def nav_section(self, user: object) -> tuple[str, str] | None:
        """Leaders, coaches and admins see their people under "Lead" until the leadership app lands."""
        if getattr(user, "oversees_people", False):
            return ("Lead", "accounts:people")
        return None
