"""Import a content document: create what is new, update what changed, all or nothing."""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TextIO

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone
from taggit.models import Tag

from common import caching
from poses import images
from poses import search as pose_search
from poses.models import Category, Equipment, Pose, PoseFAQ, PoseImage, PoseMuscle, PoseOtherName, Status
from poses.services import POSE_PARTS
from routines import search as routine_search
from routines.models import Author, AuthorImage, RelatedRoutine, Routine, RoutineImage, RoutineStep, StepVariation
from routines.services import refresh_duration
from searchindex import index as search_index
from workflow.activity import record as record_activity
from workflow.models import Activity
from workflow.roles import can_publish

from .. import media
from . import stored
from .schema import (
    KINDS,
    ContentInvalid,
    ContentUnreadable,
    Document,
    ImageRecord,
    Problem,
    StepRecord,
    read_document,
    validate,
)

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
    # How long the database's write transaction lasted (SQLite's one write lock is held that long).
    write_seconds: float = 0.0

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


def import_document(*, path: Path, progress: TextIO | None = None, user=None) -> ImportResult:
    """Import the content document at `path` (CONTENT-FORMAT.md): records are matched by slug,
    created or updated, never deleted; re-importing the same document writes nothing.

    Raises ContentUnreadable (missing file, bad JSON) or ContentInvalid (every problem, with
    its path) before anything is written, and images.StorageFailed when the media storage refuses
    a picture. Pictures are stored before the database transaction and removed again if anything
    after them fails, so a failed import leaves the database and the media folder as they were.
    `progress` is a stream for progress lines on long lists.

    With a `user`, the import is theirs: without the right to publish (workflow.roles), a document that
    would publish a pose or a routine, or change a published one, is refused (ContentInvalid) and nothing
    is written. Each import that changes something is kept in the activity log.
    """
    path = Path(path)
    data = read_document(path)
    report = _Progress(progress)
    document = validate(data, folder=path.parent, progress=report)
    plans = _plan(document)
    media.remove_abandoned()
    _check_publishing_rights(document, plans, user)
    written: list[str] = []
    # Noted before storing, so that pictures stored by an import killed before its transaction
    # are found and removed by the next one.
    wanted = list(_wanted_images(plans))
    pending = media.begin(wanted) if wanted else None
    try:
        pictures = _store_images(plans, written, report)
        # Everything that can be worked out before writing is (objects, checks, rows, search index
        # entries): on SQLite the write transaction holds the database's one write lock, and an
        # editor's save waits for it.
        prepared = _prepare(plans, pictures, report)
        started = time.monotonic()
        # The transaction is opened here rather than by a decorator, so that a failed commit
        # also removes the pictures stored above.
        with transaction.atomic():
            _write(plans, prepared, pictures, report)
            if pending:
                pending.delete()
            if any(plan.changed for plan in plans.values()):
                # Rows are written in bulk, without the models' signals: every cached page goes.
                caching.invalidate("all")
        write_seconds = time.monotonic() - started
    except BaseException:
        images.delete_quietly(written)
        media.forget(pending)
        raise
    result = ImportResult(counts={kind: plans[kind].counts() for kind in KINDS}, write_seconds=write_seconds)
    if result.changed:
        search_index.gather_statistics()
    if progress is not None and any(len(getattr(document, kind)) > PROGRESS_FROM for kind in KINDS):
        progress.write(f"database written in one transaction of {write_seconds:.1f} s\n")
    if result.changed:
        summary = ", ".join(
            f"{kind}: {c.created} created, {c.updated} updated"
            for kind, c in result.counts.items()
            if c.created or c.updated
        )
        record_activity(Activity.Kind.IMPORTED, user=user, note=f"{path.name}: {summary}")
    return result


def _check_publishing_rights(document: Document, plans: dict[str, _Plan], user) -> None:
    """Refuse, before anything is written, what `user` may not publish."""
    if user is None:
        return
    problems = []
    for kind, model in (("poses", Pose), ("routines", Routine)):
        if can_publish(user, model):
            continue
        live = {obj.slug for record, obj in plans[kind].updated if obj.status == Status.PUBLISHED}
        changed = {record.slug for record, _ in plans[kind].changed}
        for index, record in enumerate(getattr(document, kind)):
            if record.slug not in changed:
                continue
            if record.status == Status.PUBLISHED or record.slug in live:
                problems.append(
                    Problem(
                        f"{kind}[{index}]",
                        f"“{record.slug}” would be published or change published content, which your role "
                        "may not do: import it as a draft, or ask an Editor.",
                    )
                )
    if problems:
        raise ContentInvalid(problems)


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


