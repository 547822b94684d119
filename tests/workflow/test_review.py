"""Review: a Contributor submits a draft with a note; Editors see it on the admin home, preview it, and
publish it or send it back with a comment; e-mail goes to the other side at each step."""

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse

from poses.models import Pose
from tests.factories import complete_pose
from workflow.models import Activity, Draft

from .conftest import form_of, messages_of

pytestmark = pytest.mark.django_db


def pose_url(pose):
    return reverse("admin:poses_pose_change", args=[pose.pk])


def post(client, url, data, **kwargs):
    """E-mail goes once the change is committed: run what waits for the commit when the request is done."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data, **kwargs)


def submit(client, pose, note: str, **changes):
    data = form_of(client, pose_url(pose), "pose_form")
    data.update(changes, workflow_note=note, _submit="Submit for review")
    return post(client, pose_url(pose), data, follow=True)


def test_a_contributor_submits_a_draft_and_the_editors_are_told(contributor_client, editor):
    pose = complete_pose(name="Camel")

    response = submit(contributor_client, pose, "Clearer first step, please check.", name="Camel Pose")

    assert "Submitted for review; the editors have been told." in messages_of(response)
    draft = Draft.objects.get()
    assert draft.state == Draft.State.IN_REVIEW and draft.note == "Clearer first step, please check."
    assert Pose.objects.get().name == "Camel"
    [message] = mail.outbox
    assert message.to == ["eddie@example.org"] and "Camel" in message.subject
    assert "Clearer first step, please check." in message.body and pose_url(pose) in message.body
    assert "In review" in response.content.decode()
    # Submitted: the contributor can still save changes, but not submit again.
    assert 'name="_submit"' not in response.content.decode()


def test_editors_see_awaiting_review_on_the_admin_home_and_contributors_their_drafts(contributor_client, editor_client):
    pose = complete_pose(name="Camel")
    submit(contributor_client, pose, "Please look.", name="Camel Pose")

    home = editor_client.get(reverse("admin:index")).content.decode()
    assert "Awaiting review" in home and "Camel" in home and "Please look." in home
    assert reverse("admin:poses_pose_preview", args=[pose.pk]) in home
    own = contributor_client.get(reverse("admin:index")).content.decode()
    assert "Your drafts" in own and "Awaiting review" not in own and "In review" in own


def test_an_editor_sends_it_back_with_a_comment_the_contributor_sees(contributor_client, editor_client):
    pose = complete_pose(name="Camel")
    submit(contributor_client, pose, "Please look.", name="Camel Pose")
    mail.outbox.clear()
    data = form_of(editor_client, pose_url(pose), "pose_form")
    assert 'name="_send_back"' in editor_client.get(pose_url(pose)).content.decode()

    post(editor_client, pose_url(pose), {**data, "workflow_note": "Say which knee.", "_send_back": "Send back"})

    draft = Draft.objects.get()
    assert draft.state == Draft.State.DRAFT and draft.reviewer_comment == "Say which knee."
    assert draft.data is not None and Pose.objects.get().name == "Camel"
    [message] = mail.outbox
    assert message.to == ["carla@example.org"] and "Say which knee." in message.body
    html = contributor_client.get(pose_url(pose)).content.decode()
    assert "Sent back by eddie: “Say which knee.”" in html
    assert "Say which knee." in contributor_client.get(reverse("admin:index")).content.decode()
    assert Activity.objects.filter(kind=Activity.Kind.SENT_BACK, note="Say which knee.").exists()


def test_an_editor_previews_and_publishes_a_submitted_draft_and_the_author_is_told(contributor_client, editor_client):
    pose = complete_pose(name="Camel")
    submit(contributor_client, pose, "Please look.", name="Camel Pose")
    mail.outbox.clear()

    preview = editor_client.get(reverse("admin:poses_pose_preview", args=[pose.pk]))
    frame = editor_client.get(reverse("admin:poses_pose_preview_frame", args=[pose.pk]))
    assert preview.status_code == 200 and b"<iframe" in preview.content
    assert b"Camel Pose" in frame.content and b"Camel Pose" not in Client().get(pose.get_absolute_url()).content

    data = form_of(editor_client, pose_url(pose), "pose_form")
    assert 'value="Publish (approve)"' in editor_client.get(pose_url(pose)).content.decode()
    post(editor_client, pose_url(pose), {**data, "_publish": "Publish"})

    assert Pose.objects.get().name == "Camel Pose" and not Draft.objects.exists()
    [message] = mail.outbox
    assert message.to == ["carla@example.org"] and "published" in message.body
    assert b"Camel Pose" in Client().get(Pose.objects.get().get_absolute_url()).content
