"""Scheduling: a draft (of new content or of changes to live content) goes live at its time, and
content comes off the site at its expiry, visitors never seeing it after that time."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from poses.models import Pose, Status
from tests.factories import PoseFactory, complete_pose, complete_routine
from workflow import publishing
from workflow.models import Activity, Draft

from .conftest import form_of, messages_of

pytestmark = pytest.mark.django_db

# Close to now, so that the signed-in session has not expired at the times travelled to.
START = timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1)


def pose_url(pose):
    return reverse("admin:poses_pose_change", args=[pose.pk])


def local_fields(moment, name="publish_at"):
    local = timezone.localtime(moment)
    return {f"{name}_0": local.strftime("%Y-%m-%d"), f"{name}_1": local.strftime("%H:%M:%S")}


def test_changes_to_a_live_pose_scheduled_from_the_form_go_live_at_their_time(editor_client):
    with time_machine.travel(START, tick=False) as traveller:
        pose = complete_pose(name="Camel", published_at=START - timedelta(days=1))
        data = form_of(editor_client, pose_url(pose), "pose_form")
        data.update(name="Camel Pose", _publish="Publish", **local_fields(START + timedelta(hours=2)))

        response = editor_client.post(pose_url(pose), data, follow=True)

        assert any("will be published on" in m for m in messages_of(response))
        assert "Scheduled" in response.content.decode()
        call_command("publish_scheduled", stdout=StringIO())
        assert Pose.objects.get().name == "Camel"

        traveller.move_to(START + timedelta(hours=2, seconds=30))
        call_command("publish_scheduled", stdout=StringIO())

        assert Pose.objects.get().name == "Camel Pose" and not Draft.objects.exists()
        assert b"Camel Pose" in Client().get(pose.get_absolute_url()).content
        assert Activity.objects.filter(kind=Activity.Kind.PUBLISHED, user=None).exists()
        # Running it again changes nothing.
        out = StringIO()
        call_command("publish_scheduled", stdout=out, verbosity=2)
        assert "Published 0, unpublished 0." in out.getvalue()


def test_a_new_routine_scheduled_from_the_list_is_published_by_the_job(editor_client):
    with time_machine.travel(START, tick=False) as traveller:
        routine = complete_routine(steps=2, status=Status.DRAFT, published_at=None)
        editor_client.post(
            reverse("admin:routines_routine_changelist"),
            {
                "action": "schedule",
                "_selected_action": [routine.pk],
                "confirm_schedule": "1",
                **local_fields(START + timedelta(days=1)),
                **local_fields(START + timedelta(days=8), "unpublish_at"),
            },
        )
        assert Client().get(routine.get_absolute_url()).status_code == 404

        traveller.move_to(START + timedelta(days=1, seconds=1))
        publishing.publish_due()
        assert Client().get(routine.get_absolute_url()).status_code == 200

        # Expiry counts at the very second, before the job has run.
        traveller.move_to(START + timedelta(days=8))
        assert Client().get(routine.get_absolute_url()).status_code == 404
        assert routine.title.encode() not in Client().get("/routines/").content
        publishing.publish_due()
        routine.refresh_from_db()
        assert routine.status == Status.DRAFT
        assert Activity.objects.filter(kind=Activity.Kind.UNPUBLISHED, note="As scheduled").exists()


def test_the_schedule_page_asks_for_a_time_and_warns_about_routines_using_a_pose(editor_client):
    routine = complete_routine(steps=2, title="Hip Flow")
    pose = routine.steps.exclude(pose=None).first().pose
    page = editor_client.post(
        reverse("admin:poses_pose_changelist"), {"action": "schedule", "_selected_action": [pose.pk]}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "Schedule publication" in html and "Hip Flow" in html
    refused = editor_client.post(
        reverse("admin:poses_pose_changelist"),
        {"action": "schedule", "_selected_action": [pose.pk], "confirm_schedule": "1"},
    )
    assert "Give a time to publish, a time to unpublish, or both." in refused.content.decode()


def test_a_time_in_the_past_is_refused():
    pose = PoseFactory(status=Status.DRAFT)
    with pytest.raises(Exception, match="future"):
        publishing.schedule(obj=pose, user=None, publish_at=timezone.now() - timedelta(minutes=1))


def test_a_scheduled_pose_that_cannot_be_published_stays_a_draft_and_says_why():
    with time_machine.travel(START, tick=False) as traveller:
        pose = PoseFactory(status=Status.DRAFT, published_at=None)
        publishing.schedule(obj=pose, user=None, publish_at=START + timedelta(minutes=5))
        pose.steps.all().delete()
        traveller.move_to(START + timedelta(minutes=6))
        published, unpublished, problems = publishing.publish_due()
        assert (published, problems[0].endswith("add at least one before publishing it.")) == (0, True)
        assert not Pose.objects.get().is_public
        assert Draft.objects.get().publish_at is None


@pytest.mark.django_db(transaction=True)
def test_two_jobs_at_once_publish_each_draft_once():
    if connection.vendor == "sqlite":
        pytest.skip("SQLite runs one writer at a time; the row locks are PostgreSQL's")
    with time_machine.travel(START, tick=False) as traveller:
        poses = [PoseFactory(status=Status.DRAFT, published_at=None) for _ in range(6)]
        for pose in poses:
            publishing.schedule(obj=pose, user=None, publish_at=START + timedelta(minutes=1))
        traveller.move_to(START + timedelta(minutes=2))
        results = []

        def run():
            results.append(publishing.publish_due()[0])
            connection.close()

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sum(results) == 6
    assert Activity.objects.filter(kind=Activity.Kind.PUBLISHED).count() == 6
