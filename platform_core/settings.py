"""Settings for the 揭榜挂帅 platform.

One module, driven by environment variables through the small typed helpers below (the style of
healthchecks' hc/settings.py). With nothing set the platform runs with embedded defaults: SQLite in
var/, the in-process channel layer and the local-memory cache. Production sets DATABASE_URL,
REDIS_URL, SECRET_KEY (or SECRET_KEY_FILE), ALLOWED_HOSTS and CSRF_TRUSTED_ORIGINS.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, "")


def env_json(name: str, default):
    """JSON from NAME, or from the file named by NAME_FILE."""
    path = os.environ.get(f"{name}_FILE")
    text = Path(path).read_text(encoding="utf-8") if path else os.environ.get(name, "")
    if not text.strip():
        return default
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {exc}") from exc


def database_from_url(url: str) -> dict:
    """Turn sqlite:///relative/or////absolute and postgres://user:pass@host:port/name into Django's form."""
    parts = urlsplit(url)
    options = dict(parse_qsl(parts.query))
    if parts.scheme == "sqlite":
        raw_path = unquote(parts.path)
        path = raw_path[1:] if raw_path.startswith("/") else raw_path
        name = path if Path(path).is_absolute() else str(BASE_DIR / path)
        return sqlite_database(name)
    if parts.scheme in {"postgres", "postgresql", "pgsql"}:
        pool, conn_max_age = postgres_connection_policy()
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": conn_max_age,
            # With the pool, a connection is checked as it is lent: after a PostgreSQL restart the
            # broken ones are dropped instead of failing one request each.
            "CONN_HEALTH_CHECKS": True,
            # `.iterator()` (which every ModelChoiceField's options use) would otherwise open a
            # server-side cursor: DECLARE … WITH HOLD, FETCH, CLOSE, three round trips, and in
            # autocommit PostgreSQL materialises the result first. Results are read client-side.
            "DISABLE_SERVER_SIDE_CURSORS": True,
            "OPTIONS": {**options, **({"pool": pool} if pool else {})},
            "TEST": {"NAME": os.environ.get("TEST_DATABASE_NAME") or None},
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported")


def postgres_connection_policy() -> tuple[dict | None, int]:
    """The per-process bound on PostgreSQL connections: a psycopg pool of DB_POOL_MAX_SIZE.

    Under ASGI every request runs in a thread of its own, and a persistent connection
    (CONN_MAX_AGE > 0) is kept per thread: a busy process then holds as many connections as it has
    ever had threads, and PostgreSQL runs out ("too many clients already"). With the pool a
    request borrows a connection and hands it back when it ends, so one process never holds more
    than DB_POOL_MAX_SIZE, whatever the concurrency; a request that finds none free waits up to
    DB_POOL_TIMEOUT seconds (20) and then gets a 503. DB_POOL_MAX_SIZE=0 turns the pool off (a
    connection per request, or per thread with DB_CONN_MAX_AGE).
    """
    max_size = env_int("DB_POOL_MAX_SIZE", 10)
    conn_max_age = env_int("DB_CONN_MAX_AGE", 0)
    if max_size <= 0:
        return None, conn_max_age
    if conn_max_age:
        raise ImproperlyConfigured(
            "DB_CONN_MAX_AGE keeps a connection per thread and cannot be combined with the pool: "
            "unset it, or set DB_POOL_MAX_SIZE=0 to turn the pool off"
        )
    min_size = env_int("DB_POOL_MIN_SIZE", min(2, max_size))
    if not 0 <= min_size <= max_size:
        raise ImproperlyConfigured("DB_POOL_MIN_SIZE must be between 0 and DB_POOL_MAX_SIZE")
    pool = {
        "min_size": min_size,
        "max_size": max_size,
        "timeout": env_int("DB_POOL_TIMEOUT", 20),
        # A connection idle this long is closed (down to min_size), so a quiet process gives
        # its connections back to PostgreSQL.
        "max_idle": env_int("DB_POOL_MAX_IDLE", 300),
    }
    return pool, 0


def sqlite_database(name: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        # IMMEDIATE takes the write lock at BEGIN, so two writers allocating the next event
        # sequence of a topic queue up instead of failing with "database is locked" mid-way.
        "OPTIONS": {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
        # A file, not :memory:, so that a daphne process started by the tests sees the test data.
        # Named per process so two test runs on one checkout do not share (and destroy) it.
        "TEST": {
            "NAME": os.environ.get("TEST_DATABASE_NAME")
            or str(BASE_DIR / "var" / f"test-{os.getpid()}.sqlite3")
        },
    }


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) is required unless DEBUG is on")
    SECRET_KEY = "insecure-development-key-only-for-debug-" + "x" * 24
