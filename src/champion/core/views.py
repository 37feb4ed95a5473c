"""The health check and the audit log."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from champion import __version__
from champion.core.audit_log import describe, type_choices
from champion.core.http import AuthedRequest
from champion.core.models import AuditAction, AuditEvent, WorkerHeartbeat
from champion.core.permissions import require


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: is the process up, the database reachable and,
    with the database task queue, a task worker alive and the queue moving?

    503 when the database is unreachable, or when a worker is expected
    (settings.TASK_WORKER_EXPECTED) and none has written a heartbeat for
    TASK_WORKER_STALE_SECONDS. Ages are in seconds; null when there is none.
    """
    body: dict[str, object] = {"version": __version__}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
        body["tasks"] = _task_health()
    except Exception as exc:  # any database failure is reported, never raised
        body["database"] = f"error: {type(exc).__name__}"
    healthy = body["database"] == "ok" and (
        not settings.TASK_WORKER_EXPECTED or body["tasks"]["worker"] == "ok"  # type: ignore[index]
    )
    body["status"] = "ok" if healthy else "error"
    return JsonResponse(body, status=200 if healthy else 503)


def _task_health() -> dict[str, object]:
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()

    def age(moment: datetime | None) -> float | None:
        return None if moment is None else round(max((now - moment).total_seconds(), 0.0), 1)

    beat = WorkerHeartbeat.latest()
    oldest = (
        DBTaskResult.objects.ready()
        .order_by("enqueued_at")
        .values_list("enqueued_at", flat=True)
        .first()
    )
    heartbeat_age = age(beat)
    if heartbeat_age is None:
        worker = "none seen"
    elif heartbeat_age > settings.TASK_WORKER_STALE_SECONDS:
        worker = "stale"
    else:
        worker = "ok"
    return {
        "backend": settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1],
        "worker_expected": settings.TASK_WORKER_EXPECTED,
        "worker": worker,
        "worker_heartbeat_age": heartbeat_age,
        "oldest_queued_age": age(oldest),
    }


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
    types = type_choices(
        AuditEvent.objects.visible_to(request.user)
        .values_list("content_type__app_label", "content_type__model")
        .distinct()
        .order_by("content_type__model")
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "entries": describe(page.object_list),  # names resolved in one query per page
        "filters": filters,
        "types": types,
        "actions": AuditAction.choices,
        "zone": timezone.get_current_timezone_name(),
    }
    template = "core/audit_log.html#results" if request.htmx else "core/audit_log.html"
    return render(request, template, context)
