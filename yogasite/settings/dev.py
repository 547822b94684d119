"""Local development: `make run`. No secret is committed; a random key is made
on first use and kept in var/ (ignored by git)."""

import os

from django.core.management.utils import get_random_secret_key

from .base import *  # noqa: F403
from .base import STORAGES, VAR_DIR, env_bool


def _local_secret_key() -> str:
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or _local_secret_key()
DEBUG = env_bool("DJANGO_DEBUG", False)
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# runserver with DEBUG off: WhiteNoise serves static files straight from their source
# folders (no collectstatic, no manifest), and picks up edits without a restart.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