# Rotating the key: the old keys, one per line (SECRET_KEY_FALLBACKS_FILE) or comma-separated, still
# verify what they signed (sessions, password-reset links) until they are removed; everything new is
# signed with SECRET_KEY. docs/deployment.md "Rotating the secret key".
SECRET_KEY_FALLBACKS = env_secret("SECRET_KEY_FALLBACKS").replace(",", "\n").split()

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "channels",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "csp",
    "platform_core.accounts",
    "platform_core.orgs",
    "platform_core.audit",
    "platform_core.realtime",
    "platform_core.notifications",
    "platform_core.media",
    "challenges",
    "alliances",
    "alliances.consulting",
    "alliances.exchange",
    "alliances.learning",
    "showcase",
    "frontend",
]

MIDDLEWARE = [
    # First, so the latency it measures includes every other middleware.
    "platform_core.metrics.RequestMetricsMiddleware",
    # Outside every middleware that may answer an error itself, so /api/ errors are all JSON.
    "platform_core.api.ApiErrorFormatMiddleware",
    # Before anything reads the database: while it is down, 503 at once (platform_core/outage.py).
    "platform_core.outage.DatabaseOutageMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "platform_core.middleware.RejectNullBytesMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "platform_core.i18n.PlatformLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Permission answers asked several times by one GET page are read once (request_memo.py).
    "platform_core.request_memo.RequestMemoMiddleware",
    "platform_core.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "platform_core.middleware.MissingObjectMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "platform_core.urls"
ASGI_APPLICATION = "platform_core.asgi.application"
WSGI_APPLICATION = None

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
                "frontend.context_processors.layout",
            ],
        },
    },
]

DATABASE_URL = env_str("DATABASE_URL")
DATABASES = {
    "default": database_from_url(DATABASE_URL)
    if DATABASE_URL
    else sqlite_database(str(BASE_DIR / "var" / "db.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Messages a process's realtime hub may have queued in the channel layer before it drains them.
CHANNEL_CAPACITY = env_int("CHANNEL_CAPACITY", 5000)
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                # channels_redis waits for messages with a 5-second BRPOP; redis-py's default
                # socket timeout is also 5 s, so an idle read timed out, logged an error and
                # paused the hub. The read timeout must stay above the blocking pop.
                "hosts": [
                    {
                        "address": REDIS_URL,
                        "socket_timeout": env_int("CHANNEL_REDIS_SOCKET_TIMEOUT", 10),
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                    }
                ],
                "prefix": env_str("CHANNEL_PREFIX", "jiebang"),
                "capacity": CHANNEL_CAPACITY,
                "expiry": 60,
            },
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_PREFIX", "jiebang"),
            # The cache holds only brake counts (platform_core/throttle_store.py), which fall back
            # to process memory when Redis fails: better to fail fast than hold a login for long.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"capacity": CHANNEL_CAPACITY, "expiry": 60},
        }
    }
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home:index"
LOGOUT_REDIRECT_URL = "home:index"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if env_bool("FAST_PASSWORD_HASHER", False):
    # Tests only (set by tests/defaults.py, inherited by the daphne processes tests start).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("LOGIN_LOCKOUT_SECONDS", 900)

# Directory sign-in (platform_core/accounts/directory.py; docs/deployment.md "Directory sign-in").
# Local accounts always sign in; with LDAP_SERVER_URI set, directory accounts too, after them.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
# Directory group -> the platform's grants; directory unit code or name -> a unit's name here.
DIRECTORY_GROUP_GRANTS = env_json("DIRECTORY_GROUP_GRANTS", {})
DIRECTORY_UNIT_MAP = env_json("DIRECTORY_UNIT_MAP", {})
# What the LDAP backend reads and how often the periodic job re-checks its accounts, with
# django-auth-ldap's AUTH_LDAP_* settings: all from the LDAP_* environment (accounts/ldap_config.py).
DIRECTORY_LDAP_ATTRIBUTES: dict[str, str] = {}
DIRECTORY_LDAP_RECHECK_SECONDS = 300
DIRECTORY_LDAP_RECHECK_BATCH = 500
LDAP_SERVER_URI = env_str("LDAP_SERVER_URI")
if LDAP_SERVER_URI:
    from platform_core.accounts.ldap_config import LDAP_BACKEND, ldap_settings

    AUTHENTICATION_BACKENDS.append(LDAP_BACKEND)
    globals().update(ldap_settings(os.environ))

