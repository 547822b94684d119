"""Fixtures shared by the whole suite: a real Chromium driven by Playwright, pages in
desktop and phone sizes, axe-core accessibility checks and screenshots.

Browser tests open pages served by pytest-django's `live_server`. Asking for
`live_server` makes the test use the transactional database: rows made in the test
are committed so the server thread sees them, and every table is emptied afterwards
(rows that migrations create are gone too, so make what the page needs).
"""

import json
import os
import re
from pathlib import Path

import pytest

# Sync Playwright keeps an asyncio loop running in the test's thread, and Django
# refuses database access from a thread with a running loop unless told otherwise.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# The background-networking flags keep Chromium from calling home on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
}
# Fail fast instead of Playwright's 30 s when an element never shows up.
TIMEOUT_MS = 10_000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"


def _browser_unavailable(reason: str):
    """In CI a missing browser is a failure, elsewhere a skip that says why."""
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages, versions, filter choices): tests stay independent."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def uncached(settings):
    """Every request renders its page (the page cache is off): for tests that count what rendering costs."""
    settings.PAGE_CACHE = False


@pytest.fixture
def staff_client(client, django_user_model):
    """The test client logged in as an editor (staff), who sees drafts and scheduled content."""
    client.force_login(django_user_model.objects.create_user("editor", password="pw", is_staff=True))
    return client


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _browser_unavailable(f"Chromium not found at {CHROMIUM}; run scripts/ensure-chromium.sh")
    from playwright.sync_api import Error, sync_playwright

    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        except Error as exc:
            _browser_unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield browser
        browser.close()


def _open_page(browser, options: dict):
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A fresh browser context and page at a desktop size (1280x800)."""
    context, page = _open_page(browser, DESKTOP)
    yield page
    context.close()


@pytest.fixture
def phone_page(browser):
    """A fresh browser context and page the size of a phone (390x844, touch, 2x pixels)."""
    context, page = _open_page(browser, PHONE)
    yield page
    context.close()


class AxeViolations(list):
    """axe-core's violations (dicts) that print as a readable report:
    `assert not violations, violations.report()`."""

    def report(self) -> str:
        if not self:
            return "No accessibility violations."
        lines = [f"{len(self)} accessibility violation(s):"]
        for violation in self:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                lines.append(f"    at {', '.join(map(str, node['target']))}")
                lines.append(f"       {node['html'][:200]}")
                summary = node.get("failureSummary")
                if summary:
                    lines.extend(f"       {line}" for line in summary.splitlines())
        return "\n".join(lines)

    __str__ = report


@pytest.fixture(scope="session")
def axe():
    """`axe(page)` runs axe-core (WCAG 2.1 A and AA, best practices) on the page as it is now
    and returns the violations; `axe(page, context="main")` checks only part of it."""
    from axe_playwright_python.sync_playwright import Axe

    runner = Axe()

    def run(page, context: str | None = None) -> AxeViolations:
        options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
        results = runner.run(page, context=context, options=options)
        return AxeViolations(results.response["violations"])

    return run


@pytest.fixture
def screenshot(request):
    """`screenshot(page)` saves the whole page as
    test-artifacts/screenshots/<test name>-<viewport width>.png and returns the path."""

    def take(page, name: str | None = None) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w.-]+", "-", name or request.node.name).strip("-")
        path = SCREENSHOTS / f"{stem}-{page.viewport_size['width']}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# --- S3-compatible object storage (moto's server) -------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    """moto's S3 server on a free 127.0.0.1 port for the session; its address."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(endpoint, timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("moto's S3 server did not start", pytrace=False)
                time.sleep(0.1)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


def public_read_policy(bucket: str) -> dict:
    """The bucket policy that lets anyone read the media (what the README asks operators to set)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
        ],
    }


@pytest.fixture
def s3_storage(s3_endpoint, settings):
    """Media in a fresh bucket of the S3 server, as with AWS_STORAGE_BUCKET_NAME set; the bucket."""
    import uuid

    import boto3

    credentials = {"aws_access_key_id": "test", "aws_secret_access_key": "test", "region_name": "us-east-1"}
    bucket = boto3.resource("s3", endpoint_url=s3_endpoint, **credentials).create_bucket(
        Bucket=f"media-{uuid.uuid4().hex[:12]}"
    )
    # As in production: pictures are public, read straight from the bucket (or through a CDN).
    bucket.Policy().put(Policy=json.dumps(public_read_policy(bucket.name)))
    options = {
        **settings.S3_MEDIA_OPTIONS,
        "bucket_name": bucket.name,
        "endpoint_url": s3_endpoint,
        "access_key": "test",
        "secret_key": "test",
        "region_name": "us-east-1",
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    return bucket
