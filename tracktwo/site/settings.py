"""Django settings for tracktwo, read from environment variables (see docs/configuration.md)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from csp.constants import NONE, SELF

from tracktwo.safety.ratelimit import parse_rate
from tracktwo.site import env

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = env.data_dir()

TRACKTWO_ENV = env.env_choice("TRACKTWO_ENV", "local", ("local", "production"))
PRODUCTION = TRACKTWO_ENV == "production"

SECRET_KEY = env.secret_key(PRODUCTION, DATA_DIR)
DEBUG = env.env_bool("DEBUG", False)
if PRODUCTION and DEBUG:
    raise env.ConfigurationError("DEBUG must be off when TRACKTWO_ENV=production")
ALLOWED_HOSTS = env.env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
if PRODUCTION and not ALLOWED_HOSTS:
    raise env.ConfigurationError("ALLOWED_HOSTS is required when TRACKTWO_ENV=production")
PORT = env.env_int("PORT", 8000, minimum=1, maximum=65535)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin.apps.SimpleAdminConfig",  # the operator's admin: accounts only
    "ninja",  # serves Swagger UI from its own static files (no CDN)
    "tracktwo.safety",
    "tracktwo.accounts",
    "tracktwo.initiatives",
    "tracktwo.dialogues",
    "tracktwo.insight",
    "tracktwo.transfer",
    "tracktwo.backchannel",
    "tracktwo.evaluation",
    "tracktwo.sustained",
    "tracktwo.circles",
    "tracktwo.jointtext",
    "tracktwo.consent",
    "tracktwo.workers",  # files prepared on workers (REDIS_URL); the job rows live here
]

MIDDLEWARE = [
    "tracktwo.safety.middleware.BodySizeMiddleware",  # 413 for an oversized body, first
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tracktwo.safety.middleware.SameOriginFormMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tracktwo.accounts.middleware.SignInPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tracktwo.safety.middleware.SafetyMiddleware",
]

ROOT_URLCONF = "tracktwo.site.urls"
WSGI_APPLICATION = "tracktwo.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tracktwo.consent.context.protections",
            ],
        },
    },
]

DATABASES = {"default": env.database_config("DATABASE_URL", DATA_DIR / "tracktwo.sqlite3")}
env.private_sqlite_files(DATABASES["default"])
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"


def _cache_config(name: str, default: str = "") -> dict[str, object]:
    """``CACHE_URL``: ``redis://host:6379/1``, ``rediss://...``, ``unix:///path`` or ``locmem://``."""
    raw = env.env_str(name, default).strip()
    if raw in {"", "locmem://"}:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tracktwo"}
    parts = urlsplit(raw)
    if parts.scheme not in {"redis", "rediss", "unix"}:
        raise env.ConfigurationError(
            f"{name}: scheme {parts.scheme or '(none)'!r} is not supported "
            "(use redis://host:6379/1, rediss://..., unix:///path/redis.sock or locmem://)"
        )
    try:
        _ = parts.port
    except ValueError:
        raise env.ConfigurationError(f"{name}: the port is not a number") from None
    if parts.scheme != "unix" and not parts.hostname:
        raise env.ConfigurationError(f"{name}: a redis URL needs a host (redis://host:6379/1)")
    database = parts.path.strip("/")
    if parts.scheme != "unix" and database and not database.isdigit():
        raise env.ConfigurationError(f"{name}: the database must be a number, as in redis://host/1")
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": raw,
        "KEY_PREFIX": "tracktwo",
        # An unreachable Redis fails a request in seconds (a clear 503), never hangs it.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
    }


def _rate(name: str, default: str) -> str:
    value = env.env_str(name, default)
    try:
        parse_rate(value)
    except ValueError as exc:
        raise env.ConfigurationError(f"{name}: {exc}") from None
    return value


# Beyond one process (docs/deployment.md): REDIS_URL is the Celery workers' broker and the
# store of what all app processes share (the latest analysis per dialogue, the cache and
# with it the rate limits). Unset: everything runs in one process, as `make run` does.
TRACKTWO_REDIS_URL = env.env_str("REDIS_URL", "").strip()
if TRACKTWO_REDIS_URL:
    _cache_config("REDIS_URL", TRACKTWO_REDIS_URL)  # validated as a redis:// URL
    if urlsplit(TRACKTWO_REDIS_URL).scheme == "unix":
        raise env.ConfigurationError("REDIS_URL: use redis://host:6379/0 or rediss://...")
