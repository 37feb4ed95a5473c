"""WSGI entry point for gunicorn and `champion serve`."""

import os
import sys

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "champion.web.settings")
application = get_wsgi_application()


def hide_server_banner() -> None:
    """Under gunicorn, send no `Server:` header: which server and version we run is nobody's
    business (issue 16). Applies however gunicorn was started, since it imports this module."""
    gunicorn_wsgi = sys.modules.get("gunicorn.http.wsgi")
    if gunicorn_wsgi is None or getattr(gunicorn_wsgi.Response, "_banner_hidden", False):
        return
    default_headers = gunicorn_wsgi.Response.default_headers

    def without_server(self: object) -> list[str]:
        return [h for h in default_headers(self) if not h.lower().startswith("server:")]

    gunicorn_wsgi.Response.default_headers = without_server
    gunicorn_wsgi.Response._banner_hidden = True


hide_server_banner()
