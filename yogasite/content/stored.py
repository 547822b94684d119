"""What the database holds, read as the same records the document gives.

The importer compares these with the document's records to tell unchanged from updated;
the exporter writes them out. Each queryset fetches a record's parts in a fixed number of
queries, however many records there are.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet

from poses.models import (
    Category,
    Equipment,
    Muscle,
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
from routines.models import Author, AuthorImage, RelatedRoutine, Routine, RoutineImage, RoutineStep, StepVariation

from .schema import LEVEL_RANK, AuthorRecord, ImageRecord, PoseRecord, ReferenceRecord, RoutineRecord, StepRecord

REFERENCE_MODELS = {"muscles": Muscle, "equipment": Equipment, "categories": Category}

# Each ordered part of a pose: the record field, the model, the related name.
POSE_TEXTS = (
    ("steps", PoseStep),
    ("tips", PoseTip),
    ("benefits", PoseBenefit),
    ("mistakes", PoseMistake),
    ("cautions", PoseCaution),
)
IMAGE_VALUES = ("file", "alt", "caption", "credit", "side")


def _ordered(model) -> QuerySet:
    return model.objects.order_by("position", "pk")


def reference_records(queryset: QuerySet) -> list[tuple[object, ReferenceRecord]]:
    return [(item, ReferenceRecord(slug=item.slug, name=item.name, description=item.description)) for item in queryset]


def _image_record(image) -> ImageRecord:
    return ImageRecord(image.file.name, image.alt, image.caption, image.credit, image.side)


def author_records(queryset: QuerySet) -> list[tuple[Author, AuthorRecord]]:
    """The authors of `queryset` with their records (portrait included), in two queries."""
    authors = queryset.prefetch_related(Prefetch("image", queryset=AuthorImage.objects.all()))
    return [
        (
            author,
            AuthorRecord(
                slug=author.slug,
                name=author.name,
                bio=author.bio,
                image=_image_record(author.portrait) if author.portrait else None,
            ),
        )
        for author in authors
    ]


def _grouped(rows) -> dict[int, list]:
    """(owner id, value, ...) rows as {owner id: [value or (values)]}, in row order."""
    grouped = defaultdict(list)
    for owner, *values in rows:
        grouped[owner].append(values[0] if len(values) == 1 else tuple(values))
    return grouped


def pose_records(queryset: QuerySet) -> list[tuple[Pose, PoseRecord]]:
    """The poses of `queryset` with their records, one query per kind of part.

    Parts are read as plain values and grouped here: for a thousand poses, prefetch_related
    spends more time building a queryset per pose than the database spends answering."""
    poses = list(queryset.select_related("category", "warm_up", "cool_down"))
    if not poses:
        return []
    ids = queryset.values("pk")

    def parts(model, *fields):
        return _grouped(_ordered(model).filter(pose__in=ids).values_list("pose_id", *fields))

    texts = {name: parts(model, "text") for name, model in POSE_TEXTS}
    other_names, faqs = parts(PoseOtherName, "name"), parts(PoseFAQ, "question", "answer")
    muscles, images = parts(PoseMuscle, "muscle__slug", "role"), parts(PoseImage, *IMAGE_VALUES)
    equipment = _grouped(Pose.equipment.through.objects.filter(pose__in=ids).values_list("pose_id", "equipment__slug"))
    tags = _grouped(
        Pose.tags.through.objects.filter(
            content_type=ContentType.objects.get_for_model(Pose), object_id__in=ids
        ).values_list("object_id", "tag__name")
    )
    records = []
    for pose in poses:
        roles = muscles.get(pose.pk, [])
        record = PoseRecord(
            slug=pose.slug,
            name=pose.name,
            sanskrit_name=pose.sanskrit_name,
            other_names=tuple(other_names.get(pose.pk, [])),
            summary=pose.summary,
            category=pose.category.slug if pose.category else "",
            level=pose.level,
            tags=tuple(sorted(tags.get(pose.pk, []))),
            equipment=tuple(sorted(equipment.get(pose.pk, []))),
            **{name: tuple(texts[name].get(pose.pk, [])) for name, _ in POSE_TEXTS},
            primary=tuple(slug for slug, role in roles if role == PoseMuscle.Role.PRIMARY),
            secondary=tuple(slug for slug, role in roles if role == PoseMuscle.Role.SECONDARY),
            warm_up=pose.warm_up.slug if pose.warm_up else "",
            warm_up_note=pose.warm_up_note,
            cool_down=pose.cool_down.slug if pose.cool_down else "",
            cool_down_note=pose.cool_down_note,
            sides=pose.sides,
            hold_kind=pose.hold_kind,
            hold_value=pose.hold_value,
            faqs=tuple(faqs.get(pose.pk, [])),
            images=tuple(ImageRecord(*image) for image in images.get(pose.pk, [])),
            video_url=pose.video_url,
            status=pose.status,
            published_at=pose.published_at,
        )
        records.append((pose, record))
    return records


def _step_record(step: RoutineStep, *, first: bool) -> StepRecord:
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


def routine_records(queryset: QuerySet) -> list[tuple[Routine, RoutineRecord]]:
    """The routines of `queryset` with their records, in a fixed number of queries."""
    routines = queryset.prefetch_related(
        Prefetch(
            "steps",
            queryset=_ordered(RoutineStep)
            .select_related("pose")
            .prefetch_related(Prefetch("variations", queryset=StepVariation.objects.order_by("pk"))),
        ),
        Prefetch("images", queryset=_ordered(RoutineImage)),
        Prefetch("related_links", queryset=_ordered(RelatedRoutine).select_related("related")),
        "tags",
    ).select_related("author")
    return [(routine, _routine_record(routine)) for routine in routines]


def _routine_record(routine: Routine) -> RoutineRecord:
    return RoutineRecord(
        slug=routine.slug,
        title=routine.title,
        summary=routine.summary,
        body=routine.body,
        safety_note=routine.safety_note,
        level=routine.level,
        tags=tuple(sorted(tag.name for tag in routine.tags.all())),
        images=tuple(_image_record(image) for image in routine.images.all()),
        video_url=routine.video_url,
        breath_seconds=routine.breath_seconds,
        transition_seconds=routine.transition_seconds,
        author=routine.author.slug if routine.author else "",
        related=tuple(link.related.slug for link in routine.related_links.all()),
        steps=tuple(_step_record(step, first=index == 0) for index, step in enumerate(routine.steps.all())),
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
