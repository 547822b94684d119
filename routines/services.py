"""Writes that touch a routine and its parts together."""

from django.db import transaction

from poses.services import copy_rows, copy_slug

from . import search, timing
from .models import RelatedRoutine, Routine, RoutineImage, RoutineStep, StepVariation


@transaction.atomic
def refresh_duration(*, routine: Routine) -> int:
    """Recompute the routine's stored duration from its saved steps and keep it. Call it after the steps
    change (the admin does after saving its inlines; the content import after writing a routine)."""
    steps = RoutineStep.objects.filter(routine=routine).only("hold_kind", "hold_value", "repetitions", "sides")
    seconds = timing.routine_seconds(steps, routine.breath_seconds, routine.transition_seconds)
    if seconds != routine.duration_seconds or routine.pk is None:
        # update() rather than save(): a stored figure changing is not an editor's change.
        Routine.objects.filter(pk=routine.pk).update(duration_seconds=seconds)
        routine.duration_seconds = seconds
    return seconds


@transaction.atomic
def duplicate_routine(*, routine: Routine) -> Routine:
    """A draft copy of a routine with its steps, variations, images and tags, under a free slug
    ("<slug>-copy", "<slug>-copy-2", …), for editors who build a routine from an existing one."""
    copy = Routine(
        title=f"{routine.title} (copy)"[:160],
        slug=copy_slug(Routine, routine.slug),
        summary=routine.summary,
        body=routine.body,
        safety_note=routine.safety_note,
        level=routine.level,
        video_url=routine.video_url,
        breath_seconds=routine.breath_seconds,
        transition_seconds=routine.transition_seconds,
        author=routine.author,
        duration_seconds=routine.duration_seconds,
    )
    copy.full_clean()
    copy.save()
    copy.tags.set(list(routine.tags.all()))
    for step in routine.steps.prefetch_related("variations").order_by("position", "pk"):
        variations = list(step.variations.all())
        step.pk, step.id, step.routine = None, None, copy
        step.full_clean()
        step.save()
        StepVariation.objects.bulk_create(
            StepVariation(step=step, level=v.level, instructions=v.instructions) for v in variations
        )
    copy_rows(RoutineImage, routine.images.all(), routine=copy)
    copy_rows(RelatedRoutine, routine.related_links.all(), routine=copy)
    refresh_duration(routine=copy)
    search.refresh([copy.pk])
    return copy
