"""History, revert, recover and edit conflicts on the pose admin."""

import re
from html import unescape

import pytest
from django.urls import reverse
from reversion.models import Version

from poses.models import Category, Pose, PoseStep, Status
from tests.factories import (
    CategoryFactory,
    EquipmentFactory,
    MuscleFactory,
    PoseFactory,
    PoseImageFactory,
    complete_pose,
)
from tests.poses.test_admin import FormReader, add_rows, change_url
from tests.poses.test_admin import form_data as opened_form
from tests.yogasite.test_import_content import document, write_document
from yogasite.content import importer

pytestmark = pytest.mark.django_db

LIST_URL = reverse("admin:poses_pose_changelist")
PARTS = ["steps", "tips", "benefits", "mistakes", "faqs", "other_names", "pose_muscles", "images"]


def form_data(client, url: str) -> dict:
    """The form as an Editor publishes it (live content saved without Publish only makes a draft)."""
    return {**opened_form(client, url), "_publish": "Publish"}


def history_links(client, pose) -> list[str]:
    """The links to the pose's saved versions on its History page, newest first."""
    html = client.get(reverse("admin:poses_pose_history", args=[pose.pk])).content.decode()
    return re.findall(rf'href="(/admin/poses/pose/{pose.pk}/history/\d+/)"', html)


def posted_form(response, form_id: str = "pose_form") -> dict:
    """What the form in `response` posts if the editor saves it as shown."""
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, "the form was not found"
    return reader.data


def save_unchanged(client, pose):
    response = client.post(change_url(pose), form_data(client, change_url(pose)))
    assert response.status_code == 302


def steps_of(pose) -> list[str]:
    return list(PoseStep.objects.filter(pose=pose).order_by("position", "pk").values_list("text", flat=True))


def textareas(html: str, prefix: str) -> list[str]:
    """The texts in the form's `prefix` inline rows, in page order, leaving out blank rows."""
    found = re.findall(rf'<textarea name="{prefix}-\d+-text"[^>]*>\n?(.*?)</textarea>', html)
    return [unescape(text) for text in found if text]


# --- History and revert --------------------------------------------------------


def test_reverting_to_an_earlier_version_brings_back_the_steps_in_their_order(admin_client):
    pose = PoseFactory(steps=["Kneel.", "Sit back.", "Fold forward."])
    save_unchanged(admin_client, pose)
    data = form_data(admin_client, change_url(pose))
    data.update({"steps-0-position": "2", "steps-1-text": "Sit back on the heels.", "steps-2-DELETE": ["on"]})
    add_rows(data, "steps", {"text": "Rest the forehead.", "position": "3"})
    assert admin_client.post(change_url(pose), data).status_code == 302
    assert steps_of(pose) == ["Sit back on the heels.", "Kneel.", "Rest the forehead."]

    links = history_links(admin_client, pose)
    assert len(links) == 2
    earlier = admin_client.get(links[-1])

    # The earlier version is shown in the form, and looking at it changes nothing.
    html = earlier.content.decode()
    assert textareas(html, "steps") == ["Kneel.", "Sit back.", "Fold forward."]
    assert "Press Save to make this the current version again" in html
    assert steps_of(pose) == ["Sit back on the heels.", "Kneel.", "Rest the forehead."]

    response = admin_client.post(links[-1], posted_form(earlier), follow=True)

    # A live pose: the earlier version becomes its draft, and the live page is left as it was.
    assert response.redirect_chain == [(change_url(pose), 302)]
    assert "The earlier version is now the draft" in response.content.decode()
    assert steps_of(pose) == ["Sit back on the heels.", "Kneel.", "Rest the forehead."]
    assert textareas(response.content.decode(), "steps") == ["Kneel.", "Sit back.", "Fold forward."]

    assert admin_client.post(change_url(pose), form_data(admin_client, change_url(pose))).status_code == 302
    assert steps_of(pose) == ["Kneel.", "Sit back.", "Fold forward."]
    assert len(history_links(admin_client, pose)) == 3


def test_reverting_brings_back_the_fields_props_tags_and_muscles(admin_client):
    mat, block = EquipmentFactory(name="Mat"), EquipmentFactory(name="Block")
    back, legs = MuscleFactory(name="Lower Back"), MuscleFactory(name="Quadriceps")
    pose = PoseFactory(summary="The first words.", primary=[back])
    pose.equipment.set([mat])
    pose.tags.add("heart opener")
    save_unchanged(admin_client, pose)
    data = form_data(admin_client, change_url(pose))
    data.update(summary="Other words.", equipment=[str(block.pk)], tags="strength")
    data["pose_muscles-0-muscle"] = str(legs.pk)
    assert admin_client.post(change_url(pose), data).status_code == 302

    earlier = history_links(admin_client, pose)[-1]
    admin_client.post(earlier, posted_form(admin_client.get(earlier)))
    admin_client.post(change_url(pose), form_data(admin_client, change_url(pose)))

    pose = Pose.objects.get(pk=pose.pk)
    assert pose.summary == "The first words."
    assert [e.name for e in pose.equipment.all()] == ["Mat"]
    assert list(pose.tags.names()) == ["heart opener"]
    assert [m.name for m in pose.primary_muscles] == ["Lower Back"]


