"""Units: the organisation's tree, a unit's page, adding and editing units."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render

from champion.accounts.forms import UnitForm
from champion.accounts.models import OVERSIGHT_ROLES, Role, Unit
from champion.accounts.permissions import can_manage_unit, unit_for
from champion.core.http import AuthedRequest
from champion.core.permissions import require


def units(request: AuthedRequest) -> HttpResponse:
    tree = Unit.objects.visible_to(request.user).annotate(people=Count("memberships"))
    managed = set(Unit.objects.managed_by(request.user).values_list("pk", flat=True))
    return render(request, "accounts/units.html", {"tree": tree, "managed": managed})


def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    unit = unit_for(user, pk)
    sees_people = user.has_role_at(unit, *OVERSIGHT_ROLES)
    memberships = unit.memberships.select_related("user").order_by("user__full_name")
    leaders = [m for m in memberships if m.role in (Role.LEADER, Role.COACH)]
    return render(
        request,
        "accounts/unit_detail.html",
        {
            "unit": unit,
            "ancestors": unit.ancestors()[:-1],
            "children": unit.children.annotate(people=Count("memberships")).order_by("name"),
            "leaders": leaders,
            "memberships": memberships if sees_people else None,
            "can_manage": can_manage_unit(user, unit),
        },
    )


def unit_add(request: AuthedRequest) -> HttpResponse:
    admin = request.user
    require(admin.is_admin, "Only admins add units.")
    form = UnitForm(
        request.POST or None, admin=admin, initial={"parent": request.GET.get("parent")}
    )
    form.instance.organisation = admin.organisation
    if request.method == "POST" and form.is_valid():
        unit = form.save()
        messages.success(request, f"{unit} was added.")
        return redirect("accounts:unit", pk=unit.pk)
    return render(request, "accounts/unit_form.html", {"form": form, "unit": None})


def unit_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    unit = unit_for(request.user, pk, "manage")
    form = UnitForm(request.POST or None, instance=unit, admin=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Unit saved.")
        return redirect("accounts:unit", pk=unit.pk)
    return render(request, "accounts/unit_form.html", {"form": form, "unit": unit})
