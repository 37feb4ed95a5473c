"""Typing data in: a keyboard-friendly grid of periods, values and denominators (HTMX, or plain forms)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from champion.core.http import AuthedRequest
from champion.measures.data import Row, check_rows, grid_rows, parse_period
from champion.measures.models import Frequency, Measure
from champion.measures.permissions import measure_for
from champion.measures.services import record_data

EMPTY_ROWS = 6
MORE_ROWS = 12


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


def _blank_rows(measure: Measure, start: int) -> list[Row]:
    last = measure.data_points.order_by("-period").values_list("period", flat=True).first()
    return [
        Row(line=start + k, period_in=p)
        for k, p in enumerate(_next_periods(measure, last, EMPTY_ROWS))
    ]


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
            denominator_in=_fmt(p.denominator))
        for i, p in enumerate(measure.data_points.all())
    ]  # fmt: skip


def _render_saved(request: AuthedRequest, measure: Measure, saved: str = "") -> HttpResponse:
    rows = _saved_rows(measure)
    originals = [r.period_text for r in rows] + [""] * EMPTY_ROWS
    rows += _blank_rows(measure, len(rows) + 1)
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
    context = {
        "measure": measure,
        "rows": list(zip(rows, originals, strict=True)),
        "bad": [r for r in rows if r.errors],
        "saved": saved,
    }
    return render(request, template, context, status=status)


def _add_rows(request: AuthedRequest, measure: Measure) -> HttpResponse:
    """More empty rows below what was typed (kept as typed, nothing saved), periods continued."""
    rows, originals, _, _ = grid_rows(request.POST)
    typed = [d for d in (parse_period(r.period_in) for r in rows) if d is not None]
    saved = measure.data_points.order_by("-period").values_list("period", flat=True).first()
    last = max([*typed, *([saved] if saved else [])], default=None)
    periods = _next_periods(measure, last, MORE_ROWS)
    rows += [Row(line=len(rows) + k + 1, period_in=p) for k, p in enumerate(periods)]
    return _render(request, measure, rows, originals + [""] * MORE_ROWS)


def _save(request: AuthedRequest, measure: Measure) -> HttpResponse:
    if "add_rows" in request.POST:
        return _add_rows(request, measure)
    rows, originals, keep, deleted = grid_rows(request.POST)
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
