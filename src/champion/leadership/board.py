"""The board report: one unit's month for the monthly quality meeting, as a page, a PDF and a CSV.

Everything is read through the rooms' services and Lead's own overview, scoped to the area the
leader oversees (`permissions.area_for`), so the numbers are the numbers those pages show:

- the Making Data Count table: each measure of the area analysed by the engine on its points
  up to the month's end (`measures.services.as_of`, the bulk path: later points are left out,
  nothing is stored), with the icons and words of the measure pages (`champion.charts`);
- the exceptions: measures showing special cause variation of concern, or whose target the
  process will consistently miss, each with its chart drawn as SVG by `champion.charts`;
- the project portfolio (`improvement.services.portfolio`), the training coverage
  (`overview.training`) and the latest maturity profile finished by the month's end.

The measures are analysed as they stood at the month's end; projects and training are as they
stand today (their history is not kept), which the report says.
"""

from __future__ import annotations

import base64
import calendar
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
    period,
)

#: The most charts of exceptions a report draws (the table lists every measure).
CHARTS_SHOWN = 12
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


def last_month(today: datetime.date | None = None) -> datetime.date:
    """The first day of the last complete month: the one a monthly meeting looks back on."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def month_end(first: datetime.date) -> datetime.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def is_exception(summary: Summary) -> bool:
    """A measure the meeting must discuss: special cause variation of concern, or a target the
    process will consistently miss ("fail")."""
    return summary.variation == "concern" or summary.assurance == "fail"


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
    rows: list[Row]
    portfolio: Portfolio
    training: Training
    maturity: MaturityAtMonth
    #: Each listed project's result computed from its outcome measure (`improvement.services.
    #: impacts`), by project id; a project without one is absent.
    results: dict[int, Any] = field(default_factory=dict)

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
        unit = self.area.unit or self.area.roots[0]
        return reverse("leadership:board", args=[unit.pk]) + f"?month={self.month:%Y-%m}"

    @property
    def exceptions(self) -> list[Row]:
        return [r for r in self.rows if r.exception]

    @property
    def charted(self) -> list[Row]:
        return [r for r in self.rows if r.chart]

    @property
    def no_data(self) -> int:
        return sum(not r.summary.n for r in self.rows)


def _order(row: AsOf) -> tuple[int, str]:
    s = row.summary
    return (-(s.attention if s.n else -1), row.measure.name.lower())


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


def measure_rows(user: Any, area: Area, end: datetime.date, *, draw: bool = True) -> list[Row]:
    """The area's measures as they stood at `end`, exceptions first (concerns, then targets that
    will be missed), then by name; the charts of the first `CHARTS_SHOWN` exceptions."""
    entries = sorted(as_of(Measure.objects.visible_to(user).filter(area.within()), end), key=_order)
    rows = []
    drawn = 0
    for entry in entries:
        row = Row(entry.measure, entry.summary, is_exception(entry.summary), month=end)
        if draw and row.exception and drawn < CHARTS_SHOWN:
            row.chart, row.chart_text = _chart(entry)
            drawn += bool(row.chart)
        rows.append(row)
    return rows


def maturity_at(user: Any, area: Area, end: datetime.date) -> MaturityAtMonth:
    """The latest maturity round of the area finished by the month's end, with its profile."""
    limit = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
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


def board_report(user: Any, area: Area, month: datetime.date, *, draw: bool = True) -> BoardReport:
    """The board report of `area` (checked by the caller with `area_for`) for `month`."""
    end = month_end(month)
    today = timezone.localdate()
    limit = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    # Projects started by the month's end (by their start date, or when they were written down).
    started = Q(started_on__lte=end) | Q(started_on__isnull=True, created_at__lt=limit)
    projects = Project.objects.visible_to(user).filter(area.within()).filter(started)
    projects_of_month = portfolio(projects, min(end, today))
    listed = [*projects_of_month.active_projects[:ACTIVE_SHOWN], *projects_of_month.finished]
    return BoardReport(
        area=area,
        month=month,
        end=end,
        generated=timezone.now(),
        rows=measure_rows(user, area, end, draw=draw),
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


def csv_rows(report: BoardReport) -> list[list[object]]:
    """The Making Data Count table as CSV rows (numbers as numbers, the icons in words)."""
    return [
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
        for r in report.rows
    ]


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
