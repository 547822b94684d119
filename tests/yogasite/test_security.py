"""Security headers, methods each view answers, login throttling, the SQLite file's mode and
Django's deployment checks with the production settings."""

import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db.utils import ConnectionHandler
from django.urls import resolve, reverse

from tests.factories import PoseFactory, RoutineFactory, RoutineStepFactory
from yogasite.sqlite.base import DatabaseWrapper

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def content(db):
    pose = PoseFactory(name="Cobra", slug="cobra", primary=[])
    routine = RoutineFactory(title="Morning", slug="morning")
    RoutineStepFactory(routine=routine, pose=pose, position=0)
    return pose, routine


PUBLIC_URLS = [
    "/",
    "/healthz",
    "/poses/",
    "/poses/cobra/",
    "/muscles/",
    "/routines/",
    "/routines/morning/",
    "/routines/morning/cheatsheet/",
    "/routines/morning/play/",
    "/routines/morning/play/1/",
    "/routines/morning/play/finish/",
    "/robots.txt",
    "/sitemap.xml",
    "/feed/",
    "/.well-known/security.txt",
]


def csp_directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


@pytest.mark.parametrize("url", [*PUBLIC_URLS, "/admin/login/", "/no-such-page/"])
def test_every_response_carries_the_security_headers(client, content, url):
    response = client.get(url)

    assert response.status_code in (200, 302, 404)
    directives = csp_directives(response)
    for directive in ("script-src", "style-src"):
        assert directives[directive] == ["'self'"], directive
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    assert "screen-wake-lock=(self)" in policy


def test_video_players_may_be_framed_only_from_their_own_hosts(client, content):
    directives = csp_directives(client.get("/poses/cobra/"))

    assert directives["frame-src"] == ["https://www.youtube-nocookie.com", "https://player.vimeo.com"]


@pytest.mark.parametrize("url", PUBLIC_URLS)
@pytest.mark.parametrize("method", ["put", "delete", "trace", "post", "patch"])
def test_public_pages_answer_other_methods_with_405(client, content, url, method):
    response = client.generic(method.upper(), url)

    assert response.status_code == 405
    assert "GET" in response["Allow"]


@pytest.mark.parametrize("url", ["/", "/poses/cobra/", "/routines/morning/play/1/"])
def test_head_is_answered_like_get_without_a_body(client, content, url):
    response = client.head(url)

    assert response.status_code == 200
    assert response.content == b""


def test_login_redirect_url_is_a_page_that_exists(admin_client):
    url = reverse(settings.LOGIN_REDIRECT_URL)

    assert resolve(url)
    assert admin_client.get(url).status_code == 200


@pytest.mark.django_db
def test_a_new_sqlite_database_file_is_readable_by_its_owner_only(tmp_path, settings):
    path = tmp_path / "site.sqlite3"
    configured = ConnectionHandler({"default": {**settings.DATABASES["default"], "NAME": path}}).settings["default"]
    if "sqlite" not in configured["ENGINE"]:
        configured = {**configured, "ENGINE": "yogasite.sqlite", "OPTIONS": {}}
    connection = DatabaseWrapper(configured, "sqlite_mode_probe")
    old_umask = os.umask(0o022)
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x INTEGER)")
    finally:
        os.umask(old_umask)
        connection.close()

    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode & (stat.S_IRWXG | stat.S_IRWXO) == 0, oct(mode)


def production_environment(tmp_path) -> dict:
    """Only the variables .env.example documents as required, with production values."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "yogasite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ALLOWED_HOSTS": "yoga.example.org",
        "CSRF_TRUSTED_ORIGINS": "https://yoga.example.org",
        "SITE_URL": "https://yoga.example.org",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }


def test_deployment_checks_pass_with_the_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_environment(tmp_path),
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_turns_hsts_on_by_default(tmp_path):
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    env = production_environment(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env, capture_output=True
    )

    seconds, redirect = result.stdout.decode().split()
    assert int(seconds) >= 365 * 24 * 3600
    assert redirect == "True"


# --- login throttling ---------------------------------------------------------------------

PASSWORD = "the-right-password-42"


def login(client, username, password, address="203.0.113.7"):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user("editor", password=PASSWORD, is_staff=True)


def test_a_wrong_password_gets_the_usual_answer_until_the_limit(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(client, "editor", "wrong")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text

    assert login(client, "editor", PASSWORD).status_code == 302


def test_after_too_many_wrong_passwords_for_an_account_even_the_right_one_is_refused(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor", "wrong", address=f"198.51.100.{_ + 1}")

    response = login(client, "editor", PASSWORD, address="192.0.2.200")

    assert response.status_code == 429
    assert "Too many wrong passwords" in response.text
    assert "Try again in 15 minutes" in response.text
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_after_too_many_wrong_passwords_from_an_address_other_accounts_are_refused_from_it(
    client, editor, django_user_model
):
    for n in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"guess-{n}", "wrong")

    refused = login(client, "editor", PASSWORD)
    elsewhere = login(client, "editor", PASSWORD, address="192.0.2.9")

    assert refused.status_code == 429
    assert elsewhere.status_code == 302


def test_the_lockout_says_nothing_about_whether_the_account_exists(client, editor):
    answers = {}
    for username in ("editor", "nobody-by-that-name"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login(client, username, "wrong", address="198.51.100.50" if username == "editor" else "198.51.100.60")
        response = login(client, username, "wrong", address="192.0.2.77")
        answers[username] = (response.status_code, response.text.replace("csrfmiddlewaretoken", ""))

    assert answers["editor"][0] == answers["nobody-by-that-name"][0] == 429
    assert answers["editor"][1] == answers["nobody-by-that-name"][1]


def test_the_lock_ends_after_the_cool_off_time(client, editor, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "editor", "wrong")
    assert login(client, "editor", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)

    assert login(client, "editor", PASSWORD).status_code == 302


def test_behind_a_proxy_the_throttle_uses_the_address_the_proxy_saw(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The client claims a new address each time; the proxy appends the real one.
        client.post(
            "/admin/login/",
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.99",
        )

    response = client.post(
        "/admin/login/",
        {"username": "editor", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="192.0.2.250, 203.0.113.99",
    )

    assert response.status_code == 429


def test_with_a_media_bucket_pictures_come_from_it_and_the_csp_allows_it(tmp_path):
    env = {
        **production_environment(tmp_path),
        "AWS_STORAGE_BUCKET_NAME": "yogasite-media",
        "AWS_S3_CUSTOM_DOMAIN": "media.yoga.example.org",
    }
    code = (
        "from django.conf import settings; from django.core.files.storage import default_storage; "
        "default_storage._setup(); print(type(default_storage._wrapped).__name__); "
        "print(default_storage.url('images/ab/x/w320.webp')); "
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['img-src']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=env, capture_output=True
    )

    lines = result.stdout.decode().splitlines()
    assert result.returncode == 0, result.stderr.decode()
    assert lines[0] == "S3Storage"
    assert lines[1] == "https://media.yoga.example.org/images/ab/x/w320.webp"
    assert lines[2].split() == ["'self'", "data:", "https://media.yoga.example.org"]
