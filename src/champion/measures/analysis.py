"""A measure's data through the SPC engine: the analysis, its chart, and the cached summary.

Chart settings are stored as periods; here they become the engine's positions. After
every change of data or settings `refresh` recomputes the analysis once and stores a
small summary on the measure (icons, last value, flagged periods, a sparkline), so
boards and lists never analyse anything while a person waits. `refresh` also decides
whether new data created a new signal, and tells the owners and unit leaders.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from champion import charts, spc
from champion.accounts.people import leaders_of
from champion.measures.models import DataPoint, Measure

RULES = ("anhoej", "mdc")
SPARK_POINTS = 36  # three years of months: enough to see a shift, small enough to store


@dataclass(frozen=True)
class Series:
    """A measure's points with its chart settings turned into positions."""

    periods: list[datetime.date]
    values: list[float]
    denominators: list[float | None]
    parts: list[int]
    freeze: int | None
    exclude: list[int]


def series(measure: Measure, points: list[DataPoint] | None = None) -> Series:
    """The points in period order, with phases, the frozen baseline and exclusions as positions."""
    if points is None:
        points = list(measure.data_points.order_by("period"))
    periods = [p.period for p in points]
    parts: list[int] = []
    for phase in measure.phases.order_by("period"):
        # A phase starts at the first point on or after its date; position 0 is already a start.
        pos = next((i for i, d in enumerate(periods) if d >= phase.period), None)
        if pos and pos not in parts:
            parts.append(pos)
    freeze = None
    if measure.freeze_until and not parts:
        count = sum(1 for d in periods if d <= measure.freeze_until)
        freeze = count if 0 < count < len(periods) else None
    excluded = set(measure.exclusions_set.values_list("period", flat=True))
    return Series(
        periods=periods,
        values=[p.value for p in points],
        denominators=[p.denominator for p in points],
        parts=parts,
        freeze=freeze,
        exclude=[i for i, d in enumerate(periods) if d in excluded],
    )


def engine_arguments(measure: Measure, s: Series) -> dict[str, Any]:
    """The keyword arguments of `spc.analyze` for this measure and series."""
    n = None
    if measure.takes_denominator and any(d is not None for d in s.denominators):
        n = [math.nan if d is None else d for d in s.denominators]
    return {
        "y": s.values,
        "x": _dates(s.periods),
        "n": n,
        "chart": measure.chart,
        "parts": s.parts or None,
        "freeze": s.freeze,
        "exclude": s.exclude or None,
        "multiply": measure.multiply or 1.0,
        "rules": RULES,
        "improvement": measure.improvement or None,
        "target": measure.target,
    }


def _dates(periods: list[datetime.date]) -> Any:
    return np.array(periods, dtype="datetime64[D]")


def analyze(measure: Measure, points: list[DataPoint] | None = None) -> spc.Analysis | None:
    """The measure's analysis, or None when it has no data yet. Raises spc.SPCError."""
    s = series(measure, points)
    if not s.values:
        return None
    return spc.analyze(**engine_arguments(measure, s))


def chart_spec(
    measure: Measure, analysis: spc.Analysis, *, width: int | str | None = None
) -> dict[str, Any]:
    """The Vega-Lite spec of the measure's chart: titled, labelled, with its notes and target."""
    return charts.spc_spec(
        analysis,
        title=measure.name,
        subtitle=f"{measure.get_chart_display()} · {measure.unit.name}",
        y_label=measure.unit_label or "Value",
        show_95=measure.show_2sigma,
        annotations=_notes(measure),
        width=width,
        improvement=measure.improvement or None,
        target=measure.target,
    )


def _notes(measure: Measure) -> list[tuple[datetime.date, str]]:
    """The chart's notes: annotations, and each phase's change unless a note already marks it."""
    notes = [(a.period, a.text) for a in measure.annotations.all()]
    marked = {period for period, _ in notes}
    notes += [(p.period, p.label) for p in measure.phases.all() if p.period not in marked]
    return sorted(notes)


def _attention(variation: str | None, assurance: str | None, n: int) -> int:
    """Higher needs attention sooner: concern first, then failing targets, then the unclear."""
    if n == 0:
        return -1
    score = 0
    if variation == "special_cause_concern":
        score += 8
    elif variation == "special_cause_neither":
        score += 2
    if assurance == "consistent_fail":
        score += 4
    elif assurance == "inconsistent":
        score += 1
    return score


def summarise(measure: Measure, analysis: spc.Analysis | None, error: str = "") -> dict[str, Any]:
    if analysis is None:
        return {"n": 0, "attention": -1, "error": error}
    reasons = charts.signal_reasons(analysis, improvement=measure.improvement or None)
    d = analysis.to_dict()["points"]
    n = len(d["y"])
    flagged = [str(r["x"])[:10] for r in reasons if r["category"] != "common"]
    outside = d.get("sigma_signal") or [False] * n
    # What each flagged point shows and the period before it, so that `refresh` can tell a new
    # signal from a known one that goes on (a shift gaining its 13th point is not news).
    marks = {
        str(r["x"])[:10]: [
            r["category"],
            r["direction"],
            bool(outside[i]),
            str(reasons[i - 1]["x"])[:10] if i else None,
        ]
        for i, r in enumerate(reasons)
        if r["category"] != "common"
    }
    last = reasons[-1]
    first = max(0, n - SPARK_POINTS)
    variation = _icon_name("variation", analysis.variation_icon)
    assurance = _icon_name("assurance", analysis.assurance_icon)
    return {
        "n": n,
        "last_period": str(d["x"][-1])[:10],
        "last_value": d["y"][-1],
        "cl": d["cl"][-1],
        "lcl": d["lcl"][-1],
        "ucl": d["ucl"][-1],
        "variation": variation,
        "assurance": assurance,
        "flagged": flagged,
        "marks": marks,
        # Only when the latest point is itself a special cause; part-wide patterns are
        # reported by runs_signal.
        "last_reasons": [t for t in last["reasons"] if t not in last.get("part_reasons", [])]
        if last["category"] != "common"
        else [],
        "direction": last["direction"],
        "runs_signal": any(p["runs_signal"] for p in analysis.parts),
        "attention": _attention(variation, assurance, n),
        "spark": {
            "y": d["y"][first:],
            "cl": d["cl"][first:],
            "cat": [r["category"] for r in reasons[first:]],
        },
        "error": "",
    }


