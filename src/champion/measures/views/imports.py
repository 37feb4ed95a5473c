"""Uploading data files: upload, map the columns, watch the progress, see why rows failed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.core.csv import CONTENT_TYPE, write_csv
from champion.core.http import AuthedRequest
from champion.measures import imports
from champion.measures.forms import UploadForm
from champion.measures.models import DataImport
from champion.measures.permissions import import_for, measure_for
from champion.measures.tasks import run_import


def upload(request: AuthedRequest, pk: int) -> HttpResponse:
    measure = measure_for(request.user, pk, "enter")
    form = UploadForm(request.POST or None, request.FILES or None)
    refusal = ""
    if request.method == "POST" and form.is_valid():
        file = form.cleaned_data["file"]
        if file.size > settings.MAX_UPLOAD_MB * 1024 * 1024:
            refusal = f"The file is larger than {settings.MAX_UPLOAD_MB} MB."
        else:
            try:
                imp = imports.start(measure, request.user, file.name, file.read())
            except imports.ImportRefused as exc:
                refusal = str(exc)
            else:
                return redirect("measures:import", pk=measure.pk, item=imp.pk)
    recent = measure.imports.defer("data")[:5]
    return render(
        request,
        "measures/upload.html",
        {"measure": measure, "form": form, "refusal": refusal, "recent": recent},
        status=422 if refusal else 200,
    )


def mapping(request: AuthedRequest, pk: int, item: int) -> HttpResponse:
    """Preview and column mapping; submitting it checks (and saves) the file."""
    measure = measure_for(request.user, pk, "enter")
    imp = imports.fail_if_stale(import_for(request.user, measure, item))
    problems: list[str] = []
    if request.method == "POST" and imp.status in (
        DataImport.Status.PENDING,
        DataImport.Status.FAILED,
    ):
        chosen = {
            key: request.POST.get(key, "")
            for key in (
                "layout", "period", "value", "denominator", "group", "aggregate", "outcome",
                "date_order",
            )
        }  # fmt: skip
        # An X̄, R or S chart's wide file: more measurement columns beside the first.
        chosen["more_values"] = "\n".join(request.POST.getlist("more_values"))
        problems = imports.check_mapping(measure, imp, chosen)
        if not problems:
            imp = imports.submit(imp, chosen)
            if imp.status == DataImport.Status.QUEUED:
                # A big file: the task worker saves it once this request has committed.
                queued = imp.pk
                transaction.on_commit(lambda: run_import.enqueue(queued))
            if imp.status == DataImport.Status.APPLIED:
                s = imp.summary
                messages.success(
                    request,
                    f"{imp.filename}: {s.get('points', 0)} points saved "
                    f"({s.get('created', 0)} new, {s.get('updated', 0)} updated).",
                )
                return redirect("measures:detail", pk=measure.pk)
            return redirect("measures:import", pk=measure.pk, item=imp.pk)
        imp.mapping = chosen
    return render(
        request,
        "measures/import.html",
        {
            "measure": measure,
            "imp": imp,
            "problems": problems,
            "aggregates": imports.AGGREGATES.items(),
            "preview": imp.preview,
            # Ask the day/month order when the date column cannot tell it.
            "ask_date_order": imp.date_orders.get(imp.mapping.get("period", ""), {}).get("order")
            == "ambiguous",
            "date_orders": imports.DATE_ORDERS.items(),
            "more_values": (imp.mapping.get("more_values") or "").split("\n"),
            # Why the rows failed, by reason, most rows first, with the likely fixes.
            "reasons": imports.reasons(measure, imp)
            if imp.status == DataImport.Status.FAILED
            else [],
        },
        status=422 if problems else 200,
    )


def progress(request: AuthedRequest, pk: int, item: int) -> HttpResponse:
    """The progress partial that the import page polls while a big file is processed."""
    measure = measure_for(request.user, pk, "enter")
    imp = imports.fail_if_stale(import_for(request.user, measure, item))
    response = render(request, "measures/import.html#progress", {"measure": measure, "imp": imp})
    if imp.status == DataImport.Status.APPLIED:
        response["HX-Redirect"] = f"/measures/{measure.pk}/"
    elif imp.status == DataImport.Status.FAILED:
        response["HX-Refresh"] = "true"
    return response


def error_rows(request: AuthedRequest, pk: int, item: int) -> HttpResponse:
    """The bad rows kept in detail, as a CSV: each line, its problem and the row as it is in
    the file, to fix it in a spreadsheet."""
    measure = measure_for(request.user, pk, "enter")
    imp = import_for(request.user, measure, item)
    header, rows = imports.error_rows(imp)
    response = HttpResponse(write_csv(header, rows), content_type=CONTENT_TYPE)
    stem = imp.filename.rsplit(".", 1)[0][:100] or "upload"
    response["Content-Disposition"] = f'attachment; filename="{stem}-rows-to-fix.csv"'
    return response


@require_POST
def discard(request: AuthedRequest, pk: int, item: int) -> HttpResponse:
    measure = measure_for(request.user, pk, "enter")
    imp = import_for(request.user, measure, item)
    if imp.status in (DataImport.Status.PENDING, DataImport.Status.FAILED):
        imp.status = DataImport.Status.DISCARDED
        imp.data = b""
        imp.save()
        messages.info(request, "The upload was discarded; nothing was saved.")
    return redirect("measures:upload", pk=measure.pk)
