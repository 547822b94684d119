"""A picture chosen in a form that is refused for another field is kept: shown again, saved with the form."""

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from poses.models import PoseImage
from tests.factories import PoseFactory, complete_routine, image_upload
from tests.poses.test_admin import add_rows, change_url, form_data
from tests.poses.test_admin_versions import posted_form
from tests.routines.test_admin_versions import change_url as routine_url
from tests.routines.test_admin_versions import form_data as routine_form
from workflow import uploads

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def kept_files(media) -> list[str]:
    folder = media / uploads.FOLDER
    return sorted(str(p.relative_to(media)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_a_picture_chosen_in_a_refused_form_is_kept_and_saved_next_time(
    admin_client, media, django_capture_on_commit_callbacks
):
    pose = PoseFactory(steps=["Kneel."])
    data = form_data(admin_client, change_url(pose))
    add_rows(
        data,
        "images",
        {
            "file": image_upload("camel.png"),
            "alt": "",
            "credit": "Photo: A. Rao, CC BY 4.0",
            "side": "left",
            "position": "0",
        },
    )

    refused = admin_client.post(change_url(pose), data)

    assert refused.status_code == 200
    html = refused.content.decode()
    assert "This field is required." in html
    assert "Kept from your last save: camel.png." in html
    assert 'class="kept-upload-preview"' in html
    assert len(kept_files(media)) == 1
    again = posted_form(refused)
    assert again["images-0-file__kept"]
    again["images-0-alt"] = "A person kneeling, arched back."

    with django_capture_on_commit_callbacks(execute=True):
        saved = admin_client.post(change_url(pose), again)

    assert saved.status_code == 302
    image = PoseImage.objects.get(pose=pose)
    assert image.alt == "A person kneeling, arched back."
    assert (image.credit, image.side) == ("Photo: A. Rao, CC BY 4.0", "left")
    assert image.width == 800 and image.renditions
    assert kept_files(media) == []


def test_a_routine_picture_is_kept_too(admin_client, media):
    routine = complete_routine(steps=2)
    data = routine_form(admin_client, routine_url(routine))
    data["title"] = ""
    add_rows(data, "images", {"file": image_upload("flow.png"), "alt": "The flow.", "position": "0"})

    refused = admin_client.post(routine_url(routine), data)

    assert "Kept from your last save: flow.png." in refused.content.decode()
    again = posted_form(refused, "routine_form")
    again["title"] = "Hip Flow"
    assert admin_client.post(routine_url(routine), again).status_code == 302
    assert routine.images.get().width == 800


def test_a_tampered_token_brings_nothing_back(admin_client, media):
    pose = PoseFactory(steps=["Kneel."])
    data = form_data(admin_client, change_url(pose))
    add_rows(data, "images", {"file__kept": "forged", "alt": "A picture.", "position": "0"})

    response = admin_client.post(change_url(pose), data)

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not PoseImage.objects.exists()


def test_kept_uploads_older_than_a_day_are_removed_when_another_is_kept(media):
    old = default_storage.save(f"{uploads.FOLDER}/old/picture.png", ContentFile(b"x"))
    two_days_ago = time.time() - 2 * 24 * 3600
    os.utime(media / old, (two_days_ago, two_days_ago))
    recent = default_storage.save(f"{uploads.FOLDER}/recent/picture.png", ContentFile(b"x"))

    uploads.keep_upload(image_upload("new.png"))

    files = kept_files(media)
    assert old not in files and recent in files and len(files) == 2


def test_a_picture_saved_at_once_leaves_no_temporary_copy(admin_client, media):
    pose = PoseFactory(steps=["Kneel."])
    data = form_data(admin_client, change_url(pose))
    add_rows(data, "images", {"file": image_upload("camel.png"), "alt": "A person kneeling.", "position": "0"})

    assert admin_client.post(change_url(pose), data).status_code == 302
    assert PoseImage.objects.filter(pose=pose).exists()
    assert kept_files(media) == []
