"""Nothing an editor typed is lost after someone else changed the same parts, and History keeps only real
changes: rows deleted, added, changed or reordered meanwhile never trap the form, and a save that changed
nothing keeps no version."""

import pytest
from reversion.models import Version

from poses.models import Pose, PoseMuscle, PoseStep
from routines.models import RoutineStep
from tests.factories import MuscleFactory, PoseFactory, complete_routine
from tests.poses.test_admin import change_url, form_data
from tests.poses.test_admin_versions import posted_form, steps_of
from tests.routines.test_admin_versions import change_url as routine_url
from tests.routines.test_admin_versions import form_data as routine_form

pytestmark = pytest.mark.django_db


def other_editor_deletes(step):
    """Someone else deletes a step and saves the page (the admin saves the page with its parts)."""
    owner = step.pose if isinstance(step, PoseStep) else step.routine
    step.delete()
    type(owner).objects.get(pk=owner.pk).save()


def test_a_step_deleted_by_someone_else_comes_back_as_a_new_step_once_the_editor_confirms(admin_client):
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel.", "Sit back.", "Rest."])
    mine = form_data(admin_client, change_url(pose))
    other_editor_deletes(PoseStep.objects.get(pose=pose, text="Sit back."))
    mine["summary"] = "My words."
    mine["steps-1-text"] = "Sit back on the heels."

    response = admin_client.post(change_url(pose), mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this pose at" in html
    assert "Someone else deleted this step after you opened the page." in html
    shown = posted_form(response)
    assert shown["summary"] == "My words."
    assert [shown[f"steps-{n}-text"] for n in range(3)] == ["Kneel.", "Sit back on the heels.", "Rest."]
    assert steps_of(pose) == ["Kneel.", "Rest."]

    confirmed = admin_client.post(change_url(pose), shown)

    assert confirmed.status_code == 302
    assert steps_of(pose) == ["Kneel.", "Sit back on the heels.", "Rest."]
    assert Pose.objects.get(pk=pose.pk).summary == "My words."


def test_a_step_deleted_by_someone_else_can_be_let_go(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    mine = form_data(admin_client, change_url(pose))
    other_editor_deletes(PoseStep.objects.get(pose=pose, text="Sit back."))
    shown = posted_form(admin_client.post(change_url(pose), mine))
    shown["steps-1-DELETE"] = "on"

    assert admin_client.post(change_url(pose), shown).status_code == 302
    assert steps_of(pose) == ["Kneel."]


def test_rows_someone_else_added_are_kept_and_each_row_keeps_its_own_heading(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    mine = form_data(admin_client, change_url(pose))
    PoseStep.objects.create(pose=pose, text="Their first step.", position=0)
    Pose.objects.get(pk=pose.pk).save()
    mine["steps-0-text"] = "Kneel tall."

    response = admin_client.post(change_url(pose), mine)
    shown = posted_form(response)
    ids = [shown[f"steps-{n}-id"] for n in range(2)]
    assert ids == [
        str(pk) for pk in PoseStep.objects.filter(text__in=["Kneel.", "Sit back."]).values_list("pk", flat=True)
    ]

    assert admin_client.post(change_url(pose), shown).status_code == 302
    assert sorted(steps_of(pose)) == sorted(["Their first step.", "Kneel tall.", "Sit back."])


def test_a_row_someone_else_changed_is_marked_and_the_editors_version_is_saved_on_confirming(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    mine = form_data(admin_client, change_url(pose))
    PoseStep.objects.filter(pose=pose, text="Sit back.").update(text="Their words.")
    Pose.objects.get(pk=pose.pk).save()
    mine["steps-1-text"] = "My words."

    response = admin_client.post(change_url(pose), mine)

    html = response.content.decode()
    assert html.count("Someone else changed this step after you opened the page") == 1
    assert admin_client.post(change_url(pose), posted_form(response)).status_code == 302
    assert steps_of(pose) == ["Kneel.", "My words."]


def test_a_routine_step_deleted_by_someone_else_is_kept_with_its_variations(admin_client):
    routine = complete_routine(steps=3)
    mine = routine_form(admin_client, routine_url(routine))
    second = RoutineStep.objects.filter(routine=routine).order_by("position")[1]
    other_editor_deletes(second)
    mine["steps-1-instructions"] = "My instructions."

    response = admin_client.post(routine_url(routine), mine)

    assert response.status_code == 200
    assert "Someone else deleted this step after you opened the page." in response.content.decode()
    assert admin_client.post(routine_url(routine), posted_form(response, "routine_form")).status_code == 302
    steps = list(RoutineStep.objects.filter(routine=routine).order_by("position", "pk").prefetch_related("variations"))
    assert [s.instructions for s in steps][1] == "My instructions."
    assert len(steps) == 3
    assert {v.level for v in steps[1].variations.all()} == {"beginner", "advanced"}


# --- only real changes are recorded ----------------------------------------------------------


def versions_of(obj) -> int:
    return Version.objects.get_for_object(obj).count()


def test_saving_an_unchanged_pose_keeps_no_version_and_leaves_the_last_change_alone(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    data = form_data(admin_client, change_url(pose))
    data["summary"] = "Changed once."
    admin_client.post(change_url(pose), data)
    assert versions_of(pose) == 1
    changed_at = Pose.objects.get(pk=pose.pk).updated_at

    response = admin_client.post(change_url(pose), form_data(admin_client, change_url(pose)), follow=True)

    assert "Nothing to save" in response.content.decode()
    assert versions_of(pose) == 1
    assert Pose.objects.get(pk=pose.pk).updated_at == changed_at


def test_the_first_save_of_imported_content_keeps_a_version_and_an_unchanged_one_after_it_none(admin_client):
    routine = complete_routine(steps=4)
    for _ in range(2):
        data = routine_form(admin_client, routine_url(routine))
        assert admin_client.post(routine_url(routine), data).status_code == 302
    assert versions_of(routine) == 1


def test_renumbered_positions_that_did_not_move_are_not_a_change(admin_client):
    """Imported muscles are numbered within each role; the form numbers all rows from 0. Nothing moved."""
    pose = PoseFactory(steps=["Kneel."])
    for role, names in (("primary", ["Back", "Hips"]), ("secondary", ["Core", "Legs"])):
        for position, name in enumerate(names):
            PoseMuscle.objects.create(pose=pose, muscle=MuscleFactory(name=name), role=role, position=position)
    data = form_data(admin_client, change_url(pose))
    # As the page's script numbers the rows on submit.
    for n in range(4):
        data[f"pose_muscles-{n}-position"] = str(n)
    data["summary"] = "Only the summary changed."

    admin_client.post(change_url(pose), data)

    comment = Version.objects.get_for_object(pose).first().revision.get_comment()
    assert comment == "Changed Summary."
    assert sorted(PoseMuscle.objects.filter(pose=pose).values_list("role", "position")) == [
        ("primary", 0),
        ("primary", 1),
        ("secondary", 0),
        ("secondary", 1),
    ]


def test_a_row_that_moved_is_recorded(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    data = form_data(admin_client, change_url(pose))
    data["steps-0-position"], data["steps-1-position"] = "1", "0"

    admin_client.post(change_url(pose), data)

    assert steps_of(pose) == ["Sit back.", "Kneel."]
    assert "Changed Position" in Version.objects.get_for_object(pose).first().revision.get_comment()


def test_a_deleted_row_is_recorded_without_renumbering_noise(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back.", "Rest."])
    data = form_data(admin_client, change_url(pose))
    data["steps-0-DELETE"] = "on"
    data["steps-1-position"], data["steps-2-position"] = "0", "1"

    admin_client.post(change_url(pose), data)

    assert steps_of(pose) == ["Sit back.", "Rest."]
    assert Version.objects.get_for_object(pose).first().revision.get_comment() == "Deleted step “Kneel.”."


def test_an_image_credit_someone_else_changed_is_marked_and_the_editors_credit_and_side_are_saved(admin_client):
    from tests.factories import PoseImageFactory

    pose = PoseFactory(steps=["Kneel."])
    image = PoseImageFactory(pose=pose, credit="Photo: studio", side="")
    mine = form_data(admin_client, change_url(pose))
    type(image).objects.filter(pk=image.pk).update(credit="Photo: someone else")
    Pose.objects.get(pk=pose.pk).save()
    mine["images-0-credit"] = "Photo: A. Rao, CC BY 4.0"
    mine["images-0-side"] = "right"

    response = admin_client.post(change_url(pose), mine)

    assert "Someone else changed this image after you opened the page" in response.content.decode()
    assert admin_client.post(change_url(pose), posted_form(response)).status_code == 302
    image.refresh_from_db()
    assert (image.credit, image.side) == ("Photo: A. Rao, CC BY 4.0", "right")


def test_line_breaks_saved_from_a_browser_are_not_a_change_by_someone_else(admin_client):
    routine = complete_routine(steps=2)
    mine = routine_form(admin_client, routine_url(routine))
    # The other editor's browser saved the same text with CRLF line breaks.
    for step in RoutineStep.objects.filter(routine=routine):
        RoutineStep.objects.filter(pk=step.pk).update(instructions=step.instructions.replace("\n", "\r\n"))
    type(routine).objects.get(pk=routine.pk).save()
    mine["title"] = "Mine"

    response = admin_client.post(routine_url(routine), mine)

    assert "Someone else saved this routine" in response.content.decode()
    assert "Someone else changed this step" not in response.content.decode()
