"""Settings for the LSP self-assessment service.

Everything that differs between a laptop and production comes from environment variables,
with defaults that are safe: DEBUG is off unless asked for, and SQLite is used when no
DATABASE_URL is given so that a fresh checkout just runs.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent


def read_env_file(path: Path) -> None:
    """KEY=value lines from a local `.env` (written by `make run`), for settings the environment
    does not already give: `manage.py` run by hand finds the same settings as `make run`."""
    if not path.is_file():
        return
    for line in path.read_text().splitlines():
        key, sep, value = line.strip().partition("=")
        if sep and key and not key.startswith("#"):
            os.environ.setdefault(key.strip(), value.strip())


read_env_file(BASE_DIR / ".env")


def envbool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("Set SECRET_KEY (or DEBUG=1 for a local development key).")
    # A fresh key each start, when there is no .env (`make run` writes one): personal links are
    # derived from the key, so without a lasting one they change with every start.
    SECRET_KEY = "dev-" + secrets.token_urlsafe(50)

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

# The address people see in e-mails and shared links, without a trailing slash.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SERVICE_NAME = "Principles of Representation self-assessment"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "auditlog",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "principles",
    "assessments",
    "reports",
    "networks",
]

MIDDLEWARE = [
    "lib.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "lib.middleware.DatabaseUnavailableMiddleware",
    "lib.middleware.PrivatePagesMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lsp_framework.urls"
WSGI_APPLICATION = "lsp_framework.wsgi.application"

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
                "lib.context_processors.service",
            ],
        },
    },
]

# Database: SQLite by default, tuned for many people submitting at once;
# DATABASE_URL switches to PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=envint("CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache every process of the service shares: the report's figures and its PDFs
# (reports/report.py, reports/pdf.py). REDIS_URL (redis://host:6379/0) for several machines;
# without it, a table of the database (made by a migration: reports 0004), which the processes
# of one machine share with nothing more to run.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_TABLE = "lsp_cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "lsp"),
    }
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
        # Each round's figures and its two PDFs: room for every round of a few hundred
        # partnerships before the oldest third is culled (Django's default is 300 entries).
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "assessments:partnership-list"
LOGOUT_REDIRECT_URL = "pages:home"

# Failed sign-ins: five in a row from one address for one username locks that pair out for
# 15 minutes, after which the lockout ends by itself.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_MINUTES", 15)) / 60
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"


def axes_username(request, credentials=None):
    # django-axes stores the username as given in a 255-character column
    # (jazzband/django-axes#1381): a longer one would be a DataError, a 500, on PostgreSQL.
    data = credentials or getattr(request, "data", request.POST)
    username = data.get("username")
    return username[:255] if isinstance(username, str) else username


AXES_USERNAME_CALLABLE = axes_username
# No log of successful sign-ins with addresses: only failed attempts, removed after a day by
# `manage.py purge_personal_data`.
AXES_DISABLE_ACCESS_LOG = True
# Behind a proxy every request comes from the proxy's address: without this, five wrong
# passwords from anywhere would lock a coordinator out for everyone. The client's address is
# then read from X-Forwarded-For, trusting only the entries our own AXES_PROXY_COUNT proxies
# (one by default) added, so a client cannot choose its address by sending the header itself.
TRUSTED_PROXIES = envint("AXES_PROXY_COUNT", 1) if envbool("BEHIND_PROXY") else 0
AXES_CLIENT_IP_CALLABLE = "lib.middleware.client_ip"

# The audit trail (assessments/audit.py) is written explicitly, never by auditlog's automatic
# registration or middleware; this keeps any client address out of it whatever else changes.
AUDITLOG_DISABLE_REMOTE_ADDR = True

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = os.environ.get("STATIC_URL", "/static/")
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    ("app", BASE_DIR / "static" / "app"),
    ("build", BASE_DIR / "static" / "build"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
EMAIL_TIMEOUT = 20
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "assessments@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: run at once in the request by default; TASK_BACKEND=database queues them
# for `manage.py db_worker` in production.
TASKS = {
    "default": {
        "BACKEND": {
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
            "database": "django_tasks_db.DatabaseBackend",
        }[os.environ.get("TASK_BACKEND", "immediate")]
    }
}
# With a queue, a round's PDFs are rendered by the worker (reports/tasks.py) into the shared
# cache, and a reader who asks before it is ready gets a page saying so; run at once, in the
# request, as before.
PDF_IN_BACKGROUND = envbool(
    "PDF_IN_BACKGROUND",
    TASKS["default"]["BACKEND"] != "django_tasks.backends.immediate.ImmediateBackend",
)

# Members' personal data and links are erased this many months after their last round closed
# (`manage.py purge_personal_data`, run daily).
RETENTION_MONTHS = envint("RETENTION_MONTHS", 12)

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
CRISPY_GDS_FRONTEND_VERSION = "5.8.0"

# Content Security Policy: our own scripts, styles and images only; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if envbool("BEHIND_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "lib.logs.JsonFormatter"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Django's own loggers come with handlers of their own (DEFAULT_LOGGING) that would
        # write plain lines with full paths, tokens included: they write through ours instead.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # Our own JSON request lines replace Django's, which would log full paths with tokens.
        "django.request": {"level": "ERROR"},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "lsp.requests": {"level": os.environ.get("REQUEST_LOG_LEVEL", "INFO")},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
        "pikepdf": {"level": "WARNING"},
    },
}
