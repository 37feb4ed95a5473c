"""The board report: one unit's month for the monthly quality meeting, as a page, a PDF and a CSV.

Everything is read through the rooms' services and Lead's own overview, scoped to the area the
leader oversees (`permissions.area_for`), so the numbers are the numbers those pages show:

- the Making Data Count table: each measure of the area as the engine read it on its points
  up to the month's end (later points are left out), with the icons and words of the measure
  pages (`champion.charts`). Those summaries are computed once and kept (`measures.services.
  months`: `as_of` on the engine's bulk path, computed again whenever anything they were
  computed from changed); a large area's are prepared by a task while the page shows its
  progress (`Preparing`), a small one's inline;
- a small area lists every measure; a large one (more than `LIST_ALL_UP_TO`) lists its
  exceptions (the first `EXCEPTIONS_SHOWN`) and counts every measure by variation and
  assurance in the database (`Counts`); the CSV always has every measure;
- the exceptions: measures showing special cause variation of concern, or whose target the
  process will consistently miss, the first `CHARTS_SHOWN` with their chart drawn as SVG by
  `champion.charts` (those few analysed again as of the month's end, for the chart);
- the project portfolio (`improvement.services.portfolio`), the training coverage
  (`overview.training`) and the latest maturity profile finished by the month's end.

The measures are analysed as they stood at the month's end; projects and training are as they
stand today (their history is not kept), which the report says.
"""

from __future__ import annotations

import base64
import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from champion import charts
from champion.accounts.models import OVERSIGHT_ROLES, Membership, Unit
from champion.core.words import quoted
from champion.improvement.services import Portfolio, Project, impacts, portfolio
from champion.leadership.maturity.report import profile
from champion.leadership.models import Assessment
from champion.leadership.overview import Training, training
from champion.leadership.permissions import Area
from champion.measures.services import (
    ASSURANCE,
    VARIATION,
    AsOf,
    Measure,
    Summary,
    as_of,
    chart_spec,
    failed_lately,
    months,
    period,
    start_month,
    working_run,
)

#: The most charts of exceptions a report draws.
CHARTS_SHOWN = 12
#: An area of more measures than this lists its exceptions only and counts the rest.
LIST_ALL_UP_TO = 100
#: The most exceptions a large area's page lists (by attention; the CSV has every measure).
EXCEPTIONS_SHOWN = 50
#: More measures than this to compute for a month: the page prepares them in a task.
INLINE_UP_TO = 300
#: The active projects a report lists (by title; the portfolio counts them all).
ACTIVE_SHOWN = 20

_MONTH = re.compile(r"(\d{4})-(\d{2})")


class BadMonth(ValueError):
    """A month that is not YYYY-MM, or one that has not begun."""


def parse_month(text: Any, today: datetime.date | None = None) -> datetime.date:
    """The first day of the month `text` names ("2026-03"); raises BadMonth saying why."""
    today = today or timezone.localdate()
    raw = str(text or "").strip()
    found = _MONTH.fullmatch(raw)
    if found is None:
        raise BadMonth(
            f"{quoted(raw[:20])} is not a month: write it as YYYY-MM, for example 2026-03."
        )
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12:
        raise BadMonth(f"{quoted(raw)} is not a month: the month is a number from 01 to 12.")
    if year < 1900:
        raise BadMonth(f"{quoted(raw)} is too long ago for a board report.")
    first = datetime.date(year, month, 1)
    if first > today:
        raise BadMonth(f"{first:%B %Y} has not begun yet: choose this month or an earlier one.")
    return first


last_month = months.last_month
month_end = months.month_end
#: A measure the meeting must discuss: special cause variation of concern, or a target the
#: process will consistently miss ("fail").
is_exception = months.is_exception


