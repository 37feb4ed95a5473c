"""Friendly error pages that say what happened and where to go next."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from champion.core.api_errors import is_api, problem_response


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = (
        str(exception)
        if exception and str(exception)
        else "You do not have permission to see this page."
    )
    return render(
        request, "core/error.html", {"title": "Not allowed", "message": message}, status=403
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api(request):  # an address under /api/ that no operation has: the API's format
        return problem_response(request, "There is nothing here, or you may not see it.", 404)
    return render(
        request,
        "core/error.html",
        {
            "title": "Page not found",
            "message": "There is no page here, or you do not have access to it.",
        },
        status=404,
    )
