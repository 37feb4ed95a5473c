"""Re-analysing every measure of the organisation: its admins start it and watch its progress.

A rule-set change starts one by itself; `champion manage refresh_measures` (nightly) records
its runs here too. The work is a task (`tasks.refresh_organisation`) through the engine's
bulk path; this page polls the latest run while it works.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.measures.models import Measure, RefreshRun
from champion.measures.tasks import start_refresh

#: Runs listed on the page (newest first).
SHOWN = 10


def _admin(request: AuthedRequest) -> None:
    require(
        request.user.is_org_admin,
        "Only an admin of the whole organisation re-analyses all its measures.",
    )


def refresh(request: AuthedRequest) -> HttpResponse:
    """GET: the latest runs, the one working with its progress. POST: start a new run."""
    _admin(request)
    user = request.user
    runs = RefreshRun.objects.visible_to(user)
    if request.method == "POST":
        if runs.working().exists():
            messages.info(request, "A re-analysis is already under way.")
        else:
            assert user.organisation_id is not None  # an organisation admin belongs to one
            with transaction.atomic():
                start_refresh(user.organisation_id, "Asked for by an admin", by=user)
            messages.success(request, "Every measure is being re-analysed.")
        return redirect("measures:refresh")
    latest = runs.first()
    context = {
        "runs": list(runs.select_related("requested_by")[:SHOWN]),
        "latest": latest,
        "measures": Measure.objects.visible_to(user).count(),
    }
    if request.htmx:
        return render(request, "measures/refresh.html#progress", context)
    return render(request, "measures/refresh.html", context)