@dataclass
class Row:
    """One line of the Making Data Count table."""

    measure: Measure
    summary: Summary
    exception: bool
    chart: str = ""  # a data: URL of the chart's SVG, for exceptions only
    chart_text: str = ""  # what the chart shows, in words (its text alternative)
    month: datetime.date | None = None  # the report's month, for the action's label

    @property
    def action_label(self) -> str:
        """What an action made from this exception says it came from."""
        when = f"{self.month:%B %Y}" if self.month else ""
        return f"Board report {when}: {self.measure.name} ({self.measure.unit.name}), {self.why}"

    @property
    def latest(self) -> str:
        s = self.summary
        if not s.n or s.last_value is None:
            return ""
        label = self.measure.unit_label
        value = charts.format_number(s.last_value)
        unit = "%" if label == "%" else (f" {label}" if label else "")
        return f"{value}{unit}"

    @property
    def latest_period(self) -> str:
        s = self.summary
        return period(s.last_period, self.measure.frequency) if s.last_period else ""

    @property
    def variation_words(self) -> str:
        key = self.summary.variation
        words = VARIATION.get(key, key) if key else ""
        if key and key != "common_cause" and self.summary.direction in ("up", "down"):
            words += " (higher)" if self.summary.direction == "up" else " (lower)"
        return words

    @property
    def assurance_words(self) -> str:
        key = self.summary.assurance
        return ASSURANCE[key][1] if key in ASSURANCE else ""

    @property
    def target(self) -> str:
        t = self.measure.target
        return "" if t is None else charts.format_number(t)

    @property
    def why(self) -> str:
        """Why the row is an exception, in the icons' words."""
        reasons = []
        if self.summary.variation == "concern":
            reasons.append(self.variation_words)
        if self.summary.assurance == "fail":
            reasons.append(self.assurance_words)
        return "; ".join(reasons)


#: The rows and columns of a large area's counts, in the order shown.
VARIATION_ORDER = ("concern", "improvement", "neither", "common_cause", None)
ASSURANCE_ORDER = ("fail", "hit_and_miss", "pass", None)


@dataclass
class Counts:
    """Every measure of a large area by its variation (rows) and assurance (columns) icons at
    the month's end, counted in the database (`months.counts`)."""

    cells: dict[tuple[str | None, str | None], int]
    #: How many had no data at the month's end (counted under "not enough data").
    no_data: int = 0

    @property
    def total(self) -> int:
        return sum(self.cells.values())

    @property
    def columns(self) -> list[tuple[str | None, str, int]]:
        """(assurance, its words, how many measures), in `ASSURANCE_ORDER`."""
        return [
            (a, ASSURANCE[a][1] if a else "No target, or not assessed",
             sum(n for (_, a2), n in self.cells.items() if a2 == a))
            for a in ASSURANCE_ORDER
        ]  # fmt: skip

    @property
    def rows(self) -> list[tuple[str | None, str, list[int], int]]:
        """(variation, its words, the count under each column, the row's total)."""
        out = []
        for v in VARIATION_ORDER:
            words = VARIATION.get(v, v) if v else "Not enough data (or could not be analysed)"
            counts = [self.cells.get((v, a), 0) for a in ASSURANCE_ORDER]
            out.append((v, words, counts, sum(counts)))
        return out

    @property
    def exceptions(self) -> int:
        return sum(n for (v, a), n in self.cells.items() if v == "concern" or a == "fail")


def page_url(area: Area, month: datetime.date) -> str:
    """The board report page of `area` for `month`."""
    unit = area.unit or area.roots[0]
    return reverse("leadership:board", args=[unit.pk]) + f"?month={month:%Y-%m}"


@dataclass
class Preparing:
    """A month's summaries still to compute for a large area: the task doing it (`run`, the
    organisation's re-analysis or preparation under way) and how many the area still needs."""

    area: Area
    month: datetime.date
    run: Any
    missing: int

    @property
    def failed(self) -> bool:
        return not self.run.working

    @property
    def url(self) -> str:
        """The report's page, which shows this progress until the report is ready."""
        return page_url(self.area, self.month)

    @property
    def ours(self) -> bool:
        """Whether the run under way prepares this very month, on its own or as a
        re-analysis's last step (else the report waits for it)."""
        return self.month in (self.run.month, self.run.prepared_month)


@dataclass
class MaturityAtMonth:
    latest: Any  # the latest round finished by the month's end, or None
    profile: list[tuple[Any, int | None]]


