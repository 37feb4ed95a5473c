"""The measure board: a unit's (or a leader's whole subtree's) measures, what needs attention first.

It reads only the stored summaries (`Measure.summary`), so its queries do not grow
with the number of measures.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from champion.accounts import picker
from champion.accounts.models import OVERSIGHT_ROLES, Unit
from champion.accounts.people import home_unit
from champion.accounts.permissions import unit_for
from champion.core.http import AuthedRequest
from champion.measures.attention import attention_only, counts_of, ranked
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


def default_unit(user: Any) -> Unit | None:
    """The unit the board and the measure list open on: the first you lead, coach or
    administer (an organisation admin's is the whole organisation), else your home unit."""
    led = user.units_with_roles(*OVERSIGHT_ROLES)
    if led:
        return led[0]
    return home_unit(user)


HOME_CARD_MEASURES = 3
#: Measures per page of the board.
BOARD_PAGE_SIZE = 50


def home_card(user: Any) -> dict[str, Any] | None:
    """Your unit's measures on the home page: the counts, and the most urgent few.

    The unit is the one the board opens on (the unit you lead, else your own); nothing is
    offered when you have no unit or it has no measures.
    """
    unit = default_unit(user)
    if unit is None:
        return None
    measures = Measure.objects.visible_to(user).within(unit)
    counts = counts_of(measures)
    if not counts.total:
        return None
    return {
        "template": "measures/_home_card.html",
        "unit": unit,
        "counts": counts,
        "top": list(attention_only(ranked(measures))[:HOME_CARD_MEASURES]),
    }


def board(request: AuthedRequest) -> HttpResponse:
    user = request.user
    unit = unit_for(user, request.GET["unit"]) if request.GET.get("unit") else default_unit(user)
    measures = Measure.objects.visible_to(user).select_related("unit")
    if unit is not None:
        measures = measures.within(unit)
    only = bool(request.GET.get("attention"))
    counts = counts_of(measures)
    shown = attention_only(ranked(measures)) if only else ranked(measures)
    # A page at a time: a hospital's board holds thousands of measures.
    paginator = Paginator(shown, BOARD_PAGE_SIZE)
    paginator.count = counts.attention if only else counts.total  # counted just above
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "measures/board.html",
        {
            "unit": unit,
            "items": page.object_list,
            "page": page,
            "shown_count": page.paginator.count,
            "total": counts.total,
            "attention_only": only,
            "counts": counts,
            "unit_picker": picker.unit_picker(
                user, "visible", "unit", unit.pk if unit else "", required=True
            ),
            "legend": LEGEND,
        },
    )
