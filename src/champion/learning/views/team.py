"""For leaders, coaches and admins: team progress, assignments and exports of completions."""

from __future__ import annotations

import datetime
import json

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from champion.accounts import picker
from champion.accounts.models import Unit, User
from champion.accounts.permissions import person_for
from champion.accounts.picker import PeoplePicker
from champion.core.csv import CONTENT_TYPE as CSV_TYPE
from champion.core.http import AuthedRequest
from champion.core.limits import LimitedText
from champion.core.permissions import require
from champion.learning.models import Assignment, Certificate, Module, QuizAttempt, Submission, Tier
from champion.learning.permissions import assignment_for
from champion.learning.services import exports, overview, team

#: People per page of team progress, and assignments per page.
TEAM_PAGE_SIZE = 50


def _require_oversight(request: AuthedRequest) -> None:
    require(
        request.user.oversees_people,
        "Team progress is for leaders, coaches and admins of a unit.",
    )


class AssignmentForm(LimitedText, forms.Form):
    """Assign a tier or a module to one person or a whole unit (its subtree), with a due date."""

    subject = forms.ChoiceField(label="What to complete")
    target = forms.ChoiceField(label="Who")
    person = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="The person",
        required=False,
        widget=PeoplePicker("overseen", multiple=False),
        help_text="When you chose “One person” above.",
    )
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, leader: User, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        tiers = list(Tier.objects.offered())
        modules = Module.objects.filter(tier__in=tiers, retired=False).select_related("tier")
        self.fields["subject"].choices = [  # type: ignore[attr-defined]
            ("Learning paths", [(f"tier:{t.pk}", t.title) for t in tiers]),
            (
                "Modules",
                [(f"module:{m.pk}", f"{m.title} ({m.tier.slug.title()})") for m in modules],
            ),
        ]
        self.fields["target"].choices = [  # type: ignore[attr-defined]
            (
                "Everyone in a unit",
                [(f"unit:{u.pk}", u.name) for u in Unit.objects.overseen_by(leader)],
            ),
            ("One person", [("person", "One person (search below)")]),
        ]
        self.fields["person"].queryset = team.learners(leader).order_by("full_name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("target") == "person" and not data.get("person"):
            self.add_error("person", "Search for the person and choose them.")
        return data

    def clean_due_on(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due_on"]
        if due < timezone.localdate():
            raise forms.ValidationError("Choose a date from today onwards.")
        return due


def progress(request: AuthedRequest) -> HttpResponse:
    _require_oversight(request)
    tiers = list(Tier.objects.offered())
    chosen = next(
        (t for t in tiers if t.slug == request.GET.get("tier")), tiers[0] if tiers else None
    )
    units = Unit.objects.overseen_by(request.user)
    unit = (
        units.filter(pk=request.GET["unit"]).first()
        if request.GET.get("unit", "").isdigit()
        else None
    )
    query = request.GET.get("q", "").strip()[:100]
    page = None
    rows: list[team.LearnerRow] = []
    summary = {"people": 0, "started": 0, "certified": 0, "overdue": 0}
    if chosen:
        plain = team.team_people(request.user, unit, query)
        summary, overdue = team.summary_and_overdue(request.user, chosen, plain)
        paginator = Paginator(team.team_queryset(request.user, chosen, unit, query), TEAM_PAGE_SIZE)
        # The same people the summary counted: the pager takes its count rather than counting
        # them again (its `count` is a cached property).
        paginator.__dict__["count"] = summary["people"]
        page = paginator.get_page(request.GET.get("page"))
        rows = team.rows_for(request.user, chosen, page.object_list, overdue)
    context = {
        "tiers": tiers,
        "tier": chosen,
        "has_units": units[:2].count() > 1,
        "unit_picker": picker.unit_picker(
            request.user, "overseen", "unit", unit.pk if unit else ""
        ),
        "unit": unit,
        "query": query,
        "page": page,
        "rows": rows,
        "summary": summary,
    }
    return render(request, "learning/team.html", context)


def learner(request: AuthedRequest, pk: int) -> HttpResponse:
    """One person's learning record: theirs, and their leaders', coaches' and admins'."""
    person = person_for(request.user, pk)
    context = {
        "person": person,
        "tiers": overview.catalogue(person),
        "certificates": Certificate.objects.filter(user=person).select_related("tier"),
        "submissions": Submission.objects.filter(user=person).select_related("tier"),
        "assignments": overview.my_assignments(person),
        "attempts": QuizAttempt.objects.filter(
            user=person, submitted_at__isnull=False
        ).select_related("lesson")[:15],
    }
    return render(request, "learning/learner.html", context)


def assignments(request: AuthedRequest) -> HttpResponse:
    _require_oversight(request)
    form = AssignmentForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, _, pk = form.cleaned_data["subject"].partition(":")
        target, _, target_pk = form.cleaned_data["target"].partition(":")
        assert request.user.organisation is not None  # oversight implies an organisation
        Assignment.objects.create(
            organisation=request.user.organisation,
            assigned_by=request.user,
            tier_id=int(pk) if kind == "tier" else None,
            module_id=int(pk) if kind == "module" else None,
            unit_id=int(target_pk) if target == "unit" else None,
            person=form.cleaned_data["person"] if target == "person" else None,
            due_on=form.cleaned_data["due_on"],
        )
        messages.success(request, "Assigned. People see it on their Learn page and get reminders.")
        return redirect("learning:assignments")
    visible = Assignment.objects.visible_to(request.user).select_related(
        "tier", "module", "unit", "person", "assigned_by"
    )
    page = Paginator(visible.order_by("due_on", "pk"), TEAM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "rows": team.assignment_rows(request.user, page.object_list),
        "today": timezone.localdate(),
    }
    return render(request, "learning/assignments.html", context, status=422 if form.errors else 200)


@require_POST
def assignment_delete(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = assignment_for(request.user, pk, action="change")
    assignment.delete()
    messages.success(request, "Assignment removed.")
    return redirect("learning:assignments")


def export_csv(request: AuthedRequest) -> HttpResponse:
    _require_oversight(request)
    response = HttpResponse(exports.completions_csv(request.user), content_type=CSV_TYPE)
    response["Content-Disposition"] = 'attachment; filename="completions.csv"'
    return response


def export_xapi(request: AuthedRequest) -> HttpResponse:
    _require_oversight(request)
    body = json.dumps(exports.xapi_statements(request.user), indent=2)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="completions-xapi.json"'
    return response
