"""The one way the platform makes a PDF from HTML (A3 reports, tool prints, certificates).

WeasyPrint would fetch any URL a page names (an image, a stylesheet), so a link typed into a
project could make the server call another machine or read a file it holds. Here it fetches
nothing over the network and reads no file except the platform's own static files: a page
names them with `{% static %}` (`/static/...`, resolved as a `file:` URL against
`file:///`), and `data:` URLs are inline. Anything else (http, https, ftp, another file) is
refused; WeasyPrint then leaves that resource out and draws the rest.

Charts exported as PDF do not come through here: vl-convert draws them from the chart spec
with no base URL allowed (`champion.charts.export`).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest
from django.template.loader import render_to_string

BASE_URL = "file:///"


class RefusedFetch(ValueError):
    """A PDF asked for a resource outside the platform's static files."""


def render_pdf(template: str, context: dict[str, Any], request: HttpRequest | None = None) -> bytes:
    """Render a template to HTML, then to PDF bytes."""
    return html_to_pdf(render_to_string(template, context, request=request))


def html_to_pdf(html: str) -> bytes:
    """PDF bytes of an HTML page, fetching nothing outside the static files."""
    # Documented lazy import: WeasyPrint is heavy (Pango, fonts) and only PDFs need it.
    import weasyprint

    pdf = weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=fetch_static).write_pdf()
    assert pdf is not None  # no target given, so WeasyPrint returns the bytes
    return pdf


def fetch_static(url: str, timeout: int = 10, ssl_context: Any = None, **_: Any) -> dict[str, Any]:
    """WeasyPrint's url_fetcher: inline `data:` URLs and static files only."""
    import weasyprint  # documented lazy import (see html_to_pdf)

    parts = urlsplit(url)
    if parts.scheme == "data":
        return weasyprint.default_url_fetcher(url)
    if parts.scheme == "file" and not parts.netloc:
        path = static_file(unquote(parts.path))
        if path is not None:
            mime_type, _encoding = mimetypes.guess_type(path.name)
            return {
                "string": path.read_bytes(),
                "mime_type": mime_type or "application/octet-stream",
                "filename": path.name,
                "redirected_url": url,
            }
    raise RefusedFetch(f"PDFs load only the platform's static files, not {url}")


def static_file(url_path: str) -> Path | None:
    """The file a `/static/...` path names (found by the static file finders or collected in
    STATIC_ROOT), or None when it names anything else."""
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if not url_path.startswith(prefix):
        return None
    name = url_path.removeprefix(prefix)
    if not name or any(part in ("", ".", "..") for part in name.split("/")):
        return None
    found = finders.find(name)
    candidates = [Path(found)] if isinstance(found, str) else []
    if settings.STATIC_ROOT:
        candidates.append(Path(settings.STATIC_ROOT) / name)
    for candidate in candidates:
        if candidate.is_file():
            return candidate.resolve()
    return None
