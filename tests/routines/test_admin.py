import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from poses.models import Pose
from routines.models import Routine, RoutineStep
from tests.factories import (
    PoseFactory,
    RoutineFactory,
    RoutineImageFactory,
    RoutineStepFactory,
    StepVariationFactory,
)
from workflow.editing import change_token

pytestmark = pytest.mark.django_db

STEP_DEFAULTS = {
    "pose": "",
    "title": "",
    "instructions": "",
    "hold_value": "30",
    "hold_kind": "seconds",
    "repetitions": "1",
    "sides": "none",
    "first_side": "right",
    "advance": "auto",
    "section_title": "",
    "variation_beginner": "",
    "variation_intermediate": "",
    "variation_advanced": "",
}


def routine_form(steps, *, initial_steps=0, **fields):
    """POST data for the routine page: the routine's fields, its steps inline and no images."""
    data = {
        "title": "Back Strengthening Flow",
        "slug": "back-strengthening-flow",
        "level": "beginner",
        "summary": "",
        "tags": "back, strength",
        "breath_seconds": "4.5",
        "transition_seconds": "5",
        "author": "",
        "related_links-TOTAL_FORMS": "0",
        "related_links-INITIAL_FORMS": "0",
        "related_links-MIN_NUM_FORMS": "0",
        "related_links-MAX_NUM_FORMS": "1000",
        "body": "",
        "safety_note": "",
        "video_url": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "steps-TOTAL_FORMS": str(len(steps)),
        "steps-INITIAL_FORMS": str(initial_steps),
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, step in enumerate(steps):
        for key, value in {**STEP_DEFAULTS, "position": str(index), **step}.items():
            if value is True:
                value = "on"
            if value is not False:
                data[f"steps-{index}-{key}"] = value
    return data


def test_the_routine_page_creates_a_routine_with_steps_variations_and_its_duration(admin_client):
    sphinx, cobra = PoseFactory(name="Sphinx Pose"), PoseFactory(name="Cobra Pose")
    steps = [
        {
            "pose": sphinx.pk,
            "hold_kind": "breaths",
            "hold_value": "10",
            "variation_beginner": "Keep the forearms down.",
        },
        {
            "pose": cobra.pk,
            "hold_value": "20",
            "repetitions": "3",
            "sides": "both",
            "first_side": "left",
            "advance": "manual",
            "variation_advanced": "Lift the hands.",
            "variation_intermediate": "Hands light.",
        },
        {"title": "Rest", "hold_value": "60", "starts_section": True, "section_title": "Cool down"},
    ]
    response = admin_client.post(reverse("admin:routines_routine_add"), routine_form(steps))
    assert response.status_code == 302, response.context["adminform"].form.errors

    routine = Routine.objects.get(slug="back-strengthening-flow")
    saved = list(routine.steps.all())
    assert [s.display_title for s in saved] == ["Sphinx Pose", "Cobra Pose", "Rest"]
    assert (saved[1].sides, saved[1].first_side, saved[1].advance, saved[1].repetitions) == (
        "both",
        "left",
        "manual",
        3,
    )
    assert [(s.starts_section, s.section_title) for s in saved] == [(False, ""), (False, ""), (True, "Cool down")]
    assert [v.level for v in saved[0].variations.all()] == ["beginner"]
    assert [(v.level, v.instructions) for v in saved[1].variations.all()] == [
        ("intermediate", "Hands light."),
        ("advanced", "Lift the hands."),
    ]
    # 10 breaths × 4.5 s + 20 s × 3 × 2 sides + 60 s, and 5 s to move into each of 4 stops
    assert routine.duration_seconds == 45 + 120 + 60 + 20
    assert sorted(routine.tags.names()) == ["back", "strength"]


def test_editing_steps_updates_variations_and_the_duration(admin_client):
    routine = RoutineFactory(breath_seconds=5)
    step = RoutineStepFactory(routine=routine, hold_value=30)
    StepVariationFactory(step=step, level="beginner", instructions="Old text.")
    url = reverse("admin:routines_routine_change", args=[routine.pk])

    page = admin_client.get(url)
    assert "Old text." in page.content.decode()

    data = routine_form(
        [
            {
                "id": step.pk,
                "routine": routine.pk,
                "pose": step.pose_id,
                "hold_value": "120",
                "variation_advanced": "New",
            }
        ],
        initial_steps=1,
        title=routine.title,
        slug=routine.slug,
        breath_seconds="5",
        status="published",
        published_at_0="2026-01-01",
        published_at_1="10:00:00",
        last_change_seen=change_token(routine.updated_at),
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    routine.refresh_from_db()
    assert routine.duration_seconds == 120 + 5
    assert [(v.level, v.instructions) for v in step.variations.all()] == [("advanced", "New")]

    listing = admin_client.get(reverse("admin:routines_routine_changelist")).content.decode()
    assert '<td class="field-duration">2 min</td>' in listing


def test_a_step_without_pose_or_title_is_refused_with_a_message_and_nothing_is_saved(admin_client):
    response = admin_client.post(reverse("admin:routines_routine_add"), routine_form([{"instructions": "Lie down."}]))
    assert response.status_code == 200
    assert "A step without a pose needs a title" in response.content.decode()
    assert not Routine.objects.exists()


def test_a_hold_out_of_range_is_refused_with_a_message(admin_client):
    pose = PoseFactory()
    response = admin_client.post(
        reverse("admin:routines_routine_add"), routine_form([{"pose": pose.pk, "hold_value": "4000"}])
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 3600" in response.content.decode()
    assert not Routine.objects.exists()


def test_the_change_page_shows_the_computed_duration_and_sections(admin_client):
    routine = RoutineFactory(duration_seconds=0)
    RoutineStepFactory(routine=routine, hold_value=600, sides="both")
    RoutineStepFactory(routine=routine, hold_value=300, starts_section=True, section_title="Floor")
    routine.duration_seconds = 1500
    routine.save()
    content = admin_client.get(reverse("admin:routines_routine_change", args=[routine.pk])).content.decode()
    assert "<strong>25 min</strong> — 2 steps, 2 sections" in content
    assert "<li>Floor: 5 min</li>" in content


def test_the_routine_list_shows_what_editors_need_in_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    for n in range(30):
        routine = RoutineFactory(title=f"Flow {n:02}", duration_seconds=1380)
        routine.tags.add("back")
        RoutineImageFactory(routine=routine)
        RoutineStepFactory.create_batch(3, routine=routine)
    RoutineFactory(title="Later Flow", published_at=timezone.now() + timezone.timedelta(days=3))
    with django_assert_max_num_queries(8):
        response = admin_client.get(reverse("admin:routines_routine_changelist"))
    content = response.content.decode()
    assert content.count("23 min") == 30
    assert content.count('<td class="field-step_count">3</td>') == 30
    assert "Scheduled for" in content
    assert content.count("/w320.webp") == 30


def test_the_routine_list_filters_by_tag(admin_client):
    tagged, other = RoutineFactory(title="Tagged Flow"), RoutineFactory(title="Other Flow")
    tagged.tags.add("hips")
    hips = tagged.tags.get()
    url = reverse("admin:routines_routine_changelist")
    assert f"?tags__id__exact={hips.pk}" in admin_client.get(url).content.decode()
    content = admin_client.get(f"{url}?tags__id__exact={hips.pk}").content.decode()
    assert "Tagged Flow" in content and other.title not in content


def test_deleting_a_pose_used_in_a_routine_is_refused_and_says_where(admin_client):
    routine = RoutineFactory(title="Back Strengthening Flow")
    RoutineStepFactory.create_batch(2, routine=routine)
    sphinx = PoseFactory(name="Sphinx Pose")
    RoutineStepFactory(routine=routine, pose=sphinx)
    url = reverse("admin:poses_pose_delete", args=[sphinx.pk])

    content = admin_client.get(url).content.decode()
    assert "Step 3 of Back Strengthening Flow: Sphinx Pose" in content
    assert "would require deleting the following protected related objects" in content
    assert "Yes, I’m sure" not in content

    admin_client.post(url, {"post": "yes"})
    assert Pose.objects.filter(pk=sphinx.pk).exists()
    assert RoutineStep.objects.filter(pose=sphinx).exists()


def test_duplicate_action_makes_a_draft_copy(admin_client):
    routine = RoutineFactory(title="Hip Flow", slug="hip-flow")
    RoutineStepFactory(routine=routine)
    response = admin_client.post(
        reverse("admin:routines_routine_changelist"),
        {"action": "duplicate_as_draft", "_selected_action": [routine.pk]},
        follow=True,
    )
    copy = Routine.objects.get(slug="hip-flow-copy")
    assert copy.status == "draft" and copy.steps.count() == 1
    assert "Copied “Hip Flow” as the draft “Hip Flow (copy)”." in response.content.decode()


def test_view_on_site_opens_a_draft_for_the_editor(admin_client, client):
    routine = RoutineFactory(slug="quiet-evening", status="draft")
    RoutineStepFactory(routine=routine)
    change = admin_client.get(reverse("admin:routines_routine_change", args=[routine.pk])).content.decode()
    assert "View on site" in change
    content_type = ContentType.objects.get_for_model(Routine)
    response = admin_client.get(reverse("admin:view_on_site", args=[content_type.pk, routine.pk]))
    assert response.status_code == 302 and response.url.endswith("/routines/quiet-evening/")
    assert admin_client.get("/routines/quiet-evening/").status_code == 200
    assert client.get("/routines/quiet-evening/").status_code == 404


def test_a_routine_cannot_be_published_without_steps(admin_client):
    response = admin_client.post(reverse("admin:routines_routine_add"), routine_form([], status="published"))
    assert response.status_code == 200
    assert "A published routine needs at least one step." in response.content.decode()
    assert not Routine.objects.exists()

    admin_client.post(reverse("admin:routines_routine_add"), routine_form([], status="draft"))
    assert Routine.objects.get().status == "draft"
