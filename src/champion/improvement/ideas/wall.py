"""Wall-screen links: a unit's huddle board on a screen that nobody is signed in to.

A leader makes a link per screen (`WallDisplay`); the page it opens shows the board and
nothing else, refreshes itself every minute for as long as the screen is on, and stops
working the moment a leader switches the link off. The page never touches a session, so
it neither needs a signed-in person nor keeps anyone's session alive.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from champion.accounts.permissions import unit_for
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.core.words import quoted
from champion.improvement.ideas.models import RESPONDER_ROLES, Idea, WallDisplay
from champion.improvement.ideas.permissions import wall_display_for
from champion.improvement.ideas.views import board_columns

#: Seconds between refreshes of a wall screen.
REFRESH_SECONDS = 60


@require_POST
def create(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    """Make a wall link for the unit and show it, once (only its hash is kept)."""
    unit = unit_for(request.user, unit_pk)
    require(
        request.user.has_role_at(unit, *RESPONDER_ROLES),
        "Only the unit's leaders and coaches make wall-screen links.",
    )
    try:
        display, token = WallDisplay.create_for(
            unit, name=request.POST.get("name", ""), by=request.user
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("ideas:board", args=[unit.pk]) + "#wall-links")
    link = request.build_absolute_uri(reverse("ideas:wall", args=[token]))
    response = render(
        request, "ideas/wall_created.html", {"unit": unit, "display": display, "link": link}
    )
    response["Cache-Control"] = "no-store"  # the secret is on this page, once
    return response


@require_POST
def revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    """Switch a wall link off: the screen shows "switched off" at its next refresh."""
    display = wall_display_for(request.user, pk)
    display.revoke(by=request.user)
    messages.success(request, f"The wall link {quoted(display.name)} is switched off.")
    return redirect(reverse("ideas:board", args=[display.unit_id]) + "#wall-links")


@login_not_required
@require_GET
def show(request: HttpRequest, token: str) -> HttpResponse:
    """The board for whoever holds the link: read-only, with nothing to click through to."""
    display = WallDisplay.objects.for_token(token)
    if display is None:
        if request.headers.get("HX-Request"):
            # The screen was showing a board: reload it so it says the link is off.
            response = HttpResponse(status=200)
            response["HX-Refresh"] = "true"
        else:
            response = HttpResponse(render_to_string("ideas/wall_off.html"), status=404)
        return _private(response)
    display.seen()
    unit = display.unit
    context = {
        "unit": unit,
        "columns": board_columns(
            Idea.objects.filter(unit__organisation=unit.organisation_id), unit
        ),
        "refresh_seconds": REFRESH_SECONDS,
        "token": token,
    }
    template = "ideas/wall.html#columns" if request.headers.get("HX-Request") else "ideas/wall.html"
    # Rendered without the request: no context processor looks at who is signed in, and
    # no CSRF cookie is set, because this page has nothing to submit.
    return _private(HttpResponse(render_to_string(template, context)))


def _private(response: HttpResponse) -> HttpResponse:
    # The secret is in the address: keep it out of caches, search engines and referrers.
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
