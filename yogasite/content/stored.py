"""What the database holds, read as the same records the document gives.

The importer compares these with the document's records to tell unchanged from updated;
the exporter writes them out. Each queryset fetches a record's parts in a fixed number of
queries, however many records there are.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from poses.models import (
    Category,
    Equipment,
    Muscle,
    Pose,
    PoseBenefit,
    PoseFAQ,
    PoseImage,
    PoseMistake,
    PoseMuscle,
    PoseOtherName,
    PoseStep,
    PoseTip,
    Status,
)
from routines.models import Routine, RoutineImage, RoutineStep, StepVariation

from .schema import LEVEL_RANK, ImageRecord, PoseRecord, ReferenceRecord, RoutineRecord, StepRecord

REFERENCE_MODELS = {"muscles": Muscle, "equipment": Equipment, "categories": Category}

# Each ordered part of a pose: the record field, the model, the related name.
POSE_TEXTS = (
    ("steps", PoseStep),
    ("tips", PoseTip),
    ("benefits", PoseBenefit),
    ("mistakes", PoseMistake),
)


def _ordered(model) -> QuerySet:
    return model.objects.order_by("position", "pk")


def poses_with_parts(poses: QuerySet) -> QuerySet:
    """Poses with everything a PoseRecord holds, in a fixed number of queries."""
    return poses.select_related("category", "warm_up", "cool_down").prefetch_related(
        *(Prefetch(name, queryset=_ordered(model)) for name, model in POSE_TEXTS),
        Prefetch("other_names", queryset=_ordered(PoseOtherName)),
        Prefetch("faqs", queryset=_ordered(PoseFAQ)),
        Prefetch("images", queryset=_ordered(PoseImage)),
        Prefetch("pose_muscles", queryset=PoseMuscle.objects.select_related("muscle").order_by("position", "pk")),
        "equipment",
        "tags",
    )


def routines_with_parts(routines: QuerySet) -> QuerySet:
    """Routines with everything a RoutineRecord holds, in a fixed number of queries."""
    return routines.prefetch_related(
        Prefetch(
            "steps",
            queryset=_ordered(RoutineStep)
            .select_related("pose")
            .prefetch_related(Prefetch("variations", queryset=StepVariation.objects.order_by("pk"))),
        ),
        Prefetch("images", queryset=_ordered(RoutineImage)),
        "tags",
    )


def image_records(images) -> tuple[ImageRecord, ...]:
    return tuple(ImageRecord(stored_name=image.file.name, alt=image.alt, caption=image.caption) for image in images)


def _tags(item) -> tuple[str, ...]:
    return tuple(sorted(tag.name for tag in item.tags.all()))


def reference_record(item) -> ReferenceRecord:
    return ReferenceRecord(slug=item.slug, name=item.name, description=item.description)


def pose_record(pose: Pose) -> PoseRecord:
    """A pose fetched with poses_with_parts() as a record."""
    muscles = list(pose.pose_muscles.all())
    return PoseRecord(
        slug=pose.slug,
        name=pose.name,
        sanskrit_name=pose.sanskrit_name,
        other_names=tuple(other.name for other in pose.other_names.all()),
        summary=pose.summary,
        category=pose.category.slug if pose.category else "",
        level=pose.level,
        tags=_tags(pose),
        equipment=tuple(sorted(item.slug for item in pose.equipment.all())),
        **{name: tuple(part.text for part in getattr(pose, name).all()) for name, _ in POSE_TEXTS},
        primary=tuple(m.muscle.slug for m in muscles if m.role == PoseMuscle.Role.PRIMARY),
        secondary=tuple(m.muscle.slug for m in muscles if m.role == PoseMuscle.Role.SECONDARY),
        warm_up=pose.warm_up.slug if pose.warm_up else "",
        warm_up_note=pose.warm_up_note,
        cool_down=pose.cool_down.slug if pose.cool_down else "",
        cool_down_note=pose.cool_down_note,
        faqs=tuple((faq.question, faq.answer) for faq in pose.faqs.all()),
        images=image_records(pose.images.all()),
        video_url=pose.video_url,
        status=pose.status,
        published_at=pose.published_at,
    )


def step_record(step: RoutineStep, *, first: bool) -> StepRecord:
    variations = sorted(step.variations.all(), key=lambda v: LEVEL_RANK.get(v.level, len(LEVEL_RANK)))
    return StepRecord(
        pose=step.pose.slug if step.pose else "",
        title=step.title,
        instructions=step.instructions,
        hold_kind=step.hold_kind,
        hold_value=step.hold_value,
        repetitions=step.repetitions,
        sides=step.sides,
        first_side=step.first_side,
        advance=step.advance,
        # The first step begins a section whether or not the box was ticked.
        starts_section=step.starts_section or first,
        section_title=step.section_title,
        variations=tuple((v.level, v.instructions) for v in variations),
    )


def routine_record(routine: Routine) -> RoutineRecord:
    """A routine fetched with routines_with_parts() as a record."""
    return RoutineRecord(
        slug=routine.slug,
        title=routine.title,
        summary=routine.summary,
        body=routine.body,
        safety_note=routine.safety_note,
        level=routine.level,
        tags=_tags(routine),
        images=image_records(routine.images.all()),
        video_url=routine.video_url,
        breath_seconds=routine.breath_seconds,
        steps=tuple(step_record(step, first=index == 0) for index, step in enumerate(routine.steps.all())),
        status=routine.status,
        published_at=routine.published_at,
    )


def keeps_publication_time(record, current) -> bool:
    """A published record that gives no time keeps the one it was published at."""
    return (
        getattr(record, "status", None) == Status.PUBLISHED
        and record.published_at is None
        and current is not None
        and current.published_at is not None
    )
