"""A project's family of measures: link existing measures (each in a role), create one from
the project with the Measure app's own form, or take one out of the family."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.core.http import NOT_CONFIRMED, AuthedRequest, confirmed
from champion.core.limits import LimitedText
from champion.core.permissions import require
from champion.core.words import quoted
from champion.improvement import measures_link
from champion.improvement.models import MeasureRole, Project
from champion.improvement.permissions import measure_link_for, project_for
from champion.measures.services import Measure, MeasureForm


class LinkForm(LimitedText, forms.Form):
    measure = forms.ModelChoiceField(queryset=Measure.objects.none(), label="Measure")
    role = forms.ChoiceField(
        choices=[("", "Its own type"), *MeasureRole.choices],
        required=False,
        label="Role in this project",
        help_text="Outcome: the result the aim is about. Process: is the change happening? "
        "Balancing: what might get worse.",
    )

    def __init__(self, *args: object, project: Project, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["measure"]
        assert isinstance(field, forms.ModelChoiceField)
        # The project's own unit and the units above and below it come first: most likely.
        field.queryset = (
            Measure.objects.editable_by(user)
            .exclude(project_links__project=project)
            .select_related("unit")
            .order_by("unit__path", "name")
        )
        field.label_from_instance = _label  # type: ignore[method-assign]


def _label(obj: Any) -> str:
    return f"{obj.name} — {obj.unit.name} ({obj.get_kind_display()})"


def family(request: AuthedRequest, pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    form = LinkForm(request.POST or None, project=project, user=request.user)
    if request.method == "POST" and form.is_valid():
        measure = form.cleaned_data["measure"]
        require(measures_link.can_link(request.user, measure), "You may not change that measure.")
        link = measures_link.link_measure(
            project, measure, form.cleaned_data["role"], by=request.user
        )
        messages.success(
            request,
            f"{quoted(measure)} is now a {link.get_role_display().lower()} measure of this project; "
            "its chart shows the project's PDSA cycles.",
        )
        return redirect("improvement:measures", pk=project.pk)
    context = {
        "project": project,
        "form": form,
        "links": measures_link.project_measures(project),
        "section": "library",
    }
    return render(request, "improvement/measures.html", context)


@require_POST
def unlink(request: AuthedRequest, pk: int, link_pk: int) -> HttpResponse:
    project = project_for(request.user, pk, "change")
    link = measure_link_for(request.user, project, link_pk)
    if not confirmed(request):
        messages.error(request, NOT_CONFIRMED)
        return redirect("improvement:measures", pk=project.pk)
    marks = measures_link.unlink_measure(link)
    messages.success(
        request,
        f"{quoted(link.measure)} is no longer one of this project's measures"
        + (f"; {marks} PDSA mark{'s' if marks != 1 else ''} came off its chart." if marks else "."),
    )
    return redirect("improvement:measures", pk=project.pk)


def create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Define a new measure for the project, with the Measure app's form, and link it."""
    user = request.user
    project = project_for(user, pk, "change")
    role = request.GET.get("role") or request.POST.get("role") or MeasureRole.OUTCOME
    initial = {"unit": project.unit_id, "kind": role, "owners": [user.pk]}
    form = MeasureForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        measure = measures_link.add_measure(
            project, form.instance, owners=form.cleaned_data["owners"], by=user
        )
        messages.success(
            request, f"{quoted(measure.name)} is defined and linked. Now add its data."
        )
        return redirect("measures:data", pk=measure.pk)
    return render(
        request,
        "improvement/measure_new.html",
        {"project": project, "form": form, "role": role, "section": "library"},
    )
