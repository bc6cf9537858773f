"""Settings of the BDVO partner portal.

One file, driven by environment variables. Development defaults are safe and need
nothing installed (SQLite, eager Celery, console e-mail); production values are
validated at start-up (see ``_check_production``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# Absolute links in e-mails and calendar feeds. Required in production (`check --deploy`:
# bdvo_portal.E001); `make run PORT=…` passes the port it serves on.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "django_filters",
    "bdvo_portal",
    "extranet",
    "catalogue",
    "content",
    "animation_tools",
    "trainings",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "bdvo_portal.middleware.SecurityHeadersMiddleware",
    "bdvo_portal.middleware.PrivateCacheMiddleware",
]

ROOT_URLCONF = "bdvo_portal.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bdvo_portal.context_processors.portal",
            ],
        },
    },
]

WSGI_APPLICATION = "bdvo_portal.wsgi.application"

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout let the dev server, Celery eager tasks and tests share the file.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DATABASES["default"].setdefault("TEST", {})
if env_str("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"]["NAME"] = env_str("TEST_DATABASE_NAME")
IS_POSTGRES = DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql")
if IS_POSTGRES:
    # JIT compilation costs more than it saves on a web page's queries (search facets: ~1 s of JIT for 0.1 s of work).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------------
AUTH_USER_MODEL = "extranet.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "extranet:dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "extranet.adapters.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BDVO] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "5/5m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
}
# Set-password links sent to new accounts stay valid for 7 days.
PASSWORD_RESET_TIMEOUT = 7 * 24 * 3600

# --- Cache -------------------------------------------------------------------------------
# "default": rate limits, record pages and header bits (catalogue/record_page.py). It must be
# shared by every process that serves pages or writes the catalogue (web, Celery, import_marc),
# since a write invalidates what the others cached: Redis in production. The per-process
# LocMemCache is for development and tests only.
# "process": template fragments that depend only on the code and the settings (footer,
# navigation); each process keeps its own copy, nothing invalidates them but a restart.
REDIS_URL = env_str("REDIS_URL")
# A stopped or unreachable Redis costs a request at most these timeouts, once per
# REDIS_RETRY_AFTER_SECONDS and process: meanwhile each process caches for itself
# (bdvo_portal/cache.py), so pages, logins and their rate limits keep working.
REDIS_CONNECT_TIMEOUT = env_int("REDIS_CONNECT_TIMEOUT_MS", 250) / 1000
REDIS_SOCKET_TIMEOUT = env_int("REDIS_SOCKET_TIMEOUT_MS", 500) / 1000
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "bdvo_portal.cache.PortalRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "retry_after": env_int("REDIS_RETRY_AFTER_SECONDS", 10),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CACHES["process"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "process"}
# Sessions stay in the database, never in the cache: logins must survive a Redis outage.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Celery -----------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/Paris"
# Jobs keep their state in their own rows (ExportJob, MarcImport): nobody reads task results,
# and a web process that queues a task must not subscribe to its result in Redis (with Redis
# down, that subscription retries for 20 s then raises). Ask for one with ignore_result=False.
CELERY_TASK_IGNORE_RESULT = True
# A request that queues a task with the broker down must fail fast, not hang: the callers
# then fall back (e-mails are sent at once, exports and imports say the service is down).
# The worker keeps retrying its own connection (broker_connection_retry, default on).
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_CONNECT_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": REDIS_CONNECT_TIMEOUT,
    # Above the 1 s of the worker's BRPOP; without it a publish on a dead connection waits forever.
    "socket_timeout": 3,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
# A running job (MARC import) that has not written its heartbeat for this many seconds lost
# its worker: it is marked failed and can be re-run.
JOB_HEARTBEAT_TIMEOUT = env_int("JOB_HEARTBEAT_TIMEOUT", 10 * 60)
if JOB_HEARTBEAT_TIMEOUT < 1:
    raise ImproperlyConfigured("JOB_HEARTBEAT_TIMEOUT must be a positive number of seconds")

# Periodic jobs, run by `celery -A bdvo_portal beat` (one beat process per deployment, beside the
# workers; times are Europe/Paris). Without REDIS_URL (`make run`, tests) nothing is scheduled:
# run a job by hand with `python manage.py run_scheduled_job <name>` (no name lists them).
# Each job is a service function that is safe to run twice (reminders are sent once).
# Alerts (a later issue) are added here: one entry naming their task, e.g.
#   "send-alerts": {"task": "catalogue.tasks.send_alerts", "schedule": crontab(hour=7, minute=0)},
CELERY_BEAT_SCHEDULE = {
    "purge-trainee-requests": {
        "task": "trainings.tasks.purge_trainee_requests",
        "schedule": crontab(hour=3, minute=15),
    },
    # Also declares failed the export jobs whose worker died (EXPORT_STALLED_AFTER_MINUTES).
    "purge-exports": {"task": "extranet.tasks.purge_exports", "schedule": crontab(minute="*/15")},
    "fail-stalled-imports": {"task": "catalogue.tasks.fail_stalled_imports", "schedule": crontab(minute="*/5")},
    "remind-tool-returns": {
        "task": "animation_tools.tasks.send_tool_return_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "remind-training-sessions": {
        "task": "trainings.tasks.send_session_reminders",
        "schedule": crontab(hour=8, minute=30),
    },
}
# Beat records when each job last ran in this file: it must be writable by the beat process.
CELERY_BEAT_SCHEDULE_FILENAME = env_str(
    "CELERY_BEAT_SCHEDULE_FILENAME", str(Path(tempfile.gettempdir()) / "bdvo-portal-celerybeat-schedule")
)

# --- E-mail -----------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Portail BDVO <no-reply@bdvo.valdoise.fr>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
BDVO_CONTACT_EMAIL = env_str("BDVO_CONTACT_EMAIL", "bdvo@valdoise.fr")
TRAININGS_STAFF_EMAILS = env_list("TRAININGS_STAFF_EMAILS") or [BDVO_CONTACT_EMAIL]
BDVO_CONTACT_PHONE = env_str("BDVO_CONTACT_PHONE")  # shown only when set
# The portal's name in e-mails (header, signature, django-allauth's « current site »).
SITE_NAME = env_str("SITE_NAME", "Portail des bibliothèques partenaires — BDVO")
# Reply-To of each kind of e-mail (extranet.mail.MailKind): who answers the person who replies.
EMAIL_REPLY_TO = {
    "accounts": env_str("EMAIL_REPLY_TO_ACCOUNTS", BDVO_CONTACT_EMAIL),
    "tools": env_str("EMAIL_REPLY_TO_TOOLS", BDVO_CONTACT_EMAIL),
    "trainings": env_str("EMAIL_REPLY_TO_TRAININGS", BDVO_CONTACT_EMAIL),
}


def _email_settings(url: str) -> dict[str, object]:
    """Read ``EMAIL_URL`` (``smtp://user:pass@host:587?tls=1``, ``console://``, ``file:///dir``)."""
    parsed = urlparse(url)
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    if parsed.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parsed.scheme == "file":
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": parsed.path}
    if parsed.scheme in {"smtp", "smtps"}:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parsed.hostname or "localhost",
            "EMAIL_PORT": parsed.port or (465 if parsed.scheme == "smtps" else 25),
            "EMAIL_HOST_USER": unquote(parsed.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parsed.password or ""),
            "EMAIL_USE_TLS": query.get("tls", "0") in {"1", "true"},
            "EMAIL_USE_SSL": parsed.scheme == "smtps",
        }
    raise ImproperlyConfigured(f"EMAIL_URL scheme not supported: {parsed.scheme!r}")


