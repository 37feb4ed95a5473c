"""The actions pages: the list (mine, my area, made by me; by status), one action, new, edit,
complete and reopen. Every id goes through `action_for`; a new action's source through the
signed token of the room that offered it (`services.read_source`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from champion.accounts.models import Unit
from champion.actions import services
from champion.actions.forms import ActionForm
from champion.actions.models import Action, SourceKind, Status
from champion.actions.permissions import action_for, creatable_units
from champion.core.http import AuthedRequest

PAGE_SIZE = 25

#: The status filter: the live ones (the default), overdue, each status, or any.
STATUS_FILTERS = [
    ("live", "Open or in progress"),
    ("overdue", "Overdue"),
    *Status.choices,
    ("", "Any status"),
]

#: The list's scopes: whose actions.
SCOPES = {
    "mine": "Mine",
    "created": "Made by me",
    "area": "My area",
}


def action_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    scope = request.GET.get("scope", "mine")
    if scope not in SCOPES or (scope == "area" and not user.oversees_people):
        scope = "mine"
    status = request.GET.get("status", "live")
    visible = Action.objects.visible_to(user)
    if scope == "mine":
        rows = visible.filter(owner=user)
    elif scope == "created":
        rows = visible.filter(created_by=user)
    else:
        rows = visible.filter(unit__in=Unit.objects.overseen_by(user))
    if status == "live":
        rows = rows.live()
    elif status == "overdue":
        rows = rows.overdue(timezone.localdate())
    elif status in Status.values:
        rows = rows.filter(status=status)
    else:
        status = ""
    rows = rows.select_related("unit", "owner").order_by("due_on", "pk")
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    scopes = {k: v for k, v in SCOPES.items() if k != "area" or user.oversees_people}
    return render(
        request,
        "actions/list.html",
        {
            "page": page,
            "scope": scope,
            "scopes": scopes,
            "status": status,
            "statuses": STATUS_FILTERS,
            "today": timezone.localdate(),
        },
    )


def _source(request: AuthedRequest) -> services.Source | None:
    token = request.POST.get("source") or request.GET.get("source") or ""
    if not token:
        return None
    try:
        return services.read_source(request.user, token)
    except services.BadSource as e:
        raise PermissionDenied(str(e)) from None


def new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    source = _source(request)
    units = creatable_units(user)
    if not units.exists():
        raise PermissionDenied("You can make actions once you have a role in a unit.")
    initial: dict[str, Any] = {"owner": user.pk}
    if source is not None:
        initial["title"] = source.label[:200]
        if source.unit_id and units.filter(pk=source.unit_id).exists():
            initial["unit"] = source.unit_id
    form = ActionForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_from(
                source.kind if source else SourceKind.NONE,
                source.id if source else "",
                source.label if source else "",
                source.url if source else "",
                data["unit"],
                title=data["title"],
                detail=data["detail"],
                owner=data["owner"],
                due_on=data["due_on"],
                by=user,
            )
        except ValidationError as e:
            form.add_error(None, e.messages[0])
        else:
            messages.success(request, f"Action added for {action.owner}.")
            return redirect(action)
    return render(
        request,
        "actions/form.html",
        {"form": form, "source": source, "token": request.GET.get("source", "")
         or request.POST.get("source", "")},
        status=422 if form.errors else 200,
    )  # fmt: skip


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk)
    return render(
        request,
        "actions/detail.html",
        {"action": action, "today": timezone.localdate(), "source_kinds": dict(SourceKind.choices)},
    )


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk, "change")
    was_status = action.status
    form = ActionForm(request.POST or None, instance=action, user=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            new_status = saved.status
            saved.status = was_status
            saved.save()
            services.set_status(saved, new_status, by=request.user)
        messages.success(request, "Action saved.")
        return redirect(action)
    return render(
        request, "actions/form.html", {"form": form, "action": action},
        status=422 if form.errors else 200,
    )  # fmt: skip


@require_POST
def complete(request: AuthedRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk, "change")
    services.complete(action, by=request.user)
    messages.success(request, f"Done: {action.title}")
    return redirect(_next(request, action))


@require_POST
def reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    action = action_for(request.user, pk, "change")
    services.reopen(action, by=request.user)
    messages.success(request, f"Reopened: {action.title}")
    return redirect(_next(request, action))


def _next(request: AuthedRequest, action: Action) -> str:
    """Back where the button was pressed (a path on this site only), else the action."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return action.get_absolute_url()
