"""Typing data in: a keyboard-friendly grid of periods, values and denominators (HTMX, or plain forms)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from champion.core.http import AuthedRequest
from champion.measures.data import Row, check_rows, grid_rows, parse_period, subgroup_columns
from champion.measures.models import MAX_SUBGROUP, Frequency, Measure
from champion.measures.permissions import measure_for
from champion.measures.services import record_data

EMPTY_ROWS = 6
MORE_ROWS = 12
#: Dated rows a brand-new measure's grid starts with: the last 12 periods of its frequency.
NEW_ROWS = 12
#: Measurement columns a subgroup grid starts with (more when saved subgroups are bigger).
SUBGROUP_COLUMNS = 5


def _next_periods(measure: Measure, last: datetime.date | None, count: int) -> list[str]:
    if last is None or measure.frequency == Frequency.EVENT:
        return [""] * count
    out = []
    current = last
    for _ in range(count):
        if measure.frequency == Frequency.DAILY:
            current += datetime.timedelta(days=1)
        elif measure.frequency == Frequency.WEEKLY:
            current += datetime.timedelta(days=7)
        else:
            months = 3 if measure.frequency == Frequency.QUARTERLY else 1
            month = current.month - 1 + months
            year = current.year + month // 12
            day = min(current.day, 28) if current.day <= 28 else 28
            current = datetime.date(year, month % 12 + 1, day)
        out.append(current.isoformat())
    return out


def period_start(day: datetime.date, frequency: str) -> datetime.date:
    """The first day of the period holding `day`: its Monday for a weekly measure (as uploads
    count weeks), the 1st of its month, or of its quarter (January, April, July, October)."""
    if frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    if frequency == Frequency.QUARTERLY:
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day


def recent_periods(measure: Measure, count: int, today: datetime.date) -> list[str]:
    """The last `count` periods of the measure's frequency up to `today`, oldest first: days up
    to today, and the weeks, months or quarters that have ended. Blank for a measure of
    events (each row is an event's own date)."""
    if measure.frequency == Frequency.EVENT:
        return [""] * count
    current = period_start(today, measure.frequency)
    if measure.frequency == Frequency.DAILY:
        current += datetime.timedelta(days=1)  # today is a day to fill in too
    periods: list[datetime.date] = []
    for _ in range(count):
        current = period_start(current - datetime.timedelta(days=1), measure.frequency)
        periods.append(current)
    return [p.isoformat() for p in reversed(periods)]


def period_words(text: str, frequency: str) -> str:
    """A grid row's period as people say it: 'November 2026', 'Oct to Dec 2026', 'Week of
    Mon 30 Nov 2026', 'Mon 30 Nov 2026'; '' when the row has no date yet."""
    day = parse_period(text)
    if day is None:
        return ""
    if frequency == Frequency.MONTHLY and day.day == 1:
        return f"{day:%B %Y}"
    if frequency == Frequency.QUARTERLY and day.day == 1 and day.month in (1, 4, 7, 10):
        last = datetime.date(day.year, day.month + 2, 1)
        return f"{day:%b} to {last:%b %Y}"
    if frequency == Frequency.WEEKLY:
        return f"Week of {day:%a} {day.day} {day:%b %Y}"
    return f"{day:%a} {day.day} {day:%b %Y}"


def shows_denominator(measure: Measure) -> bool:
    """Whether the grid has a denominator column: always for P and U charts (and their primes),
    which need one; for a run or I chart only when the measure says what it is out of or a
    saved point has one (so a saved denominator is never dropped); never for the others."""
    if measure.needs_denominator:
        return True
    if not measure.takes_denominator:
        return False
    return bool(measure.denominator.strip()) or (
        measure.data_points.filter(denominator__isnull=False).exists()
    )


def _blank_rows(measure: Measure, start: int) -> list[Row]:
    last = measure.data_points.order_by("-period").values_list("period", flat=True).first()
    if last is None:  # a new measure: the last periods, dated, ready to fill
        periods = recent_periods(measure, NEW_ROWS, timezone.localdate())
    else:
        periods = _next_periods(measure, last, EMPTY_ROWS)
    return [Row(line=start + k, period_in=p) for k, p in enumerate(periods)]


def _fmt(value: float | None) -> str:
    """A saved number as it is, to be edited (never rounded: a re-save must not change it)."""
    return "" if value is None else f"{value:.15g}"


def data_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = measure_for(request.user, pk, "enter")
    if request.method == "POST":
        return _save(request, measure)
    return _render_saved(request, measure)


def _saved_rows(measure: Measure) -> list[Row]:
    """The saved points as the grid shows them (numbers as a person would type them)."""
    return [
        Row(line=i + 1, period_in=p.period.isoformat(), value_in=_fmt(p.value),
            denominator_in=_fmt(p.denominator),
            values_in=[_fmt(v) for v in p.values or []])
        for i, p in enumerate(measure.data_points.all())
    ]  # fmt: skip


def _columns(rows: list[Row], asked: int = 0) -> int:
    """Measurement columns for a subgroup grid: enough for the biggest subgroup and one more."""
    widest = max((len(r.values_in) for r in rows), default=0)
    return min(MAX_SUBGROUP, max(SUBGROUP_COLUMNS, asked, widest + 1 if widest else 0))


def _render_saved(request: AuthedRequest, measure: Measure, saved: str = "") -> HttpResponse:
    rows = _saved_rows(measure)
    blank = _blank_rows(measure, len(rows) + 1)
    originals = [r.period_text for r in rows] + [""] * len(blank)
    rows += blank
    return _render(request, measure, rows, originals, saved=saved)


def _render(
    request: AuthedRequest,
    measure: Measure,
    rows: list[Row],
    originals: list[str],
    status: int = 200,
    saved: str = "",
) -> HttpResponse:
    template = "measures/data.html#grid" if request.htmx else "measures/data.html"
    columns = 0
    if measure.subgroups:
        asked = subgroup_columns(request.POST) if request.method == "POST" else 0
        if "add_column" in request.POST:
            asked += 1
        columns = _columns(rows, asked)
        for row in rows:  # every row has a cell for each column
            row.values_in = (row.values_in + [""] * columns)[:columns]
    context = {
        "measure": measure,
        "columns": range(columns),
        "column_count": columns,
        "rows": [
            (row, original, period_words(row.period_text, measure.frequency))
            for row, original in zip(rows, originals, strict=True)
        ],
        "show_denominator": shows_denominator(measure),
        "bad": [r for r in rows if r.errors],
        "saved": saved,
    }
    return render(request, template, context, status=status)


def _add_rows(request: AuthedRequest, measure: Measure) -> HttpResponse:
    """More empty rows below what was typed (kept as typed, nothing saved), periods continued."""
    rows, originals, _, _ = grid_rows(request.POST, measure)
    typed = [d for d in (parse_period(r.period_in) for r in rows) if d is not None]
    saved = measure.data_points.order_by("-period").values_list("period", flat=True).first()
    last = max([*typed, *([saved] if saved else [])], default=None)
    periods = _next_periods(measure, last, MORE_ROWS)
    rows += [Row(line=len(rows) + k + 1, period_in=p) for k, p in enumerate(periods)]
    return _render(request, measure, rows, originals + [""] * MORE_ROWS)


def _save(request: AuthedRequest, measure: Measure) -> HttpResponse:
    if "add_rows" in request.POST:
        return _add_rows(request, measure)
    if "add_column" in request.POST:  # one more measurement column, nothing saved
        rows, originals, _, _ = grid_rows(request.POST, measure)
        return _render(request, measure, rows, originals)
    rows, originals, keep, deleted = grid_rows(request.POST, measure)
    bad = check_rows(measure, keep, line_word="row")
    if bad:
        # The grid itself says what is wrong (no flash message: it would show again later).
        # HTMX swaps only 2xx answers, so the grid with its errors comes back as 200 there.
        return _render(request, measure, rows, originals, status=200 if request.htmx else 422)
    points = [r.point for r in keep if r.point is not None]
    kept = {p.period for p in points}
    saved = record_data(measure, points, delete=[d for d in deleted if d not in kept])
    text = f"Saved: {saved.created} new, {saved.updated} changed, {saved.deleted} removed."
    if request.htmx:
        return _render_saved(request, measure, saved=text)
    messages.success(request, text)
    return redirect("measures:detail", pk=measure.pk)
