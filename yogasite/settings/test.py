"""The test suite. DATABASE_URL picks PostgreSQL; without it, SQLite."""

import tempfile
from pathlib import Path

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = get_random_secret_key()
DEBUG = False
ALLOWED_HOSTS = ["*"]
SERVE_MEDIA = True
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="yogasite-test-media-"))
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# The test database on SQLite is a file, not memory, so that a second process (the page cache's
# two-process tests) can read what a test wrote.
if DATABASES["default"]["ENGINE"] in ("yogasite.sqlite", "django.db.backends.sqlite3"):
    DATABASES["default"]["TEST"] = {"NAME": str(Path(tempfile.mkdtemp(prefix="yogasite-test-db-")) / "test.sqlite3")}
