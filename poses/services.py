"""Writes that touch a pose and its parts together."""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from .models import (
    Pose,
    PoseBenefit,
    PoseCaution,
    PoseFAQ,
    PoseImage,
    PoseMistake,
    PoseMuscle,
    PoseOtherName,
    PoseStep,
    PoseTip,
    Status,
)

# Every table that holds a part of one pose, copied whole when a pose is duplicated.
POSE_PARTS = (PoseStep, PoseTip, PoseBenefit, PoseMistake, PoseCaution, PoseOtherName, PoseFAQ, PoseMuscle, PoseImage)


def copy_slug(model: type[models.Model], slug: str, max_length: int = 80) -> str:
    """The first free slug among "<slug>-copy", "<slug>-copy-2", … for `model`, within `max_length`."""
    stem = slug[: max_length - len("-copy-999")].rstrip("-")
    taken = set(model._default_manager.filter(slug__startswith=f"{stem}-copy").values_list("slug", flat=True))
    candidate, n = f"{stem}-copy", 1
    while candidate in taken:
        n += 1
        candidate = f"{stem}-copy-{n}"
    return candidate


def copy_rows(model: type[models.Model], rows: Iterable[models.Model], **owner) -> list[models.Model]:
    """Insert a copy of each row of `model` with the owner fields (e.g. pose=copy) replaced.
    Stored pictures are named by their content, so copied image rows share the same files."""
    fields = [f.attname for f in model._meta.concrete_fields if not f.primary_key and f.name not in owner]
    return model.objects.bulk_create(model(**owner, **{name: getattr(row, name) for name in fields}) for row in rows)


@transaction.atomic
def duplicate_pose(*, pose: Pose) -> Pose:
    """A draft copy of `pose` with all its parts (steps, tips, benefits, mistakes, other names,
    questions, muscles, images), props and tags, under a free slug ("<slug>-copy", "-copy-2", …).
    Images point at the same stored files: they are named by their content."""
    copy = Pose.objects.get(pk=pose.pk)
    copy.pk = copy.id = None
    copy._state.adding = True
    copy.name = f"{pose.name} (copy)"[: Pose._meta.get_field("name").max_length]
    copy.slug = copy_slug(Pose, pose.slug)
    copy.status, copy.published_at = Status.DRAFT, None
    copy.full_clean()
    copy.save()
    for part in POSE_PARTS:
        copy_rows(part, part.objects.filter(pose=pose), pose=copy)
    copy.equipment.set(pose.equipment.all())
    copy.tags.set(list(pose.tags.all()))
    # The other names are in place now; fold them into the search names.
    copy.save(update_fields=["search_names"])
    return copy


@transaction.atomic
def publish_poses(*, poses: Iterable[Pose]) -> tuple[list[Pose], list[Pose]]:
    """Publish each pose that has at least one step; returns (published, refused for having no steps).
    A pose keeps a publication time it already has (a future one keeps it scheduled); one without
    a time is published now."""
    published, refused = [], []
    now = timezone.now()
    for pose in poses:
        if not pose.steps.exists():
            refused.append(pose)
            continue
        pose.status = Status.PUBLISHED
        pose.published_at = pose.published_at or now
        pose.full_clean()
        pose.save(update_fields=["status", "published_at", "updated_at", "search_names"])
        published.append(pose)
    return published, refused


@transaction.atomic
def unpublish_poses(*, poses: Iterable[Pose]) -> list[Pose]:
    """Take poses back to draft: visitors no longer see them, editors keep all their content."""
    changed = []
    for pose in poses:
        if pose.status == Status.DRAFT:
            continue
        pose.status = Status.DRAFT
        pose.full_clean()
        pose.save(update_fields=["status", "updated_at", "search_names"])
        changed.append(pose)
    return changed
