"""App configuration for accounts."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "champion.accounts"
    label = "accounts"
    verbose_name = "People and organisation"

    def ready(self) -> None:
        from champion.accounts import checks, models  # noqa: F401 (checks register themselves)
        from champion.core import audit

        audit.register(models.Organisation)
        audit.register(models.Unit, exclude=("path", "depth"))
        audit.register(models.User, exclude=("last_login",), redact=("password",))
        audit.register(models.Membership)
        audit.register(models.SsoSignIn)
        audit.register(models.TotpDevice, exclude=("last_step",), redact=("secret",))
        audit.register(
            models.Passkey, exclude=("public_key", "credential_id", "sign_count", "last_used_at")
        )