def test_a_pose_never_saved_in_the_admin_has_no_history_until_it_is(admin_client):
    pose = PoseFactory()
    html = admin_client.get(reverse("admin:poses_pose_history", args=[pose.pk])).content.decode()
    assert "No saved versions yet." in html

    save_unchanged(admin_client, pose)

    assert len(history_links(admin_client, pose)) == 1


def test_the_history_page_takes_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    pose = PoseFactory()
    for n in range(30):
        data = form_data(admin_client, change_url(pose))
        data["summary"] = f"Words, version {n}."
        admin_client.post(change_url(pose), data)
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:poses_pose_history", args=[pose.pk]))
    assert len(re.findall(r'href="/admin/poses/pose/\d+/history/\d+/"', response.content.decode())) == 30


def test_a_pose_the_import_changed_since_can_still_be_reverted(admin_client, tmp_path):
    def import_pose(steps: list[str], muscle: str):
        pose = {"slug": "sphinx-pose", "name": "Sphinx Pose", "steps": steps, "muscles": {"primary": [muscle]}}
        muscles = [{"slug": "lower-back", "name": "Lower Back"}, {"slug": "glutes", "name": "Glutes"}]
        importer.import_document(path=write_document(tmp_path, document(muscles=muscles, poses=[pose])))
        return Pose.objects.get(slug="sphinx-pose")

    pose = import_pose(["Lie on your front.", "Rest on the forearms."], "lower-back")
    save_unchanged(admin_client, pose)
    # The import writes in bulk and keeps no version; it replaces every part.
    import_pose(["Lie down."], "glutes")

    earlier = history_links(admin_client, pose)[-1]
    response = admin_client.post(earlier, posted_form(admin_client.get(earlier)))

    assert response.status_code == 302
    assert steps_of(pose) == ["Lie on your front.", "Rest on the forearms."]
    assert [m.name for m in Pose.objects.get(pk=pose.pk).primary_muscles] == ["Lower Back"]


# --- Delete and recover ----------------------------------------------------------


def test_a_deleted_pose_is_recovered_with_all_its_parts(admin_client):
    # Made as the content import makes it: never saved in the admin, so with no version yet.
    pose = complete_pose(
        name="Backbend",
        slug="backbend",
        other_names=["Wheel Pose"],
        primary=[MuscleFactory(name="Lower Back")],
        equipment=[EquipmentFactory(name="Mat")],
        tags=["heart opener"],
        images=0,
    )
    PoseImageFactory(pose=pose, alt="A wheel", position=0)
    parts = {name: list(getattr(pose, name).values_list("pk", flat=True)) for name in PARTS}
    assert all(parts.values())

    admin_client.post(reverse("admin:poses_pose_delete", args=[pose.pk]), {"post": "yes"})
    assert not Pose.objects.filter(pk=pose.pk).exists()

    listing = admin_client.get(LIST_URL).content.decode()
    assert "Recover deleted poses" in listing
    recover_list = admin_client.get(reverse("admin:poses_pose_recoverlist")).content.decode()
    assert "Backbend" in recover_list
    link = re.search(r'href="(/admin/poses/pose/recover/\d+/)"', recover_list).group(1)
    shown = admin_client.get(link)
    assert "Press Save to bring it back" in shown.content.decode()
    assert not Pose.objects.filter(pk=pose.pk).exists()

    response = admin_client.post(link, posted_form(shown), follow=True)

    assert response.redirect_chain == [(change_url(pose), 302)]
    assert "Recovered the pose" in response.content.decode()
    pose = Pose.objects.get(pk=pose.pk)
    assert {name: list(getattr(pose, name).values_list("pk", flat=True)) for name in PARTS} == parts
    assert steps_of(pose) == ["Backbend step 1.", "Backbend step 2.", "Backbend step 3."]
    assert [o.name for o in pose.other_names.all()] == ["Wheel Pose"]
    assert pose.main_image.alt == "A wheel" and pose.main_image.renditions
    assert [e.name for e in pose.equipment.all()] == ["Mat"]
    assert list(pose.tags.names()) == ["heart opener"]
    assert (
        "There are no deleted poses to recover."
        in admin_client.get(reverse("admin:poses_pose_recoverlist")).content.decode()
    )


def test_poses_deleted_from_the_list_can_each_be_recovered(admin_client, django_assert_max_num_queries):
    poses = [PoseFactory(name=f"Pose {n:02}") for n in range(20)]
    admin_client.post(LIST_URL, {"action": "delete_selected", "_selected_action": [p.pk for p in poses], "post": "yes"})
    assert not Pose.objects.exists()

    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:poses_pose_recoverlist"))

    html = response.content.decode()
    assert all(f"Pose {n:02}" in html for n in range(20))
    assert len(re.findall(r'href="/admin/poses/pose/recover/\d+/"', html)) == 20


