"""Settings shared by every environment. Whatever differs between machines comes
from the environment; see .env.example."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("YOGASITE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "csp",
    "axes",
    "taggit",
    "reversion",
    "yogasite",
    "common",
    "workflow",
    "searchindex",
    "poses",
    "routines",
    "search",
    "pagecache",
    "practice",
    "webapp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before everything that a visitor's page from the cache does not need (sessions, CSRF,
    # authentication, messages, the view): a stored page is answered here, with the headers the
    # middleware below gave it when it was rendered.
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF: a method the view does not serve is a 405, not a 403 for a missing token.
    "yogasite.security.AllowedMethodsMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "yogasite.security.PermissionsPolicyMiddleware",
    "workflow.busy.BusyDatabaseMiddleware",
    # Last, as django-axes asks: it turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses every login, right password or not, while an account or an address is locked out.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

ROOT_URLCONF = "yogasite.urls"
WSGI_APPLICATION = "yogasite.wsgi.application"

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
                "yogasite.context_processors.site",
            ],
        },
    },
]


def database_from_env(default_sqlite_path: Path) -> dict:
    """PostgreSQL (or anything dj-database-url knows) when DATABASE_URL is set,
    otherwise the embedded SQLite file, tuned for a small multi-process site."""
    url = os.environ.get("DATABASE_URL")
    if url and not url.startswith("sqlite:"):
        return dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    return {
        "ENGINE": "yogasite.sqlite",
        "NAME": Path(dj_database_url.parse(url)["NAME"]) if url else default_sqlite_path,
        "OPTIONS": {
            # IMMEDIATE takes the write lock when a transaction starts, so two writers
            # wait for each other (busy timeout) instead of failing with "database is locked".
            "transaction_mode": "IMMEDIATE",
            "timeout": float(os.environ.get("SQLITE_BUSY_TIMEOUT", 20)),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        },
    }


DATABASES = {"default": database_from_env(VAR_DIR / "db.sqlite3")}
# The versions that the admin's History keeps are stored in this format: Django's JSON plus tags.
SERIALIZATION_MODULES = {"tagged-json": "workflow.tagged_json"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))


# Media are public pictures with content-addressed names: plain URLs a CDN can cache, no signed
# query strings, and never an ACL that would override the bucket's own policy.
S3_MEDIA_OPTIONS = {
    "querystring_auth": False,
    "default_acl": None,
    "file_overwrite": True,
    "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
}


def media_storage_from_env() -> dict:
    """S3-compatible object storage (AWS S3, MinIO, Cloudflare R2, ...) when a bucket is named,
    otherwise files under MEDIA_ROOT. Every app server of a site must use the same one."""
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        **S3_MEDIA_OPTIONS,
        "bucket_name": bucket,
        "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
        "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
        "location": os.environ.get("AWS_LOCATION", ""),
    }
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


def media_origin(storage: dict) -> str:
    """Where pictures are served from when that is not this site (for the CSP's img-src)."""
    options = storage.get("OPTIONS", {})
    if options.get("custom_domain"):
        return f"https://{options['custom_domain']}"
    if storage["BACKEND"].startswith("storages."):
        endpoint = urlparse(options.get("endpoint_url") or f"https://{options['bucket_name']}.s3.amazonaws.com")
        return f"{endpoint.scheme}://{endpoint.netloc}"
    return ""


STORAGES = {
    "default": media_storage_from_env(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def cache_from_env() -> dict:
    """Redis (Django's own backend) when REDIS_URL is set, shared by every process and app server;
    otherwise memory in this one process, which suits `make run` (runserver is one process)."""
    url = os.environ.get("REDIS_URL")
    if url:
        return {
            "BACKEND": "pagecache.backends.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "yogasite"),
            "TIMEOUT": 24 * 3600,
            # A Redis that is down or stuck must not hold requests: pages are then rendered without it.
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_TIMEOUT", 1.0)),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", 1.0)),
            },
        }
    return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "yogasite", "TIMEOUT": 24 * 3600}


CACHES = {"default": cache_from_env()}
# Anonymous GETs of public pages are served from the cache (pagecache); PAGE_CACHE=false renders
# every request (to measure, or to rule the cache out). Browsers and CDNs keep a page for
# PAGE_CACHE_MAX_AGE seconds and may serve it while revalidating for PAGE_CACHE_STALE more.
PAGE_CACHE = env_bool("PAGE_CACHE", True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_MAX_AGE = int(os.environ.get("PAGE_CACHE_MAX_AGE", 60))
PAGE_CACHE_STALE = int(os.environ.get("PAGE_CACHE_STALE", 600))

# Uploads: the image rules in poses/images.py are the real limit; these keep
# Django from buffering anything larger to begin with.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
YOGASITE_IMAGE_MAX_BYTES = int(os.environ.get("YOGASITE_IMAGE_MAX_BYTES", 15 * 1024 * 1024))
YOGASITE_IMAGE_MAX_PIXELS = int(os.environ.get("YOGASITE_IMAGE_MAX_PIXELS", 40_000_000))
YOGASITE_IMAGE_WIDTHS = (320, 640, 1024, 1600)

SITE_NAME = os.environ.get("SITE_NAME", "Yogasite")
# Absolute origin for canonical URLs and Open Graph, e.g. https://yoga.example.org.
# Empty means "the host of the request".
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Where to report a vulnerability (/.well-known/security.txt), e.g. mailto:security@example.org.
SECURITY_CONTACT = os.environ.get("SECURITY_CONTACT", "")

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts and styles come only from this site's own files: no inline code, no other host.
# Video players are framed only after the visitor presses play (static/js/video.js).
VIDEO_FRAME_ORIGINS = ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", *filter(None, [media_origin(STORAGES["default"])])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "media-src": [SELF],
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "frame-src": VIDEO_FRAME_ORIGINS,
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Features the site uses, for itself only (the player keeps the screen awake); the video
# frames may go full screen and start playing once pressed. Everything else is off.
PERMISSIONS_POLICY = {
    "screen-wake-lock": ["self"],
    "fullscreen": ["self", *VIDEO_FRAME_ORIGINS],
    "autoplay": ["self", *VIDEO_FRAME_ORIGINS],
    "picture-in-picture": ["self", *VIDEO_FRAME_ORIGINS],
    "encrypted-media": ["self", *VIDEO_FRAME_ORIGINS],
    **dict.fromkeys(
        ["accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb"], []
    ),
}

# Admin login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one
# account, or from one address, every try is refused for AXES_COOLOFF_MINUTES, whatever the password.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# A fixed wait: tries during the pause do not make it longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "yogasite.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "yogasite.security.client_ip"
# Behind a load balancer or proxy the visitor's address is in X-Forwarded-For: how many proxies
# stand in front of the app servers (0: the address the connection comes from).
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", 0))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
