"""Listing measures, defining them, and the 'which chart should I use?' helper."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from champion.accounts import picker
from champion.accounts.models import Unit
from champion.accounts.permissions import unit_for
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.core.words import quoted
from champion.measures.chooser import read_data, suggest
from champion.measures.forms import ChooserForm, MeasureForm
from champion.measures.models import Measure, editable_units
from champion.measures.permissions import measure_for
from champion.measures.services import define_measure, delete_measure
from champion.measures.views.board import default_unit

#: Measures per page of the list.
PAGE_SIZE = 50


def index(request: AuthedRequest) -> HttpResponse:
    """One unit's subtree of measures, by unit: the person's own unit at first (the unit the
    board opens on), any unit they choose, or every unit of the organisation (`?unit=`)."""
    user = request.user
    measures = Measure.objects.visible_to(user).select_related("unit")
    own = default_unit(user)
    if "unit" not in request.GET:
        unit = own
    elif request.GET["unit"]:
        unit = unit_for(user, request.GET["unit"])
    else:
        unit = None  # every unit, asked for
    if unit is not None:
        measures = measures.within(unit)
    if request.GET.get("mine"):
        measures = measures.filter(owners=user)
    # In the order of the organisation chart (by names down the tree), not by database ids,
    # a page of PAGE_SIZE measures at a time: the units' order is worked out from their names
    # (one query), the measures per unit are counted in the database, and only the units
    # that the page touches are read.
    names = dict(Unit.objects.visible_to(user).values_list("pk", "name"))
    paths = dict(Unit.objects.visible_to(user).values_list("pk", "path"))

    def tree_order(unit_id: int) -> tuple[str, ...]:
        return tuple(names.get(int(i), "") for i in paths[unit_id].strip("/").split("/"))

    counts = dict(measures.order_by().values_list("unit").annotate(n=Count("pk")))
    ordered = sorted(counts, key=tree_order)
    total = sum(counts.values())
    page = Paginator(range(total), PAGE_SIZE).get_page(request.GET.get("page"))
    first, last = page.start_index() - 1, page.end_index()  # the page's measures: [first, last)
    touched, offsets, position = [], {}, 0
    for unit_id in ordered:
        if position < last and position + counts[unit_id] > first:
            touched.append(unit_id)
            offsets[unit_id] = position
        position += counts[unit_id]
    groups: dict[Unit, list[Measure]] = {}
    rows = measures.filter(unit_id__in=touched).order_by("unit_id", "name", "pk")
    by_unit: dict[int, list[Measure]] = {}
    for measure in rows:
        by_unit.setdefault(measure.unit_id, []).append(measure)
    for unit_id in touched:
        unit_rows = by_unit.get(unit_id, [])
        start = max(0, first - offsets[unit_id])
        chosen = unit_rows[start : last - offsets[unit_id]]
        if chosen:
            groups[chosen[0].unit] = chosen
    return render(
        request,
        "measures/index.html",
        {
            "groups": list(groups.items()),
            "page": page,
            "unit": unit,
            "own_unit": own,
            "whole_organisation": unit is not None and unit.parent_id is None,
            "unit_picker": picker.unit_picker(user, "visible", "unit", unit.pk if unit else ""),
            "mine": bool(request.GET.get("mine")),
            "can_create": editable_units(user).exists(),
            "total": total,
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
        messages.success(request, f"{quoted(measure.name)} is defined. Now add its data.")
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
        messages.success(request, f"{quoted(name)} and its data were deleted.")
        return redirect(f"{reverse('measures:index')}?unit={unit.pk}")
    return render(
        request,
        "measures/delete.html",
        {"measure": measure, "points": measure.data_points.count()},
    )
