"""Loaded by pytest before Django starts (`-p champion.testing.pytest_env` in pyproject.toml).

Tests run with production settings (DEBUG off), so they need a SECRET_KEY, and plain
HTTP for the test client and the browser tests' live server. Values already in the
environment win (CI sets DATABASE_URL to run the suite on PostgreSQL).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-any-real-deployment-0123456789")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "champion.web.settings")
