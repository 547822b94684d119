"""History compares two versions side by side: fields, and which parts were added, removed, changed or moved."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from routines.models import RoutineStep
from tests.factories import PoseFactory, complete_routine
from tests.poses.test_admin import add_rows, change_url, form_data
from tests.routines.test_admin_versions import change_url as routine_url
from tests.routines.test_admin_versions import form_data as routine_form
from workflow.compare import compare_versions

pytestmark = pytest.mark.django_db


def two_versions(admin_client):
    pose = PoseFactory(summary="The first words.", steps=["Kneel.", "Sit back.", "Fold forward."])
    admin_client.post(change_url(pose), form_data(admin_client, change_url(pose)))
    data = form_data(admin_client, change_url(pose))
    data["summary"] = "Other words."
    data["steps-0-text"] = "Kneel tall."
    data["steps-2-DELETE"] = "on"
    add_rows(data, "steps", {"text": "Rest the forehead.", "position": "3"})
    assert admin_client.post(change_url(pose), data).status_code == 302
    newer, older = Version.objects.get_for_object(pose)
    return pose, older, newer


def test_the_comparison_names_changed_fields_and_added_removed_and_changed_steps(admin_client):
    pose, older, newer = two_versions(admin_client)

    comparison = compare_versions(older, newer)

    assert [(f.label, f.before, f.after) for f in comparison.changed_fields] == [
        ("summary", "The first words.", "Other words.")
    ]
    steps = next(g for g in comparison.parts if g.name == "steps")
    assert [(r.state, r.before, r.after) for r in steps.rows] == [
        ("changed", "Kneel.", "Kneel tall."),
        ("same", "Sit back.", "Sit back."),
        ("added", "", "Rest the forehead."),
        ("removed", "Fold forward.", ""),
    ]
    assert [(c.label, c.before, c.after) for c in steps.rows[0].changes] == [("text", "Kneel.", "Kneel tall.")]


def test_the_compare_page_shows_both_versions_side_by_side(admin_client):
    pose, older, newer = two_versions(admin_client)
    history = admin_client.get(reverse("admin:poses_pose_history", args=[pose.pk])).content.decode()
    assert "Compare the two versions" in history
    assert re.search(rf'name="a" value="{older.pk}"[^>]*checked', history)
    assert re.search(rf'name="b" value="{newer.pk}"[^>]*checked', history)

    url = reverse("admin:poses_pose_compare", args=[pose.pk])
    # Either order: the older version goes on the left.
    html = admin_client.get(url, {"a": newer.pk, "b": older.pk}).content.decode()

    assert html.index("The first words.") < html.index("Other words.")
    assert "Rest the forehead." in html and "Fold forward." in html
    for state in ("added", "removed", "changed"):
        assert f'class="compare-{state}"' in html


def test_moving_a_routine_step_shows_as_moved_and_only_that_step(admin_client):
    routine = complete_routine(steps=4)
    admin_client.post(routine_url(routine), routine_form(admin_client, routine_url(routine)))
    data = routine_form(admin_client, routine_url(routine))
    data["steps-3-position"], data["steps-0-position"] = "0", "1"
    data["steps-1-position"], data["steps-2-position"] = "2", "3"
    assert admin_client.post(routine_url(routine), data).status_code == 302
    newer, older = Version.objects.get_for_object(routine)

    steps = next(g for g in compare_versions(older, newer).parts if g.name == "routine steps")

    last = RoutineStep.objects.filter(routine=routine).order_by("position").first()
    assert [r.state for r in steps.rows] == ["moved", "same", "same", "same"]
    assert steps.rows[0].after == str(last)


def test_comparing_needs_two_versions_of_the_same_pose(admin_client):
    pose, older, newer = two_versions(admin_client)
    other, *_ = two_versions(admin_client)
    url = reverse("admin:poses_pose_compare", args=[other.pk])

    response = admin_client.get(url, {"a": older.pk, "b": newer.pk}, follow=True)

    assert "Choose two different versions to compare." in response.content.decode()