# Enterprise portal sign-in (OpenID Connect; accounts/oidc_config.py, docs/deployment.md): with
# OIDC_CLIENT_ID set, the login page offers the portal's button beside the password form. The
# values below are the "no portal" ones; oidc_settings() gives them all from the OIDC_* environment.
OIDC_RP_CLIENT_ID = ""
OIDC_RP_CLIENT_SECRET = ""
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_DISCOVERY_URL = ""
OIDC_ISSUER = ""
OIDC_CLAIMS: dict[str, str] = {}
OIDC_LOGOUT_AT_PORTAL = True
OIDC_TIMEOUT = 10
OIDC_VERIFY_SSL = True
if env_str("OIDC_CLIENT_ID"):
    from platform_core.accounts.oidc_config import OIDC_BACKEND, oidc_settings

    AUTHENTICATION_BACKENDS.append(OIDC_BACKEND)
    globals().update(oidc_settings(os.environ))

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "var" / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Files a browser asks for at the site's root whatever the page says (/favicon.ico), served as is.
WHITENOISE_ROOT = BASE_DIR / "frontend" / "site_root"
if DEBUG:
    # Laptop mode serves assets from the apps; WhiteNoise still expects STATIC_ROOT to exist.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# A request body over this is refused with 413 before it is read (platform_core/body_limit.py); the
# reverse proxy's client_max_body_size should match (docs/deployment.md).
MAX_REQUEST_BODY_BYTES = env_int("MAX_REQUEST_BODY_BYTES", 4 * 1024 * 1024)
# Past this size the body being received, and each uploaded file, go to a temporary file on disk.
FILE_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
# Form fields other than files, together; JSON bodies are bounded by MAX_REQUEST_BODY_BYTES.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Security. Behind the reverse proxy TLS ends at the proxy, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_FOR = env_bool("USE_X_FORWARDED_FOR", False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_HTTPONLY = True
# Django's defaults, stated: neither cookie is sent with a cross-site subrequest or POST. The CSRF
# cookie stays readable by the page scripts (live/challenge.js falls back to it); tests/platform/
# test_headers.py checks both cookies with these settings.
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# No inline script or style anywhere, so the policy can be strict. 'self' covers ws(s):// to the
# same host in current browsers; the websocket is opened to the page's own origin.
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

