"""Settings for Open Event on Django.

Every value comes from the environment (django-environ) and falls back to an embedded default that
works on one machine with no server: SQLite, a file-system Celery broker and files under ``var/``,
mail to the console. Production swaps in PostgreSQL, Redis/RabbitMQ, S3 and SendGrid/SMTP by
setting the variables documented in README.md.
"""
import secrets
from datetime import timedelta
from pathlib import Path

import environ
import fontpkg_montserrat
import fontpkg_roboto
from celery.schedules import crontab
from corsheaders.defaults import default_headers as cors_default_headers
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

VAR_DIR = Path(env("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key():
    """Return SECRET_KEY from the environment, or one generated once and kept under var/."""
    if env("SECRET_KEY", default=""):
        return env("SECRET_KEY")
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
# Off unless asked for: ``make run`` (openevent/run.py) turns it on for the processes it starts.
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_json_api",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "corsheaders",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The rich-text editor's assets (static/js/rich-text.js loads them; no model field is used).
    "django_prose_editor",
    "django_celery_results",
    "openevent.core",
    "openevent.api",
    "openevent.users",
    "openevent.uploads",
    "events",
    "sessions_app",
    "notifications",
    "mailing",
    "exports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # WhiteNoise, listing the static files once per process (openevent.core.static).
    "openevent.core.static.StaticFilesMiddleware",
    # Before CommonMiddleware, so that preflight answers are never redirected.
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "openevent.core.csp.ContentSecurityPolicyMiddleware",
]

# Every asset is ours; images may come from the https URLs users give (logos, avatars).
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", "https:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
}

ROOT_URLCONF = "openevent.urls"
WSGI_APPLICATION = "openevent.wsgi.application"

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
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    # A kept connection is checked (one cheap query) before the first use of each request: a
    # database restarted meanwhile costs a reconnect, not a failed request.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: login throttling and the anonymous API documents (openevent.api.cache) ---------------
# The default is a file cache under var/cache, shared by the processes of one machine (the web
# server and the Celery worker of ``make run``: a job's progress is kept there); several machines
# share Redis: CACHE_URL=redis://host:6379/1.
CACHES = {"default": env.cache("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache'}")}
API_DOCUMENT_CACHE = env.bool("API_DOCUMENT_CACHE", default=True)
API_DOCUMENT_CACHE_SECONDS = env.int("API_DOCUMENT_CACHE_SECONDS", default=24 * 3600)

# --- Users --------------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-events"
LOGOUT_REDIRECT_URL = "login"
# Failed logins per e-mail address (and per client address) within the window before refusing.
LOGIN_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_FAILURE_WINDOW = env.int("LOGIN_FAILURE_WINDOW", default=15 * 60)
# Verification mails per user and per address, and registrations per client address, in a window.
VERIFICATION_MAIL_LIMIT = env.int("VERIFICATION_MAIL_LIMIT", default=3)
VERIFICATION_MAIL_WINDOW = env.int("VERIFICATION_MAIL_WINDOW", default=60 * 60)
REGISTRATION_LIMIT = env.int("REGISTRATION_LIMIT", default=10)
REGISTRATION_WINDOW = env.int("REGISTRATION_WINDOW", default=60 * 60)
# Reverse proxies in front of the web processes that append to X-Forwarded-For; the client address
# every throttle counts is the entry this far from the right (0: REMOTE_ADDR, the header ignored).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# How long the link of a verification mail works (it also dies once used or when the address changes).
EMAIL_VERIFICATION_LIFETIME = timedelta(days=env.int("EMAIL_VERIFICATION_DAYS", default=3))
# How long the link of a password-reset mail works, in seconds for Django (it also dies once used).
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_HOURS", default=24) * 60 * 60
# Password-reset requests per address and per client address within the window (same answer for all).
PASSWORD_RESET_LIMIT = env.int("PASSWORD_RESET_LIMIT", default=3)
PASSWORD_RESET_REQUEST_LIMIT = env.int("PASSWORD_RESET_REQUEST_LIMIT", default=10)
PASSWORD_RESET_WINDOW = env.int("PASSWORD_RESET_WINDOW", default=60 * 60)
# The origin that links in mails point to, e.g. https://events.example.org; empty = the request's.
SITE_URL = env("SITE_URL", default="")
# The domain in the UIDs of exported calendar events (session-<id>@<domain>): keep it fixed in
# production so calendars recognise updates; empty = the host of SITE_URL, else "open-event.invalid".
ICAL_UID_DOMAIN = env("ICAL_UID_DOMAIN", default="")

