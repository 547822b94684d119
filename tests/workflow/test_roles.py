"""Roles and the right to publish: Contributors draft and submit, Editors publish; the rule is enforced
in the change form, the list actions, History, recovery and the import."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from poses.models import Pose, Status
from routines.models import Routine
from tests.factories import PoseFactory, complete_pose, complete_routine
from tests.yogasite.test_import_content import document, write_document
from workflow.models import Activity, Draft
from workflow.roles import can_publish, can_publish_obj
from yogasite.content.importer import import_document
from yogasite.content.schema import ContentInvalid

from .conftest import form_of

pytestmark = pytest.mark.django_db


def pose_url(pose):
    return reverse("admin:poses_pose_change", args=[pose.pk])


def test_the_three_roles_exist_with_their_rights(contributor, editor, django_user_model):
    assert set(Group.objects.values_list("name", flat=True)) >= {"Contributor", "Editor", "Site admin"}
    assert not can_publish(contributor, Pose) and not can_publish(contributor, Routine)
    assert contributor.has_perms(["poses.add_pose", "poses.change_pose", "routines.add_routine"])
    assert not contributor.has_perm("poses.delete_pose") and not contributor.has_perm("routines.delete_routine")
    assert can_publish(editor, Pose) and can_publish_obj(editor, complete_routine(steps=1))
    assert not editor.has_perm("auth.change_user")
    admin = django_user_model.objects.create_user("sam", is_staff=True)
    admin.groups.add(Group.objects.get(name="Site admin"))
    assert admin.has_perms(["auth.change_user", "auth.add_group", "poses.publish_pose", "workflow.view_activity"])


def test_a_contributor_sees_every_part_of_a_pose_without_a_permission_per_part(contributor_client):
    pose = complete_pose(steps=2, primary=[], images=1)
    html = contributor_client.get(pose_url(pose)).content.decode()
    for prefix in ("steps", "pose_muscles", "images", "tips", "benefits", "mistakes", "faqs", "other_names"):
        assert f'name="{prefix}-TOTAL_FORMS"' in html, prefix
    routine = complete_routine(steps=2)
    html = contributor_client.get(reverse("admin:routines_routine_change", args=[routine.pk])).content.decode()
    assert 'name="steps-TOTAL_FORMS"' in html and "variation_beginner" in html


def test_a_contributor_has_no_publish_button_and_a_forged_publish_is_refused(contributor_client):
    pose = complete_pose(name="Camel")
    html = contributor_client.get(pose_url(pose)).content.decode()
    assert 'name="_publish"' not in html and 'name="_unpublish"' not in html
    assert 'name="_submit"' in html and 'name="_save_draft"' in html
    data = form_of(contributor_client, pose_url(pose), "pose_form")

    for button in ("_publish", "_unpublish"):
        response = contributor_client.post(pose_url(pose), {**data, "name": "Forged", button: "1"})
        assert response.status_code == 403
    assert Pose.objects.get().name == "Camel" and Pose.objects.get().is_public

    # A new pose saved by a contributor stays a draft, whatever the form says.
    add = form_of(contributor_client, reverse("admin:poses_pose_add"), "pose_form")
    add.update(name="Crow", slug="crow", status="published", **{"steps-0-text": "Squat."})
    assert contributor_client.post(reverse("admin:poses_pose_add"), add).status_code == 302
    assert Pose.objects.get(slug="crow").status == Status.DRAFT


def test_a_contributors_save_of_a_live_pose_is_a_draft(contributor_client):
    pose = complete_pose(name="Camel")
    data = form_of(contributor_client, pose_url(pose), "pose_form")
    assert contributor_client.post(pose_url(pose), {**data, "name": "Camel, kinder"}).status_code == 302
    assert Pose.objects.get().name == "Camel"
    assert Draft.objects.get().author.username == "carla"


@pytest.mark.parametrize("action", ["publish", "unpublish", "schedule"])
def test_a_contributor_cannot_run_the_publishing_actions(contributor_client, action):
    draft = PoseFactory(status=Status.DRAFT, name="Draft pose")
    live = PoseFactory(name="Live pose")
    listing = contributor_client.get(reverse("admin:poses_pose_changelist")).content.decode()
    assert f'value="{action}"' not in listing

    contributor_client.post(
        reverse("admin:poses_pose_changelist"),
        {
            "action": action,
            "_selected_action": [draft.pk, live.pk],
            "confirm_schedule": "1",
            "publish_at_0": "2099-01-01",
            "publish_at_1": "10:00",
        },
    )
    draft.refresh_from_db()
    live.refresh_from_db()
    assert draft.status == Status.DRAFT and live.is_public and not Draft.objects.exists()
    routines_list = contributor_client.get(reverse("admin:routines_routine_changelist")).content.decode()
    assert f'value="{action}"' not in routines_list


def test_the_routine_list_has_the_publishing_actions_for_editors(editor_client):
    draft = complete_routine(steps=2, status=Status.DRAFT, published_at=None)
    html = editor_client.get(reverse("admin:routines_routine_changelist")).content.decode()
    for action in ("publish", "unpublish", "schedule"):
        assert f'value="{action}"' in html
    editor_client.post(
        reverse("admin:routines_routine_changelist"), {"action": "publish", "_selected_action": [draft.pk]}
    )
    draft.refresh_from_db()
    assert draft.is_public


def history_links(client, pose) -> list[str]:
    html = client.get(reverse("admin:poses_pose_history", args=[pose.pk])).content.decode()
    return re.findall(rf'href="(/admin/poses/pose/{pose.pk}/history/\d+/)"', html)


def test_reverting_in_history_makes_a_draft_and_never_unpublishes(contributor_client, editor_client):
    from tests.poses.test_admin_versions import posted_form

    pose = complete_pose(name="Camel", steps=2)
    data = {**form_of(editor_client, pose_url(pose), "pose_form"), "_publish": "Publish"}
    editor_client.post(pose_url(pose), data)
    editor_client.post(
        pose_url(pose),
        {**form_of(editor_client, pose_url(pose), "pose_form"), "name": "Camel 2", "_publish": "Publish"},
    )
    earlier = history_links(editor_client, pose)[-1]
    before = Client().get(pose.get_absolute_url()).content

    response = contributor_client.post(earlier, posted_form(contributor_client.get(earlier)))

    assert response.status_code == 302
    pose.refresh_from_db()
    assert pose.name == "Camel 2" and pose.is_public
    assert Client().get(pose.get_absolute_url()).content == before
    assert form_of(contributor_client, pose_url(pose), "pose_form")["name"] == "Camel"
    assert Activity.objects.filter(kind=Activity.Kind.REVERTED, user__username="carla").exists()


def test_reverting_a_draft_pose_to_a_published_version_keeps_it_a_draft(editor_client):
    from tests.poses.test_admin_versions import posted_form

    pose = complete_pose(name="Camel", steps=2)
    editor_client.post(pose_url(pose), {**form_of(editor_client, pose_url(pose), "pose_form"), "_publish": "1"})
    editor_client.post(pose_url(pose), {**form_of(editor_client, pose_url(pose), "pose_form"), "_unpublish": "1"})
    earlier = history_links(editor_client, pose)[-1]
    editor_client.post(earlier, posted_form(editor_client.get(earlier)))
    pose.refresh_from_db()
    assert pose.status == Status.DRAFT and not pose.is_public


def test_a_published_pose_recovered_by_a_contributor_comes_back_as_a_draft(contributor_client, editor_client):
    from tests.poses.test_admin_versions import posted_form

    pose = complete_pose(name="Camel", slug="camel", steps=2)
    editor_client.post(reverse("admin:poses_pose_delete", args=[pose.pk]), {"post": "yes"})
    assert not Pose.objects.exists()
    recover_list = contributor_client.get(reverse("admin:poses_pose_recoverlist")).content.decode()
    link = re.search(r'href="(/admin/poses/pose/recover/\d+/)"', recover_list).group(1)

    contributor_client.post(link, posted_form(contributor_client.get(link)))

    recovered = Pose.objects.get(slug="camel")
    assert recovered.status == Status.DRAFT
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {Activity.Kind.DELETED, Activity.Kind.RECOVERED} <= kinds


def test_the_import_refuses_to_publish_for_a_contributor(contributor, editor, tmp_path):
    live = complete_pose(name="Camel", slug="camel")
    path = write_document(
        tmp_path,
        document(
            poses=[
                {"slug": "crow", "name": "Crow", "status": "published", "steps": ["Squat."]},
                {"slug": "camel", "name": "Camel, renamed", "steps": ["Kneel."]},
            ]
        ),
    )
    with pytest.raises(ContentInvalid) as refused:
        import_document(path=path, user=contributor)
    assert [p.path for p in refused.value.problems] == ["poses[0]", "poses[1]"]
    assert not Pose.objects.filter(slug="crow").exists() and Pose.objects.get(pk=live.pk).name == "Camel"

    import_document(path=path, user=editor)
    assert Pose.objects.get(slug="crow").is_public
    assert Activity.objects.filter(kind=Activity.Kind.IMPORTED, user=editor).exists()


def test_the_import_command_takes_a_user_and_explains_a_refusal(contributor, tmp_path):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = write_document(
        tmp_path, document(poses=[{"slug": "crow", "name": "Crow", "status": "published", "steps": ["Squat."]}])
    )
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_content", str(path), "--user", "carla", stderr=err, stdout=StringIO())
    assert "poses[0]" in err.getvalue() and "ask an Editor" in err.getvalue()
    with pytest.raises(CommandError, match="No active user"):
        call_command("import_content", str(path), "--user", "nobody", stderr=StringIO(), stdout=StringIO())
