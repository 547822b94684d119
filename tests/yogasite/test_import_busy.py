"""An editor saves a pose in the admin while a large import is writing: the save waits for the
import's short write transaction and succeeds, or, if the database stays busy past the busy
timeout, the form comes back with the busy message and what was typed. Never a 500."""

import importlib.util
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from poses.models import Pose
from tests.factories import PoseFactory
from tests.poses.test_admin import change_url, form_data
from workflow.busy import BUSY_MESSAGE
from yogasite.content import importer

pytestmark = pytest.mark.django_db(transaction=True)

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "large_document.py"
POSES = 1000


def large_document(tmp_path) -> Path:
    """The demo content grown to POSES poses, without pictures (processing them is not what is measured)."""
    spec = importlib.util.spec_from_file_location("large_document", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write(POSES, tmp_path / "content.json", pictures=False)


class ImportInThread:
    """Runs the import in a thread of its own (its own database connection); `writing` is set once its
    write transaction has begun."""

    def __init__(self, path: Path, monkeypatch):
        self.path, self.error, self.result = path, None, None
        self.writing, self.may_go_on = threading.Event(), threading.Event()
        write = importer._write

        def announcing_write(*args, **kwargs):
            self.writing.set()
            # Held until the editor has sent the save, so that the save meets the transaction.
            self.may_go_on.wait(timeout=30)
            return write(*args, **kwargs)

        monkeypatch.setattr(importer, "_write", announcing_write)
        self.thread = threading.Thread(target=self._run)

    def _run(self):
        try:
            self.result = importer.import_document(path=self.path)
        except BaseException as error:  # handed to the test
            self.error = error
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        assert self.writing.wait(timeout=50), "the import never began writing"
        return self

    def __exit__(self, *exc):
        self.may_go_on.set()
        self.thread.join(timeout=60)
        assert not self.thread.is_alive()
        if self.error is not None:
            raise self.error


def post_in_thread(client, url, data, started: threading.Event) -> dict:
    answer = {}

    def run():
        started.set()
        try:
            answer["response"] = client.post(url, data)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return {"thread": thread, "answer": answer}


def test_an_editors_save_during_a_large_import_waits_and_succeeds(admin_client, tmp_path, monkeypatch):
    pose = PoseFactory(name="Cobra", summary="Before.")
    data = form_data(admin_client, change_url(pose))
    data.update(name="Cobra, edited during an import")
    path = large_document(tmp_path)

    with ImportInThread(path, monkeypatch) as running:
        sent = threading.Event()
        save = post_in_thread(admin_client, change_url(pose), data, sent)
        sent.wait(timeout=10)
        time.sleep(0.5)  # the save is on its way to the database, where the import holds the write lock
        running.may_go_on.set()
    save["thread"].join(timeout=60)

    response = save["answer"]["response"]
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Pose.objects.get(pk=pose.pk).name == "Cobra, edited during an import"
    assert Pose.objects.count() == POSES + 1
    assert running.result.counts["poses"].created == POSES


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single writer; PostgreSQL does not hold saves")
def test_a_save_that_waits_past_the_busy_timeout_gets_the_form_back(admin_client, tmp_path, monkeypatch):
    pose = PoseFactory(name="Cobra", summary="Before.")
    data = form_data(admin_client, change_url(pose))
    data.update(name="Cobra, edited during an import", summary="Typed with care.")
    path = large_document(tmp_path)

    with ImportInThread(path, monkeypatch):
        # This editor's connection gives up quickly, as any would after the import held the lock too long.
        connection.ensure_connection()
        connection.connection.execute("PRAGMA busy_timeout = 50")
        response = admin_client.post(change_url(pose), data)
    connection.close()

    assert response.status_code == 200
    html = response.content.decode()
    assert BUSY_MESSAGE.replace("'", "&#x27;") in html
    assert 'value="Cobra, edited during an import"' in html and "Typed with care." in html
    assert Pose.objects.get(pk=pose.pk).summary == "Before."
    assert Pose.objects.count() == POSES + 1
