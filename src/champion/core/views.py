"""The health check and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.dateparse import parse_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from champion import __version__
from champion.core.http import AuthedRequest
from champion.core.models import AuditAction, AuditEvent
from champion.core.permissions import require


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: is the process up and the database reachable?"""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception as exc:  # any database failure is reported, never raised
        database = f"error: {type(exc).__name__}"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {
            "status": "ok" if status == 200 else "error",
            "database": database,
            "version": __version__,
        },
        status=status,
    )


def audit_log(request: AuthedRequest) -> HttpResponse:
    """Every create, update and delete in the organisation, newest first, filterable."""
    require(request.user.is_org_admin, "Only organisation admins see the audit log.")
    events = AuditEvent.objects.visible_to(request.user).select_related("content_type", "actor")
    filters = {
        "actor": request.GET.get("actor", "").strip(),
        "action": request.GET.get("action", ""),
        "type": request.GET.get("type", ""),
        "since": request.GET.get("since", ""),
        "until": request.GET.get("until", ""),
    }
    if filters["actor"]:
        events = events.filter(actor_label__icontains=filters["actor"])
    if filters["action"] in AuditAction.values:
        events = events.filter(action=filters["action"])
    if filters["type"]:
        events = events.filter(content_type__model=filters["type"])
    if since := parse_date(filters["since"] or ""):
        events = events.filter(at__date__gte=since)
    if until := parse_date(filters["until"] or ""):
        events = events.filter(at__date__lte=until)
    types = (
        AuditEvent.objects.visible_to(request.user)
        .values_list("content_type__model", flat=True)
        .distinct()
        .order_by("content_type__model")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "types": types, "actions": AuditAction.choices}
    template = "core/audit_log.html#results" if request.htmx else "core/audit_log.html"
    return render(request, template, context)
