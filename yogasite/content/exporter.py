"""Export the whole site as a content document with the pictures it uses."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import default_storage

from poses.models import Pose
from routines.models import Author, RelatedRoutine, Routine, RoutineStep

from . import stored
from .schema import FORMAT, KINDS, VERSION, AuthorRecord, ImageRecord, PoseRecord, RoutineRecord, StepRecord

MEDIA = "media"


class ExportFailed(Exception):
    """A picture the content uses is missing from the media storage."""


@dataclass
class ExportResult:
    path: Path
    counts: dict[str, int]
    images: int

    def summary(self) -> str:
        parts = ", ".join(f"{count} {kind}" for kind, count in self.counts.items())
        return f"Wrote {self.path}: {parts}, {self.images} images."


def _without_defaults(values: dict, defaults: dict) -> dict:
    """Keys whose value is the format's default are left out: shorter, and read the same."""
    return {key: value for key, value in values.items() if key not in defaults or value != defaults[key]}


def _image(image: ImageRecord) -> dict:
    values = {
        "file": f"{MEDIA}/{image.stored_name}",
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "side": image.side,
    }
    return _without_defaults(values, dict.fromkeys(["caption", "credit", "side"], ""))


def _images(images: tuple[ImageRecord, ...]) -> list[dict]:
    return [_image(image) for image in images]


def _author(record: AuthorRecord) -> dict:
    values = {
        "slug": record.slug,
        "name": record.name,
        "bio": record.bio,
        "image": _image(record.image) if record.image else None,
    }
    return _without_defaults(values, {"bio": "", "image": None})


def _moment(record) -> str | None:
    return record.published_at.isoformat() if record.published_at else None


def _linked(slug: str, note: str) -> dict | None:
    return _without_defaults({"pose": slug, "note": note}, {"note": ""}) if slug else None


def _pose(record: PoseRecord) -> dict:
    muscles = _without_defaults({"primary": list(record.primary), "secondary": list(record.secondary)}, EMPTY_MUSCLES)
    values = {
        "slug": record.slug,
        "name": record.name,
        "sanskrit_name": record.sanskrit_name,
        "other_names": list(record.other_names),
        "summary": record.summary,
        "category": record.category,
        "level": record.level,
        "tags": list(record.tags),
        "equipment": list(record.equipment),
        "steps": list(record.steps),
        "muscles": muscles,
        "tips": list(record.tips),
        "benefits": list(record.benefits),
        "mistakes": list(record.mistakes),
        "warm_up": _linked(record.warm_up, record.warm_up_note),
        "cool_down": _linked(record.cool_down, record.cool_down_note),
        "cautions": list(record.cautions),
        "sides": record.sides,
        "hold": {record.hold_kind: record.hold_value} if record.hold_kind else None,
        "faqs": [{"question": q, "answer": a} for q, a in record.faqs],
        "images": _images(record.images),
        "video_url": record.video_url,
        "status": record.status,
        "published_at": _moment(record),
    }
    return _without_defaults(values, POSE_DEFAULTS)


def _step(step: StepRecord) -> dict:
    values = {
        "pose": step.pose or None,
        "title": step.title,
        "instructions": step.instructions,
        "hold": {step.hold_kind: step.hold_value},
        "repetitions": step.repetitions,
        "sides": step.sides,
        "first_side": step.first_side,
        "advance": step.advance,
        "variations": [{"level": level, "instructions": text} for level, text in step.variations],
    }
    return _without_defaults(values, STEP_DEFAULTS)


def _sections(steps: tuple[StepRecord, ...]) -> list[dict]:
    sections: list[dict] = []
    for step in steps:
        if step.starts_section or not sections:
            sections.append(_without_defaults({"title": step.section_title, "steps": []}, {"title": ""}))
        sections[-1]["steps"].append(_step(step))
    return sections


def _breath_seconds(value) -> int | float:
    return int(value) if value == int(value) else float(value)


def _routine(record: RoutineRecord) -> dict:
    values = {
        "slug": record.slug,
        "title": record.title,
        "summary": record.summary,
        "body": record.body,
        "safety_note": record.safety_note,
        "level": record.level,
        "tags": list(record.tags),
        "images": _images(record.images),
        "video_url": record.video_url,
        "breath_seconds": _breath_seconds(record.breath_seconds),
        "transition_seconds": record.transition_seconds,
        "author": record.author,
        "related": list(record.related),
        "sections": _sections(record.steps),
        "status": record.status,
        "published_at": _moment(record),
    }
    return _without_defaults(values, ROUTINE_DEFAULTS)


