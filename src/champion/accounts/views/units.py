"""Units: the organisation's tree, a unit's page, adding and editing units."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.accounts.forms import (
    OrganisationRulesForm,
    OrganisationSecurityForm,
    ProvisioningTokenForm,
    UnitForm,
)
from champion.accounts.models import OVERSIGHT_ROLES, Organisation, Role, Unit, rule_set_changed
from champion.accounts.permissions import can_manage_unit, provisioning_token_for, unit_for
from champion.core.http import AuthedRequest
from champion.core.models import ApiToken, TokenScope
from champion.core.permissions import require


def units(request: AuthedRequest) -> HttpResponse:
    tree = Unit.objects.visible_to(request.user).annotate(people=Count("memberships"))
    managed = set(Unit.objects.managed_by(request.user).values_list("pk", flat=True))
    rules = OrganisationRulesForm(instance=request.user.organisation)
    return render(
        request,
        "accounts/units.html",
        {"tree": tree, "managed": managed, "rules": rules if request.user.is_org_admin else None},
    )


@require_POST
def organisation_rules(request: AuthedRequest) -> HttpResponse:
    """The organisation's SPC rule set, changed by an admin of its top unit; every measure that
    does not choose its own set is then re-analysed (a background task when a worker runs)."""
    user = request.user
    require(user.is_org_admin, "Only an admin of the whole organisation changes its rule set.")
    organisation = user.organisation
    assert organisation is not None  # an organisation admin belongs to one
    form = OrganisationRulesForm(request.POST, instance=organisation)
    if not form.is_valid():
        messages.error(request, "Choose one of the rule sets listed.")
        return redirect("accounts:units")
    if form.has_changed():
        with transaction.atomic():
            form.save()
            rule_set_changed.send(Organisation, organisation=organisation)
        messages.success(
            request,
            f"Charts now follow the {organisation.get_rule_set_display()} rules. Every measure "
            "is being re-analysed; measures that chose their own rule set keep it.",
        )
    return redirect("accounts:units")


def organisation_security(request: AuthedRequest) -> HttpResponse:
    """Sign-in rules for the whole organisation, for an admin of its top unit."""
    user = request.user
    require(
        user.is_org_admin, "Only an admin of the whole organisation changes how people sign in."
    )
    organisation = user.organisation
    assert organisation is not None  # an organisation admin belongs to one
    posted = request.POST if request.method == "POST" else None
    making_token = posted is not None and "token_name" in posted
    form = OrganisationSecurityForm(None if making_token else posted, instance=organisation)
    token_form = ProvisioningTokenForm(posted if making_token else None)
    raw = None
    if making_token and token_form.is_valid():
        _, raw = ApiToken.issue(user, token_form.cleaned_data["token_name"], TokenScope.SCIM)
        token_form = ProvisioningTokenForm()
    elif posted is not None and not making_token and form.is_valid():
        form.save()
        messages.success(request, "Sign-in settings saved.")
        return redirect("accounts:organisation-security")
    tokens = ApiToken.provisioning.visible_to(user).select_related("user")
    return render(
        request,
        "accounts/organisation_security.html",
        {
            "form": form,
            "token_form": token_form,
            "raw": raw,
            "tokens": tokens,
            "scim_url": f"{settings.SITE_URL}/scim/v2",
        },
    )


@require_POST
def provisioning_token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = provisioning_token_for(request.user, pk)
    token.delete()
    messages.success(request, f"The provisioning token '{token.name}' was revoked.")
    return redirect("accounts:organisation-security")


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
