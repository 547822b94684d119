"""Import a content document: create what is new, update what changed, all or nothing."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from poses import images
from poses import search as pose_search
from poses.models import Category, Equipment, Pose, PoseFAQ, PoseImage, PoseMuscle, PoseOtherName, Status
from poses.services import POSE_PARTS
from routines import search as routine_search
from routines.models import Author, AuthorImage, RelatedRoutine, Routine, RoutineImage, RoutineStep, StepVariation
from routines.services import refresh_duration

from . import stored
from .schema import KINDS, ContentUnreadable, Document, ImageRecord, StepRecord, read_document, validate

# Progress lines are worth printing only for long lists, or for pictures, which are slow to process.
PROGRESS_FROM = 50
PICTURES_PROGRESS_FROM = 10


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportResult:
    counts: dict[str, Counts] = field(default_factory=lambda: {kind: Counts() for kind in KINDS})

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def table(self) -> str:
        lines = [f"{'':<12}{'created':>9}{'updated':>9}{'unchanged':>11}"]
        for kind, c in self.counts.items():
            lines.append(f"{kind:<12}{c.created:>9}{c.updated:>9}{c.unchanged:>11}")
        return "\n".join(lines)


class _Progress:
    """Writes "saving poses: 120/873" about every tenth of the way through a long list."""

    def __init__(self, stream: TextIO | None):
        self.stream = stream

    def __call__(self, label: str, done: int, total: int, *, minimum: int = PROGRESS_FROM) -> None:
        if self.stream is None or total <= minimum:
            return
        every = -(-total // 10)
        if done % every == 0 or done == total:
            self.stream.write(f"{label}: {done}/{total}\n")

    def batches(self, items: list, label: str) -> Iterator[list]:
        size = max(1, -(-len(items) // 10))
        for start in range(0, len(items), size):
            yield items[start : start + size]
            self(label, min(start + size, len(items)), len(items))


@dataclass
class _Plan:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)  # (record, object in the database)
    unchanged: int = 0

    @property
    def changed(self) -> list:
        """(record, current object or None) for every record to write, new ones first."""
        return [(record, None) for record in self.created] + self.updated

    def counts(self) -> Counts:
        return Counts(created=len(self.created), updated=len(self.updated), unchanged=self.unchanged)


@dataclass
class ImportPreview:
    """What importing a document would do, kind by kind: the names created and updated, how many left alone."""

    created: dict[str, list[str]]
    updated: dict[str, list[str]]
    unchanged: dict[str, int]

    @property
    def changes(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _name(record) -> str:
    return getattr(record, "name", None) or getattr(record, "title", None) or record.slug


def preview_document(*, path: Path) -> ImportPreview:
    """What import_document would create, update and leave alone, writing nothing. Raises ContentUnreadable
    or ContentInvalid (every problem, with its path) as import_document does."""
    path = Path(path)
    document = validate(read_document(path), folder=path.parent)
    plans = _plan(document)
    return ImportPreview(
        created={kind: [_name(record) for record in plans[kind].created] for kind in KINDS},
        updated={kind: [_name(record) for record, _ in plans[kind].updated] for kind in KINDS},
        unchanged={kind: plans[kind].unchanged for kind in KINDS},
    )


def import_document(*, path: Path, progress: TextIO | None = None) -> ImportResult:
    """Import the content document at `path` (CONTENT-FORMAT.md): records are matched by slug,
    created or updated, never deleted; re-importing the same document writes nothing.

    Raises ContentUnreadable (missing file, bad JSON) or ContentInvalid (every problem, with
    its path) before anything is written. Pictures are stored before the database transaction
    and removed again if anything after them fails, so a failed import leaves the database and
    the media folder as they were. `progress` is a stream for progress lines on long lists.
    """
    path = Path(path)
    data = read_document(path)
    report = _Progress(progress)
    document = validate(data, folder=path.parent, progress=report)
    plans = _plan(document)
    written: list[str] = []
    try:
        pictures = _store_images(plans, written, report)
        # The transaction is opened here rather than by a decorator, so that a failed commit
        # also removes the pictures stored above.
        with transaction.atomic():
            _write(plans, pictures, report)
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise
    return ImportResult(counts={kind: plans[kind].counts() for kind in KINDS})


# --- what changes ---------------------------------------------------------------------------


def _plan(document: Document) -> dict[str, _Plan]:
    plans = {}
    for kind, model in stored.REFERENCE_MODELS.items():
        records = getattr(document, kind)
        plans[kind] = _compare(records, stored.reference_records(model.objects.filter(slug__in=_slugs(records))))
    plans["authors"] = _compare(
        document.authors, stored.author_records(Author.objects.filter(slug__in=_slugs(document.authors)))
    )
    plans["poses"] = _compare(document.poses, stored.pose_records(Pose.objects.filter(slug__in=_slugs(document.poses))))
    routines = Routine.objects.filter(slug__in=_slugs(document.routines))
    plans["routines"] = _compare(document.routines, stored.routine_records(routines))
    return plans


def _slugs(records: list) -> list[str]:
    return [record.slug for record in records]


def _compare(records: list, existing: list[tuple]) -> _Plan:
    """Sort records into new, changed and unchanged, comparing each with what is stored."""
    current_by_slug = {record.slug: (item, record) for item, record in existing}
    plan = _Plan()
    for record in records:
        current, stored_record = current_by_slug.get(record.slug, (None, None))
        if current is None:
            plan.created.append(record)
            continue
        if stored.keeps_publication_time(record, current):
            record = replace(record, published_at=current.published_at)
        if stored_record == record:
            plan.unchanged += 1
        else:
            plan.updated.append((record, current))
    return plan


# --- pictures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Picture:
    width: int
    height: int
    renditions: list


def _store_images(plans: dict[str, _Plan], written: list[str], progress: _Progress) -> dict[str, _Picture]:
    """Store every picture that a created or updated record uses; names newly written go to `written`."""
    wanted: dict[str, ImageRecord] = {}
    for kind in ("poses", "routines"):
        for record, _ in plans[kind].changed:
            for image in record.images:
                wanted.setdefault(image.stored_name, image)
    for record, _ in plans["authors"].changed:
        if record.image is not None:
            wanted.setdefault(record.image.stored_name, record.image)
    pictures = _already_stored(list(wanted))
    missing = [image for name, image in wanted.items() if name not in pictures]
    for done, image in enumerate(missing, start=1):
        data = image.source.read_bytes()
        if hashlib.sha256(data).hexdigest() != image.digest:
            raise ContentUnreadable(f"{image.source} changed during the import; nothing was imported.")
        # An exported copy keeps the content address it was exported under (see schema._stored_name).
        processed = replace(images.process(data), digest=PurePosixPath(image.stored_name).parent.name)
        name, renditions, new = images.write(processed)
        written.extend(new)
        pictures[name] = _Picture(processed.width, processed.height, renditions)
        progress("images", done, len(missing), minimum=PICTURES_PROGRESS_FROM)
    return pictures


def _already_stored(names: list[str]) -> dict[str, _Picture]:
    """Pictures that records already use, with their renditions on disk: nothing to process again."""
    found = {}
    for model in (PoseImage, RoutineImage, AuthorImage):
        for row in model.objects.filter(file__in=names).values("file", "width", "height", "renditions"):
            files = [row["file"], *(r["name"] for r in row["renditions"])]
            if row["renditions"] and all(default_storage.exists(name) for name in files):
                found[row["file"]] = _Picture(row["width"], row["height"], row["renditions"])
    return found


def _image(model, image: ImageRecord, pictures: dict[str, _Picture], **owner):
    picture = pictures[image.stored_name]
    return model(
        file=image.stored_name,
        alt=image.alt,
        caption=image.caption,
        credit=image.credit,
        side=image.side,
        width=picture.width,
        height=picture.height,
        renditions=picture.renditions,
        **owner,
    )


# --- writing -------------------------------------------------------------------------------


def _write(plans: dict[str, _Plan], pictures: dict[str, _Picture], progress: _Progress) -> None:
    for kind, model in stored.REFERENCE_MODELS.items():
        _write_references(model, plans[kind])
    _write_authors(plans["authors"], pictures)
    _write_poses(plans["poses"], pictures, progress)
    _write_routines(plans["routines"], pictures, progress)
    _index_for_search(plans)


def _index_for_search(plans: dict[str, _Plan]) -> None:
    """The bulk writes send no signals: index what changed for search (a routine is found by its poses' names)."""
    changed = {kind: [record.slug for record, _ in plans[kind].changed] for kind in ("muscles", "poses", "routines")}
    muscle_ids = _ids(stored.REFERENCE_MODELS["muscles"], changed["muscles"]).values()
    pose_ids = list(_ids(Pose, changed["poses"]).values())
    routine_ids = {*_ids(Routine, changed["routines"]).values(), *routine_search.using(pose_ids)}
    pose_search.refresh(muscles=muscle_ids, poses=pose_ids)
    routine_search.refresh(routine_ids)


def _write_references(model, plan: _Plan) -> None:
    new = [model(slug=r.slug, name=r.name, description=r.description) for r in plan.created]
    changed = []
    for record, item in plan.updated:
        item.name, item.description = record.name, record.description
        changed.append(item)
    for item in new + changed:
        item.full_clean(validate_unique=False, validate_constraints=False)
    model.objects.bulk_create(new)
    model.objects.bulk_update(changed, ["name", "description"])


def _write_authors(plan: _Plan, pictures: dict[str, _Picture]) -> None:
    new = [Author(slug=r.slug, name=r.name, bio=r.bio) for r in plan.created]
    changed = []
    for record, author in plan.updated:
        author.name, author.bio = record.name, record.bio
        changed.append(author)
    for author in new + changed:
        author.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    Author.objects.bulk_create(new)
    Author.objects.bulk_update(changed, ["name", "bio"])
    AuthorImage.objects.filter(author__in=changed).delete()
    authors = {author.slug: author for author in new + changed}
    AuthorImage.objects.bulk_create(
        _image(AuthorImage, record.image, pictures, author=authors[record.slug])
        for record, _ in plan.changed
        if record.image is not None
    )


def _ids(model, slugs) -> dict[str, int]:
    slugs = {slug for slug in slugs if slug}
    return dict(model.objects.filter(slug__in=slugs).values_list("slug", "id")) if slugs else {}


def _publication_time(record, now):
    return record.published_at or (now if record.status == Status.PUBLISHED else None)


POSE_FIELDS = [
    "name",
    "sanskrit_name",
    "summary",
    "category",
    "level",
    "warm_up_note",
    "cool_down_note",
    "sides",
    "hold_kind",
    "hold_value",
    "video_url",
    "status",
    "published_at",
    "search_names",
    "updated_at",
]


def _write_poses(plan: _Plan, pictures: dict[str, _Picture], progress: _Progress) -> None:
    changed = plan.changed
    if not changed:
        return
    now = timezone.now()
    category_ids = _ids(Category, {record.category for record, _ in changed})
    written: list[tuple[Pose, object]] = []
    # Bulk queries, a batch at a time: a thousand poses take seconds, not minutes.
    for batch in progress.batches(changed, "saving poses"):
        new, old = [], []
        for record, current in batch:
            pose = current or Pose(slug=record.slug)
            pose.name, pose.sanskrit_name, pose.summary = record.name, record.sanskrit_name, record.summary
            pose.category_id = category_ids.get(record.category)
            pose.level, pose.video_url, pose.status = record.level, record.video_url, record.status
            pose.warm_up_note, pose.cool_down_note = record.warm_up_note, record.cool_down_note
            pose.sides, pose.hold_kind, pose.hold_value = record.sides, record.hold_kind, record.hold_value
            pose.published_at = _publication_time(record, now)
            pose.refresh_search_names(other_names=list(record.other_names))
            pose.updated_at = now
            pose.full_clean(
                exclude=["category", "warm_up", "cool_down"], validate_unique=False, validate_constraints=False
            )
            (old if current else new).append(pose)
            written.append((pose, record))
        Pose.objects.bulk_create(new)
        Pose.objects.bulk_update(old, POSE_FIELDS)
        _clear_pose_parts([pose.pk for pose in old])
        _create_pose_parts(written[-len(batch) :], pictures)
    # Warm-ups and cool-downs may name poses that came later in the document: link once all exist.
    pose_ids = _ids(Pose, {slug for _, r in written for slug in (r.warm_up, r.cool_down)})
    for pose, record in written:
        pose.warm_up_id, pose.cool_down_id = pose_ids.get(record.warm_up), pose_ids.get(record.cool_down)
    Pose.objects.bulk_update([pose for pose, _ in written], ["warm_up", "cool_down"])


def _clear_pose_parts(pose_ids: list[int]) -> None:
    if not pose_ids:
        return
    for model in POSE_PARTS:
        model.objects.filter(pose_id__in=pose_ids).delete()
    Pose.equipment.through.objects.filter(pose_id__in=pose_ids).delete()
    _clear_tags(Pose, pose_ids)


def _create_pose_parts(written: list[tuple[Pose, object]], pictures: dict[str, _Picture]) -> None:
    equipment_ids = _ids(Equipment, {slug for _, record in written for slug in record.equipment})
    muscle_ids = _ids(
        stored.REFERENCE_MODELS["muscles"], {slug for _, r in written for slug in (*r.primary, *r.secondary)}
    )
    through = Pose.equipment.through
    parts = defaultdict(list)
    for pose, record in written:
        for name, model in stored.POSE_TEXTS:
            parts[model] += [model(pose=pose, position=i, text=text) for i, text in enumerate(getattr(record, name))]
        parts[PoseOtherName] += [PoseOtherName(pose=pose, position=i, name=n) for i, n in enumerate(record.other_names)]
        parts[PoseFAQ] += [
            PoseFAQ(pose=pose, position=i, question=question, answer=answer)
            for i, (question, answer) in enumerate(record.faqs)
        ]
        for role, slugs in ((PoseMuscle.Role.PRIMARY, record.primary), (PoseMuscle.Role.SECONDARY, record.secondary)):
            parts[PoseMuscle] += [
                PoseMuscle(pose=pose, muscle_id=muscle_ids[slug], role=role, position=i) for i, slug in enumerate(slugs)
            ]
        parts[PoseImage] += [
            _image(PoseImage, image, pictures, position=i, pose=pose) for i, image in enumerate(record.images)
        ]
        parts[through] += [through(pose_id=pose.pk, equipment_id=equipment_ids[slug]) for slug in record.equipment]
    for model, objects in parts.items():
        model.objects.bulk_create(objects)
    _create_tags(Pose, written)


def _clear_tags(model, ids: list[int]) -> None:
    model.tags.through.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=ids).delete()


