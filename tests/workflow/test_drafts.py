"""Draft changes to live content: Save draft keeps every part without touching what visitors see;
Publish applies it; Discard returns to the live version."""

import pytest
from django.test import Client
from django.urls import reverse

from poses.models import Pose
from routines.models import Routine
from tests.factories import complete_pose, complete_routine
from workflow.models import Activity, Draft

from .conftest import form_of

pytestmark = pytest.mark.django_db


def pose_url(pose):
    return reverse("admin:poses_pose_change", args=[pose.pk])


def routine_url(routine):
    return reverse("admin:routines_routine_change", args=[routine.pk])


def public_pages(*objects) -> dict[str, bytes]:
    """Every public page that shows these objects, as a visitor gets it."""
    visitor = Client()
    urls = ["/", "/poses/", "/routines/", "/muscles/"]
    for obj in objects:
        urls.append(obj.get_absolute_url())
        if isinstance(obj, Routine):
            urls += [f"{obj.get_absolute_url()}cheatsheet/", f"{obj.get_absolute_url()}play/1/"]
    pages = {}
    for url in urls:
        response = visitor.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content
    return pages


def test_a_draft_of_a_live_pose_changes_no_public_page_until_it_is_published(editor_client):
    pose = complete_pose(name="Camel", steps=2, tags=["backbend"], summary="Kneel and arch.")
    before = public_pages(pose)
    data = form_of(editor_client, pose_url(pose), "pose_form")
    data.update(name="Camel Pose", summary="Kneel tall and open the chest.", tags="backbend, heart opener")
    data["steps-0-text"] = "Kneel with the knees hip-width apart."
    data["steps-1-DELETE"] = "on"
    data["_save_draft"] = "Save draft"

    response = editor_client.post(pose_url(pose), data)

    assert response.status_code == 302
    assert public_pages(pose) == before
    pose.refresh_from_db()
    assert pose.name == "Camel" and pose.steps.count() == 2 and sorted(pose.tags.names()) == ["backbend"]
    # The form opens on the draft, with every part as it was saved.
    again = form_of(editor_client, pose_url(pose), "pose_form")
    assert again["name"] == "Camel Pose" and again["steps-0-text"] == "Kneel with the knees hip-width apart."
    assert again["steps-TOTAL_FORMS"] in ("2", "1") and "steps-1-text" not in again or again["steps-1-text"] == ""
    assert "heart opener" in again["tags"]
    assert "Live, with unpublished changes" in editor_client.get(pose_url(pose)).content.decode()

    again["_publish"] = "Publish"
    assert editor_client.post(pose_url(pose), again).status_code == 302

    pose.refresh_from_db()
    assert pose.name == "Camel Pose" and pose.is_public
    assert [s.text for s in pose.steps.all()] == ["Kneel with the knees hip-width apart."]
    assert sorted(pose.tags.names()) == ["backbend", "heart opener"]
    assert not Draft.objects.exists()
    assert b"Camel Pose" in Client().get(pose.get_absolute_url()).content
    assert Activity.objects.filter(kind=Activity.Kind.PUBLISHED, object_id=pose.pk).exists()


def test_a_draft_of_a_live_routine_keeps_steps_and_variations_apart_from_the_live_page(editor_client):
    routine = complete_routine(steps=4, title="Evening Flow")
    before = public_pages(routine)
    data = form_of(editor_client, routine_url(routine), "routine_form")
    data.update(title="Evening Flow, longer")
    data["steps-0-hold_value"] = "120"
    data["steps-0-variation_intermediate"] = "Hold it a little longer."
    data["steps-3-DELETE"] = "on"
    data["_save_draft"] = "Save draft"

    assert editor_client.post(routine_url(routine), data).status_code == 302

    assert public_pages(routine) == before
    again = form_of(editor_client, routine_url(routine), "routine_form")
    assert again["title"] == "Evening Flow, longer" and again["steps-0-hold_value"] == "120"
    assert again["steps-0-variation_intermediate"] == "Hold it a little longer."

    again["_publish"] = "Publish"
    assert editor_client.post(routine_url(routine), again).status_code == 302
    routine.refresh_from_db()
    assert routine.title == "Evening Flow, longer" and routine.steps.count() == 3
    first = routine.steps.order_by("position").first()
    assert first.hold_value == 120 and first.variations.filter(level="intermediate").exists()
    assert routine.duration_seconds > 0 and b"Evening Flow, longer" in Client().get(routine.get_absolute_url()).content