CACHES = {"default": _cache_config("CACHE_URL", TRACKTWO_REDIS_URL)}
# Files prepared on workers (briefs, exports, reports), sealed; with workers on other
# machines this folder must be storage the app processes and workers share.
TRACKTWO_JOBS_DIR = Path(env.env_str("TRACKTWO_JOBS_DIR", "") or DATA_DIR / "jobs")

# Rate limits (tracktwo.safety.ratelimit): per client IP on sign-in and join, per participant
# on votes. Counters live in CACHES["default"]: per process unless CACHE_URL points at Redis.
TRACKTWO_RATELIMITS = {
    "sign-in": _rate("RATELIMIT_SIGN_IN", "10/5m"),
    "join": _rate("RATELIMIT_JOIN", "30/h"),
    "vote": _rate("RATELIMIT_VOTE", "600/m"),
}
TRACKTWO_RATELIMIT_CACHE = "default"
# Reverse proxies in front of tracktwo that append to X-Forwarded-For (0: use the socket peer).
TRACKTWO_PROXY_COUNT = env.env_int("TRACKTWO_PROXY_COUNT", 0, minimum=0, maximum=5)

# Sessions live in the database (listed and revocable at /accounts/sessions); no IP is kept.
SESSION_COOKIE_AGE = env.env_int("SESSION_HOURS", 12, minimum=1, maximum=24 * 30) * 3600
LOGIN_URL = "/accounts/sign-in"
# Where a full sign-in lands: the home of the account's role (/accounts/ if it did not resolve).
LOGIN_REDIRECT_URL = "/"
# The site's address as people reach it, for the set-password links the CLI prints.
TRACKTWO_BASE_URL = env.env_str("TRACKTWO_BASE_URL", "").strip()
# The operator's admin (accounts and their convener/operator flags; is_staff accounts only):
# its path, without slashes at either end (docs/configuration.md).
TRACKTWO_ADMIN_PATH = env.env_str("TRACKTWO_ADMIN_PATH", "operator").strip().strip("/")
if not TRACKTWO_ADMIN_PATH or not all(
    part.replace("-", "").replace("_", "").isalnum() for part in TRACKTWO_ADMIN_PATH.split("/")
):
    raise env.ConfigurationError(
        "TRACKTWO_ADMIN_PATH: give a path of letters, digits, - and _, such as 'operator'"
    )
# One-time set-password links stay valid for three days (Django's default, stated).
PASSWORD_RESET_TIMEOUT = 3 * 24 * 3600
# A TOTP second factor is required in production (and can be required locally).
TRACKTWO_TOTP_REQUIRED = PRODUCTION or env.env_bool("TOTP_REQUIRED", False)
# The issuer name authenticator apps show: neutral, never the conflict or the software.
TRACKTWO_TOTP_ISSUER = env.env_str("TOTP_ISSUER", "Dialogue").strip() or "Dialogue"
CSRF_FAILURE_VIEW = "tracktwo.accounts.shell.csrf_failure"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("ar", "العربية"),
    ("he", "עברית"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("es", "Español"),
]
# Machine translation of statements (docs/user-guide.md, "Across languages"): none by
# default. A backend is a dotted path to a class of tracktwo.dialogues.machine_translation;
# its address must be on the operator's own network unless they allow otherwise.
TRACKTWO_MACHINE_TRANSLATION = env.env_str("TRACKTWO_MACHINE_TRANSLATION", "").strip()
TRACKTWO_MACHINE_TRANSLATION_URL = env.env_str("TRACKTWO_MACHINE_TRANSLATION_URL", "").strip()
TRACKTWO_MACHINE_TRANSLATION_ALLOW_REMOTE = env.env_bool(
    "TRACKTWO_MACHINE_TRANSLATION_ALLOW_REMOTE", False
)
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Confidentiality: a participant's browser talks only to this server.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# No Referer to anyone, not even to this site. Browsers then send "Origin: null" on form posts;
# SameOriginFormMiddleware vouches for those from Fetch Metadata (Sec-Fetch-Site: same-origin)
# so that Django's CSRF check accepts our own forms and nothing else.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs carry no IP addresses, tokens or request paths with tokens in them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "()": "tracktwo.accounts.redact.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "filters": {
        # Django logs a failed template variable lookup at DEBUG with the whole template
        # context (handles, statement texts): those records never leave, whatever the level.
        "no_template_context": {
            "()": "django.utils.log.CallbackFilter",
            "callback": lambda record: record.levelno > 10,  # above DEBUG
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        # django.security (CSRF failures, bad Host headers) at WARNING; 4xx are not logged.
        "django": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.template": {
            "handlers": ["console"],
            "level": "WARNING",
            "propagate": False,
            "filters": ["no_template_context"],
        },
        "tracktwo": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
