"""Media on S3-compatible object storage (moto's server standing in for AWS S3, MinIO or R2):
the admin's uploads, the pages, import and export work as on the filesystem."""

import urllib.request
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from poses.models import Pose, PoseImage
from tests.factories import image_bytes
from tests.poses.test_admin import ADD_URL, add_rows, new_pose_data
from tests.yogasite.test_import_content import full_document, picture, run_import, write_document

pytestmark = pytest.mark.django_db


def keys(bucket) -> set[str]:
    return {item.key for item in bucket.objects.all()}


def test_an_uploaded_picture_goes_to_the_bucket_and_the_page_shows_it_from_there(
    admin_client, client, s3_storage, s3_endpoint
):
    data = new_pose_data(admin_client, _publish="Publish")
    add_rows(data, "steps", {"text": "Stand tall.", "position": "0"})
    upload = SimpleUploadedFile("wheel.png", image_bytes())
    add_rows(data, "images", {"file": upload, "alt": "A wheel", "position": "0"})

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    image = Pose.objects.get(slug="backbend").main_image
    assert keys(s3_storage) == {image.file.name, *(r["name"] for r in image.renditions)}
    html = client.get("/poses/backbend/").text
    src = f"{s3_endpoint}/{s3_storage.name}/{image.renditions[-1]['name']}"
    assert src in html
    with urllib.request.urlopen(src) as served:
        assert served.read()[:4] == b"RIFF"
        assert "immutable" in served.headers.get("Cache-Control", "")


def test_import_stores_pictures_in_the_bucket_and_export_reads_them_back(tmp_path, s3_storage):
    source = tmp_path / "source"
    run_import(write_document(source, full_document(source)))
    images = list(PoseImage.objects.all())
    stored = keys(s3_storage)
    assert images and all(image.file.name in stored for image in images)
    assert all(r["name"] in stored for image in images for r in image.renditions)

    call_command("export_content", str(tmp_path / "backup"), stdout=StringIO())

    for image in images:
        exported = tmp_path / "backup" / "media" / image.file.name
        assert exported.read_bytes() == s3_storage.Object(image.file.name).get()["Body"].read()
    out, _ = run_import(tmp_path / "backup" / "content.json")
    assert "Nothing changed." in out


def test_a_failed_import_leaves_nothing_in_the_bucket(tmp_path, s3_storage, monkeypatch):
    from yogasite.content import importer

    source = tmp_path / "source"
    path = write_document(source, full_document(source))

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importer, "_write", fail)
    with pytest.raises(RuntimeError):
        run_import(path)

    assert keys(s3_storage) == set()
    assert not Pose.objects.exists()


def test_export_of_a_picture_missing_from_the_bucket_fails_clearly(tmp_path, s3_storage):
    source = tmp_path / "source"
    data = full_document(source)
    picture(source, "images/extra.png", color="#123456")
    run_import(write_document(source, data))
    name = PoseImage.objects.first().file.name
    s3_storage.Object(name).delete()

    with pytest.raises(CommandError, match="missing"):
        call_command("export_content", str(tmp_path / "backup"), stdout=StringIO())
