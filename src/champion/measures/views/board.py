"""The measure board: a unit's (or a leader's whole subtree's) measures, what needs attention first.

It reads only the stored summaries (`Measure.summary`), so its queries do not grow
with the number of measures.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from champion.accounts.models import OVERSIGHT_ROLES, Role, Unit
from champion.accounts.permissions import unit_for
from champion.core.http import AuthedRequest
from champion.measures.attention import by_attention, needs_attention, signal_counts
from champion.measures.models import Measure
from champion.measures.summary import Summary

LEGEND = {
    "common": Summary(variation="common_cause"),
    "improvement": Summary(variation="improvement", direction="up"),
    "concern": Summary(variation="concern", direction="down"),
    "pass": Summary(assurance="pass"),
    "fail": Summary(assurance="fail"),
    "inconsistent": Summary(assurance="hit_and_miss"),
}


def _default_unit(user: Any) -> Unit | None:
    """The unit the board opens on: the first you lead, else your own."""
    led = user.units_with_roles(*OVERSIGHT_ROLES)
    if led:
        return led[0]
    member = user.units_with_roles(Role.MEMBER)
    return member[0] if member else None


HOME_CARD_MEASURES = 3


def home_card(user: Any) -> dict[str, Any] | None:
    """Your unit's measures on the home page: the counts, and the most urgent few.

    The unit is the one the board opens on (the unit you lead, else your own); nothing is
    offered when you have no unit or it has no measures.
    """
    unit = _default_unit(user)
    if unit is None:
        return None
    measures = by_attention(Measure.objects.visible_to(user).within(unit))
    if not measures:
        return None
    return {
        "template": "measures/_home_card.html",
        "unit": unit,
        "counts": signal_counts(measures),
        "top": [m for m in measures if needs_attention(m)][:HOME_CARD_MEASURES],
    }


def board(request: AuthedRequest) -> HttpResponse:
    user = request.user
    unit = unit_for(user, request.GET["unit"]) if request.GET.get("unit") else _default_unit(user)
    measures = Measure.objects.visible_to(user).select_related("unit")
    if unit is not None:
        measures = measures.within(unit)
    items = by_attention(measures)
    attention_only = bool(request.GET.get("attention"))
    counts = signal_counts(items)
    shown = [m for m in items if needs_attention(m)] if attention_only else items
    units = Unit.objects.visible_to(user).order_by("path")
    return render(
        request,
        "measures/board.html",
        {
            "unit": unit,
            "items": shown,
            "total": counts.total,
            "attention_only": attention_only,
            "counts": counts,
            "units": units,
            "legend": LEGEND,
        },
    )
