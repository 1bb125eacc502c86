"""One settings module, driven by environment variables.

DXTRACK_ENV=production switches on the deploy checks' requirements (secret key, hosts, HTTPS).
Anything else is development: SQLite under var/, a generated secret kept in var/.
"""

import importlib.util
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DXTRACK_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("DXTRACK_ENV", "development") == "production"
DEBUG = env_bool("DXTRACK_DEBUG", default=False) and not PRODUCTION


def _secret_key() -> str:
    key = os.environ.get("DXTRACK_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured("DXTRACK_SECRET_KEY must be set in production.")
    # Development keeps one generated key so sessions survive restarts of `make demo`.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("DXTRACK_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("DXTRACK_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "dxtrack.core",
    "dxtrack.accounts",
    "dxtrack.org",
    "dxtrack.notifications",
    "dxtrack.plans",
    "dxtrack.reporting",  # migrations only: its tables moved to obligations and reports
    "dxtrack.obligations",
    "dxtrack.reports",
    "dxtrack.assessments",
    "dxtrack.analytics",
    "dxtrack.publishing",
    "dxtrack.opendata",
    "dxtrack.assistant",
    "dxtrack.steering",
    "dxtrack.exchange",
    "dxtrack.site",
    "dxtrack.devtools",
    "django_tasks_db",
    "dxtrack.operations",
]

MIDDLEWARE = [
    "dxtrack.operations.logs.RequestId",  # first: every later log line carries the request's id
    "django.middleware.security.SecurityMiddleware",
    "dxtrack.core.middleware.RequestSizeLimit",
    "dxtrack.core.middleware.JsonErrorsForMachines",
    "dxtrack.core.middleware.PrivateAnswers",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "dxtrack.core.middleware.PermissionsPolicy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "dxtrack.accounts.middleware.AccessMiddleware",
    "dxtrack.core.middleware.AuditChannel",
    "dxtrack.core.middleware.PasswordChangeRequired",
    "dxtrack.accounts.middleware.EnterpriseConfined",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost, so that it sees a view's domain error first: one mapping to 403/404/409/400.
    "dxtrack.core.middleware.DomainErrorPages",
]