# --- Cross-origin API clients ------------------------------------------------------------------
# Browser clients served from other origins (the Open Event Ember front end) may call the API
# and the historic /auth/ routes, with credentials (the refresh cookie) and these headers.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/(?:v1|auth)/"
CORS_ALLOW_CREDENTIALS = True
CORS_ALLOW_HEADERS = (*cors_default_headers, "x-csrf-token")

# --- The site as API clients see it (``/v1/settings``) --------------------------------------------
# The public settings the Open Event front end reads; unset values are null. The settings
# resource with admin writes replaces this source later (openevent.core.site).
SITE_SETTINGS = {
    "app_name": env("APP_NAME", default="Open Event"),
    "tagline": env("APP_TAGLINE", default=""),
    "frontend_url": env("FRONTEND_URL", default=SITE_URL),
    "support_url": env("SUPPORT_URL", default=""),
    "cookie_policy": env("COOKIE_POLICY", default=""),
    "cookie_policy_link": env("COOKIE_POLICY_LINK", default=""),
    # e.g. SOCIAL_URLS=github=https://github.com/fossasia,twitter=https://twitter.com/fossasia
    "social_urls": env.dict("SOCIAL_URLS", default={}),
}

# --- Internationalisation -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # The fonts of the API docs (ReDoc), shipped by pip packages rather than loaded from Google.
    ("fonts/roboto", fontpkg_roboto.ROOT / "files"),
    ("fonts/montserrat", fontpkg_montserrat.ROOT / "files"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(VAR_DIR / "media")))

STORAGE_BACKEND = env("STORAGE_BACKEND", default="local")
if STORAGE_BACKEND == "s3":
    _default_storage = {
        # S3Storage that stores each upload with the Content-Type of its sniffed type and
        # "attachment" for all but raster images (openevent.uploads.storage).
        "BACKEND": "openevent.uploads.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default="us-east-1"),
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
            "file_overwrite": False,
            # Stored URLs (the URL fields of events, speakers…) must not expire: plain object URLs
            # (a bucket readable by everyone) unless AWS_QUERYSTRING_AUTH=true.
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
        },
    }
    # Export files and uploaded import files (speakers' e-mail addresses, whole programs): never
    # public. Private objects under their own prefix (a bucket policy that opens the uploads
    # must name ``uploads/*`` only) or in a bucket of their own; read only through our
    # permission-checked download view, so URLs are never handed out.
    _job_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_default_storage["OPTIONS"],
            "bucket_name": env("AWS_PRIVATE_BUCKET_NAME", default=_default_storage["OPTIONS"]["bucket_name"]),
            "location": env("AWS_PRIVATE_LOCATION", default="private"),
            "default_acl": "private",
            "querystring_auth": True,
            "custom_domain": None,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    # Under MEDIA_ROOT, in folders the media view never serves (it serves our upload names only).
    _job_storage = _default_storage
