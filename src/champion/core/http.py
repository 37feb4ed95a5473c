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


#: What a view says when a destructive request arrives without the second click.
NOT_CONFIRMED = (
    "Nothing was removed: confirm with the “Yes” button that appears after the first click."
)


def confirmed(request: HttpRequest) -> bool:
    """A destructive POST carries `confirm=yes`, sent by the second button of
    `core/_confirm.html`; a stray or replayed single click removes nothing."""
    return request.POST.get("confirm") == "yes"