@dataclass
class BoardReport:
    area: Area
    month: datetime.date  # the first day of the month
    end: datetime.date  # the last day of the month
    generated: datetime.datetime
    #: Every measure of a small area; a large area's exceptions, the first `EXCEPTIONS_SHOWN`.
    rows: list[Row]
    portfolio: Portfolio
    training: Training
    maturity: MaturityAtMonth
    #: Each listed project's result computed from its outcome measure (`improvement.services.
    #: impacts`), by project id; a project without one is absent.
    results: dict[int, Any] = field(default_factory=dict)
    #: A large area's count of every measure by its icons (None for a small area).
    counts: Counts | None = None
    #: The area's measures the user sees (for the CSV, which lists every one).
    measures: Any = None

    @property
    def large(self) -> bool:
        return self.counts is not None

    @property
    def total(self) -> int:
        """How many measures the report covers."""
        return self.counts.total if self.counts is not None else len(self.rows)

    @property
    def exceptions_total(self) -> int:
        if self.counts is not None:
            return self.counts.exceptions
        return len(self.exceptions)

    @property
    def exceptions_unlisted(self) -> int:
        return self.exceptions_total - len(self.exceptions)

    @property
    def finished(self) -> list[tuple[Any, Any]]:
        """The finished projects listed, each with its computed result (or None)."""
        return [(p, self.results.get(p.pk)) for p in self.portfolio.finished]

    @property
    def active(self) -> list[tuple[Any, Any, list[str]]]:
        """The first `ACTIVE_SHOWN` active projects: result so far and why each needs a nudge."""
        nudges = self.portfolio.nudges
        return [
            (p, self.results.get(p.pk), nudges.get(p.pk, []))
            for p in self.portfolio.active_projects[:ACTIVE_SHOWN]
        ]

    @property
    def unit(self) -> Any:
        return self.area.unit

    @property
    def title(self) -> str:
        return f"Board report: {self.area.name}, {self.month:%B %Y}"

    @property
    def url(self) -> str:
        """This report's page (where an action made from one of its exceptions came from)."""
        return page_url(self.area, self.month)

    @property
    def exceptions(self) -> list[Row]:
        return [r for r in self.rows if r.exception]

    @property
    def charted(self) -> list[Row]:
        return [r for r in self.rows if r.chart]

    @property
    def figures(self) -> list[Row]:
        """The exceptions shown with their chart: each listed one of a small area (saying when
        its chart is not drawn), only the charted ones of a large area."""
        return self.charted if self.large else self.exceptions

    @property
    def no_data(self) -> int:
        if self.counts is not None:
            return self.counts.no_data
        return sum(not r.summary.n for r in self.rows)

    def every_row(self) -> Any:
        """Every measure's row, for the CSV: a large area's read from the database a thousand
        at a time."""
        if self.counts is None:
            yield from self.rows
            return
        for kept in months.each(self.measures, self.month):
            s = kept.summary
            yield Row(kept.measure, s, is_exception(s), month=self.end)


def _chart(entry: AsOf) -> tuple[str, str]:
    """The exception's chart as a data: URL of SVG, and its words (empty when it cannot be drawn)."""
    if entry.analysis is None:
        return "", ""
    try:
        spec = chart_spec(entry.measure, entry.analysis, width=640)
        svg = charts.export(spec, "svg")
    except charts.ChartError:
        return "", ""
    url = "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
    return url, str(spec.get("description") or entry.measure.name)


def area_measures(user: Any, area: Area) -> Any:
    """The measures of the area the user sees (a queryset)."""
    return Measure.objects.visible_to(user).filter(area.within())


def preparing(user: Any, area: Area, month: datetime.date) -> Preparing | int:
    """How many of the area's measures lack a kept summary of the month when the report can be
    made now (at most `INLINE_UP_TO`: `board_report` computes them); else the task preparing
    them, started when none is under way (one per organisation at a time, so a reload does
    not start another)."""
    measures = area_measures(user, area)
    missing = months.missing(measures, month).count()
    if missing <= INLINE_UP_TO:
        return missing
    organisation_id = (area.unit or area.roots[0]).organisation_id
    run = working_run(organisation_id) or failed_lately(organisation_id, month)
    if run is not None:
        return Preparing(area, month, run, missing)
    run = start_month(organisation_id, month, by=user)
    run.refresh_from_db()
    if not run.working:  # done already (tasks run at once without a worker): look again
        missing = months.missing(measures, month).count()
        if missing <= INLINE_UP_TO:
            return missing
    return Preparing(area, month, run, missing)


