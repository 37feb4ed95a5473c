"""Pages of the REST API's lists (docs/api.md, "Lists come a page at a time"; issue 15).

A list operation answers one page: a JSON array of at most `per_page` items (100 unless
asked, at most 500), in a stable order, with the total in `X-Total-Count` and the
neighbouring pages in a `Link` header (`rel="next"`, `rel="prev"`), as GitHub's API does.
A page past the end is an empty array.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Schema
from pydantic import Field

PER_PAGE = 100
MAX_PER_PAGE = 500


class PageIn(Schema):
    page: int = Field(1, ge=1, description="Which page, from 1.")
    per_page: int = Field(
        PER_PAGE, ge=1, le=MAX_PER_PAGE, description=f"Items per page (1 to {MAX_PER_PAGE})."
    )


#: The operation parameter: ``paging: PageQuery`` reads `page` and `per_page`.
PageQuery = Query[PageIn]


def page_of(
    request: HttpRequest, response: HttpResponse, items: QuerySet[Any], paging: PageIn
) -> list[Any]:
    """The items of the page `paging` asks for (two queries: the count and the page); sets
    `X-Total-Count` and `Link` on `response`."""
    total = items.count()
    start = (paging.page - 1) * paging.per_page
    rows = list(items[start : start + paging.per_page])
    response["X-Total-Count"] = str(total)
    links = []
    if start + paging.per_page < total:
        links.append(f'<{_page_url(request, paging.page + 1)}>; rel="next"')
    if paging.page > 1 and total:
        last = max(1, -(-total // paging.per_page))
        links.append(f'<{_page_url(request, min(paging.page - 1, last))}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return rows


def _page_url(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}"
