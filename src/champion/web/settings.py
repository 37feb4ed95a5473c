"""Settings for PI Champion, read from environment variables only.

Every variable is documented in the README's configuration table. Defaults are
safe: DEBUG is off unless set, and outside DEBUG the process refuses to start
without a SECRET_KEY.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url

from champion.web.env import ConfigError, env_bool, env_int, env_list, env_str, env_text

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_repo = PACKAGE_DIR.parent.parent
DATA_DIR = Path(
    env_str("DATA_DIR")
    or (_repo / "var" if (_repo / "pyproject.toml").exists() else Path.cwd() / "var")
)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ConfigError(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))'), or set DEBUG=1 "
            "for local development."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Open Badges 3.0 signing (docs/learning.md, "Signed credentials"; docs/deploy.md): the
# installation's private key as PEM text, or BADGE_SIGNING_KEY_FILE naming a file that holds
# it. Never in the repository or the database. Without it, DEBUG makes a development key
# under DATA_DIR; production serves unsigned credentials and `check --deploy` warns.
BADGE_SIGNING_KEY = env_text("BADGE_SIGNING_KEY")
# Public keys (PEM, one or more) of keys rotated out: still published so credentials signed
# with them keep verifying; never used to sign.
BADGE_RETIRED_KEYS = env_text("BADGE_RETIRED_KEYS")
# The curriculum files that `champion content load` reads (docs/content-format.md).
CONTENT_DIR = Path(env_str("CONTENT_DIR") or _repo / "content")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "champion.core",
    "champion.accounts",
    "champion.actions",
    "champion.measures",
    "champion.improvement.ideas",
    "champion.improvement",
    "champion.learning",
    "champion.leadership",
    "champion.leadership.strategy",
    "champion.home",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # 400 for NUL characters and impossible dates in the query string, before any view.
    "champion.core.middleware.BadQueryMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # CSP, Permissions-Policy, and no-store for signed-in responses (needs request.user).
    "champion.core.middleware.SecurityHeadersMiddleware",
    # Every page needs a signed-in person unless its view says otherwise (@login_not_required).
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # An admin who must use two-factor sign-in and has not set it up sees only its set-up page.
    "champion.accounts.middleware.TwoFactorEnrolmentMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "champion.core.middleware.AuditContextMiddleware",
    # Last: turns a sign-in refused for too many failures into the sign-in page with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "champion.web.urls"
WSGI_APPLICATION = "champion.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "champion.core.context_processors.navigation",
                "champion.core.context_processors.notifications",
            ],
            "builtins": [
                "template_partials.templatetags.partials",
                "champion.core.templatetags.words",  # {{ name|quoted }}: “name”, once
            ],
        },
    },
]

# Databases: SQLite in WAL mode by default (nothing to set up); PostgreSQL via DATABASE_URL.
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASE_URL = f"sqlite:///{DATA_DIR / 'champion.sqlite3'}"
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))
except ValueError as exc:
    raise ConfigError(
        f"DATABASE_URL is not a database URL dj-database-url understands: {exc}"
    ) from None
# A reused connection is checked before each request, so one dropped by a database restart
# is replaced instead of failing the request (or the task worker's next query).
_db["CONN_HEALTH_CHECKS"] = True
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["CONN_MAX_AGE"] = 0
    _db["OPTIONS"] = {
        # WAL lets readers work while one writer writes; IMMEDIATE avoids "database is locked"
        # errors when two requests upgrade a read transaction to a write at once.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses any sign-in (our page and /admin/login/) while throttled.
    "champion.accounts.throttle.ThrottleBackend",
    # E-mail and password, unless the person's organisation signs in only with SSO.
    "champion.accounts.backends.PasswordBackend",
    # Keeps the sessions of people signed in by OIDC or SAML; never checks a password.
    "champion.accounts.backends.SsoBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
# Password reset requests per hour: for one address typed (more are silently not sent) and
# from one client address (more are refused with "wait an hour").
PASSWORD_RESET_MAX_PER_ACCOUNT = 3
PASSWORD_RESET_MAX_PER_ADDRESS = 20

# Self-service sign-up (docs/deploy.md, "Self-service sign-up"): anyone may create a new
# organisation after confirming their e-mail address. Off unless ALLOW_SIGNUP=1. Links are
# asked for at most SIGNUP_MAX_PER_ACCOUNT times an hour per address typed and
# SIGNUP_MAX_PER_ADDRESS times from one client address, and work for SIGNUP_LINK_HOURS.
ALLOW_SIGNUP = env_bool("ALLOW_SIGNUP", False)
SIGNUP_LINK_HOURS = env_int("SIGNUP_LINK_HOURS", 24)
SIGNUP_MAX_PER_ACCOUNT = 3
SIGNUP_MAX_PER_ADDRESS = env_int("SIGNUP_MAX_PER_ADDRESS", 10)

# Sign-in throttling (django-axes; docs/deploy.md, "Sign-in throttling"): this many failures
# for one account from one address, or the much higher ceiling from one address for any
# accounts (a hospital behind one NAT address), within the window, refuse sign-in for a while.
SIGN_IN_MAX_FAILURES = env_int("SIGN_IN_MAX_FAILURES", 5)
SIGN_IN_MAX_FAILURES_PER_ADDRESS = env_int("SIGN_IN_MAX_FAILURES_PER_ADDRESS", 200)
SIGN_IN_WINDOW_MINUTES = env_int("SIGN_IN_WINDOW_MINUTES", 15)
# Two-factor sign-in (docs/deploy.md, "Two-factor sign-in"): after a right password, the
# code must follow within this many seconds, or the person starts again from the password.
TWO_FACTOR_STEP_SECONDS = env_int("TWO_FACTOR_STEP_SECONDS", 300)
AXES_HANDLER = "champion.accounts.throttle.SignInThrottle"
AXES_FAILURE_LIMIT = SIGN_IN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=SIGN_IN_WINDOW_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_USERNAME_CALLABLE = "champion.accounts.throttle.username_from"
AXES_CLIENT_IP_CALLABLE = "champion.accounts.throttle.ip_from"
AXES_LOCKOUT_CALLABLE = "champion.accounts.throttle.locked_out"
AXES_RESET_ON_SUCCESS = True
# A refused attempt is not counted again: the lock ends when the window has passed.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are not logged by Axes
AXES_VERBOSE = False

# Single sign-on (docs/deploy.md, "Single sign-on"). OpenID Connect: the issuer's address
# (its /.well-known/openid-configuration is read), this client's id and secret, and the
# name on the button ("Sign in with <OIDC_NAME>"). SAML 2.0: the identity provider's
# metadata (a URL, or a file) and the name on its button. Either is off while unset.
# `<PROTOCOL>_CREATE_USERS=1` creates unknown people as members of `<PROTOCOL>_DEFAULT_UNIT`
# (a unit's id); `<PROTOCOL>_ORGANISATION` (a slug) matches only that organisation's people.
OIDC_ISSUER = env_str("OIDC_ISSUER").strip()
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID").strip()
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET")
OIDC_NAME = env_str("OIDC_NAME", "your organisation")
OIDC_SCOPES = env_str("OIDC_SCOPES", "openid email profile")
OIDC_CREATE_USERS = env_bool("OIDC_CREATE_USERS", False)
OIDC_DEFAULT_UNIT = env_int("OIDC_DEFAULT_UNIT", 0) or None
OIDC_ORGANISATION = env_str("OIDC_ORGANISATION")
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    raise ConfigError("OIDC_ISSUER is set: set OIDC_CLIENT_ID and OIDC_CLIENT_SECRET too.")
if "openid" not in OIDC_SCOPES.split():
    raise ConfigError(f"OIDC_SCOPES must include openid (got {OIDC_SCOPES!r}).")
SAML_IDP_METADATA_URL = env_str("SAML_IDP_METADATA_URL").strip()
SAML_IDP_METADATA_FILE = env_str("SAML_IDP_METADATA_FILE").strip()
SAML_NAME = env_str("SAML_NAME", "your organisation")
SAML_SP_ENTITY_ID = env_str("SAML_SP_ENTITY_ID", f"{SITE_URL}/accounts/saml/metadata/")
# The assertion's attribute holding the e-mail address (else the usual names, then the NameID).
SAML_EMAIL_ATTRIBUTE = env_str("SAML_EMAIL_ATTRIBUTE")
SAML_CREATE_USERS = env_bool("SAML_CREATE_USERS", False)
SAML_DEFAULT_UNIT = env_int("SAML_DEFAULT_UNIT", 0) or None
SAML_ORGANISATION = env_str("SAML_ORGANISATION")
if SAML_IDP_METADATA_URL and SAML_IDP_METADATA_FILE:
    raise ConfigError("Set SAML_IDP_METADATA_URL or SAML_IDP_METADATA_FILE, not both.")
for _protocol in ("OIDC", "SAML"):
    if globals()[f"{_protocol}_CREATE_USERS"] and not globals()[f"{_protocol}_DEFAULT_UNIT"]:
        raise ConfigError(
            f"{_protocol}_CREATE_USERS=1 needs {_protocol}_DEFAULT_UNIT: the id of the unit "
            "new people join as members."
        )
# Seconds to wait for the identity provider (discovery, keys, tokens, metadata).
SSO_HTTP_TIMEOUT = env_int("SSO_HTTP_TIMEOUT", 10)

# Sessions end after this much inactivity (shared ward computers) and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

EMAIL_HOST = env_str("EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "PI Champion <no-reply@localhost>")

# Background work: in-process on one machine; a database queue and `task_worker` for organisations.
_tasks_backend = env_str("TASKS_BACKEND", "immediate")
if _tasks_backend not in ("immediate", "database"):
    raise ConfigError(f"TASKS_BACKEND must be 'immediate' or 'database' (got {_tasks_backend!r})")
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[_tasks_backend],
    }
}

# The task worker (`champion manage task_worker`) writes a heartbeat this often; /healthz
# answers 503 when the newest is older than TASK_WORKER_STALE_SECONDS while a worker is
# expected (the database queue, unless HEALTHZ_REQUIRE_WORKER=0).
TASK_WORKER_HEARTBEAT_SECONDS = 15
TASK_WORKER_STALE_SECONDS = env_int("TASK_WORKER_STALE_SECONDS", 120)
TASK_WORKER_EXPECTED = _tasks_backend == "database" and env_bool("HEALTHZ_REQUIRE_WORKER", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Hashed, compressed file names need `champion manage collectstatic`; production sets STATIC_MANIFEST=1.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", False)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
if not STATIC_MANIFEST:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns when its root is missing
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 50)

# Security headers. Production (DEBUG=0) is HTTPS-only by default; see docs/deploy.md.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (core.middleware): report-only until CSP_ENFORCE=1.
CSP_ENFORCE = env_bool("CSP_ENFORCE", False)
# Dates in query strings outside these years are refused with 400 (core.middleware).
DATE_YEAR_RANGE = (1900, 2200)
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a proxy we control: believe its X-Forwarded-Proto and X-Forwarded-For (the client
# address used for sign-in throttling and the audit log; core.middleware.client_ip).
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Failed sign-ins and lock-outs (WARNING) are logged; every success is not.
        "axes": {"level": "WARNING"},
    },
}
