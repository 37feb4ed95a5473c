"""The measures part of the REST API: units, measures, pushing data points, analysis and charts.

Endpoints act as the token's person through the same permission helpers and
validation as the pages; writes are attributed to them in the audit log. A bad
point rejects the whole request with 422 and one message per bad point.
"""

from __future__ import annotations

from typing import Any, Literal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from champion import charts, spc
from champion.accounts.models import PATH_SEPARATOR, Unit
from champion.accounts.permissions import unit_for
from champion.core import audit, limits
from champion.core.api_errors import Problem, problem, responses
from champion.core.api_pages import PageQuery, page_of
from champion.core.permissions import require
from champion.measures import analysis
from champion.measures.data import Row, check_rows
from champion.measures.models import (
    NEEDS_DENOMINATOR,
    ChartType,
    DataPoint,
    Measure,
    editable_units,
)
from champion.measures.permissions import measure_for
from champion.measures.services import define_measure, record_data

router = Router(tags=["measures"])


class UnitOut(Schema):
    id: int
    name: str
    path: str


class MeasureIn(Schema):
    name: str
    unit: int
    chart: str = "run"
    improvement: Literal["up", "down"] | None = None
    target: float | None = None
    definition: str = ""
    numerator: str = ""
    denominator: str = ""
    kind: Literal["outcome", "process", "balancing"] = "outcome"
    frequency: Literal["daily", "weekly", "monthly", "quarterly", "event"] = "monthly"
    unit_label: str | None = None
    #: Omitted: 100 for P and P′ charts (percentages, so a target of 90 means 90 %), else 1.
    multiply: float | None = None
    #: Specification limits of a measurement (for the capability of a stable process).
    spec_lower: float | None = None
    spec_upper: float | None = None


class MeasureOut(Schema):
    id: int
    name: str
    unit: int
    chart: str
    improvement: str | None
    target: float | None
    unit_label: str
    multiply: float
    points: int
    url: str


class PointIn(Schema):
    # Any, not float: the checks below give one readable message per bad point.
    period: Any = None
    value: Any = None
    denominator: Any = None
    #: An X̄, R or S chart's measurements at this period (2 to 25); `value` is then left out.
    values: list[Any] | None = None


class DataIn(Schema):
    points: list[PointIn]


class Saved(Schema):
    saved: int
    created: int
    updated: int


def _out(m: Measure, points: int | None = None) -> dict[str, Any]:
    """A measure as the API gives it; `points` when already counted (the lists count every
    measure's points in one query)."""
    points = m.data_points.count() if points is None else points
    return {
        "id": m.pk, "name": m.name, "unit": m.unit_id, "chart": m.chart,
        "improvement": m.improvement or None, "target": m.target, "unit_label": m.unit_label,
        "multiply": m.multiply, "points": points, "url": f"/measures/{m.pk}/",
    }  # fmt: skip


@router.get(
    "/units", response=responses({200: list[UnitOut]}), summary="Units the token's person may see"
)
def units(request: HttpRequest, response: HttpResponse, paging: PageQuery) -> list[dict[str, Any]]:
    visible = Unit.objects.visible_to(request.user)
    page = page_of(request, response, visible.order_by("path", "pk"), paging)
    above = {int(i) for u in page for i in u.path.strip("/").split("/")}
    names = dict(visible.filter(pk__in=above).values_list("pk", "name"))
    return [
        {
            "id": u.pk,
            "name": u.name,
            "path": PATH_SEPARATOR.join(
                names.get(int(i), "?") for i in u.path.strip("/").split("/")
            ),
        }
        for u in page
    ]


@router.get(
    "/measures",
    response=responses({200: list[MeasureOut]}),
    summary="Measures the token's person may see",
)
def list_measures(
    request: HttpRequest, response: HttpResponse, paging: PageQuery, unit: int | None = None
) -> list[dict[str, Any]]:
    measures = Measure.objects.visible_to(request.user)
    if unit is not None:
        measures = measures.within(unit_for(request.user, unit))
    ordered = measures.order_by("unit__path", "name", "pk")
    page = page_of(request, response, ordered, paging)
    points = dict(
        DataPoint.objects.filter(measure__in=[m.pk for m in page])
        .values("measure")
        .annotate(n=Count("pk"))
        .values_list("measure", "n")
    )
    return [_out(m, points.get(m.pk, 0)) for m in page]


