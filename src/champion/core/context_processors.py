"""Template context shared by every page: the navigation and the unread notification count."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import AppConfig, apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from champion.core.models import Notification


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    active: bool


# The product's order of sections in the navigation (home page cards: `home.views.CARDS`).
PRODUCT_ORDER = ("learning", "improvement", "measures", "leadership", "accounts")


def product_apps() -> list[AppConfig]:
    """The installed domain apps in the product's order (Learn, Improve, Measure, Lead)."""
    return [
        apps.get_app_config(label)
        for label in PRODUCT_ORDER
        if apps.is_installed(f"champion.{label}")
    ]


def navigation(request: HttpRequest) -> dict[str, object]:
    """Main sections (Learn, Improve, Measure, Lead) appear as their apps are installed.

    An app offers a section by defining `nav_section(user) -> (label, url_name) | None`
    on its AppConfig, and may claim other pages for it with `nav_also = (url_name, ...)`.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = []
    for config in product_apps():
        section = getattr(config, "nav_section", None)
        offer = section(user) if section else None
        if offer is None:
            continue
        title, url_name = offer
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        # An app may list other apps' pages that belong to its section (`nav_also`).
        also = [_reverse(name) for name in getattr(config, "nav_also", ())]
        active = any(request.path.startswith(u) for u in [url, *also] if u)
        items.append(NavItem(title, url, active))
    return {"nav_items": items}


def _reverse(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def notifications(request: HttpRequest) -> dict[str, object]:
    """How many unread notifications the header's bell shows (one small indexed query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": Notification.objects.visible_to(user).unread().count()}