def _create_tags(model, written: list[tuple[object, object]]) -> None:
    names = {name for _, record in written for name in record.tags}
    if not names:
        return
    tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
    for name in sorted(names - tags.keys()):
        tags[name] = Tag.objects.create(name=name)  # Tag.save() makes a unique slug
    content_type = ContentType.objects.get_for_model(model)
    model.tags.through.objects.bulk_create(
        model.tags.through(content_type=content_type, object_id=item.pk, tag=tags[name])
        for item, record in written
        for name in record.tags
    )


def _write_routines(plan: _Plan, pictures: dict[str, _Picture], progress: _Progress) -> None:
    changed = plan.changed
    if not changed:
        return
    now = timezone.now()
    author_ids = _ids(Author, {record.author for record, _ in changed})
    written: list[tuple[Routine, object]] = []
    for batch in progress.batches(changed, "saving routines"):
        for record, current in batch:
            routine = current or Routine(slug=record.slug)
            routine.title, routine.summary, routine.level = record.title, record.summary, record.level
            routine.body, routine.safety_note, routine.video_url = record.body, record.safety_note, record.video_url
            routine.breath_seconds, routine.status = record.breath_seconds, record.status
            routine.transition_seconds, routine.author_id = record.transition_seconds, author_ids.get(record.author)
            routine.published_at = _publication_time(record, now)
            routine.full_clean(exclude=["author"], validate_unique=False, validate_constraints=False)
            routine.save()
            written.append((routine, record))
    updated = [routine.pk for _, routine in plan.updated]
    RoutineStep.objects.filter(routine_id__in=updated).delete()
    RoutineImage.objects.filter(routine_id__in=updated).delete()
    RelatedRoutine.objects.filter(routine_id__in=updated).delete()
    _clear_tags(Routine, updated)
    pose_ids = _ids(Pose, {step.pose for _, record in written for step in record.steps})
    steps, variations = [], []
    for routine, record in written:
        for position, step in enumerate(record.steps):
            row = RoutineStep(routine=routine, position=position, pose_id=pose_ids.get(step.pose), **_step_fields(step))
            steps.append(row)
            variations += [StepVariation(step=row, level=level, instructions=text) for level, text in step.variations]
    RoutineStep.objects.bulk_create(steps)
    StepVariation.objects.bulk_create(variations)
    RoutineImage.objects.bulk_create(
        _image(RoutineImage, image, pictures, position=i, routine=routine)
        for routine, record in written
        for i, image in enumerate(record.images)
    )
    # Related routines may come later in the document: link once all exist.
    routine_ids = _ids(Routine, {slug for _, record in written for slug in record.related})
    RelatedRoutine.objects.bulk_create(
        RelatedRoutine(routine=routine, related_id=routine_ids[slug], position=i)
        for routine, record in written
        for i, slug in enumerate(record.related)
    )
    _create_tags(Routine, written)
    for routine, _ in written:
        refresh_duration(routine=routine)


def _step_fields(step: StepRecord) -> dict:
    """A step record's own fields, which are named as the model's."""
    return {name: value for name, value in vars(step).items() if name not in ("pose", "variations")}