def _wanted_images(plans: dict[str, _Plan]) -> dict[str, ImageRecord]:
    """Every picture that a created or updated record uses, by its stored name."""
    wanted: dict[str, ImageRecord] = {}
    for kind in ("poses", "routines"):
        for record, _ in plans[kind].changed:
            for image in record.images:
                wanted.setdefault(image.stored_name, image)
    for record, _ in plans["authors"].changed:
        if record.image is not None:
            wanted.setdefault(record.image.stored_name, record.image)
    return wanted


def _store_images(plans: dict[str, _Plan], written: list[str], progress: _Progress) -> dict[str, _Picture]:
    """Store every picture that a created or updated record uses; names newly written go to `written`."""
    wanted = _wanted_images(plans)
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


# --- preparing, outside the write transaction ------------------------------------------------


@dataclass
class _Rows:
    """Rows for a plain INSERT or UPDATE, prepared before the transaction. A value that is a model
    instance stands for its primary key, which a row created in the same import only gets when it
    is written; `late` lists the columns that may hold one."""

    sql: str
    rows: list[list] = field(default_factory=list)
    late: tuple[int, ...] = ()

    def resolve(self) -> None:
        """Put the primary keys of the objects in `late` columns in their place."""
        for row in self.rows:
            for column in self.late:
                if isinstance(value := row[column], models.Model):
                    row[column] = value.pk

    def execute(self) -> None:
        self.resolve()
        with connection.cursor() as cursor:
            for start in range(0, len(self.rows), WRITE_BATCH):
                cursor.executemany(self.sql, self.rows[start : start + WRITE_BATCH])


WRITE_BATCH = 5000


def _insert_sql(model, columns: list[str]) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    return f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"


