"""onewindow settings: one file, every value from the environment, safe defaults for one machine."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("ONEWINDOW_VAR_DIR", Path.cwd() / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Variables renamed in this release → their previous names, still read (for one release) when the new one is unset.
RENAMED_ENVIRONMENT = {
    f"SUPERVISION_WEBHOOK_{suffix}": f"BUNDLES_WEBHOOK_{suffix}"
    for suffix in ("TIMEOUT", "MAX_ATTEMPTS", "BACKOFF_SECONDS", "BACKOFF_MAX_SECONDS", "SWEEP_SECONDS")
}


def env(name: str, default: str) -> str:
    """The environment variable `name`, else its previous name (RENAMED_ENVIRONMENT), else `default`."""
    for candidate in (name, RENAMED_ENVIRONMENT.get(name)):
        value = os.environ.get(candidate) if candidate else None
        if value not in (None, ""):
            return value
    return default


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else generated once into ./var/ (never committed)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    # Django Ninja's own templates and static files: the API docs (Swagger UI) are served by the site, not a CDN.
    "ninja",
    "onewindow.core",
    "onewindow.workdays",
    "onewindow.catalog",
    "onewindow.forms",
    "onewindow.cases",
    "onewindow.supervision",
    "onewindow.bundles",
    "onewindow.hall",
    "onewindow.licences",
    "onewindow.demo",
]

MIDDLEWARE = [
    # First: a request reads the process caches' generations once, in one round trip (`onewindow.core.cache`).
    "onewindow.core.cache.RequestGenerations",
    "django.middleware.security.SecurityMiddleware",
    "onewindow.core.params.ControlCharacterInAddress",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "onewindow.core.language.LanguageByChoice",  # pages by choice (cookie), the API by Accept-Language
    "django.middleware.common.CommonMiddleware",
    "onewindow.core.links.RequestAddress",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, so a view's domain error and an empty 405 become the styled page (JSON under /api/) before the rest.
    "onewindow.core.error_pages.ErrorPageMiddleware",
]
CSRF_FAILURE_VIEW = "onewindow.core.error_pages.csrf_failure"

ROOT_URLCONF = "onewindow.urls"
WSGI_APPLICATION = "onewindow.wsgi.application"
ASGI_APPLICATION = "onewindow.asgi.application"

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
                "django.template.context_processors.i18n",
                "onewindow.core.context_processors.center",
            ],
        },
    },
]

# The database: SQLite in ./var by default, or any DATABASE_URL. The options below hold for the engine whichever way
# it was named, so `DATABASE_URL=sqlite:///…` behaves as the default does.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
# SQLite: WAL lets the board read while a clerk writes; IMMEDIATE takes the write lock at BEGIN so two writers
# queue (for up to `timeout` seconds) instead of failing half-way with "database is locked". The backend is Django's
# with one write lock per process taken before BEGIN (onewindow.core.sqlite_backend): a writer waits for the previous
# one to commit, not for SQLite's busy handler to wake from its sleep.
SQLITE_ENGINE = "onewindow.core.sqlite_backend"
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}
# PostgreSQL: each process (a uvicorn worker, a Celery worker) keeps a pool (psycopg_pool, through Django) of at
# most DATABASE_POOL_SIZE connections, so the server sees at most processes × size of them; a request that finds
# every connection busy waits DATABASE_POOL_TIMEOUT seconds for one. DATABASE_POOL_SIZE=0: no pool, connections kept
# CONN_MAX_AGE seconds (behind PgBouncer, say).
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 4)
DATABASE_POOL_TIMEOUT = float(env("DATABASE_POOL_TIMEOUT", "10"))


def _database() -> dict:
    if DATABASE_URL:
        database = dj_database_url.parse(DATABASE_URL)
    else:
        database = {"ENGINE": SQLITE_ENGINE, "NAME": VAR_DIR / "onewindow.sqlite3"}
    engine = database["ENGINE"]
    if engine in ("django.db.backends.sqlite3", SQLITE_ENGINE):
        database["ENGINE"] = SQLITE_ENGINE
        database["OPTIONS"] = {**SQLITE_OPTIONS, **database.get("OPTIONS", {})}
        database["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
    elif engine == "django.db.backends.postgresql" and DATABASE_POOL_SIZE > 0:
        pool = {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": DATABASE_POOL_TIMEOUT}
        database["OPTIONS"] = {**database.get("OPTIONS", {}), "pool": pool}
        database["CONN_MAX_AGE"] = 0  # the pool keeps the connections; Django must not keep them as well
    else:
        database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
    return database


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MAX_UPLOAD_BYTES = env_int("MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": [REDIS_URL]}}
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_TASK_ALWAYS_EAGER = False
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CELERY_BROKER_URL = "memory://"
    # Embedded mode: background work runs in the calling process.
    CELERY_TASK_ALWAYS_EAGER = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_EAGER_PROPAGATES = True

# Without a mail server, e-mails (supervision alerts…) are written as files under ./var/mail for inspection.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "onewindow@localhost")

# Text messages (短信: booking confirmation codes) through a pluggable backend, like EMAIL_BACKEND; without a
# gateway each message is written to a file under ./var/sms (onewindow.core.sms.FileBackend).
SMS_BACKEND = os.environ.get("SMS_BACKEND", "onewindow.core.sms.FileBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms"))

# The cache holds the rate-limit counters (django-ratelimit): shared through Redis at scale, else in-process —
# one process in the embedded mode, so one count.
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "onewindow.core.redis_cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "onewindow"}}

# Online booking (网上预约): an unconfirmed booking holds its place this many minutes; rate limits are
# django-ratelimit rates ("N/m", "N/h") per client IP, per identity number and per mobile.
HALL_BOOKING_CONFIRM_MINUTES = env_int("HALL_BOOKING_CONFIRM_MINUTES", 10)
HALL_BOOKING_CODE_ATTEMPTS = env_int("HALL_BOOKING_CODE_ATTEMPTS", 5)
HALL_BOOKING_RATE_PER_IP = os.environ.get("HALL_BOOKING_RATE_PER_IP", "20/h")
HALL_BOOKING_RATE_PER_IDENTITY = os.environ.get("HALL_BOOKING_RATE_PER_IDENTITY", "5/h")
HALL_SMS_RATE_PER_MOBILE = os.environ.get("HALL_SMS_RATE_PER_MOBILE", "5/h")
HALL_SMS_RATE_PER_IP = os.environ.get("HALL_SMS_RATE_PER_IP", "20/h")
# The kiosk (自助取号机): back to its start screen after this many seconds without a touch, and from a printed slip
# after this many; staff sign-ins at its hidden exit per client address (a django-ratelimit rate).
HALL_KIOSK_IDLE_SECONDS = env_int("HALL_KIOSK_IDLE_SECONDS", 60)
HALL_KIOSK_SLIP_SECONDS = env_int("HALL_KIOSK_SLIP_SECONDS", 15)
HALL_KIOSK_EXIT_RATE = os.environ.get("HALL_KIOSK_EXIT_RATE", "5/m")
# The client address django-ratelimit reads: REMOTE_ADDR, or the header a trusted proxy sets
# (e.g. HTTP_X_REAL_IP) — only behind a proxy that overwrites it.
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY", "REMOTE_ADDR")

CENTER_NAME = os.environ.get("CENTER_NAME", "渝中区行政服务中心")
# Unset: links and QR codes use the address each request came to (`onewindow.core.links`).
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Periodic work for `celery beat` (at scale); each app adds its entries below. The embedded mode runs the same
# tasks from an in-process scheduler (`onewindow.scheduler`) instead; EMBEDDED_SCHEDULER=0 switches it off.
CELERY_BEAT_SCHEDULE: dict = {}
EMBEDDED_SCHEDULER = env_bool("EMBEDDED_SCHEDULER", True)

# The audit chain (审计链): appends are spread over this many independent hash chains (分链), each serialized on its
# own head row only; every AUDIT_ANCHOR_SECONDS an anchor recording every chain's head is appended to the anchor
# chain (nothing when no chain moved). Changing the number later is safe: existing chains stay as they are.
AUDIT_CHAIN_SHARDS = env_int("AUDIT_CHAIN_SHARDS", 64)
AUDIT_ANCHOR_SECONDS = env_int("AUDIT_ANCHOR_SECONDS", 600)
CELERY_BEAT_SCHEDULE["core-audit-anchor"] = {"task": "core.anchor_audit_chain", "schedule": float(AUDIT_ANCHOR_SECONDS)}

# Working-day calendar: years after the last official notice computed from the holiday rules (暂定), this many.
CALENDAR_PROVISIONAL_YEARS = env_int("CALENDAR_PROVISIONAL_YEARS", 5)

# Case engine (电子监察): yellow at ≤ max(CASES_YELLOW_DAYS, CASES_YELLOW_RATIO × promised limit) working days left.
CASES_YELLOW_DAYS = env_int("CASES_YELLOW_DAYS", 2)
CASES_YELLOW_RATIO = float(os.environ.get("CASES_YELLOW_RATIO", "0.2"))
CASES_SWEEP_SECONDS = env_int("CASES_SWEEP_SECONDS", 300)
CELERY_BEAT_SCHEDULE["cases-sweep-alerts"] = {"task": "cases.sweep_alerts", "schedule": float(CASES_SWEEP_SECONDS)}

# 一链监管 (审管分离): every issued result is handed to its supervising department; outbound webhooks are retried
# with exponential backoff until acknowledged. (Named BUNDLES_WEBHOOK_* until this release: see RENAMED_ENVIRONMENT.)
SUPERVISION_WEBHOOK_TIMEOUT = float(env("SUPERVISION_WEBHOOK_TIMEOUT", "5"))
SUPERVISION_WEBHOOK_MAX_ATTEMPTS = env_int("SUPERVISION_WEBHOOK_MAX_ATTEMPTS", 8)
SUPERVISION_WEBHOOK_BACKOFF_SECONDS = env_int("SUPERVISION_WEBHOOK_BACKOFF_SECONDS", 30)
SUPERVISION_WEBHOOK_BACKOFF_MAX_SECONDS = env_int("SUPERVISION_WEBHOOK_BACKOFF_MAX_SECONDS", 3600)
SUPERVISION_WEBHOOK_SWEEP_SECONDS = env_int("SUPERVISION_WEBHOOK_SWEEP_SECONDS", 30)
CELERY_BEAT_SCHEDULE["supervision-retry-webhooks"] = {"task": "supervision.retry_webhooks",
                                                      "schedule": float(SUPERVISION_WEBHOOK_SWEEP_SECONDS)}
# Fields other apps add to the hand-off payload's `case` (name → function(case) → JSON value), wired here so
# that neither app imports the other: the 一件事 package number of a sub-case (null for a case on its own).
SUPERVISION_CASE_FIELDS = {"package": "onewindow.bundles.selectors.package_number_of"}

# 证照 (licences): reminders to the holder before expiry, once for each number of calendar days (comma-separated);
# the validity of an item without its own term (empty: 长期有效); how often the register's daily work runs.
LICENCES_REMINDER_DAYS = [int(d) for d in env("LICENCES_REMINDER_DAYS", "60,30").split(",") if d.strip()]
LICENCES_DEFAULT_VALIDITY_YEARS = env_int("LICENCES_DEFAULT_VALIDITY_YEARS", 0) or None
LICENCES_SWEEP_SECONDS = env_int("LICENCES_SWEEP_SECONDS", 3600)
CELERY_BEAT_SCHEDULE["licences-sweep"] = {"task": "licences.sweep", "schedule": float(LICENCES_SWEEP_SECONDS)}

# The hall: bookings whose day has passed become missed appointments (they count towards the no-show block).
# 一件事 handled jointly: alert once when a package passes its 45 (+15) working days (行政许可法第四十二条第二款).
CELERY_BEAT_SCHEDULE["bundles-statutory-limits"] = {"task": "bundles.sweep_statutory_limits",
                                                    "schedule": float(CASES_SWEEP_SECONDS)}
CELERY_BEAT_SCHEDULE["hall-expire-appointments"] = {"task": "hall.expire_appointments", "schedule": 600.0}
