"""Request types for views: every page except the public ones has a signed-in person."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from champion.accounts.models import User


class AuthedRequest(HttpRequest):
    """An HttpRequest after LoginRequiredMiddleware: `user` is a real person, `htmx` is set."""

    user: User
    htmx: HtmxDetails
