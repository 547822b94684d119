"""When Redis cannot be reached, visitors' pages are rendered without the cache (never a 500),
editors' saves and publications go through, a warning is logged now and then (not per request),
and the cache is used again by itself once Redis is back, without a stale page."""

import logging
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.urls import reverse

from pagecache import pages
from poses.models import Pose, Status
from tests.factories import PoseFactory
from tests.poses.test_admin import change_url, form_data

pytestmark = pytest.mark.django_db(transaction=True)

PAGES = ["/", "/poses/", "/poses/cobra/", "/muscles/"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def use_redis(settings, port: int) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "KEY_PREFIX": "cache-down-test",
            "OPTIONS": {"socket_connect_timeout": 0.3, "socket_timeout": 0.3},
        }
    }


class RedisServer:
    """A throwaway redis-server on a free port, nothing saved to disk (as scripts/with-redis.sh)."""

    def __init__(self):
        binary = shutil.which("redis-server")
        if binary is None:
            if os.environ.get("CI") == "true":
                pytest.fail("redis-server is not installed", pytrace=False)
            pytest.skip("needs redis-server (make test installs it)")
        self.binary, self.port = binary, free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="yogasite-redis-"))
        self.process = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
            + ["--save", "", "--appendonly", "no", "--logfile", str(self.folder / "redis.log")],
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        pytest.fail("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(settings):
    server = RedisServer()
    server.start()
    use_redis(settings, server.port)
    yield server
    server.stop()
    shutil.rmtree(server.folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def fresh_outage(monkeypatch):
    """Each test starts with the cache taken as reachable, and tries it again after a short while."""
    monkeypatch.setattr(pages, "_outage", pages._Outage())
    monkeypatch.setattr(pages, "RETRY_SECONDS", 0.2)
    pages._recent.clear()
    yield
    pages._recent.clear()


@pytest.fixture
def redis_closed(settings):
    """Redis configured on a port where nothing listens."""
    use_redis(settings, free_port())


@pytest.fixture
def cobra(db):
    return PoseFactory(name="Cobra", slug="cobra", primary=[])


def rename(admin_client, pose, name: str):
    data = form_data(admin_client, change_url(pose))
    data["name"] = name
    return admin_client.post(change_url(pose), data)


def cache_warnings(caplog) -> list[logging.LogRecord]:
    return [record for record in caplog.records if record.name == pages.__name__]


def test_pages_render_without_a_closed_redis_and_warn_once(client, cobra, redis_closed, caplog):
    caplog.set_level(logging.WARNING, logger=pages.__name__)

    for _ in range(3):
        for url in PAGES:
            response = client.get(url)
            assert response.status_code == 200, url
    time.sleep(0.3)  # past the retry delay: the cache is tried again, and fails again
    response = client.get("/poses/cobra/")

    assert response.status_code == 200
    assert "Cobra" in response.content.decode()
    warnings = cache_warnings(caplog)
    assert len(warnings) == 1
    assert "cannot be reached" in warnings[0].getMessage()
    assert warnings[0].exc_info is None  # a line, not a traceback


def test_an_editors_save_and_publish_go_through_while_redis_is_closed(admin_client, cobra, redis_closed):
    response = rename(admin_client, cobra, "Low Cobra")

    assert response.status_code == 302, response.content.decode()[:2000]
    cobra.refresh_from_db()
    assert cobra.name == "Low Cobra"

    draft = PoseFactory(name="Camel", slug="camel", status=Status.DRAFT, published_at=None)
    response = admin_client.post(
        reverse("admin:poses_pose_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    assert response.status_code == 302
    assert Pose.objects.get(pk=draft.pk).status == Status.PUBLISHED


def test_a_redis_stopped_and_started_again_mid_run(
    client, admin_client, cobra, redis_server, django_assert_num_queries
):
    assert "Cobra" in client.get("/poses/cobra/").content.decode()
    with django_assert_num_queries(0):  # served from Redis
        assert client.get("/poses/cobra/").status_code == 200

    redis_server.stop()
    response = client.get("/poses/cobra/")
    assert response.status_code == 200
    assert "Cobra" in response.content.decode()
    assert rename(admin_client, cobra, "Low Cobra").status_code == 302
    assert "Low Cobra" in client.get("/poses/cobra/").content.decode()

    redis_server.start()
    time.sleep(0.3)
    assert "Low Cobra" in client.get("/poses/cobra/").content.decode()
    with django_assert_num_queries(0):  # the cache is used again by itself
        assert "Low Cobra" in client.get("/poses/cobra/").content.decode()


def test_a_change_saved_while_redis_hangs_is_shown_once_it_answers_again(client, admin_client, cobra, redis_server):
    """A Redis that stops answering keeps what it holds: the page stored before the change must not
    come back from it once it answers again."""
    assert "Cobra" in client.get("/poses/cobra/").content.decode()
    assert client.get("/poses/").status_code == 200

    redis_server.process.send_signal(signal.SIGSTOP)
    try:
        response = rename(admin_client, cobra, "Low Cobra")
        assert response.status_code == 302, response.content.decode()[:2000]
        response = client.get("/poses/")
        assert response.status_code == 200
        assert "Low Cobra" in response.content.decode()
    finally:
        redis_server.process.send_signal(signal.SIGCONT)
    time.sleep(0.3)

    for url in ("/poses/cobra/", "/poses/"):
        assert "Low Cobra" in client.get(url).content.decode(), url
        assert "Low Cobra" in client.get(url).content.decode(), url
