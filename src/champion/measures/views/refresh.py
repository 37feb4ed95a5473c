"""Re-analysing every measure of the organisation: its admins start it and watch its progress.

A rule-set change starts one by itself; `champion manage refresh_measures` (nightly) records
its runs here too. The work is a task (`tasks.refresh_organisation`) through the engine's
bulk path, ending with last month's board report summaries; this page polls the latest run
while it works and says which step it is in, and how far (`RefreshRun.words`).
"""

from __future__ import annotations

from typing import Any

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
    shown = list(runs.select_related("requested_by")[:SHOWN])
    latest = shown[0] if shown else None
    context: dict[str, Any] = {"runs": shown, "latest": latest}
    if request.htmx:
        # The page polls with the status it shows: a change (a new step, the end) is said once
        # to a screen reader, not every two seconds. The runs' table comes along (out of band)
        # so that it never says a run is working once the progress above says it is over.
        context["announce"] = latest is not None and request.GET.get("shown") != latest.status
        return render(request, "measures/refresh.html#progress", context)
    context["measures"] = Measure.objects.visible_to(user).count()
    return render(request, "measures/refresh.html", context)
