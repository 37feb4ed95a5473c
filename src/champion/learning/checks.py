"""System checks for Open Badges signing (run by `champion manage check`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def badges_are_signed(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """`check --deploy`: production without a signing key serves unsigned Open Badges."""
    if settings.DEBUG or settings.BADGE_SIGNING_KEY:
        return []
    return [
        Warning(
            "Open Badges credentials are served unsigned: BADGE_SIGNING_KEY is not set, so "
            "badge wallets and verifiers cannot check them (only the verification page can).",
            hint="Make a key with `champion manage badge_key generate`, keep it in your "
            "secrets store and set BADGE_SIGNING_KEY or BADGE_SIGNING_KEY_FILE (docs/deploy.md).",
            id="learning.W001",
        )
    ]
