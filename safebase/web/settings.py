"""One settings module, driven by environment variables (see ``config``).

SAFEBASE_ENV=production turns on the deployment hardening that ``manage.py check --deploy`` asks
for; it also requires SAFEBASE_SECRET_KEY and SAFEBASE_ALLOWED_HOSTS from the environment.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from safebase.web.config import (
    data_dir,
    envbool,
    envint,
    envsecret,
    local_crisis_line,
    local_secret_key,
)
from safebase.web.storage import sqlite_file
from safebase.web.timezones import machine_time_zone

BASE_DIR = Path(__file__).resolve().parent
PRODUCTION = os.environ.get("SAFEBASE_ENV", "local") == "production"
DEBUG = envbool("SAFEBASE_DEBUG", False) and not PRODUCTION

if PRODUCTION:
    SECRET_KEY = envsecret("SAFEBASE_SECRET_KEY") or ""
    if len(SECRET_KEY) < 50:
        raise RuntimeError("SAFEBASE_SECRET_KEY (50+ characters) is required in production")
    ALLOWED_HOSTS = [h for h in os.environ.get("SAFEBASE_ALLOWED_HOSTS", "").split(",") if h]
else:
    SECRET_KEY = envsecret("SAFEBASE_SECRET_KEY") or local_secret_key()
    # A home server on the local network adds its own address (e.g. 192.168.1.20).
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"] + [
        h for h in os.environ.get("SAFEBASE_ALLOWED_HOSTS", "").split(",") if h
    ]

# Shown first among crisis resources when free text suggests risk (e.g. a national line).
SAFEBASE_CRISIS_NUMBER, SAFEBASE_CRISIS_LABEL = local_crisis_line()

# Behind a reverse proxy: the header that carries the client's address (e.g. X-Forwarded-For),
# used for sign-in throttling. Unset, the connection's own address is used.
SAFEBASE_TRUSTED_PROXY_HEADER = os.environ.get("SAFEBASE_TRUSTED_PROXY_HEADER", "")

# Single-person mode (default): one local owner, reached through a one-time sign-in link.
MULTI_USER = envbool("SAFEBASE_MULTI_USER", False)

# Flash messages can name a child or a client: kept in the server-side session, never in a
# cookie the browser (or anyone holding it) can read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "safebase.web.accounts",
    "safebase.web.assessments",
    "safebase.web.practice",
    "safebase.web.family",
    "safebase.web.mydata",
    "safebase.web.relationships",
    "safebase.web.couple",
    "safebase.web.interop",
    "safebase.web.reports",
    "safebase.web.clinic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "safebase.web.headers.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "safebase.web.timezones.PersonTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "safebase.web.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "safebase.web.context.site",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
WSGI_APPLICATION = "safebase.web.wsgi.application"


def _database() -> dict:
    url = os.environ.get("DATABASE_URL")
    if url:
        return dj_database_url.parse(url, conn_max_age=envint("SAFEBASE_CONN_MAX_AGE", 60))
    return {
        "ENGINE": "django.db.backends.sqlite3",
        # Created 0600 before SQLite opens it; SQLite's -wal and -shm files copy its permissions.
        "NAME": sqlite_file(
            os.environ.get("SAFEBASE_SQLITE_PATH") or str(data_dir() / "safebase.sqlite3")
        ),
        "OPTIONS": {
            # WAL lets readers and one writer work at once; IMMEDIATE takes the write lock at
            # BEGIN so concurrent writers wait (busy timeout) instead of failing mid-transaction.
            # secure_delete zeroes deleted rows in place: set here, not left to how the system's
            # SQLite was compiled (Debian's has it on, most others off).
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA secure_delete=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
        # Keep connections: opening one and running the pragmas costs more than a page view.
        "CONN_MAX_AGE": None,
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# Days (streaks, weekly summaries) are the person's own: the machine's zone unless configured;
# each person may choose another in their settings (safebase.web.timezones).
TIME_ZONE = os.environ.get("SAFEBASE_TIME_ZONE") or machine_time_zone()
USE_I18N = True
USE_TZ = True

LOGIN_URL = "login" if MULTI_USER else "home"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"


STATIC_URL = "/static/"
# Local runs serve static files straight from the package; production from collectstatic output.
WHITENOISE_USE_FINDERS = not PRODUCTION
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("SAFEBASE_STATIC_ROOT") or data_dir() / "static")
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Django's own database sessions (the default engine): a log-out is seen by every worker process
# at once (a cache local to each process once kept logged-out sessions alive in the others).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SAFEBASE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SAFEBASE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SAFEBASE_LOG_LEVEL", "WARNING")},
}
