"""The chart page, its actions (annotate, new phase, freeze a baseline, exclude a point) and downloads."""

from __future__ import annotations

import datetime
from typing import TypedDict

from django.contrib import messages
from django.db import transaction
from django.forms import BaseForm, ModelForm
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from champion import charts, spc
from champion.core.csv import CONTENT_TYPE as CSV_TYPE
from champion.core.csv import write_csv
from champion.core.http import NOT_CONFIRMED, AuthedRequest, confirmed
from champion.measures import analysis
from champion.measures.forms import (
    AnnotationForm,
    ExclusionForm,
    FreezeForm,
    PhaseForm,
    ask_period,
    offer_periods,
    period_problem,
)
from champion.measures.models import Measure
from champion.measures.permissions import (
    can_change_measure,
    can_enter_data,
    measure_for,
    setting_for,
)
from champion.measures.templatetags.measure_tags import number as format_number
from champion.measures.templatetags.measure_tags import period as period_label


class Refused(TypedDict):
    """A chart setting refused: shown beside its form on the page the refusal redirects to,
    with what was sent, so nothing is typed twice."""

    measure: int
    kind: str
    data: dict[str, str]
    error: str  # why, beyond the form's own errors ("There is no point on ...")


_REFUSED = "measures.refused_setting"


#: Up to this many points the page is what it always was: every period in the data table and
#: in the settings' lists, the chart under the chart (moving range, or the X̄ chart's spread)
#: inline. Beyond it each of those grew the page by about 250 bytes a point (750 KB for 1,000
#: points, issue 15), so a long series' table shows its latest periods (`?table=all` every
#: one), its settings ask for a period, and its second chart's spec is fetched as the page
#: scrolls to it. The chart itself always carries every point.
LONG_SERIES = 150
#: The periods a long series' table shows unless asked for all.
TABLE_LATEST = 60


