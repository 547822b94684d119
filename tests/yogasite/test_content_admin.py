"""Import and export of content documents from the admin: preview first, nothing written before the editor
confirms; bad uploads explained; exports that import_content takes."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from poses.models import Pose
from routines.models import Routine
from tests.factories import PoseFactory, complete_pose, complete_routine, routine_poses
from tests.yogasite.test_import_content import (  # noqa: F401 (media: a fixture)
    document,
    full_document,
    media,
    media_files,
    write_document,
)
from yogasite import content_admin

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("content-import")
EXPORT_URL = reverse("content-export")


def zipped(folder: Path, data: dict) -> bytes:
    """The document and every file beside it, as the export packs them."""
    write_document(folder, data)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    return buffer.getvalue()


def upload(client, content: bytes, name: str = "content.zip"):
    return client.post(IMPORT_URL, {"document": SimpleUploadedFile(name, content)})


def token_of(response) -> str:
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


@pytest.mark.usefixtures("media")
def test_an_upload_is_previewed_and_nothing_changes_until_the_editor_confirms(admin_client, settings, tmp_path):
    media_root = settings.MEDIA_ROOT
    data = full_document(tmp_path / "doc")
    before = media_files(media_root)

    response = upload(admin_client, zipped(tmp_path / "doc", data))

    html = response.content.decode()
    assert "Nothing has changed yet." in html
    assert "<li>Sphinx Pose</li>" in html or "Sphinx" in html
    assert Pose.objects.count() == 0
    assert {k: v for k, v in media_files(media_root).items() if not k.startswith("content-imports/")} == before

    confirmed = admin_client.post(IMPORT_URL, {"token": token_of(response)}, follow=True)

    assert "Imported content.zip." in confirmed.content.decode()
    assert Pose.objects.count() == len(data["poses"])
    assert Routine.objects.count() == len(data["routines"])
    assert not any(name.startswith("content-imports/") for name in media_files(media_root))


def test_an_update_is_listed_as_updated_and_the_rest_as_left_alone(admin_client, tmp_path):
    data = document(
        muscles=[{"slug": "lower-back", "name": "Lower Back"}],
        poses=[
            {"slug": "cobra", "name": "Cobra", "steps": ["Lie down."], "muscles": {"primary": ["lower-back"]}},
            {"slug": "sphinx", "name": "Sphinx", "steps": ["Lie down."]},
        ],
    )
    path = write_document(tmp_path, data)
    call_command("import_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    data["poses"][0]["steps"] = ["Lie face down."]

    response = upload(admin_client, json.dumps(data).encode(), "content.json")

    rows = re.findall(r"<tr>\s*<th scope=\"row\">(\w+)</th>(.*?)</tr>", response.content.decode(), re.S)
    poses = dict(rows)["Poses"]
    assert "<li>Cobra</li>" in poses and "Sphinx" not in poses
    assert re.search(r"<td>1</td>\s*$", poses.strip())


@pytest.mark.usefixtures("media")
def test_every_problem_is_listed_with_its_place_and_nothing_is_kept(admin_client, settings):
    media_root = settings.MEDIA_ROOT
    data = document(poses=[{"slug": "Bad Slug", "name": "", "steps": []}, {"slug": "ok", "name": "Ok", "steps": [3]}])

    response = upload(admin_client, json.dumps(data).encode(), "content.json")

    html = response.content.decode()
    assert "Nothing can be imported from content.json" in html
    assert "<code>poses[0].slug</code>" in html
    assert "<code>poses[1].steps[0]</code>" in html
    assert 'name="token"' not in html
    assert media_files(media_root) == {}


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "content.json", "neither a zip nor a JSON document"),
        (b'{"format": ', "content.json", "not valid JSON (line 1"),
        (b"PK\x03\x04 broken", "content.zip", "not a readable zip archive"),
    ],
)
def test_a_bad_upload_gets_a_clear_message(admin_client, content, name, message):
    response = upload(admin_client, content, name)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.mark.parametrize("member", ["../evil.json", "/etc/evil.json", "media/../../evil.png", "C:/evil.json"])
def test_a_zip_with_a_path_outside_its_folder_is_refused(admin_client, tmp_path, member):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.json", json.dumps(document()))
        archive.writestr(member, b"x")

    response = upload(admin_client, buffer.getvalue())

    assert "unsafe path" in response.content.decode()
    assert not (tmp_path.parent / "evil.json").exists()


def test_a_zip_that_unpacks_too_large_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr(content_admin, "MAX_UNPACKED_BYTES", 1000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("content.json", json.dumps(document()))
        archive.writestr("media/big.png", b"\0" * 5000)

    response = upload(admin_client, buffer.getvalue())

    assert "unpacks to more than" in response.content.decode()


def test_a_file_too_large_is_refused_before_it_is_read(admin_client, monkeypatch):
    monkeypatch.setattr(content_admin, "MAX_UPLOAD_BYTES", 10)
    response = upload(admin_client, json.dumps(document()).encode(), "content.json")
    assert "larger than 200 MB" in response.content.decode()


def test_a_forged_or_someone_elses_preview_is_refused(admin_client, client, django_user_model, tmp_path):
    response = upload(admin_client, json.dumps(document(poses=[{"slug": "a", "name": "A", "steps": ["x"]}])).encode())
    token = token_of(response)
    other = django_user_model.objects.create_superuser("other", "o@example.org", "pw")
    client.force_login(other)

    assert "has expired" in client.post(IMPORT_URL, {"token": token}, follow=True).content.decode()
    assert "has expired" in admin_client.post(IMPORT_URL, {"token": token + "x"}, follow=True).content.decode()
    assert Pose.objects.count() == 0


def test_import_and_export_need_the_right_to_publish(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("writer", password="pw", is_staff=True))
    assert client.get(IMPORT_URL).status_code == 403
    assert client.get(EXPORT_URL).status_code == 403


def unzip(response, folder: Path) -> Path:
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    archive.extractall(folder)
    return folder / "content.json"


def test_everything_exported_imports_into_an_empty_site(admin_client, tmp_path, settings):
    routine = complete_routine(steps=4)
    complete_pose(images=2)

    response = admin_client.get(EXPORT_URL)

    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    path = unzip(response, tmp_path / "export")
    exported = json.loads(path.read_text())
    assert [r["slug"] for r in exported["routines"]] == [routine.slug]
    Routine.objects.all().delete()
    Pose.objects.all().delete()
    call_command("import_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Pose.objects.count() == len(exported["poses"])
    assert Routine.objects.get().slug == routine.slug


def test_the_list_action_exports_the_selection_with_the_poses_it_needs(admin_client, tmp_path):
    poses = routine_poses()
    poses[0].warm_up = PoseFactory(name="Warm Up Pose")
    poses[0].save()
    chosen = complete_routine(steps=3, poses=poses)
    complete_routine(steps=2, poses=poses, title="Other Flow")
    PoseFactory(name="Unrelated Pose")

    action = admin_client.post(
        reverse("admin:routines_routine_changelist"),
        {"action": "export_selected", "_selected_action": [chosen.pk]},
    )
    assert action.status_code == 302
    path = unzip(admin_client.get(action["Location"]), tmp_path / "export")

    exported = json.loads(path.read_text())
    assert [r["slug"] for r in exported["routines"]] == [chosen.slug]
    names = {p["name"] for p in exported["poses"]}
    assert "Warm Up Pose" in names and "Unrelated Pose" not in names
    Routine.objects.all().delete()
    Pose.objects.update(warm_up=None)
    Pose.objects.all().delete()
    call_command("import_content", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Routine.objects.get().slug == chosen.slug


def test_the_lists_link_to_import_and_export(admin_client):
    PoseFactory()
    html = admin_client.get(reverse("admin:poses_pose_changelist")).content.decode()
    assert f'href="{IMPORT_URL}"' in html and f'href="{EXPORT_URL}"' in html
    assert "Export selected poses as a content document (zip)" in html