STORAGES = {
    "default": _default_storage,
    # The files of export and import jobs (exports.services): private, see above.
    "jobs": _job_storage,
    "local": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND", default="django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = True

# --- Uploads (openevent.uploads) ---------------------------------------------------------------
_MB = 1024 * 1024
# The largest file of each kind, in bytes ("file" takes the cap of the kind that accepts its type).
UPLOAD_MAX_SIZES = {
    "image": env.int("UPLOAD_MAX_IMAGE_SIZE", default=10 * _MB),
    "document": env.int("UPLOAD_MAX_DOCUMENT_SIZE", default=20 * _MB),
    "slides": env.int("UPLOAD_MAX_SLIDES_SIZE", default=50 * _MB),
    "audio": env.int("UPLOAD_MAX_AUDIO_SIZE", default=100 * _MB),
    "video": env.int("UPLOAD_MAX_VIDEO_SIZE", default=200 * _MB),
}
# The largest upload request body (all its files together), in bytes: 413 beyond, unread.
UPLOAD_MAX_TOTAL_SIZE = env.int("UPLOAD_MAX_TOTAL_SIZE", default=250 * _MB)
# Files in one request to /v1/upload/files.
UPLOAD_MAX_FILES = env.int("UPLOAD_MAX_FILES", default=20)
# Images of more pixels than this are refused (decompression bombs).
UPLOAD_IMAGE_MAX_PIXELS = env.int("UPLOAD_IMAGE_MAX_PIXELS", default=40_000_000)
# Boxes (width, height) the image variants fit in, keeping the aspect ratio and never enlarging:
# Open Event's event image sizes (large 1300x500, thumbnail 500x200, icon 75x30) and speaker
# image sizes (thumbnail 500, small 50, icon 35) in one set of boxes.
IMAGE_VARIANT_SIZES = {"large": (1300, 500), "thumbnail": (500, 500), "small": (50, 50), "icon": (75, 35)}
# Uploads per user (DRF rate: "<number>/<second|minute|hour|day>").
UPLOAD_THROTTLE_RATE = env("UPLOAD_THROTTLE_RATE", default="120/hour")

# --- Import and export (exports) ----------------------------------------------------------------
# Imports and exports a user may start per hour (each stores a file and keeps a worker busy; an
# import stores its zip's media as uploads, past the upload throttle otherwise). 429 beyond.
IMPORT_MAX_PER_HOUR = env.int("IMPORT_MAX_PER_HOUR", default=20)
EXPORT_MAX_PER_HOUR = env.int("EXPORT_MAX_PER_HOUR", default=30)
# The largest file accepted for import (413 beyond, before it is read).
IMPORT_MAX_UPLOAD_SIZE = env.int("IMPORT_MAX_UPLOAD_SIZE", default=200 * _MB)
# Caps of an imported zip, checked on its central directory before anything is read and again
# while reading (a header may lie): members, their total uncompressed size, one JSON file's size,
# the compression ratio of a member over 1 MB, and the items of one list (sessions, speakers…).
IMPORT_MAX_FILES = env.int("IMPORT_MAX_FILES", default=5000)
IMPORT_MAX_TOTAL_SIZE = env.int("IMPORT_MAX_TOTAL_SIZE", default=500 * _MB)
IMPORT_MAX_JSON_SIZE = env.int("IMPORT_MAX_JSON_SIZE", default=100 * _MB)
IMPORT_MAX_RATIO = env.int("IMPORT_MAX_RATIO", default=200)
IMPORT_MAX_ITEMS = env.int("IMPORT_MAX_ITEMS", default=50_000)
# Days an export's file is kept (then the daily sweep deletes it; the history says "expired"), and
# hours an import may wait for a worker before it ends failed (exports.services.retention).
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=30)
IMPORT_STALE_HOURS = env.int("IMPORT_STALE_HOURS", default=24)

