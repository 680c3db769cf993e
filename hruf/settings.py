"""Settings, all read from the environment (see the README's configuration table).

With nothing set, the app runs on SQLite and a filesystem broker under ./var, so the
web server, a Celery worker and beat all really run on a laptop with no services.
"""

import datetime as dt
import ipaddress
import secrets
import time
from pathlib import Path

import environ
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from django_guid.integrations import CeleryIntegration

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
VAR_DIR = Path(env.str("HRUF_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _bool(name: str, default: bool) -> bool:
    # environ's bool() silently treats any unknown word as False; a typo must not flip DEBUG.
    raw = env.str(name, default="")
    if raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def _int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}.")
    return value


def _int_list_item(raw: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"FOLLOWUP_REMINDER_DAYS: {raw!r} is not a whole number of days.") from None


def _kept_in_var(name: str, make) -> str:
    """A generated secret kept in ./var, for a field laptop that runs with no configuration: it
    survives restarts, and every process (web, worker, beat, test workers) reads the same one."""
    path = VAR_DIR / name
    try:
        with open(path, "x") as new:  # only the first process to get here writes it
            path.chmod(0o600)
            new.write(make())
    except FileExistsError:
        pass
    for _attempt in range(50):  # another process may be between creating and writing it
        value = path.read_text().strip()
        if value:
            return value
        time.sleep(0.1)
    raise ImproperlyConfigured(f"{path} is empty: delete it and start again.")


def _secret_key() -> str:
    # Production sets SECRET_KEY.
    return env.str("SECRET_KEY", default="") or _kept_in_var("secret_key", lambda: secrets.token_urlsafe(50))


def _evidence_keys() -> list[str]:
    # Production sets EVIDENCE_KEYS, kept apart from the backups (hruf/encryption.py).
    keys = env.list("EVIDENCE_KEYS", default=[])
    return keys or [_kept_in_var("evidence_key", lambda: Fernet.generate_key().decode())]


DEBUG = _bool("DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    # Two-factor sign-in (hruf/otp): TOTP apps, with backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_guid",
    "django_prometheus",
    "hruf",
    "hruf.otp",
    "scans",
    "reviews",
    "followup",
    # Top layer: read across the apps above, imported by none of them.
    "exports",
    "briefings",
]

MIDDLEWARE = [
    # First: every line logged while answering the request carries its id (hruf.metrics too: latency by view).
    "django_guid.middleware.guid_middleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Field offices are on thin links: pages go out compressed (Django masks the CSRF token and
    # pads the gzip output against BREACH); a page's kept part is compressed once, when kept (hruf/kept_gzip.py).
    # Static files come precompressed from whitenoise.
    "hruf.kept_gzip.KeptGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Outside everything that may touch the database: an outage answers a 503 page, not a 500.
    "hruf.middleware.database_unavailable",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "hruf.locales.personal_locale",
    "hruf.otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hruf.middleware.sign_out_when_idle",
    "hruf.otp.middleware.require_second_factor",
    "hruf.held_post.offer_held_post",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hruf.middleware.no_store_for_people",
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# Failed sign-ins lock out the pair of account and address, so nobody can lock a colleague out
# by typing their name from elsewhere; every attempt is logged (axes' AccessAttempt and AccessLog).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks; hruf/client.py): the real
# client's address then counts for lock-out, rate limits and the audit trail. Empty: none.
try:
    TRUSTED_PROXIES = [ipaddress.ip_network(n.strip(), strict=False) for n in env.list("TRUSTED_PROXIES", default=[])]
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from None
AXES_CLIENT_IP_CALLABLE = "hruf.client.client_address"
# A hard lock for an account from one address only, so nobody elsewhere can lock a colleague out; every
# address's failures together slow the account down instead (hruf/sign_in.py).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
SIGN_IN_SLOW_AFTER = _int("SIGN_IN_SLOW_AFTER", 3, minimum=1)
SIGN_IN_MAX_WAIT_SECONDS = _int("SIGN_IN_MAX_WAIT_SECONDS", 60, minimum=1)
AXES_FAILURE_LIMIT = _int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.25  # hours; the lock-out page tells people to wait 15 minutes
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Two-factor sign-in (hruf/otp): required for EOSG staff and administrators, offered to everyone.
OTP_TOTP_ISSUER = "HRuF"
# Devices and roles behind a session's second factor are re-read at most this often (not on every page).
OTP_RECHECK_SECONDS = 60
# Minutes without a request after which the next one signs the person out.
SESSION_IDLE_TIMEOUT = _int("SESSION_IDLE_TIMEOUT", 30, minimum=1)

# Content Security Policy (django-csp): nothing inline, nothing from elsewhere. Pages keep their CSS
# in static/css and their JavaScript in static/js; the QR code of the two-factor setup is a data: image.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "hruf.urls"
WSGI_APPLICATION = "hruf.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hruf.context_processors.inbox",
                "csp.context_processors.nonce",
            ],
            # Dates and times by CLDR's rules in every template (day, when, month_year, zone_note).
            "builtins": ["hruf.templatetags.locale_tags"],
        },
    },
]