@router.post("/measures", response=responses({201: MeasureOut}), summary="Define a measure")
def create_measure(request: HttpRequest, payload: MeasureIn) -> Any:
    user: Any = request.user  # the token's person (TokenAuth), never anonymous here
    unit = Unit.objects.visible_to(user).filter(pk=payload.unit).first()
    if unit is None:
        return 422, problem(f"There is no unit {payload.unit} that you can see.")
    require(
        editable_units(user).filter(pk=unit.pk).exists(),
        "You may not define measures for this unit.",
    )
    if payload.chart not in ChartType.values:
        return 422, problem(
            f"Unknown chart '{payload.chart}'; use one of {', '.join(ChartType.values)}."
        )
    # Free text has the same limits as the measure form (core.limits); names are model fields
    # whose length `define_measure`'s full_clean checks.
    for field, text in (
        ("definition", payload.definition),
        ("numerator", payload.numerator),
        ("denominator", payload.denominator),
    ):
        if message := limits.too_long(text, limits.TEXT, field):
            return 422, problem(f"The measure was not created. {message}")
    percent = payload.chart in ("p", "pp")
    measure = Measure(
        unit=unit, name=payload.name.strip(), chart=payload.chart,
        improvement=payload.improvement or "", target=payload.target,
        definition=payload.definition.strip() or payload.name.strip(),
        unit_label=payload.unit_label if payload.unit_label is not None else ("%" if percent else ""),
        multiply=payload.multiply if payload.multiply is not None else (100.0 if percent else 1.0),
        numerator=payload.numerator, kind=payload.kind, frequency=payload.frequency,
        spec_lower=payload.spec_lower, spec_upper=payload.spec_upper,
        # Rates and percentages need a denominator definition; say where it came from.
        denominator=payload.denominator
        or ("(not described; created through the API)" if payload.chart in NEEDS_DENOMINATOR else ""),
    )  # fmt: skip
    try:
        # The same service, so the same rules, as the measure form.
        with audit.acting_as(user):
            define_measure(measure, by=user)
    except ValidationError as exc:
        return 422, problem("The measure was not created. " + _messages(exc))
    return 201, _out(measure)


def _messages(exc: ValidationError) -> str:
    if not hasattr(exc, "message_dict"):
        return " ".join(exc.messages)
    parts = []
    for field, messages in exc.message_dict.items():
        text = " ".join(messages)
        parts.append(text if field == NON_FIELD_ERRORS else f"{field}: {text}")
    return " ".join(parts)


@router.get("/measures/{measure_id}", response=responses({200: MeasureOut}), summary="One measure")
def get_measure(request: HttpRequest, measure_id: int) -> Any:
    return 200, _out(measure_for(request.user, measure_id))


@router.post(
    "/measures/{measure_id}/data",
    response=responses({200: Saved}),
    summary="Add or update data points (all or nothing)",
)
def push_data(request: HttpRequest, measure_id: int, payload: DataIn) -> Any:
    measure = measure_for(request.user, measure_id, "enter")
    if not payload.points:
        return 422, problem("Send at least one point.")
    # The JSON values go to the one parser as they are: no number is turned into text.
    rows = [
        Row(
            line=i,
            period_in=p.period,
            value_in=p.value,
            denominator_in=p.denominator,
            values_in=list(p.values or []),
        )
        for i, p in enumerate(payload.points)
    ]
    bad = check_rows(measure, rows, line_word="point")
    if bad:
        return 422, problem(
            f"Nothing was saved: {len(bad)} of {len(rows)} points are not valid.",
            [
                {"index": r.line, "period": r.period_text, "message": " ".join(r.errors)}
                for r in bad
            ],
        )
    with audit.acting_as(request.user):
        saved = record_data(measure, [r.point for r in rows if r.point is not None])
    return 200, {"saved": len(rows), "created": saved.created, "updated": saved.updated}