# --- Mail -----------------------------------------------------------------------------------------
# The service mails go through unless an administrator chooses one in the platform settings:
# "smtp" (EMAIL_HOST...), "sendgrid" (SENDGRID_API_KEY), "disabled", or "" for EMAIL_BACKEND as is
# (the console on one machine).
EMAIL_SERVICE = env("EMAIL_SERVICE", default="")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Open Event <noreply@localhost>")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# Attempts per mail before it is marked failed, and the first retry's delay in seconds (doubled
# on every further attempt).
MAIL_MAX_ATTEMPTS = env.int("MAIL_MAX_ATTEMPTS", default=5)
MAIL_RETRY_DELAY = env.int("MAIL_RETRY_DELAY", default=30)
# Seconds between two polls of the notification bell's count while a page is visible.
NOTIFICATION_POLL_SECONDS = env.int("NOTIFICATION_POLL_SECONDS", default=60)
ANYMAIL = {"SENDGRID_API_KEY": env("SENDGRID_API_KEY", default="")}
# The key that seals the secrets of the platform settings (SMTP password, SendGrid key) in the
# database: a Fernet key (``Fernet.generate_key()``), or several separated by commas (the first
# seals, all unseal: rotation). Empty: a key derived from SECRET_KEY (openevent.core.crypto).
SETTINGS_ENCRYPTION_KEY = env("SETTINGS_ENCRYPTION_KEY", default="")

# --- Celery ---------------------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        "polling_interval": 0.1,
    }
else:
    # On Redis, a task a worker took but never acknowledged (acks_late; the worker died in the middle)
    # goes to another worker once it is ``visibility_timeout`` seconds old. Keep it longer than the
    # longest task and the longest countdown (the mail retries), or such a task would run twice.
    # Further kombu transport options as JSON, e.g. '{"visibility_timeout": 7200}'.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        **env.json("CELERY_BROKER_TRANSPORT_OPTIONS", default={}),
    }
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
# The queue tasks go to and workers consume unless told otherwise (deployments sharing a broker).
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_TASK_SERIALIZER = "json"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs, sent by `celery -A openevent beat` (README, "Periodic jobs"); times in UTC.
CELERY_BEAT_SCHEDULE = {
    "after-event-mails": {
        "task": "mailing.tasks.task_send_after_event_mails",
        "schedule": crontab(hour=6, minute=0),
    },
    "speakers-call-opened-mails": {
        "task": "mailing.tasks.task_announce_speakers_calls",
        "schedule": crontab(minute=5),
    },
    "job-files-sweep": {
        "task": "exports.tasks.task_sweep_jobs",
        "schedule": crontab(hour=3, minute=30),
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Request bodies -----------------------------------------------------------------------------
# Bodies (JSON, form fields) past this size are refused: 413 on the API. Uploads get their own limit.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=1024 * 1024)

# --- API ------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "EXCEPTION_HANDLER": "openevent.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "openevent.api.pagination.Pagination",
    # Resources speak JSON:API only; upload views declare their own multipart parser.
    "DEFAULT_PARSER_CLASSES": ("openevent.api.parsers.JsonApiParser",),
    "DEFAULT_RENDERER_CLASSES": (
        "openevent.api.renderers.JsonApiRenderer",
        "openevent.api.renderers.JsonApiAsJsonRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ),
    "DEFAULT_METADATA_CLASS": "rest_framework_json_api.metadata.JSONAPIMetadata",
    "DEFAULT_AUTHENTICATION_CLASSES": (
        "openevent.api.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ),
    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),
    "DEFAULT_FILTER_BACKENDS": (
        "openevent.api.filters.QueryParameterValidationFilter",
        "openevent.api.filters.OrderingFilter",
        "openevent.api.filters.JsonFilterBackend",
        "openevent.api.filters.FieldFilterBackend",
    ),
    "ORDERING_PARAM": "sort",
    "SEARCH_PARAM": "filter[search]",
    "DEFAULT_SCHEMA_CLASS": "openevent.api.schema.OpenEventAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "vnd.api+json",
    "TEST_REQUEST_RENDERER_CLASSES": (
        "openevent.api.renderers.JsonApiRenderer",
        "rest_framework.renderers.MultiPartRenderer",
    ),
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Views that name a throttle scope (ScopedRateThrottle) count per user at these rates.
    "DEFAULT_THROTTLE_RATES": {"uploads": UPLOAD_THROTTLE_RATE},
}
JSON_API_FORMAT_FIELD_NAMES = "dasherize"
JSON_API_FORMAT_TYPES = "dasherize"
JSON_API_FORMAT_RELATED_LINKS = "dasherize"
JSON_API_PLURALIZE_TYPES = False
JSON_API_UNIFORM_EXCEPTIONS = True
# page[size]=0 returns everything up to this many rows.
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=5000)
# ``include`` may name at most this many paths, each at most this many relations deep. (The Open
# Event front end's event page names 11 paths.)
API_MAX_INCLUDE_PATHS = env.int("API_MAX_INCLUDE_PATHS", default=12)
API_MAX_INCLUDE_DEPTH = env.int("API_MAX_INCLUDE_DEPTH", default=3)
# GET lists and details of the program resources go through the fast read path
# (openevent/api/fast); off, every request takes djangorestframework-jsonapi's path (the
# benchmark and the sameness test compare both).
API_FAST_READS = env.bool("API_FAST_READS", default=True)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=30)),
    "ROTATE_REFRESH_TOKENS": env.bool("JWT_ROTATE_REFRESH", default=False),  # cookie tokens always rotate
    "BLACKLIST_AFTER_ROTATION": True,
    "AUTH_HEADER_TYPES": ("JWT", "Bearer"),
    "UPDATE_LAST_LOGIN": False,
}
# --- The web flow's refresh cookie and anonymous verification-mail requests (openevent.users) --
# SameSite of the refresh and CSRF cookies: Lax (default), Strict, or None for a front end on
# another site (None makes them Secure). They are Secure on HTTPS requests, or always with
# REFRESH_COOKIE_SECURE.
REFRESH_COOKIE_SAMESITE = env("REFRESH_COOKIE_SAMESITE", default="Lax").capitalize()
if REFRESH_COOKIE_SAMESITE not in ("Lax", "Strict", "None"):
    raise ImproperlyConfigured("REFRESH_COOKIE_SAMESITE must be Lax, Strict or None.")
