"""Uploading a staff list: upload, preview every row, then confirm (all or nothing) or discard."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from champion.accounts import staff_import
from champion.accounts.forms import StaffUploadForm
from champion.accounts.models import StaffImport
from champion.accounts.permissions import staff_import_for
from champion.accounts.tasks import run_staff_import, welcome_after_commit
from champion.core.http import AuthedRequest
from champion.core.permissions import require
from champion.core.tabular import TableError, read_table

#: The preview lists this many rows (and the upload page this many bad rows); the sentences
#: and the reasons cover them all.
PREVIEW_ROWS = 500


def _import_for(request: AuthedRequest, pk: int) -> StaffImport:
    require(request.user.is_admin, "Only admins import staff lists.")
    return staff_import_for(request.user, pk)


def upload(request: AuthedRequest) -> HttpResponse:
    require(request.user.is_admin, "Only admins import staff lists.")
    assert request.user.organisation is not None  # admins always belong to an organisation
    form = StaffUploadForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.name, upload.read(), max_rows=staff_import.MAX_ROWS)
        except TableError as exc:
            errors = [str(exc)]
        else:
            rows, preview = staff_import.preview_upload(table, admin=request.user)
            if preview.ok:
                pending = StaffImport.objects.create(
                    organisation=request.user.organisation,
                    uploaded_by=request.user,
                    filename=upload.name[:255],
                    rows=rows,
                )
                return redirect("accounts:staff-import", pk=pending.pk)
            errors = preview.file_errors
    return render(
        request,
        "accounts/staff_upload.html",
        {
            "form": form,
            "errors": errors,
            "preview": preview,
            # Why rows fail, by reason, most rows first; then the rows one by one.
            "reasons": preview.reasons() if preview else [],
            "bad_shown": preview.bad_rows[:PREVIEW_ROWS] if preview else [],
        },
    )


def review(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = staff_import.fail_if_stale(_import_for(request, pk))
    preview = (
        staff_import.validate(pending.rows, admin=request.user)
        if pending.status in (StaffImport.Status.PENDING, StaffImport.Status.FAILED)
        else None
    )
    return render(
        request,
        "accounts/staff_import.html",
        {
            "staff_import": pending,
            "preview": preview,
            "shown": preview.rows[:PREVIEW_ROWS] if preview else [],
        },
    )


def progress(request: AuthedRequest, pk: int) -> HttpResponse:
    """The progress partial the review page polls while a long list is imported."""
    pending = staff_import.fail_if_stale(_import_for(request, pk))
    response = render(request, "accounts/staff_import.html#progress", {"staff_import": pending})
    if not pending.working:
        response["HX-Refresh"] = "true"
    return response


@require_POST
def apply(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = _import_for(request, pk)
    try:
        summary = staff_import.submit(pending, admin=request.user, welcome=welcome_after_commit)
    except staff_import.ImportNotPending as exc:
        messages.info(
            request, f"This staff list was already handled ({exc}); nothing more was changed."
        )
        return redirect("accounts:staff-import", pk=pending.pk)
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:staff-import", pk=pending.pk)
    if summary is None:
        # A long list: the task worker imports it once this request has committed.
        transaction.on_commit(lambda: run_staff_import.enqueue(pending.pk))
        return redirect("accounts:staff-import", pk=pending.pk)
    messages.success(request, applied_message(summary))
    return redirect("accounts:people")


def applied_message(summary: dict[str, int]) -> str:
    return (
        f"Staff list imported: {summary.get('new people', 0)} new people, "
        f"{sum(v for k, v in summary.items() if k != 'new people' and k != 'no change')} changes."
    )


@require_POST
def discard(request: AuthedRequest, pk: int) -> HttpResponse:
    pending = _import_for(request, pk)
    if pending.status in (StaffImport.Status.PENDING, StaffImport.Status.FAILED):
        pending.status = StaffImport.Status.DISCARDED
        pending.save()
        messages.info(request, "The staff list was discarded; nothing was changed.")
    return redirect("accounts:staff-upload")
