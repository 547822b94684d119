import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from poses.models import Pose, PoseMuscle
from tests.factories import MuscleFactory, PoseFactory, PoseImageFactory

pytestmark = pytest.mark.django_db


def test_a_muscle_cannot_be_primary_and_secondary_in_one_pose():
    muscle = MuscleFactory()
    pose = PoseFactory(primary=[muscle])
    with pytest.raises(IntegrityError), transaction.atomic():
        PoseMuscle.objects.create(pose=pose, muscle=muscle, role="secondary")


def test_published_excludes_drafts_and_future_poses():
    live = PoseFactory()
    PoseFactory(status="draft")
    PoseFactory(published_at=timezone.now() + timezone.timedelta(days=2))
    assert list(Pose.objects.published()) == [live]


def test_publishing_without_a_time_publishes_now():
    pose = PoseFactory(published_at=None)
    assert pose.published_at is not None and pose.is_public


def test_search_names_fold_diacritics_and_other_names():
    pose = PoseFactory(name="Backbend", sanskrit_name="Ūrdhva Dhanurāsana")
    pose.other_names.create(name="Wheel Pose", position=0)
    pose.save()
    assert pose.search_names.split("\n") == ["backbend", "urdhva dhanurasana", "wheel pose"]


def test_pose_cannot_be_its_own_warm_up():
    pose = PoseFactory()
    pose.warm_up = pose
    with pytest.raises(IntegrityError), transaction.atomic():
        pose.save()


def test_uploaded_image_gets_webp_renditions_and_dimensions():
    image = PoseImageFactory()
    assert (image.width, image.height) == (800, 600)
    assert [r["width"] for r in image.renditions] == [320, 640, 800]
    assert image.renditions[0]["name"].endswith("/w320.webp")
    assert "320w" in image.srcset and "800w" in image.srcset


def test_a_pose_without_a_category_is_related_only_by_its_tags():
    loner = PoseFactory(name="Loner", category=None)
    PoseFactory(name="Stranger", category=None)
    tagged = PoseFactory(name="Friend", category=None)
    loner.tags.add("calm")
    tagged.tags.add("calm")

    related = list(Pose.objects.published().related_to(Pose.objects.get(pk=loner.pk)))

    assert [pose.name for pose in related] == ["Friend"]
