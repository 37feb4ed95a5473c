"""The home page: the person's units and roles, and a card from each room that has one.

Home sits above the product apps (Learn, Improve, Measure, Lead, and accounts for people):
it is the one place that knows them all, so `core`, below them, knows none of them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from champion.accounts.models import Unit, User
from champion.actions.services import home_card as actions_card
from champion.core.http import AuthedRequest
from champion.improvement.services import home_card as improve_card
from champion.leadership.overview import home_card as lead_card
from champion.learning.services.overview import home_card as learn_card
from champion.measures.views.board import home_card as measure_card

#: The person's own actions first, then each room's card in the product's order (Learn,
#: Improve, Measure, Lead); a card is None when there is nothing to show this person.
CARDS: tuple[Callable[[Any], dict[str, Any] | None], ...] = (
    actions_card,
    learn_card,
    improve_card,
    measure_card,
    lead_card,
)


def home(request: AuthedRequest) -> HttpResponse:
    """What is the signed-in person's today: their units and roles, and each room's card
    (the Lead section's "Your team" card for those who oversee people)."""
    user = request.user
    memberships = user.memberships.select_related("unit").order_by("unit__path")
    context: dict[str, object] = {"memberships": memberships}
    if user.is_admin:
        context["admin"] = {
            "people": User.objects.filter(organisation_id=user.organisation_id).count(),
            "units": Unit.objects.visible_to(user).count(),
            "org_admin": user.is_org_admin,
        }
    context["app_cards"] = [card for make in CARDS if (card := make(user))]
    return render(request, "home/home.html", context)
