"""Preview: what the form holds now, saved or not, rendered as the public page, at phone or desktop width,
without changing anything visitors see."""

import pytest
from django.test import Client
from django.urls import reverse

from poses.models import Pose
from routines.models import Routine
from tests.factories import complete_pose, complete_routine
from workflow.models import Draft

from .conftest import form_of

pytestmark = pytest.mark.django_db


def preview(client, preview_url: str, data: dict):
    page = client.post(preview_url, data, follow=True)
    assert page.status_code == 200
    frame_url = page.context["frame_url"]
    return page, client.get(frame_url)


def test_the_preview_shows_unsaved_changes_of_a_live_pose_and_changes_nothing(editor_client):
    pose = complete_pose(name="Camel", steps=2)
    url = reverse("admin:poses_pose_change", args=[pose.pk])
    before = Client().get(pose.get_absolute_url()).content
    data = form_of(editor_client, url, "pose_form")
    data.update(name="Camel, unsaved", **{"steps-0-text": "A step nobody saved."})

    page, frame = preview(editor_client, reverse("admin:poses_pose_preview", args=[pose.pk]), data)

    assert b'width="1280"' in page.content and b"Phone (390 px)" in page.content
    html = frame.content.decode()
    assert "Camel, unsaved" in html and "A step nobody saved." in html
    for response in (page, frame):
        assert {"private", "no-store"} <= {part.strip() for part in response["Cache-Control"].split(",")}
        assert "noindex" in response["X-Robots-Tag"]
    assert Client().get(pose.get_absolute_url()).content == before
    assert Pose.objects.get().name == "Camel" and not Draft.objects.exists()
    phone = editor_client.get(page.request["PATH_INFO"], {"width": "phone", "token": page.context["token"]})
    assert b'width="390"' in phone.content


def test_the_preview_of_a_routine_shows_its_changed_steps(editor_client):
    routine = complete_routine(steps=3, title="Evening Flow")
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    data = form_of(editor_client, url, "routine_form")
    data.update({"title": "Evening Flow, preview", "steps-0-title": "A retitled step"})

    _, frame = preview(editor_client, reverse("admin:routines_routine_preview", args=[routine.pk]), data)

    assert b"Evening Flow, preview" in frame.content and b"A retitled step" in frame.content
    assert Routine.objects.get().title == "Evening Flow"


def test_a_new_pose_can_be_previewed_before_it_is_ever_saved(contributor_client):
    data = form_of(contributor_client, reverse("admin:poses_pose_add"), "pose_form")
    data.update(name="Crow", slug="crow", **{"steps-0-text": "Squat low."})

    _, frame = preview(contributor_client, reverse("admin:poses_pose_preview_add"), data)

    assert b"Squat low." in frame.content and not Pose.objects.exists()


def test_a_preview_of_a_form_with_errors_says_so(editor_client):
    pose = complete_pose(name="Camel")
    data = form_of(editor_client, reverse("admin:poses_pose_change", args=[pose.pk]), "pose_form")
    data["name"] = ""
    _, frame = preview(editor_client, reverse("admin:poses_pose_preview", args=[pose.pk]), data)
    assert b"The form has errors" in frame.content


def test_visitors_cannot_open_a_preview():
    pose = complete_pose(name="Camel")
    response = Client().get(reverse("admin:poses_pose_preview_frame", args=[pose.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