REFRESH_COOKIE_SECURE = env.bool("REFRESH_COOKIE_SECURE", default=False)
# Requests for a verification mail by address, per client address, in VERIFICATION_MAIL_WINDOW.
VERIFICATION_REQUEST_LIMIT = env.int("VERIFICATION_REQUEST_LIMIT", default=10)

SPECTACULAR_SETTINGS = {
    "TITLE": "Open Event on Django API",
    "DESCRIPTION": "JSON:API compatible with FOSSASIA Open Event clients.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/v1",
    # Swagger UI and ReDoc assets come from our own static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

ROLE_INVITE_LIFETIME = timedelta(days=env.int("ROLE_INVITE_DAYS", default=7))

# --- Production hardening -------------------------------------------------------------------------
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOG_LEVEL = env("LOG_LEVEL", default="WARNING")
# Each record printed once: Django's own configuration gives the "django" logger a console handler
# of its own (with DEBUG on) besides propagating to the root's, which printed every warning twice;
# here "django" only propagates. Refusals (4xx) are one line; 5xx keep their traceback
# (openevent.core.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal_without_traceback": {"()": "openevent.core.logs.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": [], "level": "INFO" if DEBUG else LOG_LEVEL, "propagate": True},
        "django.request": {"filters": ["refusal_without_traceback"]},
        # The stripe library logs whole response bodies (the connected accounts' tokens) at DEBUG:
        # never below INFO, whatever LOG_LEVEL says (security lesson 6).
        "stripe": {"level": "INFO"},
    },
}

# --- Stripe Connect --------------------------------------------------------------------------------
# Stripe's bases (tests point them at a fake server on 127.0.0.1); the platform's keys are in the
# platform settings (admin), not here.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="https://api.stripe.com")
STRIPE_CONNECT_BASE = env("STRIPE_CONNECT_BASE", default="https://connect.stripe.com")
# Seconds a "Connect with Stripe" link (its signed state) stays good.
STRIPE_STATE_MAX_AGE = env.int("STRIPE_STATE_MAX_AGE", default=600)
# Seconds we wait for Stripe (the stripe library's default is 80: a request worker held that long).
STRIPE_TIMEOUT = env.float("STRIPE_TIMEOUT", default=20)