globals().update(_email_settings(env_str("EMAIL_URL", "console://")))

# --- Internationalisation ---------------------------------------------------------------
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

# --- Static and media files -------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Uploaded files live on the local disk (MEDIA_ROOT) unless AWS_STORAGE_BUCKET_NAME names an
# S3-compatible bucket (several web hosts then share it). The bucket may stay private: every
# file is served by the portal's own views (extranet/files.py), never from a bucket URL.
# Credentials come from boto3's usual sources (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY…).
AWS_STORAGE_BUCKET_NAME = env_str("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "location": env_str("AWS_LOCATION"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# How long browsers and shared caches may keep a public file (technical sheets, tool photos).
PUBLIC_FILES_MAX_AGE = env_int("PUBLIC_FILES_MAX_AGE", 24 * 3600)
# Uploaded files over this are streamed to a temporary file instead of being held in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Request bodies apart from their files (form fields): Django answers 400 beyond this.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest MARC file the admin accepts (a bigger one: ``manage.py import_marc`` on the server).
MARC_UPLOAD_MAX_BYTES = env_int("MARC_UPLOAD_MAX_BYTES", 200 * 1024 * 1024)
# Largest other uploaded file: technical sheets (tool photos are held to 5 MiB at most).
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
if min(MARC_UPLOAD_MAX_BYTES, UPLOAD_MAX_BYTES) < 1:
    raise ImproperlyConfigured("MARC_UPLOAD_MAX_BYTES and UPLOAD_MAX_BYTES must be positive")

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Animation tools: booking rules (defaults and meaning in animation_tools/conf.py) ---
ANIMATION_TOOLS = {
    "TURNAROUND_WORKING_DAYS": env_int("TOOLS_TURNAROUND_WORKING_DAYS", 3),
    "MAX_LOAN_DAYS": env_int("TOOLS_MAX_LOAN_DAYS", 42),
    "LEAD_TIME_DAYS": 7,
    "CONVENTION_LEAD_TIME_MONTHS": 1,
    "CONVENTION_THRESHOLD_EUROS": "5000.00",
    "RETURN_REMINDER_DAYS": env_int("TOOLS_RETURN_REMINDER_DAYS", 3),
}

# --- Loans and exports ------------------------------------------------------------------
LOAN_DEFAULT_DAYS = env_int("LOAN_DEFAULT_DAYS", 120)
# Code of the BDVO written in 995$a/$b of exported records (lending body and owner).
EXPORT_LENDER_CODE = env_str("EXPORT_LENDER_CODE", "BDVO")
# Above this many rows, an export runs as a Celery job with a status page (extranet.exports).
EXPORT_ASYNC_THRESHOLD = env_int("EXPORT_ASYNC_THRESHOLD", 2000)
# Finished export files are kept this long, then purged with their job (`manage.py purge_exports`).
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
# A background export saves its progress and heartbeat every this many rows.
EXPORT_PROGRESS_EVERY = env_int("EXPORT_PROGRESS_EVERY", 500)
# A job whose heartbeat is older than this is declared failed by the purge (its worker died).
EXPORT_STALLED_AFTER_MINUTES = env_int("EXPORT_STALLED_AFTER_MINUTES", 30)

# --- Demo data --------------------------------------------------------------------------
# Each entry is a callable ``load(stdout) -> None`` run in this order by ``manage.py load_demo``.
DEMO_LOADERS = [
    "extranet.demo.load",
    "content.demo.load",
    "catalogue.demo.load",
    "catalogue.demo_loans.load",
    "animation_tools.demo.load",
    "trainings.demo.load",
]
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "demo-bdvo-2026")


def _check_production() -> None:
    if DEBUG:
        return
    if not SECRET_KEY or SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured("SECRET_KEY must be set to a long random value when DEBUG is off.")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")


_check_production()
