"""Units: the organisation's tree, a unit's page, adding and editing units."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.accounts import oidc, saml, sso
from champion.accounts.forms import (
    OrganisationRulesForm,
    OrganisationSignInForm,
    ProvisioningTokenForm,
    UnitForm,
)
from champion.accounts.models import (
    OVERSIGHT_ROLES,
    Organisation,
    Role,
    SsoOutcome,
    SsoSignIn,
    Unit,
    User,
    rule_set_changed,
)
from champion.accounts.permissions import can_manage_unit, provisioning_token_for, unit_for
from champion.core.http import AuthedRequest
from champion.core.models import ApiToken, TokenScope
from champion.core.permissions import require
from champion.core.words import quoted

#: Units a page of the tree (issue 15: 525 units made a 115 KB page; the tree is read in path
#: order, so each page continues where the last one ended).
UNITS_PER_PAGE = 100


def units(request: AuthedRequest) -> HttpResponse:
    tree = (
        Unit.objects.visible_to(request.user)
        .annotate(people=Count("memberships"))
        .order_by("path", "pk")
    )
    page = Paginator(tree, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    managed = set(Unit.objects.managed_by(request.user).values_list("pk", flat=True))
    rules = OrganisationRulesForm(instance=request.user.organisation)
    return render(
        request,
        "accounts/units.html",
        {
            "tree": page.object_list,
            "page": page,
            "managed": managed,
            "rules": rules if request.user.is_org_admin else None,
        },
    )


def sso_configured() -> bool:
    return oidc.configured() or saml.configured()


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
    """Sign-in and security for the whole organisation, for an admin of its top unit: one
    form for how people sign in (passwords or single sign-on only; two-factor for admins)
    and the provisioning (SCIM) tokens. Switching passwords off asks for a confirmation
    first, saying how many people have never signed in with single sign-on."""
    user = request.user
    require(
        user.is_org_admin, "Only an admin of the whole organisation changes how people sign in."
    )
    organisation = user.organisation
    assert organisation is not None  # an organisation admin belongs to one
    posted = request.POST if request.method == "POST" else None
    making_token = posted is not None and "token_name" in posted
    form = OrganisationSignInForm(
        None if making_token else posted,
        instance=organisation,
        sso_ready=sso_configured(),
        signed_in_with_sso=request.session.get(BACKEND_SESSION_KEY) == sso.SSO_BACKEND,
    )
    token_form = ProvisioningTokenForm(posted if making_token else None)
    raw = None
    confirming = None
    if making_token and token_form.is_valid():
        _, raw = ApiToken.issue(user, token_form.cleaned_data["token_name"], TokenScope.SCIM)
        token_form = ProvisioningTokenForm()
    elif posted is not None and not making_token and form.is_valid():
        if form.switches_passwords_off() and "confirm" not in posted:
            confirming = people_without_sso(organisation)
        else:
            switching_off = form.switches_passwords_off()
            if form.has_changed():
                form.save()
            messages.success(
                request,
                "Sign-in settings saved. People now sign in only with single sign-on; "
                "password sessions have ended."
                if switching_off
                else "Sign-in settings saved.",
            )
            return redirect("accounts:organisation-security")
    tokens = ApiToken.provisioning.visible_to(user).select_related("user")
    return render(
        request,
        "accounts/organisation_security.html",
        {
            "form": form,
            "confirming": confirming,
            "sso_ready": sso_configured(),
            "token_form": token_form,
            "raw": raw,
            "tokens": tokens,
            "scim_url": f"{settings.SITE_URL}/scim/v2",
        },
    )


def people_without_sso(organisation: Organisation) -> int:
    """How many of the organisation's active people have never signed in with single sign-on:
    once passwords are off they cannot sign in until their identity provider lets them."""
    signed_in = SsoSignIn.objects.filter(
        organisation=organisation,
        outcome__in=[SsoOutcome.SIGNED_IN, SsoOutcome.CREATED],
        user__isnull=False,
    ).values("user_id")
    return (
        User.objects.filter(organisation=organisation, is_active=True, is_superuser=False)
        .exclude(pk__in=signed_in)
        .count()
    )


@require_POST
def provisioning_token_revoke(request: AuthedRequest, pk: int) -> HttpResponse:
    token = provisioning_token_for(request.user, pk)
    token.delete()
    messages.success(request, f"The provisioning token {quoted(token.name)} was revoked.")
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