# The engine's icon names, mapped to the Making Data Count names the board draws.
_VARIATION = {
    "common_cause": "common_cause",
    "improvement": "special_cause_improvement",
    "concern": "special_cause_concern",
    "neither": "special_cause_neither",
}
_ASSURANCE = {"pass": "consistent_pass", "fail": "consistent_fail", "hit_and_miss": "inconsistent"}


def _icon_name(kind: str, value: str | None) -> str | None:
    if value is None:
        return None
    table = _VARIATION if kind == "variation" else _ASSURANCE
    return table.get(value, value)


def refresh(
    measure: Measure, *, notify_new_signals: bool = False, since: datetime.date | None = None
) -> dict[str, Any]:
    """Recompute and store the measure's summary; notify people when new data made a new signal.

    `since` is the earliest period the new data touched: a centre line moved by new points can
    flag older history, which is not a signal that the new data created there."""
    old = measure.summary or {}
    try:
        result = analyze(measure)
        summary = summarise(measure, result)
    except (spc.SPCError, charts.ChartError) as exc:
        summary = summarise(measure, None, error=str(exc))
    Measure.objects.filter(pk=measure.pk).update(summary=summary, summary_at=timezone.now())
    measure.summary = summary
    new = [p for p in new_signals(old, summary) if since is None or p >= since.isoformat()]
    if notify_new_signals and new and old.get("n"):
        transaction.on_commit(lambda: _notify(measure, new, summary))
    return summary


def new_signals(old: dict[str, Any], summary: dict[str, Any]) -> list[str]:
    """Periods flagged now that are news: not flagged before, and not the next point of a pattern
    people were already told about (the same kind of signal at the point just before). A point
    beyond the control limits is always news."""
    before = set(old.get("flagged", []))
    old_marks = old.get("marks") or {}
    marks = summary.get("marks") or {}
    news = []
    for period in sorted(set(summary.get("flagged", [])) - before):
        mark = marks.get(period)
        if mark is not None and not mark[2] and mark[3] in before:
            category, direction, _, previous = mark
            known = old_marks.get(previous)
            if known is None or (known[0], known[1]) == (category, direction):
                continue  # the same pattern, one point longer
        news.append(period)
    return news


def _notify(measure: Measure, new: list[str], summary: dict[str, Any]) -> None:
    from champion.core.notify import notify

    # The unit's leaders, or the nearest above when the unit has none of its own (as ideas).
    people = [*measure.owners.all(), *leaders_of(measure.unit)]
    reasons = summary.get("last_reasons") or []
    latest = summary.get("last_period")
    body = (
        f"New data on '{measure.name}' ({measure.unit.name}) show a signal at "
        f"{len(new)} point{'s' if len(new) != 1 else ''}"
        # The first reason is the headline; the chart page lists them all.
        + (f", the latest on {latest}: {reasons[0]}." if latest in new and reasons else ".")
    )
    notify(
        people,
        f"New signal: {measure.name}",
        body,
        reverse("measures:detail", args=[measure.pk]),
    )


EXPORT_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def render(measure: Measure, fmt: str) -> bytes:
    """The measure's chart as SVG, PNG or PDF bytes (for downloads, the API and reports)."""
    result = analyze(measure)
    if result is None:
        raise charts.ChartError("The measure has no data yet, so there is no chart to draw.")
    return charts.export(chart_spec(measure, result, width=720), fmt)


def table(
    measure: Measure, points: list[DataPoint], result: spc.Analysis | None
) -> list[dict[str, Any]]:
    """One row per point for the accessible table and the CSV: as entered, as plotted, and why flagged."""
    if result is None:
        return []
    d = result.to_dict()["points"]
    reasons = charts.signal_reasons(result, improvement=measure.improvement or None)
    rows = []
    for i, point in enumerate(points):
        part_level = reasons[i].get("part_reasons", [])
        rows.append(
            {
                "period": point.period,
                "value": point.value,
                "denominator": point.denominator,
                "plotted": d["y"][i],
                "cl": d["cl"][i],
                "lcl": d["lcl"][i],
                "ucl": d["ucl"][i],
                "part": d["part"][i],
                "excluded": not d["include"][i],
                "category": reasons[i]["category"],
                "reasons": reasons[i]["reasons"],
                # What this point itself shows; patterns of the whole part are said once.
                "point_reasons": [t for t in reasons[i]["reasons"] if t not in part_level],
                "part_reasons": part_level,
            }
        )
    return rows
