"""The change forms load in a fixed number of queries, however many parts a pose or a routine has."""

import pytest
from django.urls import reverse

from tests.factories import (
    EquipmentFactory,
    MuscleFactory,
    PoseFactory,
    complete_pose,
    complete_routine,
)

pytestmark = pytest.mark.django_db


def test_a_pose_with_many_parts_opens_in_at_most_15_queries(admin_client, django_assert_max_num_queries):
    muscles = MuscleFactory.create_batch(12)
    pose = complete_pose(
        steps=12,
        images=6,
        primary=muscles[:6],
        secondary=muscles[6:],
        equipment=EquipmentFactory.create_batch(4),
        tags=["back", "calm", "strength"],
        other_names=["Camel", "Kneeling backbend", "Ushtrasana"],
        tips=8,
        benefits=8,
        mistakes=8,
        faqs=6,
        warm_up=PoseFactory(name="Cat Pose"),
        cool_down=PoseFactory(name="Child's Pose"),
    )
    url = reverse("admin:poses_pose_change", args=[pose.pk])

    with django_assert_max_num_queries(15):
        response = admin_client.get(url)

    html = response.content.decode()
    assert html.count("step 12.") >= 1
    assert html.count('name="images-5-alt"') == 1
    assert html.count('name="pose_muscles-11-muscle"') == 1
    assert "Child&#x27;s Pose" in html or "Child's Pose" in html


def test_a_routine_with_60_steps_opens_in_at_most_20_queries(admin_client, django_assert_max_num_queries):
    routine = complete_routine(steps=60, poses=[PoseFactory(name=f"Flow Pose {n}") for n in range(12)])
    routine.tags.add("back", "evening")
    url = reverse("admin:routines_routine_change", args=[routine.pk])

    with django_assert_max_num_queries(20):
        response = admin_client.get(url)

    html = response.content.decode()
    assert html.count('name="steps-59-pose"') == 1
    assert "Flow Pose 11" in html
    assert "Harder: lift higher in step 59." in html
