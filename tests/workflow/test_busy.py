"""A save that meets a locked SQLite database (a long import holding the write lock) gets the
form back with a clear message and the typed text kept: never an error page."""

import pytest
from django.db import OperationalError

from poses.admin import PoseAdmin
from poses.models import Pose
from routines.admin import RoutineAdmin
from routines.models import Routine
from tests.factories import PoseFactory, RoutineFactory
from tests.poses.test_admin import FormReader, change_url, form_data
from workflow.busy import BUSY_MESSAGE

pytestmark = pytest.mark.django_db


@pytest.fixture
def locked(monkeypatch):
    """Every save finds the database locked, as after SQLite's busy timeout."""

    def busy(*args, **kwargs):
        raise OperationalError("database is locked")

    for admin_class in (PoseAdmin, RoutineAdmin):
        monkeypatch.setattr(admin_class, "save_model", busy)


def test_a_pose_saved_while_the_database_is_locked_comes_back_with_the_changes_kept(admin_client, locked):
    pose = PoseFactory(name="Cobra", summary="Before.")
    data = form_data(admin_client, change_url(pose))
    data.update(name="Cobra, edited during an import", summary="Typed with care.")

    response = admin_client.post(change_url(pose), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert BUSY_MESSAGE.replace("'", "&#x27;") in html
    assert 'value="Cobra, edited during an import"' in html and "Typed with care." in html
    assert Pose.objects.get(pk=pose.pk).summary == "Before."


def test_a_routine_saved_while_the_database_is_locked_comes_back_too(admin_client, locked):
    routine = RoutineFactory(title="Morning", summary="Before.", status="draft", published_at=None)
    url = f"/admin/routines/routine/{routine.pk}/change/"
    response = admin_client.get(url)
    reader = FormReader("routine_form")
    reader.feed(response.content.decode())
    data = {**reader.data, "title": "Morning, longer"}

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert BUSY_MESSAGE.replace("'", "&#x27;") in response.content.decode()
    assert 'value="Morning, longer"' in response.content.decode()
    assert Routine.objects.get(pk=routine.pk).title == "Morning"


def test_other_database_errors_are_not_taken_for_a_busy_database(admin_client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("no such table: poses_pose")

    monkeypatch.setattr(PoseAdmin, "save_model", broken)
    pose = PoseFactory()
    data = form_data(admin_client, change_url(pose))

    with pytest.raises(OperationalError, match="no such table"):
        admin_client.post(change_url(pose), data)