ROOT_URLCONF = "dxtrack.urls"
WSGI_APPLICATION = "dxtrack.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dxtrack" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dxtrack.core.context_processors.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'dxtrack.sqlite3'}",
        conn_max_age=int(os.environ.get("DXTRACK_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets the web server read while a long import writes. The demo runs gunicorn, a worker
    # and a scheduler on one file: writers take the lock when their transaction begins
    # (IMMEDIATE), so a reader turned writer never fails with "database is locked" mid-way, and
    # they wait up to 20 s for each other instead of failing at once.
    _sqlite_options = DATABASES["default"].setdefault("OPTIONS", {})
    _sqlite_options["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
    _sqlite_options["transaction_mode"] = "IMMEDIATE"
    _sqlite_options["timeout"] = 20
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "site:my_work"  # the start page "Việc của tôi" (ADR 0028)
LOGOUT_REDIRECT_URL = "site:home"

# The proxies (nginx, a load balancer) whose X-Forwarded-For is believed: addresses or networks.
# Behind none, the client is REMOTE_ADDR; behind one not listed here, every client would share
# its address (and a forged header would pick any address at will).
DXTRACK_TRUSTED_PROXIES = env_list("DXTRACK_TRUSTED_PROXIES")

# Lock-out: after 5 failures from one client address, that address waits an hour. Never by user
# name: anyone could then lock any known user out. Failures against one user name from anywhere
# slow its log-in down instead (accounts.lockout), without locking its owner out.
AXES_FAILURE_LIMIT = int(os.environ.get("DXTRACK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "dxtrack.core.net.client_ip"
DXTRACK_LOGIN_SLOWDOWN_MAX = float(os.environ.get("DXTRACK_LOGIN_SLOWDOWN_MAX", "3"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
AXES_USERNAME_CALLABLE = "dxtrack.accounts.lockout.username_for_lockout"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Scripts only from this site's own files (no inline script, no CDN, no eval); styles also inline,
# for the style attributes ECharts and Swagger UI set as they draw; nothing may frame a page.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Browser features no page of ours uses, refused to every page and anything it loads.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = PRODUCTION or env_bool("DXTRACK_SECURE_COOKIES")
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DXTRACK_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("DXTRACK_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DXTRACK_HSTS_PRELOAD", default=True)

LANGUAGE_CODE = "vi"
# Vietnamese only, until an English catalogue of the project's own texts exists (ADR 0003): with
# English offered, a browser set to English got Django's texts in English beside ours in Vietnamese.
LANGUAGES = [("vi", "Tiếng Việt")]
LOCALE_PATHS = [BASE_DIR / "dxtrack" / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# django-ninja's bundled Swagger UI (static/ninja/…), served from here so that /api/docs loads
# nothing from a CDN and works on an intranet with no Internet access. Found without importing
# the package: ninja is not an installed app, so a command or the task worker, which never answer
# the API, start without importing it (ADR 0051).
STATICFILES_DIRS = [
    BASE_DIR / "dxtrack" / "static",
    Path(importlib.util.find_spec("ninja").origin).parent / "static",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
# Outside production, files change under a running server; re-read them instead of caching.
WHITENOISE_AUTOREFRESH = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on every request otherwise
MEDIA_ROOT = VAR_DIR / "media"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The largest request body of any kind (a plan's file is at most 20 MB, plus the form around it).
DXTRACK_MAX_REQUEST_BYTES = int(os.environ.get("DXTRACK_MAX_REQUEST_BYTES", str(25 * 1024 * 1024)))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

_MAIL_BACKEND = os.environ.get(
    "DXTRACK_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("DXTRACK_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DXTRACK_EMAIL_PORT", "25")),
            "username": os.environ.get("DXTRACK_EMAIL_USER", ""),
            "password": os.environ.get("DXTRACK_EMAIL_PASSWORD", ""),
            "use_tls": env_bool("DXTRACK_EMAIL_TLS"),
        }
        if _MAIL_BACKEND.endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DXTRACK_FROM_EMAIL", "dxtrack <no-reply@localhost>")

DXTRACK_PROVINCE_CODE = os.environ.get("DXTRACK_PROVINCE_CODE", "38")
DXTRACK_PROVINCE_NAME = os.environ.get("DXTRACK_PROVINCE_NAME", "Thanh Hóa")

# One JSON object a line with the request id (ADR 0021) in production or with DXTRACK_LOG_JSON=1;
# plain lines otherwise, for a developer's terminal.
DXTRACK_LOG_JSON = env_bool("DXTRACK_LOG_JSON", default=PRODUCTION)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "dxtrack.operations.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "dxtrack.operations.logs.Formatter"},
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": "json" if DXTRACK_LOG_JSON else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DXTRACK_LOG_LEVEL", "WARNING")},
    "loggers": {
        "dxtrack.worker": {"level": os.environ.get("DXTRACK_LOG_LEVEL", "INFO")},
        "dxtrack.scheduler": {"level": os.environ.get("DXTRACK_LOG_LEVEL", "INFO")},
    },
}

# Background tasks (ADR 0021). "database": queued in the database (django-tasks-db) and run by
# `dxtrack worker`, which survives restarts and retries with back-off; the default in production
# and in `make demo`. "immediate": run inside the request, the zero-setup default of `make serve`
# and of the tests of domain logic.
DXTRACK_TASKS = os.environ.get("DXTRACK_TASKS", "database" if PRODUCTION else "immediate")
if DXTRACK_TASKS not in {"database", "immediate"}:
    raise ImproperlyConfigured("DXTRACK_TASKS must be 'database' or 'immediate'.")
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if DXTRACK_TASKS == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}
DXTRACK_TASK_MAX_ATTEMPTS = int(os.environ.get("DXTRACK_TASK_MAX_ATTEMPTS", "5"))
DXTRACK_TASK_RETRY_SECONDS = float(os.environ.get("DXTRACK_TASK_RETRY_SECONDS", "10"))
DXTRACK_WORKER_BEAT_SECONDS = float(os.environ.get("DXTRACK_WORKER_BEAT_SECONDS", "5"))
DXTRACK_PERIOD_CLOSE_AFTER_DAYS = int(os.environ.get("DXTRACK_PERIOD_CLOSE_AFTER_DAYS", "90"))
DXTRACK_BACKUP_DIR = Path(os.environ.get("DXTRACK_BACKUP_DIR", VAR_DIR / "backups"))
DXTRACK_BACKUP_KEEP = int(os.environ.get("DXTRACK_BACKUP_KEEP", "14"))
# Reminders: how many days before the due date, and for how long after it, units are e-mailed.
DXTRACK_REMINDER_DAYS_BEFORE = int(os.environ.get("DXTRACK_REMINDER_DAYS_BEFORE", "7"))
DXTRACK_REMINDER_OVERDUE_MAX_DAYS = int(os.environ.get("DXTRACK_REMINDER_OVERDUE_MAX_DAYS", "30"))
DXTRACK_SITE_URL = os.environ.get("DXTRACK_SITE_URL", "http://127.0.0.1:8000")

# API rate limits ("N/s|min|hour|day"), per user (session or token) and per address for anonymous
# calls. Counted in the default cache below.
DXTRACK_API_RATE_USER = os.environ.get("DXTRACK_API_RATE_USER", "120/min")
DXTRACK_API_RATE_ANON = os.environ.get("DXTRACK_API_RATE_ANON", "30/min")
# The assistant's panel (/tro-ly/hoi/), counted apart from the API in the same shared cache.
DXTRACK_ASSISTANT_RATE_USER = os.environ.get("DXTRACK_ASSISTANT_RATE_USER", "30/min")
DXTRACK_ASSISTANT_RATE_ANON = os.environ.get("DXTRACK_ASSISTANT_RATE_ANON", "10/min")
# Local memory is right for one process (development, tests, a single gunicorn worker); with
# several workers each counts on its own, so set a shared backend, e.g.
# DXTRACK_CACHE_BACKEND=django.core.cache.backends.db.DatabaseCache DXTRACK_CACHE_LOCATION=dxtrack_cache
# (then `manage.py createcachetable`).
# With DXTRACK_REDIS_URL (e.g. redis://127.0.0.1:6379/0) the default cache is Redis, shared by
# every server process (kept dashboard parts, the late-report box), and sessions are kept in the
# database with Redis in front (cached_db): a Redis outage slows the site down, never stops it
# (operations/cache.py).
DXTRACK_REDIS_URL = os.environ.get("DXTRACK_REDIS_URL", "")
CACHES = {
    "default": {
        "BACKEND": "dxtrack.operations.cache.TolerantRedisCache",
        "LOCATION": DXTRACK_REDIS_URL,
        "KEY_PREFIX": "dxtrack",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
    }
    if DXTRACK_REDIS_URL
    else {
        "BACKEND": os.environ.get("DXTRACK_CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": os.environ.get("DXTRACK_CACHE_LOCATION", "dxtrack"),
    },
    # Counters every server process must share (API rate limits, failed log-ins per user name):
    # the database's own cache table by default (core migration 0003 creates it), so that N
    # processes never allow N times the limit; point it at Redis with the two variables.
    "shared": {
        "BACKEND": os.environ.get("DXTRACK_SHARED_CACHE_BACKEND", "django.core.cache.backends.db.DatabaseCache"),
        "LOCATION": os.environ.get("DXTRACK_SHARED_CACHE_LOCATION", "dxtrack_shared_cache"),
        # Several installations (or a benchmark beside the site) may count in one Redis.
        "KEY_PREFIX": os.environ.get("DXTRACK_SHARED_CACHE_KEY_PREFIX", ""),
    },
}
if DXTRACK_REDIS_URL:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
