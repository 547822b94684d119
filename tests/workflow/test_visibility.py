"""Nothing leaked: no part of a pose that visitors cannot see (draft, scheduled, unpublished) reaches
any public page, the routine's pages, player stops and their script data, JSON-LD and Open Graph
included."""

import json
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from poses.models import Pose, Status
from routines.models import Routine, RoutineStep
from tests.factories import (
    EquipmentFactory,
    MuscleFactory,
    PoseImageFactory,
    RoutineStepFactory,
    complete_pose,
    complete_routine,
    image_upload,
)
from workflow import publishing

pytestmark = pytest.mark.django_db


def hidden_pose(kind: str, muscle):
    """A pose visitors must not see, with every part a page could show."""
    fields = {
        "draft": {"status": Status.DRAFT, "published_at": None},
        "scheduled": {"published_at": timezone.now() + timedelta(days=2)},
        "expired": {"unpublish_at": timezone.now() - timedelta(minutes=1)},
    }[kind]
    pose = complete_pose(
        name=f"Secret {kind} crow",
        sanskrit_name=f"Guhya {kind} Bakāsana",
        slug=f"secret-{kind}-crow",
        summary=f"Hidden {kind} summary.",
        primary=[muscle],
        images=0,
        **fields,
    )
    pose.equipment.set([EquipmentFactory(slug=f"hidden-{kind}-prop", name=f"Hidden {kind} prop")])
    PoseImageFactory(pose=pose, file=image_upload(size=(480, 360), color="#123456"), alt=f"Hidden {kind} alt text")
    return pose


def secrets_of(pose) -> list[str]:
    image = pose.images.get()
    return [
        pose.name,
        pose.sanskrit_name,
        pose.summary,
        pose.get_absolute_url(),
        image.alt,
        image.file.name,
        *[r["name"] for r in image.renditions],
        *[s.text for s in pose.steps.all()],
    ]


@pytest.fixture
def routine_with_hidden_poses():
    muscle = MuscleFactory(slug="core", name="Core")
    routine = complete_routine(steps=4, title="Open Flow", slug="open-flow")
    hidden = [hidden_pose(kind, muscle) for kind in ("draft", "scheduled", "expired")]
    for offset, pose in enumerate(hidden):
        RoutineStepFactory(
            routine=routine,
            position=10 + offset,
            pose=pose,
            title="" if offset == 2 else f"Balance {offset}",
            instructions=f"Own words of step {offset}.",
        )
    # A published pose that names a hidden one as its warm-up.
    complete_pose(name="Visible crane", slug="visible-crane", warm_up=hidden[0], cool_down=hidden[1], primary=[muscle])
    return routine, hidden


def public_urls(routine) -> list[str]:
    stops = len(Client().get(f"/routines/{routine.slug}/play/1/").context["player_data"]["stops"])
    return [
        "/",
        "/poses/",
        "/poses/?q=crow",
        "/poses/?muscle=core",
        "/poses/visible-crane/",
        "/muscles/",
        "/muscles/core/",
        "/routines/",
        routine.get_absolute_url(),
        f"{routine.get_absolute_url()}cheatsheet/",
        f"{routine.get_absolute_url()}play/finish/",
        *[f"{routine.get_absolute_url()}play/{n}/" for n in range(1, stops + 1)],
        *[f"{routine.get_absolute_url()}play/{n}/?level=advanced" for n in range(1, stops + 1)],
    ]


def test_no_part_of_a_hidden_pose_reaches_any_public_page(routine_with_hidden_poses):
    routine, hidden = routine_with_hidden_poses
    visitor = Client()
    for url in public_urls(routine):
        response = visitor.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pose in hidden:
            for secret in secrets_of(pose):
                assert secret not in html, (url, secret)


