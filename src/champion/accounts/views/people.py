"""People: the directory a leader, coach or admin sees, a person's page, adding people and roles."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.accounts import picker
from champion.accounts.forms import MembershipForm, PersonDetailsForm, PersonForm, RoleForm
from champion.accounts.models import Membership, Role, User
from champion.accounts.permissions import (
    can_manage_person,
    can_manage_unit,
    membership_for,
    person_for,
    unit_for,
)
from champion.accounts.sessions import sign_out_everywhere
from champion.accounts.tasks import send_welcome_emails
from champion.core.http import AuthedRequest
from champion.core.permissions import require


def people(request: AuthedRequest) -> HttpResponse:
    """The people of the subtrees the signed-in person oversees, filterable by unit and name."""
    user = request.user
    require(user.oversees_people, "Only leaders, coaches and admins see the people directory.")
    queryset = User.objects.visible_to(user).prefetch_related("memberships__unit")
    unit = None
    if request.GET.get("unit"):
        unit = unit_for(user, request.GET["unit"])
        # Exists, not a join and DISTINCT: 20,000 people's rows need not be sorted twice.
        within = Membership.objects.filter(user=OuterRef("pk"), unit__path__startswith=unit.path)
        queryset = queryset.filter(Exists(within))
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(Q(full_name__icontains=query) | Q(email__icontains=query))
    page = Paginator(queryset.order_by("full_name"), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "unit_picker": picker.unit_picker(
            user,
            "overseen",
            "unit",
            unit.pk if unit else "",
            label="Unit (and the units within it)",
        ),
        "unit": unit,
        "query": query,
        "can_add": bool(user.units_with_roles(Role.ADMIN)),
    }
    template = "accounts/people.html#results" if request.htmx else "accounts/people.html"
    return render(request, template, context)


def people_search(request: AuthedRequest) -> HttpResponse:
    """The people picker's results: at most 20 people of the field's scope matching the
    search, after the people already chosen (still ticked, if the user may choose them)."""
    field = request.GET.get("field", "")
    scope = picker.SCOPES.get(request.GET.get("scope", ""))
    if scope is None or not picker.FIELD_NAME.match(field):
        return HttpResponse("Unknown people picker.", status=400)
    people = scope(request.user)
    ids = [int(v) for v in request.GET.getlist(field)[:50] if v.isdigit()]
    chosen = list(people.filter(pk__in=ids).order_by("full_name")) if ids else []
    query = request.GET.get(f"{field}__q", "").strip()[:100]
    results = list(picker.search(people.exclude(pk__in=ids), query))
    context = {
        "picker": {
            "name": field,
            "multiple": bool(request.GET.get("multiple")),
            "chosen": chosen,
            "results": results,
            "query": query,
        }
    }
    return render(request, "accounts/_people_results.html", context)


def unit_search(request: AuthedRequest) -> HttpResponse:
    """The unit picker's results: at most 20 units of the field's scope matching the search,
    after the unit already chosen (still ticked, if the user may choose it)."""
    field = request.GET.get("field", "")
    scope = picker.UNIT_SCOPES.get(request.GET.get("scope", ""))
    if scope is None or not picker.FIELD_NAME.match(field):
        return HttpResponse("Unknown unit picker.", status=400)
    units = scope(request.user)
    value = request.GET.get(field, "")
    ids = [int(value)] if value.isdigit() else []
    chosen = list(units.filter(pk__in=ids).select_related("parent")) if ids else []
    query = request.GET.get(f"{field}__q", "").strip()[:100]
    results = list(picker.search_units(units.exclude(pk__in=ids), query))
    context = {
        "picker": {
            "name": field,
            "required": bool(request.GET.get("required")),
            "chosen": chosen,
            "results": results,
            "query": query,
        }
    }
    return render(request, "accounts/_unit_results.html", context)


def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk)
    can_manage = can_manage_person(request.user, person)
    memberships = person.memberships.select_related("unit").order_by("unit__path")
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "memberships": [(m, can_manage_unit(request.user, m.unit)) for m in memberships],
            "can_manage": can_manage,
            "roles": Role.choices,
            "membership_form": MembershipForm(admin=request.user, person=person)
            if can_manage
            else None,
            "details_form": PersonDetailsForm(instance=person) if can_manage else None,
        },
    )


def person_add(request: AuthedRequest) -> HttpResponse:
    admin = request.user
    require(admin.is_admin, "Only admins add people.")
    form = PersonForm(request.POST or None, admin=admin, initial={"unit": request.GET.get("unit")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            person = User.objects.filter(email=data["email"]).first()
            created = person is None
            if person is None:
                person = User.objects.create_user(
                    data["email"],
                    given_name=data["given_name"],
                    family_name=data["family_name"],
                    title=data["title"],
                    job_title=data["job_title"],
                    organisation=admin.organisation,
                )
            Membership.objects.create(user=person, unit=data["unit"], role=data["role"])
            if created:
                transaction.on_commit(lambda: send_welcome_emails.enqueue([person.pk]))
        if created:
            messages.success(
                request, f"{person} was added and has been e-mailed a link to choose a password."
            )
        else:
            messages.success(request, f"{person} already had an account; their new role was added.")
        return redirect("accounts:person", pk=person.pk)
    return render(request, "accounts/person_add.html", {"form": form})


@require_POST
def person_update(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk, "manage")
    form = PersonDetailsForm(request.POST, instance=person)
    if form.is_valid():
        form.save()
        messages.success(request, "Details saved.")
    else:
        messages.error(
            request,
            "The details were not saved: "
            + " ".join(
                f"{form.fields[name].label}: {' '.join(str(e) for e in errors)}"
                for name, errors in form.errors.items()
            ),
        )
    return redirect("accounts:person", pk=person.pk)


@require_POST
def person_set_active(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk, "manage")
    require(person != request.user, "You cannot deactivate your own account.")
    person.is_active = request.POST.get("active") == "1"
    person.save()
    if not person.is_active:
        sign_out_everywhere(person)
    state = "can sign in again" if person.is_active else "can no longer sign in"
    messages.success(request, f"{person} {state}.")
    return redirect("accounts:person", pk=person.pk)


@require_POST
def person_invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """E-mail the invitation again: a new link to choose a password (signed, for 24 hours,
    working once: choosing a password ends it). For people who have never signed in."""
    person = person_for(request.user, pk, "manage")
    if not person.is_active or person.last_login is not None:
        messages.error(request, f"{person} has signed in already; they can reset their password.")
        return redirect("accounts:person", pk=person.pk)
    transaction.on_commit(lambda: send_welcome_emails.enqueue([person.pk]))
    messages.success(request, f"{person} has been e-mailed a new link to choose a password.")
    return redirect("accounts:person", pk=person.pk)


@require_POST
def membership_add(request: AuthedRequest, pk: int) -> HttpResponse:
    person = person_for(request.user, pk, "manage")
    form = MembershipForm(request.POST, admin=request.user, person=person)
    if form.is_valid():
        Membership.objects.create(user=person, **form.cleaned_data)
        messages.success(request, "Role added.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("accounts:person", pk=person.pk)


@require_POST
def membership_update(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = membership_for(request.user, pk)
    form = RoleForm(request.POST, instance=membership)
    if form.is_valid():
        form.save()
        messages.success(
            request, f"Role in {membership.unit} changed to {membership.get_role_display()}."
        )
    else:
        messages.error(request, "Choose one of the listed roles.")
    return redirect("accounts:person", pk=membership.user_id)


@require_POST
def membership_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = membership_for(request.user, pk)
    require(
        not (membership.user == request.user and membership.role == Role.ADMIN),
        "You cannot remove your own admin role; ask another admin.",
    )
    membership.delete()
    messages.success(request, f"Removed {membership.user}'s role in {membership.unit}.")
    return redirect("accounts:person", pk=membership.user_id)
