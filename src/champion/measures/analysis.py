"""A measure's data through the SPC engine: the analysis, its chart, the summary and signals.

Chart settings are stored as periods; here they become the engine's positions. After
every change of data or settings the service that made it calls `refresh`, which
analyses once and stores three things: the whole analysis (`StoredAnalysis`, which the
chart page reuses while nothing has changed), a small typed `Summary` on the measure
(icons, last value, a sparkline) that boards read, and the `Signal` rows. A signal with
no row yet is new: after new data, the owners and unit leaders are told of it, once.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from django.db import connection, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

import champion
from champion import charts, spc
from champion.accounts.people import leaders_of
from champion.core.notify import notify
from champion.core.words import quoted
from champion.measures import impact as impact_of
from champion.measures.models import (
    CAPABILITY_CHARTS,
    Annotation,
    DataPoint,
    Measure,
    Phase,
    Signal,
    StoredAnalysis,
)
from champion.measures.summary import SPARK_POINTS, Spark, Summary
from champion.measures.summary import VERSION as SUMMARY_VERSION
from champion.measures.templatetags.measure_tags import period as period_label
from champion.measures.templatetags.measure_tags import period_in_words

#: The rule sets always requested: the Anhøj runs analysis (always computed) and the Making
#: Data Count rules, whose icons are shown wherever a measure appears whichever set the
#: signals follow.
RULES = ("anhoej", "mdc")


def rules_for(measure: Measure) -> tuple[str, ...]:
    """The engine's `rules` for a measure: the always-requested sets and the one it follows."""
    return tuple(dict.fromkeys((*RULES[:1], measure.rules_used, *RULES[1:])))


def narrowed(analysis: spc.Analysis, rule_set: str) -> spc.Analysis:
    """The analysis as the chosen rule set reads it: the other sets' rule columns removed (the
    Making Data Count icons stay), so the verdict, the chart's colours and the signals follow
    that set alone and `spc.verdict` names it."""
    keep = (*RULES[:1], rule_set) if rule_set != RULES[0] else RULES[:1]
    points = {k: v for k, v in analysis.points.items()
              if ":" not in k or k.split(":", 1)[0] in keep}  # fmt: skip
    options = {**analysis.options, "rules": keep}
    return dataclasses.replace(analysis, points=points, options=options)


@dataclass(frozen=True)
class Series:
    """A measure's points with its chart settings turned into positions."""

    periods: list[datetime.date]
    values: list[float]
    denominators: list[float | None]
    parts: list[int]
    freeze: int | None
    exclude: list[int]
    #: A subgroup chart's measurements, one tuple per period (None for other charts).
    subgroups: list[tuple[float, ...]] | None = None


class PointRow(NamedTuple):
    """What `series` reads of a point, read as a tuple (`points_of`): building a model
    instance per point cost a third of re-analysing thousands of measures."""

    period: datetime.date
    value: float | None
    denominator: float | None
    values: list[float] | None


def points_of(measures: Any, end: datetime.date | None = None) -> dict[int, list[PointRow]]:
    """The points of many measures (ids, or a queryset of measures), each measure's in period
    order, up to `end` when given: one query, tuples rather than model instances."""
    rows = DataPoint.objects.filter(measure__in=measures)
    if end is not None:
        rows = rows.filter(period__lte=end)
    # A subgroup chart's measurements (JSON) are read apart, only where there are some:
    # decoding a JSON column on every row cost four times the rest of the query.
    measured = {
        (measure_id, period): values
        for measure_id, period, values in rows.filter(values__isnull=False).values_list(
            "measure_id", "period", "values"
        )
    }
    out: dict[int, list[PointRow]] = {}
    for measure_id, period, value, denominator in rows.order_by("measure_id", "period").values_list(
        "measure_id", "period", "value", "denominator"
    ):
        out.setdefault(measure_id, []).append(
            PointRow(period, value, denominator, measured.get((measure_id, period)))
        )
    return out


def series(
    measure: Measure, points: Sequence[DataPoint] | Sequence[PointRow] | None = None
) -> Series:
    """The points in period order, with phases, the frozen baseline and exclusions as positions."""
    # `.all()` in the models' own (period) order, so a prefetched batch costs no query here.
    if points is None:
        points = list(measure.data_points.all())
    periods = [p.period for p in points]
    parts: list[int] = []
    for phase in measure.phases.all():
        # A phase starts at the first point on or after its date; position 0 is already a start.
        pos = next((i for i, d in enumerate(periods) if d >= phase.period), None)
        if pos and pos not in parts:
            parts.append(pos)
    freeze = None
    if measure.freeze_until and not parts:
        count = sum(1 for d in periods if d <= measure.freeze_until)
        freeze = count if 0 < count < len(periods) else None
    excluded = {e.period for e in measure.exclusions_set.all()}
    subgroups = None
    if measure.subgroups:
        subgroups = [tuple(p.values or ((p.value,) if p.value is not None else ())) for p in points]
    return Series(
        periods=periods,
        # A T chart's first event starts the count: no value, a missing point to the engine.
        values=[math.nan if p.value is None else p.value for p in points],
        subgroups=subgroups,
        denominators=[p.denominator for p in points],
        parts=parts,
        freeze=freeze,
        exclude=[i for i, d in enumerate(periods) if d in excluded],
    )


