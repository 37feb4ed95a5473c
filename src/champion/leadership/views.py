"""The Lead overview: what a leader, coach or admin sees of the area they oversee."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from champion.accounts import picker
from champion.core.http import AuthedRequest
from champion.leadership import overview as service
from champion.leadership.permissions import area_for


def overview(request: AuthedRequest) -> HttpResponse:
    area = area_for(request.user, request.GET.get("unit"))
    context = {
        "area": area,
        "tab": "overview",
        "unit_picker": picker.unit_picker(
            request.user, "overseen", "unit", area.unit.pk if area.unit else ""
        ),
        **service.overview(request.user, area),
    }
    return render(request, "leadership/overview.html", context)