def detail(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = measure_for(request.user, pk)
    points = list(measure.data_points.all())
    long = len(points) > LONG_SERIES
    error, result, spec, mr_spec = "", None, None, None
    try:
        result = analysis.analyze(measure, points)
        if result is not None:
            spec = analysis.chart_spec(measure, result, width="container")
            if not long:
                mr_spec = analysis.moving_range_spec(measure, width="container")
    except (spc.SPCError, charts.ChartError) as exc:
        error = str(exc)
    rows = analysis.table(measure, points, result)
    table_all = request.GET.get("table") == "all"
    refused: Refused | None = request.session.pop(_REFUSED, None)
    if refused and refused["measure"] != measure.pk:
        refused = None
    can_change = can_change_measure(request.user, measure)
    can_enter = can_change or can_enter_data(request.user, measure)
    verdict = analysis.verdict(measure, result)
    context = {
        "measure": measure,
        "spec": spec,
        "mr_spec": mr_spec,
        "vega_version": charts.VEGA_LITE_VERSION,
        "error": error,
        "rows": rows,
        "table_rows": rows if table_all or not long else rows[-TABLE_LATEST:],
        "table_all": table_all,
        "long_series": long,
        "table_latest": TABLE_LATEST,
        "second_chart_url": (
            reverse("measures:second-chart", args=[measure.pk])
            if long and spec and analysis.has_second_chart(measure)
            else None
        ),
        # One verdict for the chart: a headline and the signals grouped (a shift once, with
        # its start and end), not a sentence per point.
        "verdict": verdict,
        # A shift that began after a tested change: a new phase there, in one click.
        "phase_offer": analysis.phase_offer(measure, verdict) if can_change else None,
        # % within specification and Cp/Cpk, only for a stable process with a specification.
        "capability": analysis.capability(measure, points, verdict) if result else None,
        "summary": measure.summary,
        # The runs analysis per part, said in words by the template (part-wide patterns once).
        "parts": result.parts if result is not None else (),
        "can_change": can_change,
        "can_enter": can_enter,
        "annotations": measure.annotations.all(),
        "phases": measure.phases.all(),
        "exclusions": measure.exclusions_set.all(),
        "ancestors": measure.unit.ancestors(),
        "forms": _setting_forms(measure, rows, refused) if can_enter else None,
    }
    return render(request, "measures/detail.html", context)


def _setting_forms(
    measure: Measure, rows: list[dict], refused: Refused | None
) -> dict[str, BaseForm]:
    """The four chart actions, each offering the periods of the data, newest first (a long
    series': asking for one, between its first and last); a refused one as it was sent,
    with why."""

    def sent(kind: str) -> dict[str, str] | None:
        return refused["data"] if refused and refused["kind"] == kind else None

    forms: dict[str, BaseForm] = {
        "annotate": AnnotationForm(sent("annotate"), prefix="annotate"),
        "phase": PhaseForm(sent("phase"), prefix="phase"),
        "exclude": ExclusionForm(sent("exclude"), prefix="exclude"),
        "freeze": FreezeForm(
            sent("freeze"), prefix="freeze", initial={"freeze_until": measure.freeze_until}
        ),
    }
    if len(rows) > LONG_SERIES:
        periods = [r["period"] for r in rows]  # in order: the points are read by period
        for key, form in forms.items():
            empty = "Leave it empty for no frozen baseline." if key == "freeze" else ""
            ask_period(form, periods, measure.frequency, optional=empty)
    else:
        _offer_periods(measure, rows, forms)
    if refused and (again := forms.get(refused["kind"])) is not None:
        field = "freeze_until" if refused["kind"] == "freeze" else "period"
        if refused["error"]:
            again.add_error(field, refused["error"])
        again.add_error(None, "Nothing was changed.")
        # The page opens on the refused field, its error read with it (aria-describedby).
        first = next((name for name in again.errors if name in again.fields), field)
        again.fields[first].widget.attrs["autofocus"] = True
    return forms


def _offer_periods(measure: Measure, rows: list[dict], forms: dict[str, BaseForm]) -> None:
    choices = [
        (
            r["period"].isoformat(),
            f"{period_label(r['period'], measure.frequency)} ({format_number(r['plotted'])})",
        )
        for r in reversed(rows)
    ]
    for key, form in forms.items():
        offer_periods(form, choices, blank="(no frozen baseline)" if key == "freeze" else "")


def _refuse(
    request: AuthedRequest, measure: Measure, kind: str, form: BaseForm, error: str = ""
) -> HttpResponse:
    names = [form.add_prefix(name) for name in form.fields]
    request.session[_REFUSED] = Refused(
        measure=measure.pk, kind=kind, error=error,
        data={name: request.POST.get(name, "")[:2_000] for name in names},
    )  # fmt: skip
    # No #settings: the page then opens on the refused field (browsers skip autofocus where
    # the address names an element to scroll to).
    return redirect(measure_url(measure))


def second_chart(request: AuthedRequest, pk: int) -> HttpResponse:
    """The spec of the chart drawn under a long series' chart, fetched by the page as it
    scrolls to it (404 where the measure has none)."""
    measure = measure_for(request.user, pk)
    try:
        spec = analysis.moving_range_spec(measure, width="container")
    except (spc.SPCError, charts.ChartError):
        spec = None  # the chart above says what is wrong with the data
    if spec is None:
        raise Http404("This chart has no second chart.")
    return JsonResponse(spec)


def _periods(measure: Measure) -> list[datetime.date]:
    return list(measure.data_points.order_by("period").values_list("period", flat=True))


_SETTING_FORMS: dict[str, type[ModelForm]] = {
    "annotate": AnnotationForm,
    "phase": PhaseForm,
    "exclude": ExclusionForm,
}
_DONE = {
    "annotate": "The note was added to the chart.",
    "phase": "A new phase starts there: it has its own centre line and limits. "
    "To undo it, remove the phase under Chart settings.",
    "exclude": "The point is excluded from the calculations (it is still shown, hollow).",
}


@require_POST
def add_setting(request: AuthedRequest, pk: int, kind: str) -> HttpResponse:
    """Annotate a point (anyone who enters data), start a phase or exclude a point (those
    who govern the measure); each is audited."""
    measure = measure_for(request.user, pk, "enter" if kind == "annotate" else "change")
    form_class = _SETTING_FORMS.get(kind)
    if form_class is None:
        raise Http404("Not found")
    form = form_class(request.POST, prefix=kind)
    if form.is_valid():
        period = form.cleaned_data["period"]
        problem = period_problem(
            period, _periods(measure), measure.frequency
        ) or measure.setting_problem(kind, period)
        if not problem:
            with transaction.atomic():
                item = form.save(commit=False)
                item.measure = measure
                item.created_by = request.user
                item.save()
                analysis.refresh(measure)
            messages.success(request, _DONE[kind])
            return redirect(f"{measure_url(measure)}#settings")
        return _refuse(request, measure, kind, form, problem)
    return _refuse(request, measure, kind, form)


@require_POST
def remove_setting(request: AuthedRequest, pk: int, kind: str, item: int) -> HttpResponse:
    measure = measure_for(request.user, pk, "enter")
    found = setting_for(request.user, measure, kind, item)
    if not confirmed(request):
        messages.error(request, NOT_CONFIRMED)
        return redirect(f"{measure_url(measure)}#settings")
    with transaction.atomic():
        found.delete()
        analysis.refresh(measure)
    messages.success(request, "Removed.")
    return redirect(f"{measure_url(measure)}#settings")


@require_POST
def freeze(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = measure_for(request.user, pk, "change")
    form = FreezeForm(request.POST, prefix="freeze")
    until = form.cleaned_data["freeze_until"] if form.is_valid() else None
    problem = until and period_problem(until, _periods(measure), measure.frequency)
    if problem or not form.is_valid():
        return _refuse(request, measure, "freeze", form, problem or "")
    with transaction.atomic():
        measure.freeze_until = form.cleaned_data["freeze_until"]
        measure.save()
        analysis.refresh(measure)
    if measure.freeze_until and measure.phases.exists():
        messages.warning(
            request,
            "The baseline is saved, but it applies only when the chart has no phases: "
            "each phase computes its own centre line.",
        )
    else:
        messages.success(
            request,
            "The baseline is frozen." if measure.freeze_until else "The baseline is unfrozen.",
        )
    return redirect(f"{measure_url(measure)}#settings")


def measure_url(measure: Measure) -> str:
    return reverse("measures:detail", args=[measure.pk])


def download_chart(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    measure = measure_for(request.user, pk)
    if fmt not in analysis.EXPORT_TYPES:
        raise Http404("Not found")
    try:
        data = analysis.render(measure, fmt)
    except (spc.SPCError, charts.ChartError) as exc:
        return HttpResponse(str(exc), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(data, content_type=analysis.EXPORT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{slugify(measure.name)}.{fmt}"'
    return response


def download_csv(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = measure_for(request.user, pk)
    points = list(measure.data_points.all())
    try:
        result = analysis.analyze(measure, points)
    except spc.SPCError:
        result = None
    rows = analysis.table(measure, points, result)
    header = ["period", "value", "denominator", "plotted", "centre_line", "lower_limit",
              "upper_limit", "part", "excluded", "signal"]  # fmt: skip
    if rows:
        lines = [
            [r["period"], r["value"], r["denominator"], r["plotted"], r["cl"], r["lcl"], r["ucl"],
             r["part"], "yes" if r["excluded"] else "", "; ".join(r["reasons"])]
            for r in rows
        ]  # fmt: skip
    else:
        lines = [[p.period, p.value, p.denominator] + [""] * 7 for p in points]
    if measure.subgroups:  # an X̄, R or S chart: each period's measurements, as typed
        header.append("measurements")
        for line, point in zip(lines, points, strict=True):
            line.append(" ".join(f"{v:g}" for v in point.values or []))
    response = HttpResponse(write_csv(header, lines), content_type=CSV_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slugify(measure.name)}.csv"'
    return response


@cache_control(private=True, max_age=60 * 60 * 24 * 30, immutable=True)
def vega_bundle(request: AuthedRequest, version: str) -> HttpResponse:
    """vega-embed, Vega-Lite and Vega from vl-convert, served by us: no CDN, works offline."""
    if version != charts.VEGA_LITE_VERSION:
        raise Http404("Not found")
    return HttpResponse(charts.vega_embed_bundle(), content_type="text/javascript; charset=utf-8")