def has_values(s: Series) -> bool:
    """Whether the series has a number to chart (a T chart's first event alone has none: it
    only starts the count)."""
    return any(not math.isnan(v) for v in s.values)


def engine_arguments(measure: Measure, s: Series) -> dict[str, Any]:
    """The keyword arguments of `spc.analyze` for this measure and series."""
    n = None
    if measure.takes_denominator and any(d is not None for d in s.denominators):
        n = [math.nan if d is None else d for d in s.denominators]
    y: list[float] = s.values
    x = _dates(s.periods)
    if measure.from_event_dates and len(set(s.periods)) < len(s.periods):
        x = _event_times(s.periods)
    if s.subgroups is not None:
        # One row per measurement; the engine makes each period's rows one subgroup.
        y = [v for group in s.subgroups for v in group]
        x = _dates([d for d, group in zip(s.periods, s.subgroups, strict=True) for _ in group])
    return {
        "y": y,
        "x": x,
        "n": n,
        "chart": measure.chart,
        "parts": s.parts or None,
        "freeze": s.freeze,
        "exclude": s.exclude or None,
        "multiply": measure.multiply or 1.0,
        "rules": rules_for(measure),
        "improvement": measure.improvement or None,
        "target": measure.target,
    }


def _dates(periods: list[datetime.date]) -> Any:
    return np.array(periods, dtype="datetime64[D]")