# The most items one page of an API list may hold (`limit`); more is a 400 (platform_core/pagination.py).
API_MAX_PAGE_SIZE = env_int("API_MAX_PAGE_SIZE", 200)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "platform_core.api_renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "platform_core.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_PARSER_CLASSES": [
        "platform_core.api_parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "platform_core.api_throttles.AnonRateThrottle",
        "platform_core.api_throttles.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_RATE_ANON", "120/min"),
        "user": env_str("API_RATE_USER", "1200/min"),
        "token": env_str("API_RATE_TOKEN", "30/min"),
    },
    "EXCEPTION_HANDLER": "platform_core.api.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "揭榜挂帅 API",
    "DESCRIPTION": (
        "REST API of the 揭榜挂帅 platform. Live events: see docs/realtime.md.\n\n"
        '**Errors** are JSON: `{"detail": "…"}`, or for invalid input each field (or query '
        "parameter) with its messages, nested as the field is (a list's items by position). Every "
        "answer under /api/ with a 4xx or 5xx status is JSON, an unknown path's 404 included.\n\n"
        f"**Lists** are paged with `limit` (1 to {API_MAX_PAGE_SIZE}, default 50) and `offset` (0 or "
        "more); anything else, a number out of range or not a plain decimal, is a 400 naming the "
        "parameter (not clamped).\n\n"
        f"**Bodies**: at most {MAX_REQUEST_BODY_BYTES // 1024 // 1024} MB (else 413, before the body "
        "is read); JSON nested at most 32 levels deep, strings valid Unicode (no lone surrogates), "
        "else 400."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that several API fields share get one name each (drf-spectacular would otherwise
    # derive clashing names from the field names "type", "kind", "status", "mode").
    "ENUM_NAME_OVERRIDES": {
        "ConsultationStatusEnum": "alliances.consulting.models.Consultation.Status",
        "ExchangeStatusEnum": "alliances.exchange.models.Status",
        "AchievementTypeEnum": "showcase.models.Achievement.Type",
        "AwardEnum": "showcase.models.Award",
        "PatentKindEnum": "showcase.models.Patent.Kind",
        "PatentStatusEnum": "showcase.models.Patent.Status",
        "RoundKindEnum": "showcase.models.Round.Kind",
        "RoundStatusEnum": "showcase.models.Round.Status",
        "InquiryStatusEnum": "showcase.models.Inquiry.Status",
        "TransferModeEnum": "showcase.models.TransferListing.Mode",
        "AchievementFileKindEnum": "showcase.models.AchievementFile.Kind",
        "TeamStatusEnum": "alliances.models.Team.Status",
        "AllianceMembershipStatusEnum": "alliances.models.AllianceMembership.Status",
        "StudioTypeEnum": "platform_core.orgs.models.Studio.Type",
        "StudioLevelEnum": "platform_core.orgs.models.Studio.Level",
        "RoundLevelEnum": "platform_core.orgs.naming.models.round_level_choices",
        "NamingRoundKindEnum": "platform_core.orgs.naming.models.NamingRound.Kind",
        "StudioStatusEnum": "platform_core.orgs.models.Studio.Status",
        "MediaKindEnum": "platform_core.media.models.MediaFile.Kind",
        "MediaStateEnum": "platform_core.media.models.MediaFile.State",
        "EmailModeEnum": "platform_core.notifications.kinds.EmailMode",
        "CoursePublisherEnum": "alliances.learning.models.Course.Publisher",
        "CourseLevelEnum": "alliances.learning.models.Course.Level",
        "CourseStateEnum": "alliances.learning.models.Course.State",
        "LessonKindEnum": "alliances.learning.models.Lesson.Kind",
        "CourseFileKindEnum": "alliances.learning.models.CourseFile.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "platform_core.api_schema.document_error_responses",
    ],
}

# Realtime protocol limits (docs/realtime.md).
REALTIME = {
    "MAX_FRAME_BYTES": env_int("REALTIME_MAX_FRAME_BYTES", 64 * 1024),
    "MAX_SUBSCRIPTIONS": env_int("REALTIME_MAX_SUBSCRIPTIONS", 200),
    "REPLAY_LIMIT": env_int("REALTIME_REPLAY_LIMIT", 500),
    # Token bucket per connection: sustained frames per second and burst size.
    "RATE": env_int("REALTIME_RATE", 20),
    "BURST": env_int("REALTIME_BURST", 60),
    # Errors a connection may cause before it is treated as abusive and closed.
    "MAX_ERRORS": env_int("REALTIME_MAX_ERRORS", 50),
    # Frames of one connection admitted by the token bucket and not yet handled (a slow database
    # handles fewer than RATE a second); more are refused with `rate_limited` until it catches up.
    "MAX_PENDING_FRAMES": env_int("REALTIME_MAX_PENDING_FRAMES", 100),
    # How often each process joins its topics' groups again (they expire in Redis, or vanish
    # with a Redis restart); also done at once after any error reading the channel layer.
    "GROUP_REFRESH_SECONDS": env_int("REALTIME_GROUP_REFRESH_SECONDS", 120),
    # Bytes sent to one socket and not yet acknowledged by its client: past this, the client
    # has stopped reading and the socket is closed (4010) before the server holds more for it.
    "MAX_UNACKED_BYTES": env_int("REALTIME_MAX_UNACKED_BYTES", 4 * 1024 * 1024),
    # Threads running the websocket side's database work (chat sends, subscribes, replays), each
    # borrowing a pooled connection per call: half the pool by default, leaving the rest to HTTP.
    "DB_THREADS": env_int("REALTIME_DB_THREADS", env_int("DB_POOL_MAX_SIZE", 10) // 2 or 4),
    # Chat messages sent to one room at once are stored in one transaction, up to this many.
    "SEND_BATCH": env_int("REALTIME_SEND_BATCH", 50),
    # Websocket handshakes per user and per client address in each window; more are closed
    # with 4029 (reconnecting in a loop would otherwise reset the per-connection limits).
    "HANDSHAKES_PER_USER": env_int("REALTIME_HANDSHAKES_PER_USER", 30),
    "HANDSHAKES_PER_ADDRESS": env_int("REALTIME_HANDSHAKES_PER_ADDRESS", 300),
    "HANDSHAKE_WINDOW_SECONDS": env_int("REALTIME_HANDSHAKE_WINDOW_SECONDS", 60),
}

# Private uploads (platform_core/private_storage.py): outside MEDIA_ROOT, never served as media.
PRIVATE_MEDIA_ROOT = env_str("PRIVATE_MEDIA_ROOT") or None
# Behind nginx: the internal location that sends them once the application has checked access.
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX")

# Audio, video and captions (platform_core/media, docs/media.md): uploaded in resumable chunks
# through their own endpoint, each chunk request at most MEDIA_CHUNK_BYTES (every other request
# keeps MAX_REQUEST_BODY_BYTES), each file at most its kind's limit.
MEDIA_CHUNK_BYTES = env_int("MEDIA_CHUNK_BYTES", 8 * 1024 * 1024)
MEDIA_MAX_BYTES = {
    "video": env_int("MEDIA_MAX_VIDEO_BYTES", 2 * 1024 * 1024 * 1024),
    "audio": env_int("MEDIA_MAX_AUDIO_BYTES", 200 * 1024 * 1024),
    "captions": env_int("MEDIA_MAX_CAPTIONS_BYTES", 1024 * 1024),
}
# Per user: the declared sizes of their unfinished uploads, and of all their files, together.
MEDIA_UNFINISHED_QUOTA_BYTES = env_int("MEDIA_UNFINISHED_QUOTA_BYTES", 4 * 1024 * 1024 * 1024)
MEDIA_TOTAL_QUOTA_BYTES = env_int("MEDIA_TOTAL_QUOTA_BYTES", 20 * 1024 * 1024 * 1024)
# The periodic step removes unfinished uploads untouched this long, and finished files nothing
# uses (no lesson, no recording) after MEDIA_UNATTACHED_DAYS.
MEDIA_UPLOAD_EXPIRY_HOURS = env_int("MEDIA_UPLOAD_EXPIRY_HOURS", 24)
MEDIA_UNATTACHED_DAYS = env_int("MEDIA_UNATTACHED_DAYS", 7)
# Behind nginx: the internal location (aliased to PRIVATE_MEDIA_ROOT) that sends a media file, with
# its ranges, once the owner's view has checked access; empty: the application streams it.
MEDIA_ACCEL_REDIRECT = env_str("MEDIA_ACCEL_REDIRECT")

# GET /metrics (platform_core/metrics.py): off unless a token or an address list is set.
METRICS_TOKEN = env_secret("METRICS_TOKEN")
METRICS_ALLOW_FROM = env_list("METRICS_ALLOW_FROM", [])

# E-mail (docs/deployment.md "E-mail"). With EMAIL_HOST set, mail goes to that SMTP server; without
# it, each mail is written as a file in EMAIL_FILE_PATH (var/mail/), so `make run` needs no server.
# Mails are sent by the periodic job from the outbox (platform_core/notifications/mailer.py).
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)  # STARTTLS, usually port 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the start, usually port 465
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other: set one")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "揭榜挂帅平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The platform's address as its users reach it: every link in a mail starts with it (never the
# Host header of whichever request caused the mail).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG or not EMAIL_HOST else "").rstrip("/")
if EMAIL_HOST and not SITE_URL:
    raise ImproperlyConfigured("SITE_URL (e.g. https://jbgs.example.com) is required with EMAIL_HOST")
# Notification mails: "soon" waits this long and is dropped if read meanwhile; the daily digest goes
# at the first pass after this hour (platform time, TIME_ZONE).
MAIL_SOON_DELAY_MINUTES = env_int("MAIL_SOON_DELAY_MINUTES", 10)
MAIL_DIGEST_HOUR = env_int("MAIL_DIGEST_HOUR", 8)
if not 0 <= MAIL_DIGEST_HOUR <= 23:
    raise ImproperlyConfigured("MAIL_DIGEST_HOUR must be an hour from 0 to 23")
# Sending: mails per pass, retries (the wait doubles from MAIL_RETRY_SECONDS up to the maximum),
# and how long a mail may stay "being sent" before another pass takes it over.
MAIL_SEND_BATCH = env_int("MAIL_SEND_BATCH", 200)
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10)
MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 60)
MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 6 * 3600)
MAIL_SENDING_LEASE_MINUTES = env_int("MAIL_SENDING_LEASE_MINUTES", 15)
# Password reset by e-mail: requests per address and per client address in each window.
PASSWORD_RESET_PER_ADDRESS = env_int("PASSWORD_RESET_PER_ADDRESS", 3)
PASSWORD_RESET_PER_IP = env_int("PASSWORD_RESET_PER_IP", 20)
PASSWORD_RESET_WINDOW_SECONDS = env_int("PASSWORD_RESET_WINDOW_SECONDS", 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "platform_core.logging_json.JsonLinesFormatter"},
    },
    # LOG_FORMAT=json: one JSON object per line, for a log collector (docs/deployment.md).
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if env_str("LOG_FORMAT", "plain") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}

SITE_NAME = _("Open Challenge Platform")

# 经验交流: the first list of sensitive words (a post or comment holding one waits for a union
# admin); the admins edit the list in the pages afterwards (alliances/exchange, SensitiveWord).
EXCHANGE_SENSITIVE_WORDS = env_list("EXCHANGE_SENSITIVE_WORDS", ["赌博", "代开发票", "传销"])
