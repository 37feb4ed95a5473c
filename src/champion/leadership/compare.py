"""Lead: comparing the units of a leader's area that follow one shared measure definition.

Three views of the same numbers (Measure's `compare` service sums them in the database):
small multiples (each unit's own chart, paginated), a funnel plot of the units' rates or
proportions over a window against the area's average (Spiegelhalter's limits, `spc.funnel`),
and the roll-up: the area's own series, its events and denominators summed period by period.
Scoped like every Lead page by `area_for`: a leader sees only the units they oversee.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from champion import charts, spc
from champion.core.http import AuthedRequest
from champion.leadership.permissions import Area, area_for
from champion.measures.services import (
    SharedDefinition,
    analyze,
    chart_spec,
    compare,
    period,
    shared_for,
)

#: Small multiples per page (each is a whole chart).
PER_PAGE = 12
OVERDISPERSION = {
    "": "None",
    "multiplicative": "Multiplicative (phi)",
    "additive": "Additive (tau²)",
}


def index(request: AuthedRequest) -> HttpResponse:
    """The shared definitions, with how many of the area's units follow each."""
    area = area_for(request.user, request.GET.get("unit"))
    definitions = (
        SharedDefinition.objects.visible_to(request.user)
        .annotate(units=Count("measures", filter=area.within("measures__unit"), distinct=True))
        .order_by("name")
    )
    page = Paginator(definitions, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "leadership/compare_index.html",
        {"area": area, "tab": "compare", "page": page},
    )


def _month(text: str | None) -> datetime.date | None:
    try:
        year, month = (int(p) for p in (text or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return None


def _window(
    request: AuthedRequest, measures: Any
) -> tuple[datetime.date, datetime.date, int, str] | None:
    """The window the funnel compares: `months` (1-36) ending at `end` (YYYY-MM); by default
    the last 12 months with data. Bad values fall back to the default, said in `note`."""
    default = compare.default_window(measures)
    if default is None:
        return None
    note = ""
    try:
        months = int(request.GET.get("months") or compare.WINDOW_MONTHS)
    except ValueError:
        months, note = compare.WINDOW_MONTHS, "The number of months was not a number: 12 used."
    if not 1 <= months <= 36:
        months, note = compare.WINDOW_MONTHS, "Choose 1 to 36 months: 12 used."
    end = _month(request.GET.get("end"))
    if request.GET.get("end") and end is None:
        note = "The end month reads as YYYY-MM: the latest month used."
    end = end or datetime.date(default[1].year, default[1].month, 1)
    index = end.year * 12 + end.month - 1 - (months - 1)
    start = datetime.date(index // 12, index % 12 + 1, 1)
    last = datetime.date(end.year + end.month // 12, end.month % 12 + 1, 1) - datetime.timedelta(1)
    return start, last, months, note


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    definition = shared_for(user, pk)
    area: Area = area_for(user, request.GET.get("unit"))
    measures = compare.shared_measures(definition, area.within())
    by = request.GET.get("by", "unit")
    if by not in ("unit", "child") or (by == "child" and area.unit is None):
        by = "unit"
    od = request.GET.get("od", "")
    if od not in OVERDISPERSION:
        od = ""
    context: dict[str, Any] = {
        "area": area,
        "tab": "compare",
        "definition": definition,
        "by": by,
        "od": od,
        "overdispersion_choices": OVERDISPERSION.items(),
        "vega_version": charts.VEGA_LITE_VERSION,
        "count": measures.count(),
    }
    window = _window(request, measures)
    if window is not None:
        start, end, months, note = window
        rows = compare.totals(measures, start, end)
        if by == "child" and area.unit is not None:
            rows = compare.by_child(area.unit, rows)
        context.update(start=start, end=end, months=months, note=note, rows=rows)
        context.update(_funnel(definition, rows, od))
        context.update(_rollup(definition, measures, area))
    page = Paginator(measures, PER_PAGE).get_page(request.GET.get("page"))
    context["page"] = page
    context["multiples"] = [_small(m) for m in page]
    return render(request, "leadership/compare.html", context)


def _funnel(definition: SharedDefinition, rows: list[Any], od: str) -> dict[str, Any]:
    if definition.funnel_kind is None:
        return {"funnel_note": (
            f"A funnel plot compares rates or proportions; this definition is drawn as a "
            f"{definition.get_chart_display()}, without denominators."
        )}  # fmt: skip
    if len(rows) < 2:
        return {"funnel_note": "A funnel plot needs at least two units with data in the window."}
    try:
        found = compare.funnel(definition, rows)
        if found is not None and od:
            found = spc.funnel(
                [r.events for r in rows], [r.n for r in rows], kind=found.kind,
                overdispersion=od, multiply=found.multiply, labels=[r.label for r in rows],
            )  # fmt: skip
    except spc.SPCError as exc:
        return {"funnel_note": f"The funnel plot cannot be drawn: {exc}"}
    if found is None:
        return {}
    label = definition.unit_label or "Value"
    spec = charts.funnel_spec(
        found,
        title=f"{definition.name}: units against the average",
        subtitle="Each point is a unit; the lines are the 95 % and 99.8 % limits",
        y_label=label,
        x_label="Denominator in the window",
        improvement=definition.improvement or None,
        width="container",
    )
    table = [
        {
            "row": row,
            "y": found.y[i],
            "lower_95": found.lower[0.95][i],
            "upper_95": found.upper[0.95][i],
            "lower_998": found.lower[0.998][i],
            "upper_998": found.upper[0.998][i],
            "outside_95": found.outside[0.95][i],
            "outside_998": found.outside[0.998][i],
        }
        for i, row in enumerate(rows)
    ]
    return {"funnel": found, "funnel_spec": spec, "funnel_rows": table}


def _rollup(definition: SharedDefinition, measures: Any, area: Area) -> dict[str, Any]:
    rolled = compare.rollup(measures)
    try:
        result = compare.rollup_analysis(definition, rolled)
    except spc.SPCError as exc:
        return {"rollup_note": f"The roll-up cannot be charted: {exc}"}
    if result is None:
        return {"rollup": rolled}
    spec = charts.spc_spec(
        result,
        title=f"{definition.name}: {area.name}, all units summed",
        subtitle="Numerators and denominators summed across the units each period",
        y_label=definition.unit_label or "Value",
        improvement=definition.improvement or None,
        width="container",
    )
    rows = list(zip(rolled.periods, rolled.events, rolled.n, rolled.units, strict=True))
    return {"rollup": rolled, "rollup_spec": spec, "rollup_rows": rows}


def _small(measure: Any) -> dict[str, Any]:
    """One unit's own chart, small (its own phases and rule set), or why there is none."""
    try:
        result = analyze(measure)
    except spc.SPCError as exc:
        return {"measure": measure, "error": str(exc)}
    if result is None:
        return {"measure": measure, "error": "No data yet."}
    # A fixed width, scaled down by CSS on a phone: "container" would resize in a loop here.
    spec = chart_spec(measure, result, width=240)
    spec["height"] = 160
    spec["title"] = {"text": measure.unit.name}
    last = measure.summary.last_period
    return {
        "measure": measure,
        "spec": spec,
        "spec_id": f"sm-spec-{measure.pk}",
        "last": period(last, measure.frequency) if last else "",
    }
