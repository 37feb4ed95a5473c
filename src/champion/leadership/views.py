"""The Lead overview and the board report: what a leader, coach or admin sees of their area."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from champion.core.csv import CONTENT_TYPE, write_csv
from champion.core.http import AuthedRequest
from champion.core.pdf import render_pdf
from champion.leadership import board as boards
from champion.leadership import overview as service
from champion.leadership.permissions import Area, area_for


def overview(request: AuthedRequest) -> HttpResponse:
    area = area_for(request.user, request.GET.get("unit"))
    context = {
        "area": area,
        "tab": "overview",
        "board_month": boards.last_month(),
        **service.overview(request.user, area),
    }
    return render(request, "leadership/overview.html", context)


def _months(count: int = 60) -> list[datetime.date]:
    """The month picker's choices: this month and the `count - 1` before it, latest first."""
    first = timezone.localdate().replace(day=1)
    months = [first]
    while len(months) < count:
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    return months


def board_choose(request: AuthedRequest) -> HttpResponse:
    """The picker: the chosen unit's report for the chosen month (the last complete one)."""
    area = area_for(request.user, request.GET.get("unit"))
    unit = area.unit or area.roots[0]
    url = reverse("leadership:board", args=[unit.pk])
    month = request.GET.get("month") or f"{boards.last_month():%Y-%m}"
    return redirect(f"{url}?month={month}")


def _board_page(area: Area, **context: Any) -> dict[str, Any]:
    """The board report page's context: its unit and month pickers, and `context`."""
    pickers = {"unit_picker": area.picker(required=True), "months": _months()}
    return {"area": area, "tab": "board", **pickers, **context}


def _bad_month(request: AuthedRequest, area: Area, message: str) -> HttpResponse:
    context = _board_page(area, error=message)
    return render(request, "leadership/board/page.html", context, status=400)


def _report(
    request: AuthedRequest, unit_pk: int, *, draw: bool = True, for_print: bool = False
) -> tuple[Area, boards.BoardReport | boards.BadMonth | boards.Preparing]:
    """The report, or why there is none: a bad month, or a large area's month still being
    prepared (`boards.preparing`: the task is started when none is under way)."""
    area = area_for(request.user, unit_pk)
    raw = request.GET.get("month") or f"{boards.last_month():%Y-%m}"
    try:
        month = boards.parse_month(raw)
    except boards.BadMonth as exc:
        return area, exc
    waiting = boards.preparing(request.user, area, month)
    if isinstance(waiting, boards.Preparing):
        return area, waiting
    return area, boards.board_report(
        request.user, area, month, draw=draw, for_print=for_print, missing=waiting
    )


def board(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    area, report = _report(request, unit_pk)
    if isinstance(report, boards.BadMonth):
        return _bad_month(request, area, str(report))
    if isinstance(report, boards.Preparing):
        if request.htmx:  # the card polled every 2 s: no pickers to build for it
            context = {"area": area, "waiting": report, "page_url": report.url}
            return render(request, "leadership/board/page.html#preparing", context)
        context = _board_page(area, waiting=report, page_url=report.url)
        return render(request, "leadership/board/page.html", context)
    if request.htmx:  # the progress polled has finished: show the report
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    context = _board_page(area, report=report)
    return render(request, "leadership/board/page.html", context)


def _filename(report: boards.BoardReport, ext: str) -> str:
    return slugify(f"board report {report.area.name} {report.month:%Y-%m}")[:100] + f".{ext}"


def board_pdf(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    area, report = _report(request, unit_pk, for_print=True)
    if isinstance(report, boards.BadMonth):
        return _bad_month(request, area, str(report))
    if isinstance(report, boards.Preparing):  # the page shows the progress
        return redirect(report.url)
    pdf = render_pdf("leadership/board/print.html", {"report": report}, request)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "pdf")}"'
    return response


def board_csv(request: AuthedRequest, unit_pk: int) -> HttpResponse:
    area, report = _report(request, unit_pk, draw=False)
    if isinstance(report, boards.BadMonth):
        return _bad_month(request, area, str(report))
    if isinstance(report, boards.Preparing):
        return redirect(report.url)
    text = write_csv(boards.CSV_HEADER, boards.csv_rows(report))
    response = HttpResponse(text, content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(report, "csv")}"'
    return response
