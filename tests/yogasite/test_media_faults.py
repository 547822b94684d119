"""A media storage that refuses files, and imports killed midway: a clear message, nothing
half-written, and no file left behind once the next import or `clean_media` has run."""

import errno
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from poses.models import Pose, PoseImage
from tests.factories import image_bytes
from tests.poses.test_admin import ADD_URL, add_rows, new_pose_data
from tests.yogasite.test_import_content import (  # noqa: F401 (media: a fixture)
    base_document,
    failing_import,
    media,
    media_files,
    picture,
    run_import,
    write_document,
)
from yogasite.models import PendingMedia

pytestmark = pytest.mark.django_db


def refuse_writes(monkeypatch, code: int, *, after: int = 0):
    """The filesystem storage accepts `after` files, then fails with OSError(code)."""
    original = FileSystemStorage._save
    calls = {"n": 0}

    def save(self, name, content):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(code, os.strerror(code))
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", save)


@pytest.mark.parametrize(
    "code, said",
    [(errno.ENOSPC, "the media storage is full"), (errno.EACCES, "the media storage is not writable")],
)
def test_an_admin_upload_to_a_refusing_storage_says_so_and_keeps_the_form(
    admin_client, settings, tmp_path, monkeypatch, code, said
):
    settings.MEDIA_ROOT = tmp_path / "media"
    refuse_writes(monkeypatch, code, after=2)  # the original and one rendition get written first
    data = new_pose_data(admin_client, summary="Typed with care.")
    add_rows(data, "steps", {"text": "Stand tall.", "position": "0"})
    upload = SimpleUploadedFile("wheel.png", image_bytes(size=(1200, 800)))
    add_rows(data, "images", {"file": upload, "alt": "A wheel", "position": "0"})

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert f"The picture could not be stored: {said}. Nothing was saved." in html
    assert "Typed with care." in html and "Stand tall." in html
    assert not Pose.objects.exists()
    assert media_files(settings.MEDIA_ROOT) == {}


@pytest.mark.parametrize(
    "code, said",
    [(errno.ENOSPC, "the media storage is full"), (errno.EROFS, "the media storage is not writable")],
)
def test_an_import_into_a_refusing_storage_says_so_and_writes_nothing(tmp_path, settings, monkeypatch, code, said):
    data = base_document()
    data["poses"][0]["images"] = [
        {"file": picture(tmp_path, "a.png"), "alt": "A person"},
        {"file": picture(tmp_path, "b.png", color="#aa3311"), "alt": "Another"},
    ]
    refuse_writes(monkeypatch, code, after=5)

    message, lines = failing_import(write_document(tmp_path, data))

    assert message == f"The picture could not be stored: {said}. Nothing was imported."
    assert media_files(settings.MEDIA_ROOT) == {}
    assert not Pose.objects.exists() and not PendingMedia.objects.exists()


# --- imports killed midway --------------------------------------------------------------------


def manage_env(tmp_path: Path) -> dict:
    env = {
        **os.environ,
        "YOGASITE_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "var" / "media"),
        "DJANGO_SETTINGS_MODULE": "yogasite.settings.dev",
    }
    env.pop("DATABASE_URL", None)
    return env


def manage(tmp_path: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=manage_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )


def many_pictures(folder: Path, count: int) -> Path:
    data = base_document()
    data["poses"][0]["images"] = [
        {"file": picture(folder, f"p{n}.png", color=f"#{n * 9:02x}{n * 5:02x}77", size=(1700, 1100)), "alt": f"No {n}"}
        for n in range(count)
    ]
    return write_document(folder, data)


def start_import(tmp_path: Path, path: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_content", str(path)],
        cwd=django_settings.BASE_DIR,
        env=manage_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(process: subprocess.Popen, start: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if line.startswith(start):
            return
        if not line and process.poll() is not None:
            pytest.fail(f"the import ended before printing {start!r}")
    pytest.fail(f"no {start!r} line")


def site_state(tmp_path: Path) -> str:
    code = (
        "from poses.models import Pose, PoseImage; from yogasite.models import PendingMedia; "
        "print(Pose.objects.count(), PoseImage.objects.count(), PendingMedia.objects.count())"
    )
    return manage(tmp_path, "shell", "--no-imports", "-c", code).stdout.split("\n")[-2]


def stored(tmp_path: Path) -> list[str]:
    root = tmp_path / "var" / "media"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def site(tmp_path):
    result = manage(tmp_path, "migrate", "--noinput", "-v", "0")
    assert result.returncode == 0, result.stderr
    return tmp_path


@pytest.mark.parametrize("cleanup", ["next import", "clean_media"])
def test_an_import_killed_while_storing_pictures_leaves_nothing_once_cleaned_up(site, cleanup):
    process = start_import(site, many_pictures(site / "doc", 12))
    wait_for_line(process, "images: ")

    process.send_signal(signal.SIGKILL)
    process.wait()

    assert stored(site), "the import was killed before it stored anything"
    assert site_state(site) == "0 0 1"  # no pose, no image: only the note of the pictures it was storing
    if cleanup == "next import":
        other = base_document()
        result = manage(site, "import_content", str(write_document(site / "small", other)))
    else:
        result = manage(site, "clean_media")
    assert result.returncode == 0, result.stderr
    assert stored(site) == []
    assert site_state(site) == ("1 0 0" if cleanup == "next import" else "0 0 0")


def test_an_import_killed_around_its_transaction_is_all_or_nothing_and_leaves_nothing(site):
    process = start_import(site, many_pictures(site / "doc", 12))
    wait_for_line(process, "images: 12/12")
    process.send_signal(signal.SIGKILL)
    process.wait()

    result = manage(site, "clean_media")

    assert result.returncode == 0
    poses, images, pending = site_state(site).split()
    assert (poses, images) in (("0", "0"), ("1", "12"))
    assert pending == "0"
    if poses == "0":
        assert stored(site) == []
    else:
        assert len([name for name in stored(site) if "original" in name]) == 12


def test_a_stopped_import_removes_its_pictures_itself_and_says_so(site):
    process = start_import(site, many_pictures(site / "doc", 12))
    wait_for_line(process, "images: ")

    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=60)

    assert process.returncode == 1
    assert "Stopped; nothing was imported." in err
    assert "Traceback" not in err
    assert stored(site) == []
    assert site_state(site) == "0 0 0"


def test_clean_media_keeps_pictures_in_use_and_removes_old_unused_ones(tmp_path, settings):
    root = settings.MEDIA_ROOT
    data = base_document()
    data["poses"][0]["images"] = [{"file": picture(tmp_path, "a.png"), "alt": "A person"}]
    run_import(write_document(tmp_path, data))
    kept = set(media_files(root))
    stray = root / "images" / "ab" / ("ab" + "0" * 62) / "original.png"
    stray.parent.mkdir(parents=True)
    stray.write_bytes(image_bytes())
    os.utime(stray, (time.time() - 2 * 86400,) * 2)

    out = StringIO()
    call_command("clean_media", "--unused", stdout=out)

    assert set(media_files(root)) == kept
    assert "Removed 1 file." in out.getvalue()
    assert PoseImage.objects.count() == 1