def _insert_rows(model, objects: list) -> _Rows:
    """INSERT rows for unsaved `objects` of `model`, their foreign keys kept as the objects they point at."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    late = tuple(i for i, f in enumerate(fields) if f.is_relation)
    return _Rows(_insert_sql(model, [f.column for f in fields]), [_values(obj, fields) for obj in objects], late)


def _values(obj, fields) -> list:
    values = []
    for f in fields:
        if f.is_relation:
            value = getattr(obj, f.attname)
            values.append(getattr(obj, f.name) if value is None else value)
        else:
            values.append(f.get_db_prep_save(f.pre_save(obj, True), connection))
    return values


@dataclass
class _Prepared:
    references: dict[str, tuple[list, list]]  # kind: (new objects, changed objects)
    new_poses: list = field(default_factory=list)
    pose_inserts: _Rows | None = None
    pose_updates: _Rows | None = None
    written_poses: list = field(default_factory=list)  # (pose, record)
    new_tags: list = field(default_factory=list)
    pose_rows: list[_Rows] = field(default_factory=list)
    links: list = field(default_factory=list)  # (pose, warm-up pose or None, cool-down pose or None)
    index_entries: _Rows | None = None
    index_spellings: list = field(default_factory=list)


def _prepare(plans: dict[str, _Plan], pictures: dict[str, _Picture], progress: _Progress) -> _Prepared:
    """The objects and rows the import writes, checked, with only reads of the database."""
    prepared = _Prepared(references={})
    known = {}
    for kind, model in stored.REFERENCE_MODELS.items():
        new, changed = _prepare_references(model, plans[kind])
        prepared.references[kind] = (new, changed)
        known[model] = {item.slug: item for item in new + changed}
    _prepare_poses(prepared, plans["poses"], pictures, known, progress)
    return prepared


def _prepare_references(model, plan: _Plan) -> tuple[list, list]:
    new = [model(slug=r.slug, name=r.name, description=r.description) for r in plan.created]
    changed = []
    for record, item in plan.updated:
        item.name, item.description = record.name, record.description
        changed.append(item)
    for item in new + changed:
        item.full_clean(validate_unique=False, validate_constraints=False)
    return new, changed


def _by_slug(model, slugs, known: dict) -> dict:
    """The objects of `model` with these slugs: those the import writes, else those in the database."""
    slugs = {slug for slug in slugs if slug}
    found = {item.slug: item for item in model.objects.filter(slug__in=slugs - known.keys())} if slugs else {}
    return {**found, **{slug: item for slug, item in known.items() if slug in slugs}}


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


def _prepare_poses(
    prepared: _Prepared, plan: _Plan, pictures: dict[str, _Picture], known: dict, progress: _Progress
) -> None:
    changed = plan.changed
    if not changed:
        return
    now = timezone.now()
    categories = _by_slug(Category, {record.category for record, _ in changed}, known.get(Category, {}))
    old = []
    for batch in progress.batches(changed, "saving poses"):
        for record, current in batch:
            pose = current or Pose(slug=record.slug)
            pose.name, pose.sanskrit_name, pose.summary = record.name, record.sanskrit_name, record.summary
            pose.category = categories.get(record.category)
            pose.level, pose.video_url, pose.status = record.level, record.video_url, record.status
            pose.warm_up_note, pose.cool_down_note = record.warm_up_note, record.cool_down_note
            pose.sides, pose.hold_kind, pose.hold_value = record.sides, record.hold_kind, record.hold_value
            pose.published_at = _publication_time(record, now)
            pose.refresh_search_names(other_names=list(record.other_names))
            pose.updated_at = now
            pose.full_clean(
                exclude=["category", "warm_up", "cool_down"], validate_unique=False, validate_constraints=False
            )
            (old if current else prepared.new_poses).append(pose)
            prepared.written_poses.append((pose, record))
    if prepared.new_poses:
        prepared.pose_inserts = _insert_rows(Pose, prepared.new_poses)
    if old:
        fields = [Pose._meta.get_field(name) for name in POSE_FIELDS]
        quote = connection.ops.quote_name
        columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
        prepared.pose_updates = _Rows(f"UPDATE {quote(Pose._meta.db_table)} SET {columns} WHERE id = %s")
        prepared.pose_updates.rows = [[*_values(pose, fields), pose.pk] for pose in old]
        prepared.pose_updates.late = tuple(i for i, f in enumerate(fields) if f.is_relation)
    prepared.pose_rows = _pose_part_rows(prepared, pictures, known)
    # Warm-ups and cool-downs may name poses that come later in the document: linked once all exist.
    written = prepared.written_poses
    targets = _by_slug(Pose, {slug for _, r in written for slug in (r.warm_up, r.cool_down)}, {})
    targets.update((pose.slug, pose) for pose, _ in written)
    prepared.links = [(pose, targets.get(r.warm_up), targets.get(r.cool_down)) for pose, r in written]
    # What poses.search indexes a pose by, taken from the records; the object id is the pose itself,
    # whose primary key a new pose only gets when it is written.
    documents = [
        search_index.Document(
            kind=pose_search.POSE,
            object_id=pose,
            names=[pose.name, pose.sanskrit_name],
            other_names=list(record.other_names),
            text=[pose.summary],
        )
        for pose, record in written
    ]
    entries, words = search_index.entry_rows(documents)
    prepared.index_entries = _Rows("", [list(row) for row in entries], late=(1,))
    prepared.index_spellings = search_index.spelling_rows(words)


def _pose_part_rows(prepared: _Prepared, pictures: dict[str, _Picture], known: dict) -> list[_Rows]:
    written = prepared.written_poses
    equipment = _by_slug(Equipment, {slug for _, record in written for slug in record.equipment}, known[Equipment])
    muscle_model = stored.REFERENCE_MODELS["muscles"]
    muscles = _by_slug(
        muscle_model, {slug for _, r in written for slug in (*r.primary, *r.secondary)}, known[muscle_model]
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
                PoseMuscle(pose=pose, muscle=muscles[slug], role=role, position=i) for i, slug in enumerate(slugs)
            ]
        parts[PoseImage] += [
            _image(PoseImage, image, pictures, position=i, pose=pose) for i, image in enumerate(record.images)
        ]
        parts[through] += [through(pose=pose, equipment=equipment[slug]) for slug in record.equipment]
    rows = [_insert_rows(model, objects) for model, objects in parts.items() if objects]
    names = {name for _, record in written for name in record.tags}
    if names:
        tags = {tag.name: tag for tag in Tag.objects.filter(name__in=names)}
        prepared.new_tags = [Tag(name=name) for name in sorted(names - tags.keys())]
        tags.update((tag.name, tag) for tag in prepared.new_tags)
        tagged = Pose.tags.through
        content_type = ContentType.objects.get_for_model(Pose)
        columns = [tagged._meta.get_field(name).column for name in ("content_type", "object_id", "tag")]
        rows.append(
            _Rows(
                _insert_sql(tagged, columns),
                [[content_type.pk, pose, tags[name]] for pose, record in written for name in record.tags],
                late=(1, 2),
            )
        )
    return rows


# --- writing -------------------------------------------------------------------------------


def _write(plans: dict[str, _Plan], prepared: _Prepared, pictures: dict[str, _Picture], progress: _Progress) -> None:
    for kind, model in stored.REFERENCE_MODELS.items():
        new, changed = prepared.references[kind]
        model.objects.bulk_create(new)
        model.objects.bulk_update(changed, ["name", "description"])
    _write_authors(plans["authors"], pictures)
    _write_poses(prepared)
    _write_routines(plans["routines"], pictures, progress)
    _index_for_search(plans, prepared)


def _index_for_search(plans: dict[str, _Plan], prepared: _Prepared) -> None:
    """The bulk writes send no signals: index what changed for search (a routine is found by its poses' names)."""
    changed = {kind: [record.slug for record, _ in plans[kind].changed] for kind in ("muscles", "routines")}
    muscle_ids = _ids(stored.REFERENCE_MODELS["muscles"], changed["muscles"]).values()
    pose_ids = [pose.pk for pose, _ in prepared.written_poses]
    routine_ids = {*_ids(Routine, changed["routines"]).values(), *routine_search.using(pose_ids)}
    pose_search.refresh(muscles=muscle_ids)
    routine_search.refresh(routine_ids)


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


def _write_poses(prepared: _Prepared) -> None:
    """Only writes, in bulk: everything was prepared before the transaction."""
    if not prepared.written_poses:
        return
    if prepared.pose_inserts is not None:
        prepared.pose_inserts.execute()
        _note_ids(Pose, prepared.new_poses)
    if prepared.pose_updates is not None:
        prepared.pose_updates.execute()
        _clear_pose_parts([row[-1] for row in prepared.pose_updates.rows])
    for tag in prepared.new_tags:
        tag.save()  # Tag.save() makes a unique slug
    for rows in prepared.pose_rows:
        rows.execute()
    # Only rows whose links change: an UPDATE of thousands of rows holds the write lock for long.
    links = _Rows(
        f"UPDATE {connection.ops.quote_name(Pose._meta.db_table)} SET warm_up_id = %s, cool_down_id = %s WHERE id = %s"
    )
    for pose, warm_up, cool_down in prepared.links:
        ids = (warm_up.pk if warm_up else None, cool_down.pk if cool_down else None)
        if ids != (pose.warm_up_id, pose.cool_down_id):
            pose.warm_up_id, pose.cool_down_id = ids
            links.rows.append([*ids, pose.pk])
    links.execute()
    poses = [pose for pose, _ in prepared.written_poses]
    search_index.remove(pose_search.POSE, [pose.pk for pose in poses])
    prepared.index_entries.resolve()
    search_index.write_rows(prepared.index_entries.rows, prepared.index_spellings)


def _note_ids(model, objects: list) -> None:
    """Give objects just written with a plain INSERT their primary keys, found by their slugs."""
    by_slug = {item.slug: item for item in objects}
    slugs = list(by_slug)
    for start in range(0, len(slugs), search_index.BATCH):
        for slug, pk in model.objects.filter(slug__in=slugs[start : start + search_index.BATCH]).values_list(
            "slug", "pk"
        ):
            item = by_slug[slug]
            item.pk = pk
            item._state.adding, item._state.db = False, connection.alias


def _clear_pose_parts(pose_ids: list[int]) -> None:
    """Plain DELETEs of the parts of these poses. Without the models' signals, which would load every
    row and note a change for each: the import lets every cached page go once, and indexes itself."""
    if not pose_ids:
        return
    for model in (*POSE_PARTS, Pose.equipment.through):
        _delete(model, "pose", pose_ids)
    tagged = Pose.tags.through
    _delete(tagged, "object_id", pose_ids, content_type=ContentType.objects.get_for_model(Pose).pk)


def _delete(model, field_name: str, ids: list[int], **equal) -> None:
    quote = connection.ops.quote_name
    column = quote(model._meta.get_field(field_name).column)
    conditions = [f"{quote(model._meta.get_field(name).column)} = %s" for name in equal]
    with connection.cursor() as cursor:
        for start in range(0, len(ids), search_index.BATCH):
            chunk = ids[start : start + search_index.BATCH]
            where = " AND ".join([*conditions, f"{column} IN ({', '.join(['%s'] * len(chunk))})"])
            cursor.execute(f"DELETE FROM {quote(model._meta.db_table)} WHERE {where}", [*equal.values(), *chunk])


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
