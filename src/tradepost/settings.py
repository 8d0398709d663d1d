"""Tradepost settings, read from the environment.

One variable, ``TRADEPOST_ENV=production``, switches on the production profile: DEBUG off, a secret
key required, secure cookies and HSTS. Everything else has a default that makes ``make run`` work
on a bare machine (SQLite under ``var/``). docs/configuration.md lists every variable.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("TRADEPOST_VAR_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if not raw:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


ENVIRONMENT = (os.environ.get("TRADEPOST_ENV") or "development").strip().lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured("TRADEPOST_ENV must be 'development' or 'production'")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("TRADEPOST_DEBUG", default=not PRODUCTION)

SECRET_KEY = os.environ.get("TRADEPOST_SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("TRADEPOST_SECRET_KEY is required when TRADEPOST_ENV=production")
    # A fixed development key: sessions survive restarts of `make run`; never used in production.
    SECRET_KEY = "tradepost-development-only-key-do-not-use-in-production-0123456789"

ALLOWED_HOSTS = env_list(
    "TRADEPOST_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("TRADEPOST_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from its own static files, not a CDN
    "django_tasks",
    "django_tasks_db",
    "tradepost.core",
    "tradepost.accounts",
    "tradepost.catalog",
    "tradepost.orders",
    "tradepost.payments",
    "tradepost.ledger",
    "tradepost.webhooks",
    "tradepost.notifications",
    "tradepost.attachments",
    "tradepost.messaging",
    "tradepost.reviews",
    "tradepost.disputes",
    "tradepost.returns",
    "tradepost.performance",
    "tradepost.dashboard",
    "tradepost.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tradepost.core.middleware.RefuseUnreadableApiBodies",
    "tradepost.core.middleware.RejectNulBytes",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "tradepost.dashboard.middleware.VaryOnHtmx",
    "tradepost.core.idempotency.IdempotencyMiddleware",
    "tradepost.core.middleware.AnswerTransientFailures",
]

ROOT_URLCONF = "tradepost.urls"
WSGI_APPLICATION = "tradepost.wsgi.application"

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
                "tradepost.dashboard.context.viewer",
            ],
        },
    },
]

DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'tradepost.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or DEFAULT_SQLITE_URL,
        conn_max_age=env_int("TRADEPOST_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded database lives under var/, which a fresh clone does not have yet.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so two
    # writers queue instead of failing with "database is locked" when one upgrades its lock.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("TRADEPOST_SQLITE_TEST_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Collected files are served by whitenoise in production; development serves from the apps.
STATIC_ROOT = (
    Path(os.environ.get("TRADEPOST_STATIC_ROOT", VAR_DIR / "static")) if PRODUCTION else None
)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"

# Attachments (messages; later refunds and disputes): the largest file of each kind, in MiB, and how
# long an upload may wait to be attached before it is swept. Types are judged by content.
TRADEPOST_ATTACHMENT_MAX_IMAGE_MB = env_int("TRADEPOST_ATTACHMENT_MAX_IMAGE_MB", 10)
# Pixels a photo may declare (width x height): a small file can declare a huge canvas that every
# viewer's browser would have to decode. 50 million is a 50-megapixel camera's.
TRADEPOST_ATTACHMENT_MAX_IMAGE_PIXELS = env_int("TRADEPOST_ATTACHMENT_MAX_IMAGE_PIXELS", 50_000_000)
TRADEPOST_ATTACHMENT_MAX_PDF_MB = env_int("TRADEPOST_ATTACHMENT_MAX_PDF_MB", 20)
TRADEPOST_ATTACHMENT_MAX_VIDEO_MB = env_int("TRADEPOST_ATTACHMENT_MAX_VIDEO_MB", 50)
TRADEPOST_ATTACHMENT_UNCLAIMED_HOURS = env_int("TRADEPOST_ATTACHMENT_UNCLAIMED_HOURS", 24)
# Who may see an attached file: each app that attaches files says, for an actor, which (ids).
TRADEPOST_ATTACHMENT_SCOPES = [
    "tradepost.messaging.selectors.message_attachments_visible_to",
    "tradepost.disputes.selectors.case_attachments_visible_to",
    "tradepost.payments.selectors.refund_proofs_visible_to",
    "tradepost.payments.selectors.refund_request_proofs_visible_to",
    "tradepost.returns.selectors.return_proofs_visible_to",
]

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TRADEPOST_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("TRADEPOST_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TRADEPOST_LOG_LEVEL") or "INFO"},
    # httpx logs every request's URL at INFO; webhook URLs may carry the receiver's tokens.
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}

AUTHENTICATION_BACKENDS = ["tradepost.accounts.backends.RoleAwareModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"
# Failed sign-ins per username (and per client address) before a cool-down.
TRADEPOST_LOGIN_MAX_FAILURES = env_int("TRADEPOST_LOGIN_MAX_FAILURES", 5)
TRADEPOST_LOGIN_LOCKOUT_MINUTES = env_int("TRADEPOST_LOGIN_LOCKOUT_MINUTES", 15)
# Reset emails an hour to one address (ten times as many from one client address).
TRADEPOST_PASSWORD_RESETS_PER_HOUR = env_int("TRADEPOST_PASSWORD_RESETS_PER_HOUR", 3)
# How many reverse proxies in front of Tradepost append to X-Forwarded-For (0: trust none, use
# the socket's peer). The sign-in throttle counts failures per client address.
TRADEPOST_TRUSTED_PROXIES = env_int("TRADEPOST_TRUSTED_PROXIES", 0)
# Shared by every web worker (the sign-in throttle's counters): a table in the main database,
# made by the core app's migration, so no extra service is needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "tradepost_cache",
    }
}

# Mail: printed to the console in development (`make run`); SMTP once a host is set.
EMAIL_HOST = os.environ.get("TRADEPOST_SMTP_HOST", "")
EMAIL_PORT = env_int("TRADEPOST_SMTP_PORT", 25)
EMAIL_HOST_USER = os.environ.get("TRADEPOST_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("TRADEPOST_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("TRADEPOST_SMTP_STARTTLS", default=False)
EMAIL_TIMEOUT = 10
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("TRADEPOST_FROM_EMAIL", "Tradepost <no-reply@tradepost.local>")

# Background work: django-tasks on its database backend, which `tradepost worker` runs. Tasks are
# queued inside the transaction of the change that needs them, which a database queue makes
# atomic; another backend would need enqueue-on-commit and a worker of its own.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Who hears about each domain event: called with a batch of outbox rows, in the worker, inside the
# transaction that marks them published, so a subscriber's rows and the mark commit together.
TRADEPOST_OUTBOX_SUBSCRIBERS = [
    "tradepost.webhooks.fanout.queue_deliveries",
    "tradepost.notifications.fanout.queue_notifications",
]
# Periodic jobs the worker enqueues, each at most once per period across all workers: seconds.
TRADEPOST_PERIODIC_JOBS = {
    "tradepost.core.tasks.requeue_abandoned_tasks": 300,
    "tradepost.webhooks.tasks.sweep_deliveries": 30,
    "tradepost.notifications.tasks.sweep_emails": 60,
    "tradepost.attachments.tasks.sweep_unclaimed": 3600,
    # SLA reminders, late flags, auto-cancel and auto-complete (docs/operations.md).
    "tradepost.orders.tasks.run_sla_automation": 60,
    # Overdue dispute steps to the owner; unanswered chargebacks lost at their deadline.
    "tradepost.disputes.tasks.run_dispute_deadlines": 60,
    # Seller scorecards: the day rows of orders that changed, worked out again.
    "tradepost.performance.tasks.refresh_seller_stats": 60,
    # Revenue reports: journals posted since the last run added into the ledger's day totals.
    "tradepost.ledger.tasks.roll_up_journals": 60,
    # Revenue reports: the payment-status counts written since the last run, merged.
    "tradepost.orders.tasks.merge_payment_tallies": 60,
}
# Seconds between looks at the outbox and the task queue when there is nothing to do.
TRADEPOST_WORKER_INTERVAL = float(os.environ.get("TRADEPOST_WORKER_INTERVAL") or 0.2)

# Webhook targets on loopback, private, link-local or metadata addresses, and plain http, are
# refused unless this is on (tests and local development against a receiver on this machine).
TRADEPOST_WEBHOOKS_ALLOW_PRIVATE = env_bool("TRADEPOST_WEBHOOKS_ALLOW_PRIVATE", default=False)
TRADEPOST_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("TRADEPOST_WEBHOOK_TIMEOUT_SECONDS") or 10)
# The address people reach Tradepost at, for links in emails (retry a payment, track an order).
TRADEPOST_PUBLIC_URL = (os.environ.get("TRADEPOST_PUBLIC_URL") or "").rstrip("/")
if not TRADEPOST_PUBLIC_URL:
    if PRODUCTION:
        raise ImproperlyConfigured("TRADEPOST_PUBLIC_URL is required when TRADEPOST_ENV=production")
    TRADEPOST_PUBLIC_URL = "http://127.0.0.1:8000"

# The payment provider signs its chargeback events (POST /api/v1/provider-events/chargebacks)
# per Standard Webhooks with this shared secret (whsec_…); unset, the endpoint answers 503.
TRADEPOST_PROVIDER_WEBHOOK_SECRET = os.environ.get("TRADEPOST_PROVIDER_WEBHOOK_SECRET", "")

# How long a stored Idempotency-Key response is replayed before the key may be reused.
TRADEPOST_IDEMPOTENCY_TTL_HOURS = env_int("TRADEPOST_IDEMPOTENCY_TTL_HOURS", 24)

# Serve static files straight from the apps in development, so `make run` needs no collectstatic.
WHITENOISE_USE_FINDERS = not PRODUCTION