_sqlite_url = f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db_url("DATABASE_URL", default=_sqlite_url)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, worker and beat write to the same file: WAL lets readers work
    # during a write, IMMEDIATE transactions wait for the lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", _int("DB_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # Short socket timeouts: a hung Redis fails a cache call in seconds instead of holding the request, and
    # then answers as a miss for a while (hruf/cache.py): pages read the database instead.
    CACHES = {"default": {"BACKEND": "hruf.cache.ForgivingRedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2}}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# What every page reads before its own content (the reader's scope, their unread count), kept between requests
# (hruf.permissions.scope_of, hruf.notifications.unread_count); its own alias so the tests can measure pages
# without it, as the first request after a change reads them.
CACHES["floor"] = {**CACHES["default"], "KEY_PREFIX": "floor"}
# Rendered fragments that are the same for every reader of a language and never change once made (a published
# agenda's frozen region: its map and table), keyed by what would change them ({% cache ... using="fragments" %}),
# and the maps' frames, shared by every process (hruf.world_shapes.drawing).
CACHES["fragments"] = {**CACHES["default"], "KEY_PREFIX": "fragments"}
FRAGMENT_CACHE_SECONDS = 24 * 3600  # a day: the external risk shown beside frozen scores may be imported late
# Figures over the whole data set (the EOSG dashboard), kept until any write moves the data version
# (hruf/figures_cache.py). Written by the worker and read by the web server: with no Redis, a directory they share.
CACHES["figures"] = (
    {**CACHES["default"], "KEY_PREFIX": "figures"} if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache-figures")}
)
# How long kept figures may lag what changes with no write (a deadline passing): the warnings sweep runs every
# five minutes, the others hourly.
FIGURES_CACHE_SECONDS = _int("FIGURES_CACHE_SECONDS", 300)

AUTH_USER_MODEL = "hruf.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The six official languages of the United Nations (locale/ holds each catalogue; Arabic is laid out right to left).
LANGUAGES = [
    ("ar", _("Arabic")), ("zh-hans", _("Chinese")), ("en", _("English")), ("fr", _("French")),
    ("ru", _("Russian")), ("es", _("Spanish")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Exports and briefing packs: written by the worker, served only through views that check
# permissions (there is no public MEDIA_URL). Web and worker must share this folder.
MEDIA_ROOT = VAR_DIR / "files"
# API tokens (hruf/api/tokens.py): django-rest-knox keeps a digest of each key, never the key; each
# expires after API_TOKEN_DAYS and is sent as `Authorization: Token <key>`.
KNOX_TOKEN_MODEL = "hruf.ApiToken"
# Knox's own table is swapped out: without its migrations none is made (a stray one would also block
# the tests' flushes on PostgreSQL, its foreign key to users being unknown to Django).
MIGRATION_MODULES = {"knox": None}
API_TOKEN_DAYS = _int("API_TOKEN_DAYS", 90, minimum=1)
REST_KNOX = {"TOKEN_TTL": dt.timedelta(days=API_TOKEN_DAYS), "AUTH_HEADER_PREFIX": "Token", "TOKEN_PREFIX": "hruf_"}

# Evidence files (scans/models/evidence.py): a private folder of their own, or an S3-compatible object
# store when EVIDENCE_S3_BUCKET is set (credentials from the usual AWS_* variables or the instance role).
EVIDENCE_S3_BUCKET = env.str("EVIDENCE_S3_BUCKET", default="")
_EVIDENCE_STORAGE = (
    {"BACKEND": "hruf.encryption_s3.EncryptedS3Storage", "OPTIONS": {
        "bucket_name": EVIDENCE_S3_BUCKET, "endpoint_url": env.str("EVIDENCE_S3_ENDPOINT_URL", default="") or None,
        "default_acl": "private", "querystring_auth": True, "file_overwrite": False,
    }}
    if EVIDENCE_S3_BUCKET
    else {"BACKEND": "hruf.encryption.EncryptedFileSystemStorage", "OPTIONS": {"location": MEDIA_ROOT / "private"}}
)
# Evidence texts and the files above, exports and packs encrypted at rest (hruf/encryption.py): Fernet
# keys, comma-separated, newest first; the first encrypts, all decrypt. Generated in ./var when unset.
EVIDENCE_KEYS = _evidence_keys()
# The largest evidence file accepted, in megabytes.
EVIDENCE_MAX_MB = _int("EVIDENCE_MAX_MB", 20, minimum=1)
STORAGES = {
    # Exports and briefing packs.
    "default": {"BACKEND": "hruf.encryption.EncryptedFileSystemStorage"},
    "evidence": _EVIDENCE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Tests and `make run` serve from the finders, so no collectstatic is needed first.
WHITENOISE_USE_FINDERS = _bool("WHITENOISE_USE_FINDERS", DEBUG)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="hruf@localhost")
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = _bool("SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Behind HTTPS (SECURE_COOKIES=true) browsers are told to stay on HTTPS for a year.
SECURE_HSTS_SECONDS = _int("SECURE_HSTS_SECONDS", 31_536_000 if SESSION_COOKIE_SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = _bool("SECURE_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = _bool("SECURE_SSL_REDIRECT", False)
# The container's own health check and the metrics scraper talk plain HTTP to web, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$", r"^metrics$"]
if _bool("TRUST_X_FORWARDED_PROTO", False):  # only behind a proxy that sets it
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- REST API (hruf/api) ------------------------------------------------------
API_MAX_PAGE_SIZE = _int("API_MAX_PAGE_SIZE", 200, minimum=10)
REST_FRAMEWORK = {
    # Token first: an anonymous call then answers 401 with `WWW-Authenticate: Token`, not 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "hruf.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "hruf.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "hruf.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "hruf.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["hruf.api.parsers.JSONParser"],
    # Rates per signed-in user and per address for anonymous calls (the cache counts them).
    "DEFAULT_THROTTLE_CLASSES": [
        "hruf.api.throttling.UserRate",
        "hruf.api.throttling.AnonRate",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_RATE_USER", default="1200/minute"),
        "anon": env.str("API_RATE_ANON", default="30/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "HRuF early-warning API",
    "DESCRIPTION": "Scans, alerts, regional reviews, the SAG and follow-up. Every answer is limited to what "
    "the signed-in user may see; objects outside that scope answer 404, like objects that do not exist.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Swagger UI would otherwise send the schema's address to validator.swagger.io for a badge image.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "COMPONENT_SPLIT_REQUEST": True,
    # Tags by resource (scans, alerts, ...) rather than one "v1" tag for everything.
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # One name per choice set used by several fields (a tier is a tier wherever it appears).
    "ENUM_NAME_OVERRIDES": {
        "TierEnum": "scans.scoring.Tier",
        "RevisionStatusEnum": "scans.models.ScanRevision.Status",
        "ActionStatusEnum": "followup.models.ActionStatus",
        # Several choice sets share a field name (severity, kind, state): each keeps one stable name.
        "SeverityEnum": "scans.models.Alert.Severity",
        "KindEnum": "reviews.models.Meeting.Kind",
        "StateEnum": "reviews.models.Meeting.State",
        "WarningSeverityEnum": "scans.models.EarlyWarning.Severity",
        "WarningKindEnum": "scans.models.EarlyWarning.Kind",
        "WarningStateEnum": "scans.models.EarlyWarning.State",
        "WarningStepKindEnum": "scans.models.WarningStep.Kind",
    },
}

# --- Celery ---------------------------------------------------------------
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # A Redis that hangs (failover, dropped packets) would otherwise hold a web request in its
    # publish for ever: time out, and let the outbox's redelivery sweep send what was not enqueued.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2, "socket_timeout": 2}
else:
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# Our tasks are idempotent (they claim rows with compare-and-set), so a task lost
# with its worker is redelivered rather than dropped.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = _int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT - 5
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing happens in web requests (after commit): one quick retry covers a pooled connection
# that went stale when the broker restarted; a broker that is down fails at once instead.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}
CELERY_TIMEZONE = TIME_ZONE
# Celery's own scheduler: the schedule is hruf/celery.py's and nothing else (at start it drops
# any entry the code no longer declares); the file only remembers when each task last ran.
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# No result backend (results are ignored): nothing for a daily backend_cleanup to clean.
CELERY_RESULT_EXPIRES = None
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", False)

# --- Domain settings --------------------------------------------------------
# Day of the period by which its scan is due (counted from the period's first day).
SCAN_DUE_DAY_QUARTERLY = _int("SCAN_DUE_DAY_QUARTERLY", 60, minimum=1)
SCAN_DUE_DAY_MONTHLY = _int("SCAN_DUE_DAY_MONTHLY", 20, minimum=1)
if SCAN_DUE_DAY_QUARTERLY > 89 or SCAN_DUE_DAY_MONTHLY > 28:
    raise ImproperlyConfigured("Scan due days must fall inside the period (quarterly <= 89, monthly <= 28).")
# A notification whose email was claimed this long ago and never marked sent is retried.
# At least the delivery task's longest retry back-off (300 s, hruf/tasks.py).
NOTIFICATION_CLAIM_TIMEOUT_SECONDS = _int("NOTIFICATION_CLAIM_TIMEOUT_SECONDS", 600, minimum=300)
NOTIFICATION_MAX_ATTEMPTS = _int("NOTIFICATION_MAX_ATTEMPTS", 5, minimum=1)

# --- Operations: the sweeps watched, metrics, logs, backups (README "Running it for years") -------
def _emails(name: str) -> list[tuple[str, str]]:
    emails = env.list(name, default=[])
    for email in emails:
        if "@" not in email:
            raise ImproperlyConfigured(f"{name}: {email!r} is not an email address.")
    return [(email, email) for email in emails]


# Told by the dead man's switch (hruf/switch.py), with the active holders of the administrator role.
ADMINS = _emails("ADMINS")
# A sweep is late when it has not finished a run within twice its beat interval, and never sooner than this.
SWEEP_LATE_MINIMUM_MINUTES = _int("SWEEP_LATE_MINIMUM_MINUTES", 10, minimum=1)
# Each web process runs the switch from /health/ at most this often (0: only `manage.py check_sweeps`).
SWEEP_CHECK_MINUTES = _int("SWEEP_CHECK_MINUTES", 5, minimum=0)
# The mail server may not hold the switch (or a request) longer than this.
EMAIL_TIMEOUT = _int("EMAIL_TIMEOUT", 20, minimum=1)

# /metrics (hruf/metrics.py) answers only a bearer token equal to METRICS_TOKEN, or these addresses
# (addresses or networks, e.g. 10.0.0.0/8). Neither set: nobody.
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
try:
    METRICS_ALLOWED_IPS = [ipaddress.ip_network(a, strict=False) for a in env.list("METRICS_ALLOWED_IPS", default=[])]
except ValueError as exc:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_IPS: {exc}") from None

# Backups (hruf/backups.py, `manage.py backup_create`, `make restore-drill`): encrypted with this
# passphrase (keep a copy away from the backups), the newest BACKUP_KEEP kept in BACKUP_DIR.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_PASSPHRASE = env.str("BACKUP_PASSPHRASE", default="")
BACKUP_KEEP = _int("BACKUP_KEEP", 14, minimum=1)

# A request id (django-guid): taken from the proxy's X-Request-ID when it is a valid one, made otherwise,
# returned on the response, and carried in the headers of every task the request enqueues, so a web
# line and the worker's lines for the same request share it. Beat tasks get one of their own.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "INTEGRATIONS": [CeleryIntegration(use_django_logging=True, log_parent=True)],
}
# Celery keeps Django's logging (below) instead of its own, so the worker's lines have the same shape.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}: use text or json.")
_LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s %(correlation_id)s %(celery_current_id)s %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId"},
        "task_ids": {"()": "django_guid.integrations.celery.log_filters.CeleryTracing"},
    },
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s [%(correlation_id)s] %(name)s: %(message)s"},
        # One JSON object a line: request_id (correlation_id), the task's own id, level, logger, message.
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": _LOG_FIELDS,
            "rename_fields": {"correlation_id": "request_id", "celery_current_id": "task_trace_id"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id", "task_ids"]}
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-guid says at INFO each time it sets an id.
    "loggers": {"django_guid": {"level": "WARNING"}},
}

# Scoring (scans/scoring.py): the score (0-100) from which each tier starts, and how many indicators
# rated severe lift a scan to very high whatever its score.
SCORE_TIER_MODERATE_FROM = _int("SCORE_TIER_MODERATE_FROM", 15, minimum=1)
SCORE_TIER_HIGH_FROM = _int("SCORE_TIER_HIGH_FROM", 35, minimum=2)
SCORE_TIER_VERY_HIGH_FROM = _int("SCORE_TIER_VERY_HIGH_FROM", 60, minimum=3)
if not SCORE_TIER_MODERATE_FROM < SCORE_TIER_HIGH_FROM < SCORE_TIER_VERY_HIGH_FROM <= 100:
    raise ImproperlyConfigured("Score tiers must start in increasing order, at most 100.")
SCORE_SEVERE_FOR_VERY_HIGH = _int("SCORE_SEVERE_FOR_VERY_HIGH", 3, minimum=1)

# Regional reviews: a score rise of at least this many points proposes a country for discussion.
RQR_JUMP_THRESHOLD = _int("RQR_JUMP_THRESHOLD", 10, minimum=1)
# Chairs read the published reviews of other regions, narratives included, only where this allows it
# (their own region's reviews and the SAG's decisions on their region's cases they always read).
CHAIRS_READ_OTHER_REGIONS = _bool("CHAIRS_READ_OTHER_REGIONS", False)
# The chair's home lists risk jumps, alerts and returned cases of the last this many days.
CHAIR_ATTENTION_DAYS = _int("CHAIR_ATTENTION_DAYS", 30, minimum=1)
# A SAG agenda counts each country's alerts over this many days before it is published.
SAG_ALERT_LOOKBACK_DAYS = _int("SAG_ALERT_LOOKBACK_DAYS", 90, minimum=1)
# Agenda packs (print and PDF) list each country's most urgent open actions, this many, and count the rest.
PACK_OPEN_ACTIONS = _int("PACK_OPEN_ACTIONS", 10, minimum=1)

# Follow-up enforcement (followup/enforcement.py).
FOLLOWUP_REMINDER_DAYS = sorted(
    (_int_list_item(v) for v in env.list("FOLLOWUP_REMINDER_DAYS", default=["7", "1"])), reverse=True
)
FOLLOWUP_ESCALATE_CHAIR_DAYS = _int("FOLLOWUP_ESCALATE_CHAIR_DAYS", 7, minimum=1)
FOLLOWUP_ESCALATE_EOSG_DAYS = _int("FOLLOWUP_ESCALATE_EOSG_DAYS", 21, minimum=2)
if FOLLOWUP_ESCALATE_EOSG_DAYS <= FOLLOWUP_ESCALATE_CHAIR_DAYS:
    raise ImproperlyConfigured("FOLLOWUP_ESCALATE_EOSG_DAYS must be later than FOLLOWUP_ESCALATE_CHAIR_DAYS.")
SCAN_REMINDER_DAYS_BEFORE = _int("SCAN_REMINDER_DAYS_BEFORE", 7, minimum=0)

# The warnings ledger (scans/ledger.py). Hours to acknowledge a warning, by severity; past them the
# warning climbs its ladder (EOSG; an imminent alert the SAG too, after twice the time).
WARNING_ACK_HOURS = {
    "imminent": _int("WARNING_ACK_HOURS_IMMINENT", 4, minimum=1),
    "severe": _int("WARNING_ACK_HOURS_SEVERE", 24, minimum=1),
    "serious": _int("WARNING_ACK_HOURS_SERIOUS", 72, minimum=1),
    "elevated": _int("WARNING_ACK_HOURS_ELEVATED", 168, minimum=1),
}
# An acknowledged warning should be on a review's agenda (or deferred with a reason) within this many days.
WARNING_AGENDA_DAYS = _int("WARNING_AGENDA_DAYS", 92, minimum=1)
# Commitments (reviews/commitments.py, reviews/commitment_sweeps.py): every recorded decision binds
# someone, by a due date. A plan is adopted within PLAN days (also the decided warning's next deadline;
# WARNING_PLAN_DAYS is its older name), a SAG meeting takes an escalated case (or a case the SAG keeps
# monitoring) within SAG days, EOSG answers a recommendation of enhanced reporting within ENHANCED days,
# and a country a review keeps monitoring is on the region's next review by the end of the next quarter.
# Missed, the first rung is told at the due date; a plan or monitoring commitment tells EOSG
# ESCALATE_EOSG days later.
COMMITMENT_PLAN_DAYS = _int("COMMITMENT_PLAN_DAYS", _int("WARNING_PLAN_DAYS", 14, minimum=1), minimum=1)
COMMITMENT_SAG_DAYS = _int("COMMITMENT_SAG_DAYS", 30, minimum=1)
COMMITMENT_ENHANCED_DAYS = _int("COMMITMENT_ENHANCED_DAYS", 14, minimum=1)
COMMITMENT_ESCALATE_EOSG_DAYS = _int("COMMITMENT_ESCALATE_EOSG_DAYS", 7, minimum=1)
# A plan whose actions are all done or cancelled is closed with an outcome (followup/outcome_sweeps.py):
# past OUTCOME days since its last action closed its region's chairs are told, EOSG ESCALATE_EOSG days later.
PLAN_OUTCOME_DAYS = _int("PLAN_OUTCOME_DAYS", 30, minimum=1)
PLAN_OUTCOME_ESCALATE_EOSG_DAYS = _int("PLAN_OUTCOME_ESCALATE_EOSG_DAYS", 14, minimum=1)
# A country at high tier or with open follow-up actions whose scan is this many days overdue has gone silent.
SILENCE_GRACE_DAYS = _int("SILENCE_GRACE_DAYS", 14, minimum=0)
# An owner's open action is "due soon" (My actions) when its next due date is this close.
FOLLOWUP_DUE_SOON_DAYS = _int("FOLLOWUP_DUE_SOON_DAYS", 14, minimum=1)
# The warning-response gap: warnings older than this many days with no decision nor plan (scans/clock.py).
WARNING_GAP_DAYS = _int("WARNING_GAP_DAYS", 30, minimum=1)
# The EOSG dashboard lists this many of the oldest overdue actions.
DASHBOARD_OVERDUE_LIMIT = _int("DASHBOARD_OVERDUE_LIMIT", 50, minimum=1)
# The monthly briefing names this many top risks and this many biggest score movers.
BRIEFING_TOP_RISKS = _int("BRIEFING_TOP_RISKS", 10, minimum=1)
BRIEFING_TOP_MOVERS = _int("BRIEFING_TOP_MOVERS", 10, minimum=1)

# Exports (exports/): up to this many rows are answered at once (CSV streamed); more run as a Celery job.
EXPORT_SYNC_MAX_ROWS = _int("EXPORT_SYNC_MAX_ROWS", 5000, minimum=0)
# A job's file is deleted this many days after it was written (exports/sweeps.py); asked again if needed.
EXPORT_KEEP_DAYS = _int("EXPORT_KEEP_DAYS", 7, minimum=1)
# Restricted evidence older than this many months is replaced by "[withheld after N months]" and its files
# deleted (scans/retention.py); 0 keeps it.
RESTRICTED_EVIDENCE_MONTHS = _int("RESTRICTED_EVIDENCE_MONTHS", 0, minimum=0)
