"""Listing measures, defining them, and the 'which chart should I use?' helper."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from champion.accounts.models import Unit
from champion.accounts.permissions import unit_for
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.measures.chooser import read_data, suggest
from champion.measures.forms import ChooserForm, MeasureForm
from champion.measures.models import Measure, editable_units
from champion.measures.permissions import measure_for
from champion.measures.services import define_measure, delete_measure


def index(request: AuthedRequest) -> HttpResponse:
    """Every measure of the organisation by unit, or of one unit's subtree."""
    user = request.user
    measures = Measure.objects.visible_to(user).select_related("unit")
    unit = None
    if request.GET.get("unit"):
        unit = unit_for(user, request.GET["unit"])
        measures = measures.within(unit)
    if request.GET.get("mine"):
        measures = measures.filter(owners=user)
    groups: dict[Unit, list[Measure]] = {}
    for measure in measures:
        groups.setdefault(measure.unit, []).append(measure)
    # In the order of the organisation chart (by names down the tree), not by database ids.
    names = dict(Unit.objects.visible_to(user).values_list("pk", "name"))

    def tree_order(unit: Unit) -> tuple[str, ...]:
        return tuple(names.get(int(i), "") for i in unit.path.strip("/").split("/"))

    return render(
        request,
        "measures/index.html",
        {
            "groups": sorted(groups.items(), key=lambda item: tree_order(item[0])),
            "unit": unit,
            "units": Unit.objects.visible_to(user).filter(measures__isnull=False).distinct(),
            "mine": bool(request.GET.get("mine")),
            "can_create": editable_units(user).exists(),
            "total": sum(len(v) for v in groups.values()),
        },
    )


def chooser(request: AuthedRequest) -> HttpResponse:
    form = ChooserForm(request.GET or None)
    suggestion = suggest(form.cleaned_data) if form.is_valid() else None
    return render(request, "measures/chooser.html", {"form": form, "suggestion": suggestion})


def create(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(editable_units(user).exists(), "You need a role in a unit to define its measures.")
    initial = {"owners": [user.pk], "unit": request.GET.get("unit")}
    if request.GET.get("chart"):
        initial["chart"] = request.GET["chart"]
        initial["multiply"] = request.GET.get("multiply", "1")
    form = MeasureForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        measure = define_measure(form.instance, by=user, owners=form.cleaned_data["owners"])
        messages.success(request, f"'{measure.name}' is defined. Now add its data.")
        return redirect("measures:data", pk=measure.pk)
    return render(request, "measures/form.html", {"form": form, "measure": None})


def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = measure_for(request.user, pk, "change")
    form = MeasureForm(request.POST or None, instance=measure, user=request.user)
    if request.method == "POST" and form.is_valid():
        measure = define_measure(measure, by=request.user, owners=form.cleaned_data["owners"])
        messages.success(request, "The measure was saved.")
        return redirect("measures:detail", pk=measure.pk)
    points = list(measure.data_points.all())
    data_notes = read_data([p.value for p in points], [p.denominator for p in points])
    return render(
        request, "measures/form.html", {"form": form, "measure": measure, "data_notes": data_notes}
    )


def delete(request: AuthedRequest, pk: int) -> HttpResponse:
    """Delete a measure defined by mistake, with its data, after a confirmation page (audited)."""
    measure = measure_for(request.user, pk, "change")
    if request.method == "POST":
        name, unit = measure.name, measure.unit
        delete_measure(measure)
        messages.success(request, f"'{name}' and its data were deleted.")
        return redirect(f"{reverse('measures:index')}?unit={unit.pk}")
    return render(
        request,
        "measures/delete.html",
        {"measure": measure, "points": measure.data_points.count()},
    )