def _event_times(periods: list[datetime.date]) -> Any:
    """A T chart's events as times, so each event is its own point (the engine groups equal x
    values): the k events of one date spread over that day (at 0, 1/k, 2/k… of it). Only the
    order matters to the chart; the gaps are the points' values (`SAME_DAY_GAP`)."""
    per_day = Counter(periods)
    seen: Counter[datetime.date] = Counter()
    minutes = []
    for day in periods:
        minutes.append(seen[day] * (24 * 60) // per_day[day])
        seen[day] += 1
    times = np.array(periods, dtype="datetime64[D]").astype("datetime64[m]")
    return times + np.array(minutes, dtype="timedelta64[m]")


def fingerprint(arguments: dict[str, Any]) -> str:
    """A digest of everything an analysis is computed from, with the engine's version, so a
    stored analysis is reused only while nothing it depends on has changed."""
    plain = {k: (v.astype(str).tolist() if isinstance(v, np.ndarray) else v)
             for k, v in arguments.items()}  # fmt: skip
    text = json.dumps([champion.__version__, plain], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def inputs_digest(measure: Measure, arguments: dict[str, Any] | None) -> str:
    """A digest of everything any month's analysis of the measure is computed from: the engine's
    arguments for its whole series (`fingerprint`: points, settings, rules, engine version) and
    the settings a shorter series may read differently (the phases' and exclusions' dates, the
    frozen baseline, which `fingerprint` may not show when they fall after the last point or
    beside a phase). Computed even when the engine refuses the data, so an error that stays an
    error still marks a change. A kept month summary is valid only while this is unchanged."""
    settings = [
        champion.__version__,
        SUMMARY_VERSION,
        measure.rules_used,
        measure.chart,
        measure.improvement,
        measure.target,
        measure.multiply,
        measure.freeze_until,
        sorted(p.period for p in measure.phases.all()),
        sorted(e.period for e in measure.exclusions_set.all()),
    ]
    text = json.dumps([fingerprint(arguments) if arguments else "", settings], default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def analyze(
    measure: Measure, points: list[DataPoint] | None = None, *, reuse: bool = True
) -> spc.Analysis | None:
    """The measure's analysis, or None when it has no data yet. Raises spc.SPCError.

    It holds every rule set requested (`rules_for`); what the page and the verdict read is
    `narrowed` to the measure's rule set.

    The analysis stored by the last `refresh` is used when its inputs are the same (`reuse`);
    otherwise the engine computes it."""
    s = series(measure, points)
    if not has_values(s):
        return None
    arguments = engine_arguments(measure, s)
    if reuse:
        stored = StoredAnalysis.objects.filter(
            measure=measure, fingerprint=fingerprint(arguments)
        ).first()
        if stored is not None:
            return spc.Analysis.from_dict(stored.data, x_kind=stored.x_kind)
    return spc.analyze(**arguments)


def chart_spec(
    measure: Measure, analysis: spc.Analysis, *, width: int | str | None = None
) -> dict[str, Any]:
    """The Vega-Lite spec of the measure's chart: titled, labelled, with its notes and target;
    its points coloured by the measure's rule set."""
    return charts.spc_spec(
        narrowed(analysis, measure.rules_used),
        title=measure.name,
        subtitle=f"{measure.get_chart_display()} · {measure.unit.name}",
        y_label=measure.unit_label or "Value",
        show_95=measure.show_2sigma,
        annotations=_notes(measure),
        width=width,
        improvement=measure.improvement or None,
        target=measure.target,
    )


def has_second_chart(measure: Measure) -> bool:
    """Whether the measure's chart has one drawn under it (`moving_range_spec`)."""
    return measure.chart in ("i", "xbar")


def moving_range_spec(measure: Measure, *, width: int | str | None = None) -> dict[str, Any] | None:
    """The chart drawn under the measure's own (None for other charts or without data): under
    an I chart, the engine's mr chart of the same points, phases and exclusions, its centre
    line the mean moving range and its upper limit 3.267 times that; under an X̄ chart, the S
    chart of the same subgroups (the spread within each period)."""
    if not has_second_chart(measure):
        return None
    if measure.chart == "xbar":
        return _spread_spec(measure, width=width)
    s = series(measure)
    if len(s.values) < 2:
        return None
    arguments = engine_arguments(measure, s)
    mr = spc.analyze(
        y=arguments["y"], x=arguments["x"], chart="mr", parts=arguments["parts"],
        freeze=arguments["freeze"], exclude=arguments["exclude"],
        multiply=arguments["multiply"],
    )  # fmt: skip
    return charts.spc_spec(
        mr,
        title=f"{measure.name}: moving range",
        subtitle="The difference between each point and the one before",
        y_label=f"Moving range ({measure.unit_label})" if measure.unit_label else "Moving range",
        width=width,
    )


def _spread_spec(measure: Measure, *, width: int | str | None = None) -> dict[str, Any] | None:
    """The S chart of an X̄ chart's subgroups, with the same phases, baseline and exclusions."""
    s = series(measure)
    if not has_values(s):
        return None
    arguments = engine_arguments(measure, s)
    try:
        spread = spc.analyze(
            y=arguments["y"], x=arguments["x"], chart="s", parts=arguments["parts"],
            freeze=arguments["freeze"], exclude=arguments["exclude"],
            multiply=arguments["multiply"],
        )  # fmt: skip
    except spc.SPCError:
        return None  # the X̄ chart above says what is wrong with the data
    label = measure.unit_label
    return charts.spc_spec(
        spread,
        title=f"{measure.name}: spread within each period",
        subtitle="S chart: the standard deviation of each period's measurements",
        y_label=f"Standard deviation ({label})" if label else "Standard deviation",
        width=width,
    )


#: The word for a measure's points in a verdict ("11 months in a row").
PERIOD_WORDS = {"daily": "days", "weekly": "weeks", "monthly": "months", "quarterly": "quarters"}


def verdict(measure: Measure, result: spc.Analysis | None) -> spc.Verdict:
    """What the chart says, once (`spc.verdict`), in the measure's words: its better direction,
    its periods named as a sentence names them ("In the week of 17 Mar 2025", "On 17 Mar 2025",
    "Since December 2025": `period_in_words`), and "months" or "weeks" for its points.

    When the current part shows a shift that began at or after a tested change (a PDSA
    cycle's mark or a note), the headline says when, after which change (`phase_offer`)."""
    if result is None:
        return spc.Verdict("No data yet.", False, (), (), measure.rules_used)
    said = spc.verdict(
        narrowed(result, measure.rules_used),
        improvement=measure.improvement or None,
        label=lambda d: period_in_words(d, measure.frequency),
        period_word=PERIOD_WORDS.get(measure.frequency, "points"),
    )
    offer = phase_offer(measure, said)
    if offer is None:
        return said
    return dataclasses.replace(said, headline=f"{said.headline} {offer.sentence}")


@dataclass(frozen=True)
class PhaseOffer:
    """A new phase the chart page offers in one click: where a shift began, after which change."""

    period: datetime.date
    label: str
    sentence: str


#: How a PDSA cycle's mark reads on the chart (improvement.measures_link.mark_text).
_PDSA_MARK = re.compile(r"^PDSA(?: (?P<number>\d+))?: (?P<name>.+)$")


def change_name(text: str) -> str:
    """A note as a sentence names it: "PDSA 2 “Bedside handover”", or "the change noted as
    “New rota”" (`core.words.quoted`)."""
    found = _PDSA_MARK.match(text)
    if found is None:
        return f"the change noted as {quoted(text)}"
    number = f" {found['number']}" if found["number"] else ""
    return f"PDSA{number} {quoted(found['name'])}"


def periods_between(
    earlier: datetime.date, later: datetime.date, frequency: str
) -> tuple[int, str]:
    """Whole periods from one date to a later one, with the word: (3, "weeks")."""
    days = (later - earlier).days
    if frequency == "monthly":
        count = (later.year - earlier.year) * 12 + later.month - earlier.month
        return count, "month" if count == 1 else "months"
    if frequency == "quarterly":
        count = ((later.year - earlier.year) * 12 + later.month - earlier.month) // 3
        return count, "quarter" if count == 1 else "quarters"
    if frequency == "weekly":
        count = days // 7
        return count, "week" if count == 1 else "weeks"
    return days, "day" if days == 1 else "days"


def phase_offer(measure: Measure, said: spc.Verdict) -> PhaseOffer | None:
    """The new phase to offer: the latest shift of the current part, when a note (a PDSA
    cycle's mark or a change) falls in that part on or before the shift's first point, and
    no phase starts there yet. The nearest such note is the change named.

    Reads the measure's notes and phases whatever the data (the same queries for every
    chart: pages that show many verdicts cost the same however much data they hold)."""
    notes_all = [(a.period, a.text) for a in measure.annotations.all()]
    phase_starts = {p.period for p in measure.phases.all()}
    if not said.phases or not said.enough_data:
        return None
    current = said.phases[-1]
    shifts = [s for s in said.signals if s.kind == "shift" and s.part == current.part]
    if not shifts:
        return None
    shift = max(shifts, key=lambda s: s.first)
    start, part_start = shift.start, current.start
    if not isinstance(start, datetime.date) or start <= part_start:
        return None  # a shift from the part's first point: the phase is already there
    if start in phase_starts:
        return None
    notes = [(when, text) for when, text in notes_all if part_start <= when <= start]
    if not notes:
        return None
    when, text = max(notes)
    count, word = periods_between(when, start, measure.frequency)
    name = change_name(text)
    verb = "started" if _PDSA_MARK.match(text) else "was made"
    if count == 0:
        delay = "on the day" if word == "days" else f"in the same {word.rstrip('s')} as"
    else:
        delay = f"{count} {word} after"
    sentence = f"The shift began {delay} {name} {verb} ({period_label(when, measure.frequency)})."
    return PhaseOffer(period=start, label=text[:120], sentence=sentence)


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
    score = {"concern": 8, "neither": 2}.get(variation or "", 0)
    return score + {"fail": 4, "hit_and_miss": 1}.get(assurance or "", 0)


def summarise(
    measure: Measure, analysis: spc.Analysis | None, meaning: Sequence[spc.PointMeaning] = ()
) -> Summary:
    """The small summary boards read: the last point, the icons and a sparkline (never a list
    that grows with the series; the signals are `Signal` rows)."""
    if analysis is None:
        return Summary()
    d = _columns(analysis, "y", "cl", "lcl", "ucl")
    n = len(analysis)
    last = meaning[-1]
    first = max(0, n - SPARK_POINTS)
    return Summary(
        n=n,
        last_period=analysis.points["x"][-1].astype("datetime64[D]").item(),
        last_value=d["y"][-1],
        cl=d["cl"][-1],
        lcl=d["lcl"][-1],
        ucl=d["ucl"][-1],
        variation=analysis.variation_icon,
        assurance=analysis.assurance_icon,
        # Only when the latest point is itself a special cause; part-wide patterns are
        # reported by runs_signal.
        last_reasons=last.own_reasons if last.special else (),
        direction=last.direction,
        runs_signal=any(p["runs_signal"] for p in analysis.parts),
        attention=_attention(analysis.variation_icon, analysis.assurance_icon, n),
        spark=Spark(
            y=tuple(d["y"][first:]),
            cl=tuple(d["cl"][first:]),
            cat=tuple(m.category for m in meaning[first:]),
        ),
    )


def measure_impact(measure: Measure, arguments: dict[str, Any] | None) -> impact_of.Impact:
    """The impact of the measure's latest phase (`impact.compute`), labelled with its change."""
    phases = sorted(measure.phases.all(), key=lambda p: p.period)
    label = phases[-1].label if phases else ""
    return impact_of.compute(arguments, rule_set=measure.rules_used, phase_label=label)


def impact(measure: Measure) -> impact_of.Impact:
    """The measure's impact as its last refresh stored it, else computed now."""
    stored = measure.summary.impact
    if stored is not None:
        return stored
    s = series(measure)
    return measure_impact(measure, engine_arguments(measure, s) if s.values else None)


def _columns(analysis: spc.Analysis, *names: str) -> dict[str, list[Any]]:
    """Some of the analysis's columns as Python values (a missing number as None)."""
    out = {}
    for name in names:
        values = analysis.points[name].tolist()
        out[name] = [None if isinstance(v, float) and math.isnan(v) else v for v in values]
    return out


@dataclass(frozen=True)
class Span:
    """A signal as the analysis shows it now: its kind, side and meaning, first and last period."""

    kind: str
    direction: str
    meaning: str
    start: datetime.date
    end: datetime.date

    def overlaps(self, row: Signal) -> bool:
        return (self.kind, self.direction, self.meaning) == (
            row.kind,
            row.direction,
            row.meaning,
        ) and (self.start <= row.end and row.start <= self.end)


def signal_spans(
    periods: Sequence[datetime.date], meaning: Sequence[spc.PointMeaning]
) -> list[Span]:
    """The signals in a series: each point beyond a limit on its own, and each run of
    consecutive special-cause points with the same meaning and side as one pattern (a point
    that is only beyond a limit neither joins nor breaks a pattern)."""
    spans: list[Span] = []
    run: int | None = None  # the position in `spans` of the pattern going on
    for period, m in zip(periods, meaning, strict=True):
        if not m.special:
            run = None
            continue
        direction = m.direction or ""
        if m.outside:
            spans.append(Span(Signal.Kind.OUTSIDE, direction, m.category, period, period))
            if set(m.patterns) == {"outside"}:
                continue
        current = spans[run] if run is not None else None
        if current is not None and (current.direction, current.meaning) == (direction, m.category):
            spans[run] = dataclasses.replace(current, end=period)  # type: ignore[index]
        else:
            run = len(spans)
            spans.append(Span(Signal.Kind.PATTERN, direction, m.category, period, period))
    return spans


def plan_signals(
    measure: Measure, rows: Sequence[Signal], spans: Sequence[Span]
) -> tuple[list[Signal], list[Signal], list[int]]:
    """What `record_signals` writes: the new rows, the rows whose span moved, the ids to delete.

    A span that overlaps a row of the same kind, side and meaning is that signal (a shift one
    point longer, or re-read against a moved centre line): the row follows it. Rows no span
    matches any more are deleted."""
    matched: set[int] = set()
    new: list[Signal] = []
    moved: list[Signal] = []
    for span in spans:
        row = next((r for r in rows if span.overlaps(r)), None)
        if row is None:
            new.append(
                Signal(
                    measure=measure,
                    kind=span.kind,
                    direction=span.direction,
                    meaning=span.meaning,
                    start=span.start,
                    end=span.end,
                )
            )
            continue
        if row.pk not in matched:
            matched.add(row.pk)
            if (row.start, row.end) != (span.start, span.end):
                row.start, row.end = span.start, span.end
                moved.append(row)
    return new, moved, [r.pk for r in rows if r.pk not in matched]


def record_signals(measure: Measure, spans: Sequence[Span]) -> list[Signal]:
    """Bring the measure's `Signal` rows in line with the analysis; returns the new ones."""
    new, moved, gone = plan_signals(measure, list(measure.signals.all()), spans)
    for row in moved:
        row.save(update_fields=["start", "end"])
    if gone:
        Signal.objects.filter(measure=measure, pk__in=gone).delete()
    return Signal.objects.bulk_create(new)


def refresh(
    measure: Measure, *, notify_new_signals: bool = False, since: datetime.date | None = None
) -> Summary:
    """Recompute and store the measure's analysis, summary and signals; tell people of new
    signals when asked (after new data).

    `since` is the earliest period the new data touched: a centre line moved by new points can
    flag older history, which is not a signal that the new data created there."""
    s = series(measure)
    arguments = engine_arguments(measure, s) if has_values(s) else None
    measure.inputs_digest = inputs_digest(measure, arguments)
    try:
        result = spc.analyze(**arguments) if arguments else None
    except spc.SPCError as exc:
        return _store(measure, Summary(error=str(exc)), None, "", [])
    return _keep(measure, s, arguments, result, notify=notify_new_signals, since=since)


def meaning_of(measure: Measure, result: spc.Analysis | None) -> tuple[spc.PointMeaning, ...]:
    """What each point of `result` means in the measure's rule set (none without a result)."""
    if not result:
        return ()
    return spc.explain(
        narrowed(result, measure.rules_used), improvement=measure.improvement or None
    )


def _keep(
    measure: Measure,
    s: Series,
    arguments: dict[str, Any] | None,
    result: spc.Analysis | None,
    *,
    notify: bool = False,
    since: datetime.date | None = None,
) -> Summary:
    """Store an analysis just computed, with its summary and signals."""
    meaning = meaning_of(measure, result)
    summary = summarise(measure, result, meaning)
    if result is not None:
        summary = dataclasses.replace(summary, impact=measure_impact(measure, arguments))
    return _store(
        measure,
        summary,
        result,
        fingerprint(arguments) if arguments else "",
        signal_spans(s.periods, meaning) if result else [],
        notify=notify,
        since=since,
    )


#: Fetch what `series` reads for many measures in a few queries (besides their points, which
#: `refresh_many` reads itself as tuples: `points_of`).
BATCH_PREFETCH: tuple[str | Prefetch[Any], ...] = (
    "phases",
    "exclusions_set",
    "signals",
    "unit__organisation",
)


def refresh_many(
    measures: Iterable[Measure], *, progress: Callable[[int, int], None] | None = None
) -> int:
    """Refresh many measures at once (after a rule-set change or an engine upgrade, or nightly);
    tells nobody. Returns how many were refreshed.

    The engine's bulk path (`spc.analyze_many`, one vectorised pass) analyses together the
    measures that share a chart and its options (multiply, better direction, target, whether
    there are denominators); a measure with phases, exclusions or a frozen baseline, or whose
    group the engine refuses, is analysed on its own, so each gets its own result or error.
    Pass measures with `BATCH_PREFETCH` prefetched to keep the queries per measure constant;
    their points are read here, in one query (`points_of`)."""
    measures = list(measures)
    prepared = _prepare(measures, points_of([m.pk for m in measures]))
    results = _analyse_prepared(prepared)
    stores: list[tuple[Measure, Summary, spc.Analysis | None, str, list[Span]]] = []
    for measure, s, arguments in prepared:
        result = results[measure.pk]
        measure.inputs_digest = inputs_digest(measure, arguments)
        if isinstance(result, spc.SPCError):
            stores.append((measure, Summary(error=str(result)), None, "", []))
            continue
        meaning = meaning_of(measure, result)
        summary = summarise(measure, result, meaning)
        if result is not None:
            summary = dataclasses.replace(summary, impact=measure_impact(measure, arguments))
        stores.append(
            (
                measure,
                summary,
                result,
                fingerprint(arguments) if arguments else "",
                signal_spans(s.periods, meaning) if result else [],
            )
        )
    _store_many(stores)
    if progress is not None:
        progress(len(prepared), len(prepared))
    return len(prepared)


Prepared = list[tuple[Measure, Series, dict[str, Any] | None]]


def _prepare(measures: Iterable[Measure], points: dict[int, list[PointRow]]) -> Prepared:
    prepared: Prepared = []
    for measure in measures:
        s = series(measure, points.get(measure.pk, []))
        prepared.append((measure, s, engine_arguments(measure, s) if has_values(s) else None))
    return prepared


def _analyse_prepared(prepared: Prepared) -> dict[int, spc.Analysis | spc.SPCError | None]:
    """The engine's results for prepared measures, in bulk where their options allow."""
    results: dict[int, spc.Analysis | spc.SPCError | None] = {}
    groups: dict[tuple[Any, ...], list[tuple[Measure, dict[str, Any]]]] = {}
    for measure, _s, arguments in prepared:
        if arguments is None:
            results[measure.pk] = None
        elif (
            arguments["parts"] or arguments["exclude"] or arguments["freeze"]
            or measure.subgroups
        ):  # fmt: skip
            results[measure.pk] = _one(arguments)
        else:
            key = (*(arguments[k] for k in _SHARED), arguments["n"] is None)
            groups.setdefault(key, []).append((measure, arguments))
    for members in groups.values():
        results.update(_together(members))
    return results


@dataclass(frozen=True)
class AsOf:
    """A measure as it stood at a date: its summary and analysis on the points up to then."""

    measure: Measure
    summary: Summary
    analysis: spc.Analysis | None


def as_of(measures: Any, end: datetime.date) -> list[AsOf]:
    """Each measure analysed on its points up to `end` (later points, notes and phases left
    out), stored nothing and told nobody: what a board pack of that month would have shown.

    `measures` is a queryset; its points, phases, exclusions and notes are fetched in a fixed
    number of queries and the measures analysed together on the engine's bulk path, so the
    cost does not grow with the number of measures (beyond the engine's own work)."""
    fetched = list(
        measures.select_related("unit__organisation").prefetch_related(
            Prefetch("phases", queryset=Phase.objects.filter(period__lte=end)),
            "exclusions_set",
            Prefetch("annotations", queryset=Annotation.objects.filter(period__lte=end)),
        )
    )
    prepared = _prepare(fetched, points_of(measures.values("pk"), end))
    results = _analyse_prepared(prepared)
    out = []
    for measure, _s, _arguments in prepared:
        result = results[measure.pk]
        if isinstance(result, spc.SPCError):
            out.append(AsOf(measure, Summary(error=str(result)), None))
            continue
        meaning = meaning_of(measure, result)
        out.append(AsOf(measure, summarise(measure, result, meaning), result))
    return out


def _store_many(
    stores: Sequence[tuple[Measure, Summary, spc.Analysis | None, str, list[Span]]],
) -> None:
    """`_store` for a batch, in a handful of statements whatever its size (a bulk refresh
    tells nobody, so nothing waits on the commit). The measures' signals must be prefetched."""
    if not stores:
        return
    now = timezone.now()
    new: list[Signal] = []
    moved: list[Signal] = []
    gone: list[int] = []
    analyses: list[StoredAnalysis] = []
    ids = [measure.pk for measure, *_ in stores]
    # A stored analysis of the same inputs and engine (its fingerprint) is the one just
    # computed: it stays (as `analyze` reuses it), and only changed ones are rewritten.
    kept = dict(
        StoredAnalysis.objects.filter(measure_id__in=ids).values_list("measure_id", "fingerprint")
    )
    stale = []
    for measure, summary, result, digest, spans in stores:
        measure.summary, measure.summary_at = summary, now
        if measure.pk in kept and (result is None or kept[measure.pk] != digest):
            stale.append(measure.pk)
        if result is not None and kept.get(measure.pk) != digest:
            analyses.append(
                StoredAnalysis(
                    measure=measure,
                    fingerprint=digest,
                    x_kind=result.x_kind,
                    data=result.to_dict(),
                    computed_at=now,
                )
            )
        n, m, g = plan_signals(measure, list(measure.signals.all()), spans)
        new += n
        moved += m
        gone += g
    with transaction.atomic():
        _write_many(
            Measure,
            ["summary", "summary_at", "inputs_digest"],
            [m for m, *_ in stores],
            where="id",
        )
        if stale:
            StoredAnalysis.objects.filter(measure_id__in=stale).delete()
        _write_many(
            StoredAnalysis, ["measure_id", "fingerprint", "x_kind", "data", "computed_at"], analyses
        )
        if gone:
            Signal.objects.filter(pk__in=gone).delete()
        if moved:
            Signal.objects.bulk_update(moved, ["start", "end"], batch_size=500)
        Signal.objects.bulk_create(new, batch_size=500)


def _write_many(model: Any, names: list[str], objects: Sequence[Any], where: str = "") -> None:
    """One UPDATE (`where` names the key column) or INSERT statement, run for each object by
    the driver's `executemany`: the rows of a batch of analyses carry large JSON values, which
    `bulk_update` (a CASE per row) and PostgreSQL's `bulk_create` (arrays of them, escaped in
    Python) spent more time preparing than the database spent writing. No signals are sent,
    as with `bulk_update` and `bulk_create`."""
    if not objects:
        return
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    columns = [quote(f.column) for f in fields]
    table = quote(model._meta.db_table)
    if where:
        sql = (
            f"UPDATE {table} SET {', '.join(f'{c} = %s' for c in columns)} "
            f"WHERE {quote(where)} = %s"
        )
    else:
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    rows = [
        [f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields]
        + ([getattr(o, where)] if where else [])
        for o in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


#: The engine options a bulk analysis shares across its series.
_SHARED = ("chart", "multiply", "rules", "improvement", "target")


def _one(arguments: dict[str, Any]) -> spc.Analysis | spc.SPCError:
    try:
        return spc.analyze(**arguments)
    except spc.SPCError as exc:
        return exc


def _together(
    members: list[tuple[Measure, dict[str, Any]]],
) -> dict[int, spc.Analysis | spc.SPCError]:
    """One `spc.analyze_many` call over the long table of these measures' points."""
    first = members[0][1]
    ids = np.concatenate([np.full(len(a["y"]), m.pk) for m, a in members])
    try:
        out = spc.analyze_many(
            series=ids,
            x=np.concatenate([a["x"] for _, a in members]),
            y=np.concatenate([np.asarray(a["y"], dtype=float) for _, a in members]),
            n=None
            if first["n"] is None
            else np.concatenate([np.asarray(a["n"], dtype=float) for _, a in members]),
            **{k: first[k] for k in _SHARED},
        )
    except spc.SPCError:  # one measure's bad data must not cost the others their analysis
        return {m.pk: _one(a) for m, a in members}
    return {m.pk: out[m.pk] for m, _ in members}


def _store(
    measure: Measure,
    summary: Summary,
    result: spc.Analysis | None,
    digest: str,
    spans: Sequence[Span],
    *,
    notify: bool = False,
    since: datetime.date | None = None,
) -> Summary:
    old = measure.summary
    with transaction.atomic():
        # `inputs_digest` was set by `refresh` from the inputs this summary was computed from.
        Measure.objects.filter(pk=measure.pk).update(
            summary=summary, summary_at=timezone.now(), inputs_digest=measure.inputs_digest
        )
        measure.summary = summary
        if result is None:
            StoredAnalysis.objects.filter(measure=measure).delete()
        else:
            StoredAnalysis.objects.update_or_create(
                measure=measure,
                defaults={
                    "fingerprint": digest,
                    "x_kind": result.x_kind,
                    "data": result.to_dict(),
                    "computed_at": timezone.now(),
                },
            )
        new = record_signals(measure, spans)
    # A first analysis, or one after a summary of an older shape, tells nobody: its signals
    # were there before; only what new data show is news.
    news = [s for s in new if since is None or s.end >= since]
    if notify and news and old.n and old.version == SUMMARY_VERSION:
        ids = [s.pk for s in news]
        transaction.on_commit(lambda: _notify(measure, ids))
    return summary


def _notify(measure: Measure, signal_ids: list[int]) -> None:
    """Tell the owners and the unit's leaders of new signals, once per signal."""
    told = Signal.objects.filter(pk__in=signal_ids, notified__isnull=True).update(
        notified=timezone.now()
    )
    if not told:
        return  # someone else told them already
    summary = measure.summary
    # The unit's leaders, or the nearest above when the unit has none of its own (as ideas).
    people = [*measure.owners.all(), *leaders_of(measure.unit)]
    reasons = summary.last_reasons
    latest = summary.last_period
    reaches_latest = Signal.objects.filter(pk__in=signal_ids, end=latest).exists()
    body = (
        f"New data on {quoted(measure.name)} ({measure.unit.name}) show "
        + (f"{told} new signals" if told != 1 else "a new signal")
        # The first reason is the headline; the chart page lists them all.
        + (
            f", the latest for {period_in_words(latest, measure.frequency)}: {reasons[0]}."
            if latest and reaches_latest and reasons
            else "."
        )
    )
    notify(
        people,
        f"New signal: {measure.name}",
        body,
        reverse("measures:detail", args=[measure.pk]),
        kind="signals",
    )


EXPORT_TYPES = {"svg": "image/svg+xml", "png": "image/png", "pdf": "application/pdf"}


def render(measure: Measure, fmt: str) -> bytes:
    """The measure's chart as SVG, PNG or PDF bytes (for downloads, the API and reports)."""
    result = analyze(measure)
    if result is None:
        raise charts.ChartError("The measure has no data yet, so there is no chart to draw.")
    spec = chart_spec(measure, result, width=720)
    mr = moving_range_spec(measure, width=720)
    if mr is not None:  # the I (X̄) chart with its moving-range (S) chart beneath, as on the page
        schema = spec.pop("$schema", None)
        mr.pop("$schema", None)
        spec = {"$schema": schema, "description": spec.get("description", ""),
                "vconcat": [spec, mr]}  # fmt: skip
    return charts.export(spec, fmt)


def table(
    measure: Measure, points: list[DataPoint], result: spc.Analysis | None
) -> list[dict[str, Any]]:
    """One row per point for the accessible table and the CSV: as entered, as plotted, and why
    flagged (the engine's words)."""
    if result is None:
        return []
    d = _columns(result, "y", "cl", "lcl", "ucl", "part", "include")
    meaning = meaning_of(measure, result)
    return [
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
            "category": meaning[i].category,
            "reasons": list(meaning[i].reasons),
            # What this point itself shows; patterns of the whole part are said once.
            "point_reasons": list(meaning[i].own_reasons),
            "part_reasons": list(meaning[i].part_reasons),
        }
        for i, point in enumerate(points)
    ]


@dataclass(frozen=True)
class Capability:
    """How much of a stable process falls within its specification (`spc.capability`), or why
    it is not shown (`reason`)."""

    shown: bool
    reason: str = ""
    n: int = 0
    within: float | None = None  # observed share of measurements within the specification, %
    cp: float | None = None
    cpk: float | None = None
    lower: float | None = None
    upper: float | None = None
    phase_start: datetime.date | None = None


def capability(
    measure: Measure, points: Sequence[DataPoint], said: spc.Verdict
) -> Capability | None:
    """The capability panel of the chart page: None for charts that are not of measurements;
    otherwise the numbers (the current phase's measurements against the measure's
    specification limits), shown only when the current phase is stable: enough points for
    limits and no signal in it. When it is not shown, `reason` says why."""
    if measure.chart not in CAPABILITY_CHARTS or not points:
        return None
    lower, upper = measure.spec_lower, measure.spec_upper
    if lower is None and upper is None:
        return Capability(False, "No specification limits are set for this measure: add a "
                          "lower or upper specification limit (Edit, Advanced) to see how much "
                          "of the process falls within them.")  # fmt: skip
    if not said.phases:
        return Capability(False, "There are no data yet.")
    current = said.phases[-1]
    if not said.enough_data:
        return Capability(False, "Capability is shown only for a stable process, and there are "
                          "too few points to judge stability yet.")  # fmt: skip
    if any(s.part == current.part for s in said.signals):
        return Capability(False, "Capability is shown only for a stable process: the current "
                          "phase shows special-cause variation (see the signals). Capability "
                          "of an unstable process predicts nothing.")  # fmt: skip
    ours = [p for p in points if isinstance(current.start, datetime.date)
            and p.period >= current.start]  # fmt: skip
    scale = measure.multiply or 1.0
    groups = [[v * scale for v in (p.values or [p.value]) if v is not None] for p in ours]
    values = [v for group in groups for v in group]
    if len(values) < 2:
        return Capability(False, "Too few measurements in the current phase.")
    sizes = {len(g) for g in groups}
    if measure.subgroups and len(sizes) == 1 and min(sizes) > 1:
        result = spc.capability(values, lsl=lower, usl=upper, subgroup_size=sizes.pop())
    else:
        result = spc.capability(values, lsl=lower, usl=upper)
    inside = sum(
        1 for v in values if (lower is None or v >= lower) and (upper is None or v <= upper)
    )
    return Capability(
        True,
        n=len(values),
        within=100.0 * inside / len(values),
        cp=_finite(result.cp),
        cpk=_finite(result.cpk),
        lower=lower,
        upper=upper,
        phase_start=current.start if isinstance(current.start, datetime.date) else None,
    )


def _finite(number: float | None) -> float | None:
    return number if number is not None and math.isfinite(number) else None
