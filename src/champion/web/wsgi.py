"""WSGI entry point for gunicorn and `champion serve`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "champion.web.settings")
application = get_wsgi_application()
