"""Writes the practice pages make: the only one is an editor keeping a practice as a routine draft."""

from django.db import transaction
from django.utils.text import slugify

from poses.models import Status
from poses.services import copy_slug
from routines.models import Routine, RoutineStep
from routines.services import refresh_duration

from .library import cautions_of


def _free_slug(stem: str) -> str:
    return stem if not Routine.objects.filter(slug=stem).exists() else copy_slug(Routine, stem)


@transaction.atomic
def save_as_draft(*, routine: Routine, steps: list[RoutineStep], user=None) -> Routine:
    """A draft routine with the steps of an in-memory practice (`routine`, `steps` are never saved
    themselves), under a free slug, its poses' cautions as the safety note. Editors finish it in the admin."""
    draft = Routine(
        title=routine.title[:160],
        slug=_free_slug(slugify(routine.title)[:60] or "practice"),
        summary="",
        safety_note="\n".join(f"- **{name}**: {text}" for name, text in cautions_of(steps)),
        level=routine.level,
        breath_seconds=routine.breath_seconds,
        transition_seconds=routine.transition_seconds,
        status=Status.DRAFT,
        # An editor with a byline signs the draft; a missing one-to-one row reads as no author.
        author=getattr(user, "author", None) if user is not None else None,
    )
    draft.full_clean()
    draft.save()
    for position, step in enumerate(steps, start=1):
        copy = RoutineStep(
            routine=draft,
            position=position,
            pose=step.pose,
            title=step.title,
            instructions=step.instructions,
            hold_kind=step.hold_kind,
            hold_value=step.hold_value,
            repetitions=step.repetitions,
            sides=step.sides,
            first_side=step.first_side,
            starts_section=step.starts_section or position == 1,
            section_title=step.section_title,
            advance=step.advance,
        )
        copy.full_clean()
        copy.save()
    refresh_duration(routine=draft)
    return draft
