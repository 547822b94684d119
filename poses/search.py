"""Poses and muscles in the site's search index: what each is found by, kept up to date as they change."""

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from searchindex import index

from .models import Muscle, Pose, PoseOtherName

POSE, MUSCLE = "pose", "muscle"


def pose_documents(ids: list[int] | None):
    """A pose is found by its English and Sanskrit names, its other names and its summary."""
    poses = Pose.objects.only("id", "name", "sanskrit_name", "summary").prefetch_related(
        Prefetch("other_names", queryset=PoseOtherName.objects.only("pose_id", "name").order_by("position", "pk"))
    )
    if ids is not None:
        poses = poses.filter(pk__in=ids)
    for pose in poses:
        yield index.Document(
            kind=POSE,
            object_id=pose.pk,
            names=[pose.name, pose.sanskrit_name],
            other_names=[other.name for other in pose.other_names.all()],
            text=[pose.summary],
        )


def muscle_documents(ids: list[int] | None):
    """A muscle is found by its name, and by its description."""
    muscles = Muscle.objects.only("id", "name", "description")
    if ids is not None:
        muscles = muscles.filter(pk__in=ids)
    for muscle in muscles:
        yield index.Document(kind=MUSCLE, object_id=muscle.pk, names=[muscle.name], text=[muscle.description])


def refresh(*, poses=(), muscles=()) -> None:
    """Index these poses and muscles (ids) again, after writes that send no signals."""
    index.refresh(POSE, poses)
    index.refresh(MUSCLE, muscles)


def connect() -> None:
    index.register(POSE, pose_documents)
    index.register(MUSCLE, muscle_documents)


# Other names are saved after their pose, which is then saved again (the admin, duplicate, the import
# refreshes what it wrote): watching the pose is enough, and deleting a pose's parts stays a fast delete.
@receiver(post_save, sender=Pose)
def pose_saved(sender, instance, **kwargs):
    index.refresh(POSE, [instance.pk])


@receiver(post_delete, sender=Pose)
def pose_deleted(sender, instance, **kwargs):
    index.remove(POSE, [instance.pk])


@receiver(post_save, sender=Muscle)
def muscle_saved(sender, instance, **kwargs):
    index.refresh(MUSCLE, [instance.pk])


@receiver(post_delete, sender=Muscle)
def muscle_deleted(sender, instance, **kwargs):
    index.remove(MUSCLE, [instance.pk])