def test_a_step_with_a_hidden_pose_shows_only_its_own_title_and_instructions(routine_with_hidden_poses):
    routine, hidden = routine_with_hidden_poses
    html = Client().get(routine.get_absolute_url()).content.decode()
    assert "Balance 0" in html and "Own words of step 0." in html
    # The routine's list of props leaves out what only hidden poses need.
    for page in (html, Client().get(f"{routine.get_absolute_url()}cheatsheet/").content.decode()):
        assert "Hidden draft prop" not in page and "Mat" in page
    # The JSON-LD names the step by its own title, with no picture or link of the pose.
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    steps = [step for block in blocks for step in json.loads(block).get("step", [])]
    balance = next(step for step in steps if step["name"] == "Balance 0")
    assert "image" not in balance and "/poses/" not in json.dumps(balance)
    # Open Graph and the player's data, which its script reads from the page.
    player = Client().get(f"{routine.get_absolute_url()}play/1/")
    data = player.context["player_data"]
    titled = [stop for stop in data["stops"] if stop["title"] == "Balance 1"]
    assert titled and titled[0]["img"] is None and titled[0]["sanskrit"] == ""
    assert all("Secret" not in stop["title"] for stop in data["stops"])


def test_staff_see_the_routine_as_visitors_will(routine_with_hidden_poses, admin_client):
    routine, hidden = routine_with_hidden_poses
    html = admin_client.get(routine.get_absolute_url()).content.decode()
    assert "Secret draft crow" not in html


def test_the_routine_pages_take_a_fixed_number_of_queries(routine_with_hidden_poses, django_assert_max_num_queries):
    routine, _ = routine_with_hidden_poses
    with django_assert_max_num_queries(12):
        assert Client().get(routine.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert Client().get(f"{routine.get_absolute_url()}play/3/").status_code == 200


def test_a_routine_cannot_be_published_with_an_untitled_step_whose_pose_is_hidden():
    pose = complete_pose(name="Crow", status=Status.DRAFT, published_at=None)
    routine = complete_routine(steps=2, status=Status.DRAFT, published_at=None)
    step = RoutineStepFactory(routine=routine, position=5, pose=pose, title="")

    with pytest.raises(Exception) as refused:
        publishing.publish(obj=routine, user=None)
    assert "Step 3 uses “Crow”" in " ".join(refused.value.messages)

    step.title = "Balance"
    step.save()
    warnings = publishing.publish(obj=routine, user=None)
    assert Routine.objects.get().is_public
    assert "“Crow” (step 3)" in warnings[0]


def test_the_form_refuses_to_publish_a_routine_with_an_untitled_hidden_pose(editor_client):
    from .conftest import form_of

    pose = complete_pose(name="Crow", status=Status.DRAFT, published_at=None)
    routine = complete_routine(steps=1, status=Status.DRAFT, published_at=None)
    url = reverse("admin:routines_routine_change", args=[routine.pk])
    data = form_of(editor_client, url, "routine_form")
    data.update({"steps-0-pose": str(pose.pk), "steps-0-title": "", "_publish": "Publish"})

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert "Step 1 uses “Crow”, which visitors cannot see yet" in response.content.decode()
    assert not Routine.objects.get().is_public


def test_unpublishing_a_pose_that_published_routines_use_warns_and_names_them(editor_client):
    routine = complete_routine(steps=2, title="Hip Flow")
    pose = RoutineStep.objects.exclude(pose=None).first().pose
    response = editor_client.post(
        reverse("admin:poses_pose_changelist"), {"action": "unpublish", "_selected_action": [pose.pk]}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Published routines use" in text and "“Hip Flow”" in text
    assert not Pose.objects.get(pk=pose.pk).is_public and routine.title


def test_the_pose_picker_marks_poses_visitors_cannot_see(editor_client):
    complete_pose(name="Crow draft", status=Status.DRAFT, published_at=None)
    complete_pose(name="Crow live")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {"term": "crow", "app_label": "routines", "model_name": "routinestep", "field_name": "pose"},
    )
    texts = sorted(result["text"] for result in response.json()["results"])
    assert texts == ["Crow draft · draft", "Crow live"]