EMPTY_MUSCLES = {"primary": [], "secondary": []}
POSE_DEFAULTS = {
    **dict.fromkeys(["sanskrit_name", "summary", "category", "video_url"], ""),
    **dict.fromkeys(
        ["other_names", "tags", "equipment", "steps", "tips", "benefits", "mistakes", "cautions", "faqs", "images"], []
    ),
    "sides": "none",
    "hold": None,
    "muscles": {},
    "warm_up": None,
    "cool_down": None,
    "published_at": None,
}
ROUTINE_DEFAULTS = {
    **dict.fromkeys(["summary", "body", "safety_note", "video_url", "author"], ""),
    **dict.fromkeys(["tags", "images", "related", "sections"], []),
    "breath_seconds": _breath_seconds(Routine._meta.get_field("breath_seconds").default),
    "transition_seconds": Routine._meta.get_field("transition_seconds").default,
    "published_at": None,
}
STEP_DEFAULTS = {
    "pose": None,
    "title": "",
    "instructions": "",
    "repetitions": 1,
    "sides": RoutineStep.Sides.NONE,
    "first_side": RoutineStep.Side.RIGHT,
    "advance": RoutineStep.Advance.AUTO,
    "variations": [],
}


def _with_related_routines(routine_ids: set[int]) -> set[int]:
    """The routines asked for and every routine they suggest, and those suggest, and so on."""
    wanted, frontier = set(routine_ids), set(routine_ids)
    while frontier:
        linked = set(RelatedRoutine.objects.filter(routine__in=frontier).values_list("related", flat=True))
        frontier = linked - wanted
        wanted |= frontier
    return wanted


def _with_linked_poses(pose_ids: set[int], routine_ids: set[int]) -> set[int]:
    """The poses asked for, those the routines' steps use, and every warm-up and cool-down they name, so that
    the document imports into a site that has none of them."""
    wanted = set(pose_ids) | set(
        RoutineStep.objects.filter(routine__in=routine_ids, pose__isnull=False).values_list("pose", flat=True)
    )
    frontier = set(wanted)
    while frontier:
        linked = set()
        for warm_up, cool_down in Pose.objects.filter(pk__in=frontier).values_list("warm_up", "cool_down"):
            linked |= {pk for pk in (warm_up, cool_down) if pk is not None}
        frontier = linked - wanted
        wanted |= frontier
    return wanted


def export_site(
    *, directory: Path, poses: Iterable[int] | None = None, routines: Iterable[int] | None = None
) -> ExportResult:
    """Write `directory`/content.json with every muscle, prop, category, pose and routine, and
    copy each picture they use to `directory`/media/<stored name>. Importing that file into an
    empty site gives the same site back.

    Given `poses` or `routines` (ids), only those are written, with the poses they link to (steps,
    warm-up, cool-down) and every muscle, prop and category, so that the document imports on its own."""
    directory = Path(directory)
    references = {
        kind: [record for _, record in stored.reference_records(model.objects.order_by("slug"))]
        for kind, model in stored.REFERENCE_MODELS.items()
    }
    authors = [record for _, record in stored.author_records(Author.objects.order_by("slug"))]
    pose_rows, routine_rows = Pose.objects.order_by("slug"), Routine.objects.order_by("slug")
    if poses is not None or routines is not None:
        routine_ids = _with_related_routines(set(routines or ()))
        pose_rows = pose_rows.filter(pk__in=_with_linked_poses(set(poses or ()), routine_ids))
        routine_rows = routine_rows.filter(pk__in=routine_ids)
    poses = [record for _, record in stored.pose_records(pose_rows)]
    routines = [record for _, record in stored.routine_records(routine_rows)]
    document = {
        "format": FORMAT,
        "version": VERSION,
        **{
            kind: [_without_defaults(vars(record), {"description": ""}) for record in records]
            for kind, records in references.items()
        },
        "authors": [_author(record) for record in authors],
        "poses": [_pose(record) for record in poses],
        "routines": [_routine(record) for record in routines],
    }
    names = sorted(
        {image.stored_name for record in (*poses, *routines) for image in record.images}
        | {record.image.stored_name for record in authors if record.image}
    )
    missing = [name for name in names if not default_storage.exists(name)]
    if missing:
        raise ExportFailed(f"{len(missing)} picture(s) missing from the media storage, such as {missing[0]}.")
    directory.mkdir(parents=True, exist_ok=True)
    for name in names:
        target = directory / MEDIA / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, open(target, "wb") as copy:
            shutil.copyfileobj(source, copy)
    path = directory / "content.json"
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    counts = {kind: len(document[kind]) for kind in KINDS}
    return ExportResult(path=path, counts=counts, images=len(names))
