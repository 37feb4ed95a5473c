"""App configuration for leadership: the Lead section (the overview, and the people list under it)."""

from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class LeadershipConfig(AppConfig):
    name = "champion.leadership"
    label = "leadership"
    verbose_name = "Leadership"

    #: Pages of other apps that belong to the Lead section (the menu marks "Lead" on them).
    nav_also = ("accounts:people",)

    def nav_section(self, user: Any) -> tuple[str, str] | None:
        """Leaders, coaches and admins of a unit see the capability of the area they oversee."""
        if getattr(user, "oversees_people", False):
            return ("Lead", "leadership:overview")
        return None

    def home_card(self, request: Any) -> dict[str, Any] | None:
        """The home page's "Your team" card, for those who oversee people."""
        from champion.leadership.overview import home_card

        return home_card(request.user)