def test_a_deleted_category_can_be_recovered(admin_client):
    category = CategoryFactory(name="Backbends", slug="backbends")
    admin_client.post(reverse("admin:poses_category_delete", args=[category.pk]), {"post": "yes"})

    link = re.search(
        r'href="(/admin/poses/category/recover/\d+/)"',
        admin_client.get(reverse("admin:poses_category_recoverlist")).content.decode(),
    ).group(1)
    admin_client.post(link, posted_form(admin_client.get(link), "category_form"))

    assert Category.objects.get(pk=category.pk).name == "Backbends"


# --- Actions ------------------------------------------------------------------


def test_publishing_from_the_list_keeps_a_version_of_each_pose(admin_client):
    first, second = PoseFactory(status=Status.DRAFT), PoseFactory(status=Status.DRAFT)

    admin_client.post(LIST_URL, {"action": "publish", "_selected_action": [first.pk, second.pk]})

    for pose in (first, second):
        version = Version.objects.get_for_object(pose).get()
        assert version.revision.get_comment() == "Published"
        assert version.field_dict["status"] == Status.PUBLISHED
        # One revision per pose: reverting one never rolls back the other.
        assert {v.object_id for v in version.revision.version_set.filter(content_type=version.content_type)} == {
            str(pose.pk)
        }
    html = admin_client.get(reverse("admin:poses_pose_history", args=[first.pk])).content.decode()
    assert "Published" in html


def test_unpublishing_and_duplicating_keep_versions(admin_client):
    pose = PoseFactory(name="Cobra Pose", slug="cobra")

    admin_client.post(LIST_URL, {"action": "unpublish", "_selected_action": [pose.pk]})
    admin_client.post(LIST_URL, {"action": "duplicate", "_selected_action": [pose.pk]})

    assert Version.objects.get_for_object(pose).get().revision.get_comment() == "Unpublished"
    copy = Pose.objects.get(slug="cobra-copy")
    version = Version.objects.get_for_object(copy).get()
    assert version.revision.get_comment() == "Duplicated from “Cobra Pose”"
    assert version.revision.version_set.filter(object_repr="Do the first thing for Cobra Pose.").exists()


# --- Edit conflicts ---------------------------------------------------------------


def test_a_save_over_someone_elses_newer_save_is_refused_and_keeps_the_typed_input(admin_client):
    pose = PoseFactory(summary="The first words.", steps=["Kneel."])
    mine = form_data(admin_client, change_url(pose))
    # Someone else saves the pose in the meantime.
    other = Pose.objects.get(pk=pose.pk)
    other.summary = "Their words."
    other.save()
    mine["summary"] = "My words."
    mine["steps-0-text"] = "Kneel tall."
    add_rows(mine, "steps", {"text": "Sit back.", "position": "1"})

    response = admin_client.post(change_url(pose), mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this pose at" in html
    assert "since you opened it. Your changes are still in the form below;" in html
    assert (
        f'<a href="{change_url(pose)}" target="_blank" rel="noopener">open the current version in a new tab</a>' in html
    )
    shown = posted_form(response)
    assert shown["summary"] == "My words."
    assert textareas(html, "steps") == ["Kneel tall.", "Sit back."]
    pose.refresh_from_db()
    assert pose.summary == "Their words."
    assert steps_of(pose) == ["Kneel."]

    # Saving again, now knowing, overwrites.
    assert admin_client.post(change_url(pose), {**shown, "_publish": "Publish"}).status_code == 302
    pose.refresh_from_db()
    assert pose.summary == "My words."
    assert steps_of(pose) == ["Kneel tall.", "Sit back."]


def test_a_save_without_the_time_the_form_was_opened_is_refused(admin_client):
    pose = PoseFactory(summary="The first words.")
    data = form_data(admin_client, change_url(pose))
    del data["last_change_seen"]
    data["summary"] = "My words."

    response = admin_client.post(change_url(pose), data)

    assert response.status_code == 200
    assert "Someone else saved this pose" in response.content.decode()
    pose.refresh_from_db()
    assert pose.summary == "The first words."


def test_saving_twice_in_a_row_is_not_a_conflict(admin_client):
    pose = PoseFactory()
    for words in ("First.", "Second."):
        data = form_data(admin_client, change_url(pose))
        data["summary"] = words
        assert admin_client.post(change_url(pose), data).status_code == 302
    pose.refresh_from_db()
    assert pose.summary == "Second."


def test_the_change_form_loads_the_unsaved_changes_guard(admin_client):
    pose = PoseFactory()
    for url in (reverse("admin:poses_pose_add"), change_url(pose)):
        assert 'src="/static/admin/yogasite/unsaved-changes.js" defer' in admin_client.get(url).content.decode()