@router.get(
    "/measures/{measure_id}/analysis",
    response=responses({200: dict[str, Any]}),
    summary="The current analysis (Analysis.to_dict())",
)
def get_analysis(request: HttpRequest, measure_id: int) -> Any:
    measure = measure_for(request.user, measure_id)
    try:
        result = analysis.analyze(measure)
    except spc.SPCError as exc:
        return 422, problem(str(exc))
    body: dict[str, Any] = (
        result.to_dict()
        if result is not None
        else {"chart": measure.chart, "points": {}, "parts": [], "variation_icon": None,
              "assurance_icon": None}
    )  # fmt: skip
    body["settings"] = {
        "phases": [{"period": p.period, "label": p.label} for p in measure.phases.all()],
        "freeze_until": measure.freeze_until,
        "exclusions": [
            {"period": e.period, "reason": e.reason} for e in measure.exclusions_set.all()
        ],
        "annotations": [{"period": a.period, "text": a.text} for a in measure.annotations.all()],
        "multiply": measure.multiply,
        "improvement": measure.improvement or None,
        "target": measure.target,
    }
    return 200, body


class SignalOut(Schema):
    start: str | float
    end: str | float
    kind: str
    direction: Literal["up", "down"] | None
    category: Literal["improvement", "concern", "neither"]
    rules: list[str]
    text: str
    part: int


class PhaseOut(Schema):
    part: int
    start: str | float
    end: str | float
    n: int
    enough_data: bool
    cl: float | None


class SummaryOut(Schema):
    headline: str
    enough_data: bool
    signals: list[SignalOut]
    phases: list[PhaseOut]
    rule_set: str


@router.get(
    "/measures/{measure_id}/summary",
    response=responses({200: SummaryOut}),
    summary="What the chart says: one headline and the signals, grouped (as on the page)",
    description=(
        "`headline` speaks of the current phase; `enough_data` is false while it has fewer "
        "points than its limits (12) or its runs analysis (10) need. Each signal is a pattern "
        "of consecutive points from `start` to `end` (periods): `kind` is shift, trend, "
        "outside, two-of-three, four-of-five, runs, mixture, alternating, hugging or other; "
        "`direction` is up or down (null for runs, which have no side); `category` is judged "
        "against the measure's better direction. `rule_set` is the rule set read with the "
        "Anhøj runs analysis."
    ),
)
def get_summary(request: HttpRequest, measure_id: int) -> Any:
    measure = measure_for(request.user, measure_id)
    try:
        result = analysis.analyze(measure)
    except spc.SPCError as exc:
        return 422, problem(str(exc))
    return 200, analysis.verdict(measure, result).to_dict()


@router.get(
    "/measures/{measure_id}/chart.{fmt}",
    # 200 is the file itself, documented below with its three media types; 409 when the
    # measure's data cannot be drawn yet.
    response=responses({409: Problem}),
    summary="The chart as SVG, PNG or PDF",
    openapi_extra={
        "responses": {
            200: {
                "description": "The chart: `fmt` is svg, png or pdf (any other is 404).",
                "content": {
                    media: {"schema": {"type": "string", "format": "binary"}}
                    for media in analysis.EXPORT_TYPES.values()
                },
            }
        }
    },
)
def get_chart(request: HttpRequest, measure_id: int, fmt: str) -> Any:
    measure = measure_for(request.user, measure_id)
    if fmt not in analysis.EXPORT_TYPES:
        return 404, problem("Use chart.svg, chart.png or chart.pdf.")
    try:
        data = analysis.render(measure, fmt)
    except (spc.SPCError, charts.ChartError) as exc:
        return 409, problem(str(exc))
    return HttpResponse(data, content_type=analysis.EXPORT_TYPES[fmt])