def test_a_new_step_in_a_draft_survives_other_writes_before_publishing(editor_client):
    routine = complete_routine(steps=2)
    data = form_of(editor_client, routine_url(routine), "routine_form")
    total = int(data["steps-TOTAL_FORMS"])
    for key, value in {
        "title": "Rest",
        "hold_value": "20",
        "hold_kind": "seconds",
        "repetitions": "1",
        "sides": "none",
        "first_side": "right",
        "advance": "auto",
        "position": "9",
    }.items():
        data[f"steps-{total}-{key}"] = value
    data["steps-TOTAL_FORMS"] = str(total + 1)
    data["_save_draft"] = "Save draft"
    assert editor_client.post(routine_url(routine), data).status_code == 302
    # Another routine gets steps meanwhile: the ids the draft holds stay its own.
    other = complete_routine(steps=3, poses=[step.pose for step in routine.steps.exclude(pose=None)])

    draft = Draft.objects.get(object_id=routine.pk)
    from workflow import publishing

    publishing.publish(obj=routine, user=None)
    assert routine.steps.count() == 3 and other.steps.count() == 3
    assert routine.steps.filter(title="Rest", position=9).exists()
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_discarding_the_draft_returns_the_form_to_the_live_version(editor_client):
    pose = complete_pose(name="Camel")
    data = form_of(editor_client, pose_url(pose), "pose_form")
    data.update(name="Camel changed", _save_draft="Save draft")
    editor_client.post(pose_url(pose), data)
    assert form_of(editor_client, pose_url(pose), "pose_form")["name"] == "Camel changed"

    del data["_save_draft"]
    response = editor_client.post(pose_url(pose), {**data, "_discard": "Discard draft"})

    assert response.status_code == 302
    assert form_of(editor_client, pose_url(pose), "pose_form")["name"] == "Camel"
    assert not Draft.objects.exists() and Pose.objects.get().name == "Camel"
    assert Activity.objects.filter(kind=Activity.Kind.DISCARDED).count() == 1


def test_a_new_pose_is_saved_as_a_draft_that_visitors_cannot_see(editor_client):
    data = form_of(editor_client, reverse("admin:poses_pose_add"), "pose_form")
    data.update(name="Crow", slug="crow", level="advanced", _save_draft="Save draft")
    data["steps-0-text"] = "Squat and place the hands."
    response = editor_client.post(reverse("admin:poses_pose_add"), data)
    assert response.status_code == 302
    pose = Pose.objects.get(slug="crow")
    assert pose.status == "draft" and Client().get("/poses/crow/").status_code == 404
    assert "Draft" in editor_client.get(pose_url(pose)).content.decode()


def test_saving_over_a_newer_draft_is_refused_like_a_newer_save(client, editor, django_user_model):
    pose = complete_pose(name="Camel")
    other = django_user_model.objects.create_superuser("other", "o@example.org", "pw")
    client.force_login(editor)
    mine = form_of(client, pose_url(pose), "pose_form")
    theirs_client = Client()
    theirs_client.force_login(other)
    theirs = form_of(theirs_client, pose_url(pose), "pose_form")
    theirs.update(name="Their camel", _save_draft="Save draft")
    assert theirs_client.post(pose_url(pose), theirs).status_code == 302
    mine.update(name="My camel", _save_draft="Save draft")
    response = client.post(pose_url(pose), mine)

    # The second draft would silently replace the first: refused, with the typed text kept.
    assert response.status_code == 200
    assert "Someone else saved this pose" in response.content.decode()
    assert 'value="My camel"' in response.content.decode()
    assert form_of(theirs_client, pose_url(pose), "pose_form")["name"] == "Their camel"
