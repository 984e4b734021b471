"""Settings read from the environment.

Defaults give a working single-machine install (SQLite under var/); production is switched on
with CAREERRELAY_ENV=production, which refuses to start without a SECRET_KEY and turns on the
HTTPS-only settings that `manage.py check --deploy` asks for.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from careerrelay.core.email_url import email_settings_from_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("CAREERRELAY_VAR_DIR", BASE_DIR / "var"))


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


PRODUCTION = os.environ.get("CAREERRELAY_ENV", "development") == "production"
DEBUG = _env_bool("CAREERRELAY_DEBUG", False)


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("SECRET_KEY must be set when CAREERRELAY_ENV=production")
    # A development install keeps one generated key so sessions survive restarts.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "ninja",
    "anymail",
    "careerrelay.core",
    "careerrelay.accounts",
    "careerrelay.orgs",
    "careerrelay.candidates",
    "careerrelay.consent",
    "careerrelay.relay",
    "careerrelay.outreach",
    "careerrelay.analytics",
    "careerrelay.matching",
    "careerrelay.integrations",
    "careerrelay.api",
    "careerrelay.web",
    "careerrelay.portal",
    "careerrelay.demo",
]

MIDDLEWARE = [
    "careerrelay.core.tenancy.TenantScopeMiddleware",  # outermost: clears the request's org at the end
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "careerrelay.web.middleware.PreferredLanguageMiddleware",
    "careerrelay.api.middleware.ApiMiddleware",
    "careerrelay.web.middleware.CurrentOrgMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "careerrelay.web.faults.StorageFullMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careerrelay.web.context_processors.current_org",
            ],
        },
    },
    {
        # Hot fragments only (a list's rows, `{% fragment %}`): careerrelay/web/jinja.py.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "careerrelay.web.jinja.environment", "autoescape": True},
    },
]

# Form widgets through Jinja2 (Django's own widget templates for it), selects written in Python:
# a select of the 47 prefectures rendered through Django's engine is one include per option, and
# the pool page's filter form cost 60% of the page's CPU that way (careerrelay/core/form_renderer.py).
FORM_RENDERER = "careerrelay.core.form_renderer.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'careerrelay.sqlite3'}"),
        conn_max_age=int(os.environ.get("CAREERRELAY_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: our queries are short, and a wrong row estimate (a filter on a subquery) made
    # PostgreSQL compile a pool page for 0.9–1.4 s that then ran in 20 ms (benchmarks/README.md, Load).
    # random_page_cost 1.1, not 4 (spinning disks): the tables live on SSD or in memory. The pool's
    # filters estimate one row, and at 4 the planner read a whole prefecture out of order and sorted
    # it (94,644 rows, 730 ms) instead of scanning it newest first to the page's 50 (3 ms).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the worker writes; IMMEDIATE avoids the
    # "database is locked" upgrade deadlock between two writers.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    if not os.environ.get("DATABASE_URL"):
        VAR_DIR.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "careerrelay" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Tokyo"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Production serves hashed, compressed files collected by `manage.py collectstatic`;
        # elsewhere WhiteNoise serves straight from the apps' static folders.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing root

EMAIL_URL = os.environ.get("EMAIL_URL", "console://")
globals().update(email_settings_from_url(EMAIL_URL))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Career Relay <no-reply@careerrelay.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = 20
# Bounce and complaint webhooks from the mail provider (django-anymail, outreach/tracking.py),
# protected by HTTP basic auth "user:password". Unset, a random secret makes them refuse every call.
ANYMAIL = {
    "WEBHOOK_SECRET": os.environ.get("CAREERRELAY_MAIL_WEBHOOK_SECRET") or f"unset:{secrets.token_urlsafe(32)}",
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CAREERRELAY_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# Career Relay's own knobs (CAREERRELAY_*).
CAREERRELAY_API_RATE_LIMIT = int(os.environ.get("CAREERRELAY_API_RATE_LIMIT", "600"))
CAREERRELAY_API_RATE_WINDOW_SECONDS = int(os.environ.get("CAREERRELAY_API_RATE_WINDOW_SECONDS", "60"))
CAREERRELAY_LOGIN_MAX_FAILURES = int(os.environ.get("CAREERRELAY_LOGIN_MAX_FAILURES", "5"))
CAREERRELAY_LOGIN_LOCK_SECONDS = int(os.environ.get("CAREERRELAY_LOGIN_LOCK_SECONDS", str(15 * 60)))
CAREERRELAY_LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("CAREERRELAY_LOGIN_MAX_FAILURES_PER_IP", "50"))
CAREERRELAY_LOGIN_MAX_FAILURES_PER_ADDRESS = int(os.environ.get("CAREERRELAY_LOGIN_MAX_FAILURES_PER_ADDRESS", "20"))
# Load shedding (web/shedding.py, around config/wsgi.py's application): requests one process runs
# at once (0 = no limit; `careerrelay serve` sets it to its --threads), how long an excess request
# may wait for a slot when the process is saturated, how long during a burst, and the Retry-After
# it gets.
CAREERRELAY_MAX_IN_FLIGHT = int(os.environ.get("CAREERRELAY_MAX_IN_FLIGHT", "0"))
CAREERRELAY_SHED_WAIT_SECONDS = float(os.environ.get("CAREERRELAY_SHED_WAIT_SECONDS", "0.05"))
CAREERRELAY_SHED_PATIENCE_SECONDS = float(os.environ.get("CAREERRELAY_SHED_PATIENCE_SECONDS", "0.5"))
CAREERRELAY_SHED_RETRY_AFTER_SECONDS = int(os.environ.get("CAREERRELAY_SHED_RETRY_AFTER_SECONDS", "2"))
CAREERRELAY_TRUSTED_PROXIES = int(os.environ.get("CAREERRELAY_TRUSTED_PROXIES", "0"))
CAREERRELAY_IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60
CAREERRELAY_PUBLIC_URL = os.environ.get("CAREERRELAY_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not CAREERRELAY_PUBLIC_URL.startswith("https://"):
    raise RuntimeError("CAREERRELAY_PUBLIC_URL must be set to the https:// address people use in production")
CAREERRELAY_IMPORT_MAX_BYTES = int(os.environ.get("CAREERRELAY_IMPORT_MAX_BYTES", str(200 * 1024 * 1024)))
# Introduction requests one member may send into one network in 24 hours (each mails a person).
CAREERRELAY_RELAY_REQUESTS_PER_DAY = int(os.environ.get("CAREERRELAY_RELAY_REQUESTS_PER_DAY", "30"))
CAREERRELAY_PORTAL_LINK_DAYS = int(os.environ.get("CAREERRELAY_PORTAL_LINK_DAYS", "90"))
CAREERRELAY_WORKER_TICK_SECONDS = float(os.environ.get("CAREERRELAY_WORKER_TICK_SECONDS", "5"))
# SMTP connections one worker sends on side by side (the outbox dispatcher).
CAREERRELAY_SMTP_CONNECTIONS = int(os.environ.get("CAREERRELAY_SMTP_CONNECTIONS", "8"))
