"""Django settings, every value from an environment variable (see README, Configuration).

Readers in :mod:`hotline.env` refuse malformed values, so a bad deployment fails at start-up.
``PUBLIC_URL`` is the site's public address: the links texted to citizens and printed in QR
codes are built on it (docs/deploy.md), never on a request's Host header once it is set.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dj_database_url
from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hotline.env import (
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_networks,
    env_postgres_connection,
    env_public_url,
    env_sms_gateway_url,
    env_str,
    env_time_intervals,
    env_timezone,
    require_strong_secret_key,
)
from hotline.local_key import is_default_data_dir, local_secret_key

BASE_DIR = Path(__file__).resolve().parent

DEBUG = env_bool("DEBUG", False)

DATA_DIR = Path(env_str("HOTLINE_DATA_DIR", "var")).resolve()

_DEV_SECRET_KEY = "hotline-development-only-secret-key-do-not-use-in-production"
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    # A development checkout keeps its own random key in ./var, so `make run` and a `hotline`
    # command in another terminal agree without variables; a deployment must set the key.
    if not (DEBUG or is_default_data_dir(DATA_DIR)):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for development, set DEBUG=true)"
        )
    SECRET_KEY = local_secret_key(DATA_DIR)

if not DEBUG:
    # A short or published key lets anyone forge what it signs (sessions, rating links).
    require_strong_secret_key(SECRET_KEY)

# Reverse proxies whose X-Forwarded-For / X-Real-IP name the real client (addresses or CIDR
# blocks). Empty: the header is ignored and the connection's peer is the client, because anyone
# can send the header (hotline/security/client.py).
TRUSTED_PROXIES = env_networks("TRUSTED_PROXIES", "")
# The networks the service halls' own machines are on (addresses or CIDR blocks): when set, the
# pages that issue tickets and the self-service kiosks' pages answer only those addresses (the
# real client's, behind TRUSTED_PROXIES); a script elsewhere on the internet cannot fill a queue.
# Empty: any address, with a per-address cap on tickets at the kiosk (docs/deploy.md).
HALL_KIOSK_NETWORKS = env_networks("HALL_KIOSK_NETWORKS", "")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The site's public address (https://12345.example.gov.cn): links that leave the site — texted
# to citizens, printed in a ticket's QR code — are built on it, not on the request's Host header
# (hotline/security/public_url.py). Unset: the request's host, which `hotline check --deploy`
# warns about in production mode (hotline.W001).
PUBLIC_URL = env_public_url("PUBLIC_URL")

INSTALLED_APPS = [
    "hotline.org",
    "hotline.sla",
    "hotline.orders",
    "hotline.dispatch",
    "hotline.assessment",
    "hotline.kb",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",  # login lockout after repeated failures
    "ninja",  # serves its Swagger UI assets itself: nothing from a CDN
    "hotline.web",
    "hotline.api",
    "hotline.interchange",
    "hotline.open311",
    "hotline.portal",
    "hotline.security",
    "hotline.ops",
    "hotline.matters",
    "hotline.hall",
    "hotline.cases",
    "hotline.ratings",
    "hotline.assistance",
    "hotline.prereview",
]

MIDDLEWARE = [
    # Outermost: every error in the interface's format (JSON under /api/, Open311's document),
    # and 503 + Retry-After while the database is unreachable.
    "hotline.ops.errors.ErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything looks a value up: a NUL in a query or cookie is a 400, not a 500.
    "hotline.security.control_chars.ControlCharactersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Pages with someone's data (signed in, a token, a citizen's own link): no-store.
    "hotline.security.cache_control.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # An htmx request whose session ended sends the whole page to the login page.
    "hotline.web.htmx_login.HtmxLoginRedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hotline.urls"
WSGI_APPLICATION = "hotline.wsgi.application"

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
                "hotline.web.navigation.nav_links",
            ],
        },
    },
]

# Database: embedded SQLite in the data directory unless DATABASE_URL says otherwise.
_default_db_url = f"sqlite:///{DATA_DIR / 'hotline.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", _default_db_url)
try:
    _db = dj_database_url.parse(DATABASE_URL)
except ValueError as exc:
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid database URL: {exc}") from None
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Kept, health-checked connections with connect and statement timeouts (hotline/env.py).
    _pg = env_postgres_connection(_db.get("OPTIONS", {}))
    _db["CONN_MAX_AGE"] = _pg["CONN_MAX_AGE"]
    _db["CONN_HEALTH_CHECKS"] = _pg["CONN_HEALTH_CHECKS"]
    _db["OPTIONS"] = _pg["OPTIONS"]
else:
    _db["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 0, minimum=0)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at the
    # start of a transaction so two writers queue on busy_timeout instead of failing mid-way.
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    _db["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "") or None}
elif _db["ENGINE"] not in ("django.db.backends.postgresql",):
    raise ImproperlyConfigured(
        f"DATABASE_URL must point at SQLite or PostgreSQL, got engine {_db['ENGINE']!r}"
    )
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Each web process's own memory (docs/deploy.md, Caches). The public pages' aggregates have stores
# of their own: anyone may ask for any finished day of the open data, and those entries must not
# push out the statistics page's counts (what keeps that page from counting per request) nor the
# staff pages' entries (the dashboard's figures, the trend, the dispatch model...). A full store
# drops its least recently used third.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hotline-default",
        "OPTIONS": {"MAX_ENTRIES": 1000},
    },
    # The statistics page (hotline/portal/stats.py): a few entries, only its own.
    "public": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hotline-public",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
    # The open data's finished days (hotline/hall/opendata.py): one entry per hall and day asked.
    "open-data": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hotline-open-data",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # The dashboard's figures of ended whole months (hotline/assessment/dashboard.py), about
    # 85 KB each on the demo: one per month, language and data version asked for. 100 of them
    # are about 9 MB per process; a month asked again is kept, stale versions go first.
    "dashboard": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hotline-dashboard",
        "OPTIONS": {"MAX_ENTRIES": 100},
    },
    # Its figures of other ended periods (``from``/``to``), apart so that they push out only
    # each other: a leader's few ranges of the day, about 100 KB each.
    "dashboard-ranges": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "hotline-dashboard-ranges",
        "OPTIONS": {"MAX_ENTRIES": 30},
    },
}

AUTH_USER_MODEL = "org.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login lockout (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one username from one
# client address, that pair is refused for LOGIN_LOCKOUT_MINUTES (a success resets the count).
# Locking the pair, not the username alone, keeps a guesser from locking a colleague out from
# another desk. The address is the real client's behind a trusted proxy (TRUSTED_PROXIES), an
# IPv6 client's /64 (hotline.security.client.counted).
AUTHENTICATION_BACKENDS = [
    "hotline.security.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "hotline.security.client.lockout_address"
AXES_VERBOSE = False
# The second tier (hotline.security.lockout): wrong passwords from one address across every
# username within LOGIN_LOCKOUT_MINUTES before the address is refused (password spraying).
AXES_HANDLER = "hotline.security.lockout.Handler"
# A login refused while locked out is not a wrong password: not recorded, so it neither extends
# the lock nor counts toward the address's (a colleague typing her right password while the
# address is shut; review, session 18).
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30, minimum=1)

# Each process remembers an API token's user this many seconds (0: ask the database on every
# call). Revoking a token or changing a user takes effect in other processes within this time.
API_TOKEN_CACHE_SECONDS = env_int("API_TOKEN_CACHE_SECONDS", 5, minimum=0, maximum=300)

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if env_bool("FAST_PASSWORD_HASHER", False):
    # Test suites only: argon2 is deliberately slow, and hundreds of demo users would take minutes.
    PASSWORD_HASHERS.insert(0, "django.contrib.auth.hashers.MD5PasswordHasher")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Internationalisation: identifiers and msgids are English; zh-Hans is the default language.
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of zh-hans, en; got {LANGUAGE_CODE!r}")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_timezone("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# The staff UI's CSS, JS and vendored HTMX live in hotline/static/ (the project package is not an
# installed app, so the app-directories finder would not see them).
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
# Production serves hashed, compressed files collected by `hotline serve` (collectstatic);
# development and tests serve straight from the app directories.
STATIC_MANIFEST = env_bool("STATIC_MANIFEST", not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not STATIC_MANIFEST
WHITENOISE_AUTOREFRESH = DEBUG

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", 12, minimum=1) * 3600
# JavaScript never reads the CSRF cookie: pages carry the token (hx-headers, form fields).
CSRF_COOKIE_HTTPONLY = True
# A refused token (a page opened before the last sign-in) gets the site's page, not Django's.
CSRF_FAILURE_VIEW = "hotline.security.csrf.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Behind a TLS-terminating proxy (docs/deploy.md): trust its X-Forwarded-Proto, redirect plain
# HTTP, and once HTTPS works everywhere turn on HSTS (HSTS_SECONDS, e.g. 31536000).
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", False)

# Content-Security-Policy (django-csp) in production mode: every script and style comes from the
# app itself, no inline script or event-handler attribute runs, nothing is framed. (Development
# mode leaves it off: Django's debug pages use inline styles and scripts.)
CONTENT_SECURITY_POLICY = (
    None
    if DEBUG
    else {
        "DIRECTIVES": {
            "default-src": [CSP_SELF],
            "script-src": [CSP_SELF],
            "style-src": [CSP_SELF],
            # Swagger UI and the admin draw a few icons as data: URIs.
            "img-src": [CSP_SELF, "data:"],
            "font-src": [CSP_SELF],
            "connect-src": [CSP_SELF],
            "object-src": [CSP_NONE],
            "base-uri": [CSP_SELF],
            "form-action": [CSP_SELF],
            "frame-ancestors": [CSP_NONE],
        }
    }
)

# Working hours inside which working-day and working-hour deadlines are counted.
WORKING_HOURS = env_time_intervals("WORKING_HOURS", "09:00-12:00,13:00-17:30")

# The SLA worker: how often it polls, and whether `hotline serve` runs it in-process.
SLA_WORKER_INTERVAL_SECONDS = env_int("SLA_WORKER_INTERVAL", 60, minimum=1)

# Knowledge-base search: a synonym's weight, in per cent of the query's own word (issue 19; 30
# was chosen on half of the Taipei dev questions, docs/benchmarks.md).
KB_SYNONYM_WEIGHT = env_int("KB_SYNONYM_WEIGHT_PERCENT", 30, minimum=0, maximum=100) / 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Citizens' phone numbers never reach the logs in clear (titles, URLs, error messages).
    "filters": {"mask_phones": {"()": "hotline.security.masking.MaskPhonesFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_phones"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # Django's own handlers (its console in DEBUG, runserver's) print paths unmasked ("Not
        # Found: /portal/prereview/s/<token>/…"): its loggers go through the root's, masked.
        "django": {"handlers": [], "propagate": True},
        "django.server": {"handlers": [], "propagate": True},
    },
}

# What a dissatisfied callback does: "review" leaves the order for a dispatcher or supervisor to
# reopen or close; "reopen" sends it straight back to the unit.
CALLBACK_DISSATISFIED = env_choice("CALLBACK_DISSATISFIED", "review", ["review", "reopen"])
# Failed callback calls (未接通) that close the order as unreachable (a refusal closes at once).
CALLBACK_MAX_ATTEMPTS = env_int("CALLBACK_MAX_ATTEMPTS", 3, minimum=1, maximum=10)
# A first contact may be recorded this many hours after it happened and still be judged by the
# time given; one recorded later is judged as if it happened this long before it was recorded.
FIRST_CONTACT_BACKDATE_HOURS = env_int("FIRST_CONTACT_BACKDATE_HOURS", 4, minimum=0, maximum=72)
# The most working days one extension request may ask for.
MAX_EXTENSION_DAYS = env_int("MAX_EXTENSION_DAYS", 15, minimum=1, maximum=90)
# The SLA worker urges an order this many hours before its sign-for or reply deadline.
URGE_BEFORE_HOURS = env_int("URGE_BEFORE_HOURS", 24, minimum=0)
# A supervision the worker opens on an overdue order is due this many working days later.
SUPERVISION_DAYS = env_int("SUPERVISION_DAYS", 2, minimum=1)
# Largest file that may be attached to an order.
MAX_ATTACHMENT_MB = env_int("MAX_ATTACHMENT_MB", 10, minimum=1, maximum=200)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest request body where the view names no limit of its own (a pre-review's form does: one
# file per material of its matter). A larger one is refused (413) before it is read, and a request
# that may not upload at its URL (a stranger on a staff page) stores no file:
# hotline.security.uploads, first of the upload handlers.
MAX_REQUEST_BODY_MB = env_int(
    "MAX_REQUEST_BODY_MB", 4 * MAX_ATTACHMENT_MB + 1, minimum=1, maximum=1000
)
FILE_UPLOAD_HANDLERS = [
    "hotline.security.uploads.GuardedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Citizen portal abuse limits (no captcha): submissions per client address per hour and per phone
# number per day, tracking/rating look-ups per address per hour; photo size; rating-link lifetime.
PORTAL_SUBMITS_PER_IP_HOUR = env_int("PORTAL_SUBMITS_PER_IP_HOUR", 10, minimum=1)
PORTAL_SUBMITS_PER_PHONE_DAY = env_int("PORTAL_SUBMITS_PER_PHONE_DAY", 5, minimum=1)
PORTAL_LOOKUPS_PER_IP_HOUR = env_int("PORTAL_LOOKUPS_PER_IP_HOUR", 60, minimum=1)
PORTAL_PHOTO_MB = env_int("PORTAL_PHOTO_MB", 5, minimum=1, maximum=50)
PORTAL_RATING_DAYS = env_int("PORTAL_RATING_DAYS", 30, minimum=1)

# 好差评 (hotline.ratings): a 差评 becomes a work order in this category, dispatched to the hall's
# service centre; its deadline policy (hall-rectify) is kept at first contact within
# RATING_CONTACT_DAYS and rectification within RATING_RECTIFY_DAYS working days. The window's
# rating pad shows a finished service for RATING_PAD_MINUTES; the rating links (QR, SMS) work for
# RATING_LINK_DAYS after the service, and the follow-up rating as long after the order closes.
RATING_CATEGORY = env_str("RATING_CATEGORY", "zwfw-bszn-hczg")
RATING_CONTACT_DAYS = env_int("RATING_CONTACT_DAYS", 1, minimum=1, maximum=10)
RATING_RECTIFY_DAYS = env_int("RATING_RECTIFY_DAYS", 15, minimum=1, maximum=90)
RATING_PAD_MINUTES = env_int("RATING_PAD_MINUTES", 10, minimum=1, maximum=120)
RATING_LINK_DAYS = env_int("RATING_LINK_DAYS", 30, minimum=1, maximum=365)
# The worker texts a closed rectification's follow-up link only for orders closed in the last
# RATING_FOLLOW_UP_TEXT_DAYS: its first pass after a deploy (or after it was stopped a week) would
# otherwise text every rectification closed within RATING_LINK_DAYS at once, weeks late.
RATING_FOLLOW_UP_TEXT_DAYS = env_int("RATING_FOLLOW_UP_TEXT_DAYS", 3, minimum=1, maximum=365)

# Dispatch automatically when the active unit model's confidence reaches its threshold (the
# threshold is set per model in the admin; without one, nothing is dispatched automatically).
AUTO_DISPATCH = env_bool("AUTO_DISPATCH", False)
# Scheduled retraining of the unit model by the worker (hotline.dispatch.retraining): every this
# many days (0: never; 7 is weekly), in this local hour. A new model becomes active only when it
# is not worse than the active one on the most recent complete month.
DISPATCH_RETRAIN_DAYS = env_int("DISPATCH_RETRAIN_DAYS", 0, minimum=0, maximum=365)
DISPATCH_RETRAIN_HOUR = env_int("DISPATCH_RETRAIN_HOUR", 2, minimum=0, maximum=23)

# How many work orders `hotline demo` generates for the demo district (0: none).
DEMO_ORDERS = env_int("DEMO_ORDERS", 3000, minimum=0, maximum=100_000)
# A hall alert whose condition comes back within this many minutes of clearing is the same alert
# again, not a new one with a new SMS (a wait crossing the service level back and forth); 0: none.
HALL_ALERT_QUIET_MINUTES = env_int("HALL_ALERT_QUIET_MINUTES", 15, minimum=0, maximum=240)
# Working days of simulated service-hall history `hotline demo` creates for each demo hall.
DEMO_HALL_DAYS = env_int("DEMO_HALL_DAYS", 5, minimum=0, maximum=60)
# Per cent of a simulated hall day's served visitors whose ticket the clerk transfers to another
# matter part-way through (hotline.hall.simulate; the demo's days and the estimate's bench).
HALL_SIMULATE_TRANSFER_PERCENT = env_int("HALL_SIMULATE_TRANSFER_PERCENT", 3, minimum=0, maximum=50)
# Notification adapters (dotted paths), e.g. hotline.orders.notify.EmailNotifier.
NOTIFIERS = env_list("NOTIFIERS", ["hotline.orders.notify.LoggingNotifier"])
# The HTTP SMS gateway adapter (hotline.orders.notify.HttpSmsNotifier): each text is POSTed as
# JSON to SMS_GATEWAY_URL, with SMS_GATEWAY_TOKEN as a bearer token and, when
# SMS_GATEWAY_SECRET is set, an HMAC-SHA256 of the body in X-Hotline-Signature.
SMS_GATEWAY_URL = env_sms_gateway_url("SMS_GATEWAY_URL")
SMS_GATEWAY_TOKEN = env_str("SMS_GATEWAY_TOKEN", "")
SMS_GATEWAY_SECRET = env_str("SMS_GATEWAY_SECRET", "")
SMS_GATEWAY_TIMEOUT = env_int("SMS_GATEWAY_TIMEOUT", 5, minimum=1, maximum=60)
if "hotline.orders.notify.HttpSmsNotifier" in NOTIFIERS and not SMS_GATEWAY_URL:
    raise ImproperlyConfigured("NOTIFIERS names HttpSmsNotifier: set SMS_GATEWAY_URL")
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Password reset by e-mail (hotline/security/accounts.py): off unless asked for, and then only
# with a backend that really sends mail (the console backend would print the links to the log).
PASSWORD_RESET = env_bool("PASSWORD_RESET", False)
PASSWORD_RESETS_PER_IP_HOUR = env_int("PASSWORD_RESETS_PER_IP_HOUR", 5, minimum=1)
# A mailed reset link works for an hour (Django's default is 3 days): the link is as good as the
# password, sits in a mailbox, and a real mail relay delivers within minutes. Not a setting: a
# longer life only widens what a read mailbox gives away.
PASSWORD_RESET_TIMEOUT = 60 * 60
_NO_MAIL = (".console.", ".locmem.", ".dummy.", ".filebased.")
if PASSWORD_RESET and any(kind in EMAIL_BACKEND for kind in _NO_MAIL):
    raise ImproperlyConfigured(
        f"PASSWORD_RESET needs an EMAIL_BACKEND that sends mail (e.g. "
        f"django.core.mail.backends.smtp.EmailBackend), not {EMAIL_BACKEND}"
    )
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hotline@localhost")
