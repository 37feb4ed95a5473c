"""`own_data` exercises: the learner's own unit's measures in place of the bundled charts.

A measure qualifies when it belongs to one of the learner's units (their home unit first),
is visible to them, has a better direction and a chart with limits, and has at least the
engine's minimum of points for limits. The measures are picked in the database (one query,
limited to the number of charts the exercise has), so the cost does not grow with the
number of measures. The page posts the chosen measure ids back; grading re-checks each
through the measures' permission helper and the same rule, and recomputes every answer
from the measure's own analysis (never from posted data).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404

from champion import spc
from champion.accounts.models import Role
from champion.accounts.people import home_unit
from champion.learning.grading import GradingError, mdc
from champion.learning.models import Exercise
from champion.measures import analysis as measure_analysis
from champion.measures.models import Measure
from champion.measures.permissions import measure_for
from champion.measures.templatetags.measure_tags import period as period_label

#: The engine's own minimum of points for limits (`spc.MIN_POINTS`).
MIN_POINTS = spc.MIN_POINTS["limits"]

REFUSED = (
    "These charts are not ones you can use for this exercise (a measure was removed, moved "
    "or is not in your units). Open the exercise again. Nothing was recorded."
)


def eligible(user: Any) -> QuerySet[Measure]:
    """The learner's own units' measures that the exercise can grade, home unit first."""
    units = [u.pk for u in user.units_with_roles(*Role.values)]
    if not units:
        return Measure.objects.none()
    home = home_unit(user)
    return (
        Measure.objects.visible_to(user)
        .filter(unit_id__in=units, chart__in=mdc.LIMIT_CHARTS)
        .exclude(improvement="")
        .annotate(point_count=Count("data_points"))
        .filter(point_count__gte=MIN_POINTS)
        .annotate(
            home_first=Case(
                When(unit_id=home.pk if home else None, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("unit")
        .order_by("home_first", "unit__path", "name", "pk")
    )


def _prefetched(rows: QuerySet[Measure]) -> QuerySet[Measure]:
    return rows.prefetch_related("data_points", "phases", "annotations", "exclusions_set")


def measure_chart(measure: Measure) -> dict[str, Any] | None:
    """One measure as an exercise chart: its latest analysis, its own target; None when the
    engine cannot give it both icons."""
    try:
        series = measure_analysis.series(measure)
        result = measure_analysis.analyze(measure, list(measure.data_points.all()))
    except spc.SPCError:
        return None
    if result is None or result.variation_icon not in mdc.VARIATION_CHOICES:
        return None
    return {
        "measure_id": measure.pk,
        "title": f"{measure.name} ({measure.unit.name})",
        "unit_name": measure.unit.name,
        "chart": measure.chart,
        "y": [float(v) for v in result.points["y"]],
        "x": [period_label(d, measure.frequency) for d in series.periods],
        "improvement": measure.improvement,
        "target": measure.target,
        "analysis": result,
    }


def own_charts(user: Any, count: int) -> list[dict[str, Any]]:
    """Up to `count` of the learner's measures as charts (empty: use the bundled ones)."""
    charts = []
    for measure in _prefetched(eligible(user)[:count]):
        chart = measure_chart(measure)
        if chart is not None:
            charts.append(chart)
    return charts


def posted_ids(post: Any) -> list[str]:
    getlist = getattr(post, "getlist", None)
    raw = getlist("measure") if getlist else post.get("measure", [])
    return [str(v) for v in ([raw] if isinstance(raw, str) else raw)]


def exercise_data(user: Any, exercise: Exercise, post: Any = None) -> dict[str, Any]:
    """The exercise's data as this learner sees it: with their own charts when the exercise
    asks for them and they have some, else the bundled charts.

    Showing (`post` None) picks the measures; grading takes the ids the page posted and
    re-checks each (visible through `measure_for`, still eligible): a tampered or stale id
    raises GradingError, and nothing is graded.
    """
    data = exercise.data
    if exercise.kind != "mdc_icons" or not data.get("own_data"):
        return data
    limit = len(data["charts"])
    if post is None:
        charts = own_charts(user, limit)
        return {**data, "charts": charts, "own": True} if charts else data
    ids = posted_ids(post)
    if not ids:
        return data
    if len(ids) > limit or len(set(ids)) != len(ids) or not all(i.isdigit() for i in ids):
        raise GradingError(REFUSED)
    for pk in ids:
        try:
            measure_for(user, pk, "view")  # the one permission helper for measures
        except (Http404, PermissionDenied):
            raise GradingError(REFUSED) from None
    found = {m.pk: m for m in _prefetched(eligible(user).filter(pk__in=[int(i) for i in ids]))}
    charts = []
    for pk in ids:
        measure = found.get(int(pk))
        chart = measure_chart(measure) if measure is not None else None
        if chart is None:
            raise GradingError(REFUSED)
        charts.append(chart)
    return {**data, "charts": charts, "own": True}