def measure_rows(
    user: Any,
    area: Area,
    month: datetime.date,
    *,
    draw: bool = True,
    for_print: bool = False,
    missing: int | None = None,
) -> tuple[list[Row], Counts | None]:
    """The area's measures as they stood at the month's end, exceptions first (concerns, then
    targets that will be missed), then by name, from the kept summaries (those missing are
    computed now); the charts of the first `CHARTS_SHOWN` exceptions. A large area's rows are
    its first `EXCEPTIONS_SHOWN` exceptions, with the counts of every measure; its charts are
    drawn for the PDF only (`for_print`), so the page stays small (each is on its measure's
    page). `missing` is how many lack one, when the caller has just counted them (`preparing`)."""
    end = month_end(month)
    measures = area_measures(user, area)
    if missing != 0:
        months.prepare(measures, month)
    kept = months.summaries(measures, month)
    counts = None
    if measures.count() > LIST_ALL_UP_TO:
        counts = Counts(*months.counts(measures, month))
        kept = kept.filter(exception=True)[:EXCEPTIONS_SHOWN]
    rows = [Row(k.measure, k.summary, is_exception(k.summary), month=end) for k in kept]
    if draw and (counts is None or for_print):
        charted = [r for r in rows if r.exception][:CHARTS_SHOWN]
        entries = {
            e.measure.pk: e
            for e in as_of(Measure.objects.filter(pk__in=[r.measure.pk for r in charted]), end)
        }
        for row in charted:
            if row.measure.pk in entries:
                row.chart, row.chart_text = _chart(entries[row.measure.pk])
    return rows, counts


def _after(end: datetime.date) -> datetime.datetime:
    """The first moment after the day `end` (in the site's time zone): what was finished or
    written down before it belongs to the month."""
    return timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )


def maturity_at(user: Any, area: Area, end: datetime.date) -> MaturityAtMonth:
    """The latest maturity round of the area finished by the month's end, with its profile."""
    limit = _after(end)
    latest = (
        Assessment.objects.visible_to(user)
        .filter(area.within())
        .finished()
        .filter(finished_at__lt=limit)
        .select_related("unit")
        .order_by("-finished_at", "-pk")
        .first()
    )
    return MaturityAtMonth(latest, profile(latest) if latest is not None else [])


def board_report(
    user: Any,
    area: Area,
    month: datetime.date,
    *,
    draw: bool = True,
    for_print: bool = False,
    missing: int | None = None,
) -> BoardReport:
    """The board report of `area` (checked by the caller with `area_for`) for `month`."""
    end = month_end(month)
    today = timezone.localdate()
    limit = _after(end)
    # Projects started by the month's end (by their start date, or when they were written down).
    started = Q(started_on__lte=end) | Q(started_on__isnull=True, created_at__lt=limit)
    projects = Project.objects.visible_to(user).filter(area.within()).filter(started)
    projects_of_month = portfolio(projects, min(end, today))
    listed = [*projects_of_month.active_projects[:ACTIVE_SHOWN], *projects_of_month.finished]
    rows, counts = measure_rows(user, area, month, draw=draw, for_print=for_print, missing=missing)
    return BoardReport(
        area=area,
        month=month,
        end=end,
        generated=timezone.now(),
        rows=rows,
        counts=counts,
        measures=area_measures(user, area),
        portfolio=projects_of_month,
        training=training(user, area),
        maturity=maturity_at(user, area, end),
        results=impacts(listed),
    )


CSV_HEADER = (
    "Measure",
    "Unit",
    "Latest period",
    "Latest value",
    "Unit of measure",
    "Variation",
    "Assurance",
    "Target",
    "Better when",
    "Exception",
)


def csv_rows(report: BoardReport) -> Any:
    """Every measure's line of the Making Data Count table as CSV rows (numbers as numbers, the
    icons in words), a large area's read a thousand at a time."""
    return (
        [
            r.measure.name,
            r.measure.unit.name,
            r.summary.last_period,
            r.summary.last_value,
            r.measure.unit_label,
            r.variation_words,
            r.assurance_words,
            r.measure.target,
            r.measure.get_improvement_display() if r.measure.improvement else "",
            "yes" if r.exception else "no",
        ]
        for r in report.every_row()
    )


def overseer_of(unit: Unit, email: str = "") -> Any:
    """The person a report made outside the web (`champion report board`) is made as: the one
    named by `email`, or the active leader, coach or admin nearest the unit (a role in the unit
    itself first, then in the units above it). None when nobody oversees it; the report then
    shows exactly what that person's page shows."""
    roles = (
        Membership.objects.filter(
            unit__organisation_id=unit.organisation_id,
            role__in=OVERSIGHT_ROLES,
            user__is_active=True,
        )
        .select_related("unit", "user")
        .order_by("-unit__depth", "role", "user__email")
    )
    if email:
        roles = roles.filter(user__email__iexact=email)
    for role in roles:
        if unit.is_within(role.unit):
            return role.user
    return None
