"""Routines in the site's search index: found by their title, their summary and the poses they use."""

from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from poses.models import Pose
from searchindex import index

from .models import Routine, RoutineStep

ROUTINE = "routine"


def routine_documents(ids: list[int] | None):
    """A routine's title is its name; its summary, its steps' titles and its poses' names are its text."""
    steps = (
        RoutineStep.objects.select_related("pose")
        .only("routine_id", "title", "pose__name", "pose__sanskrit_name")
        .order_by("position", "pk")
    )
    routines = Routine.objects.only("id", "title", "summary").prefetch_related(Prefetch("steps", queryset=steps))
    if ids is not None:
        routines = routines.filter(pk__in=ids)
    for routine in routines:
        used = []
        for step in routine.steps.all():
            for name in (step.title, *((step.pose.name, step.pose.sanskrit_name) if step.pose else ())):
                if name and name not in used:
                    used.append(name)
        yield index.Document(kind=ROUTINE, object_id=routine.pk, names=[routine.title], text=[routine.summary, *used])


def connect() -> None:
    index.register(ROUTINE, routine_documents)


def refresh(ids) -> None:
    """Index these routines (ids) again: once their steps are saved, after writes that send no signals."""
    index.refresh(ROUTINE, ids)


def using(pose_ids) -> list[int]:
    """The routines with a step on any of these poses."""
    return list(RoutineStep.objects.filter(pose_id__in=pose_ids).values_list("routine_id", flat=True).distinct())


@receiver(post_save, sender=Routine)
def routine_saved(sender, instance, **kwargs):
    index.refresh(ROUTINE, [instance.pk])


@receiver(post_delete, sender=Routine)
def routine_deleted(sender, instance, **kwargs):
    index.remove(ROUTINE, [instance.pk])


@receiver(post_save, sender=RoutineStep)
def step_saved(sender, instance, **kwargs):
    # Deleted steps are not watched, so that deleting a routine's steps stays one query; whoever deletes
    # steps saves the routine's others or refreshes it (the admin, the import).
    index.refresh(ROUTINE, [instance.routine_id])


@receiver(post_save, sender=Pose)
def pose_renamed(sender, instance, **kwargs):
    # A routine is found by its poses' names: a renamed pose changes what finds the routines using it.
    index.refresh(ROUTINE, using([instance.pk]))
