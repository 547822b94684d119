"""Between the database and the rules: published poses as plain records, and a generated practice as an
unsaved routine with unsaved steps that the routine page, cheat sheet and player templates can show."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone

from poses.models import Pose, PoseCaution, PoseImage, PoseMuscle, Status
from routines import timing
from routines.models import Routine, RoutineStep

from . import generator

REST_INSTRUCTIONS = (
    "Lie on your back, legs long and arms by your sides, palms up. Close your eyes and let the floor carry you. "
    "Breathe without effort."
)


def published_records() -> list[generator.PoseRecord]:
    """Every published pose as a record, in three queries whatever the library's size."""
    published = Pose.objects.published()
    muscles = defaultdict(set)
    for pose_id, slug in PoseMuscle.objects.filter(
        pose__in=published.values("pk"), role=PoseMuscle.Role.PRIMARY
    ).values_list("pose_id", "muscle__slug"):
        muscles[pose_id].add(slug)
    props = defaultdict(set)
    through = Pose.equipment.through
    for pose_id, slug in through.objects.filter(pose__in=published.values("pk")).values_list(
        "pose_id", "equipment__slug"
    ):
        props[pose_id].add(slug)
    rows = published.order_by("name", "pk").values_list(
        "pk",
        "slug",
        "name",
        "level",
        "category__slug",
        "sides",
        "hold_kind",
        "hold_value",
        "warm_up_id",
        "cool_down_id",
    )
    return [
        generator.PoseRecord(
            id=pk,
            slug=slug,
            name=name,
            level=level,
            category=category or "",
            muscles=frozenset(muscles[pk]),
            props=frozenset(props[pk]),
            both_sides=sides == "both",
            hold_kind=hold_kind or "",
            hold_value=hold_value,
            warm_up=warm_up,
            cool_down=cool_down,
        )
        for pk, slug, name, level, category, sides, hold_kind, hold_value, warm_up, cool_down in rows
    ]


def title_for(request: generator.Request) -> str:
    focus = "" if request.focus == generator.ANY_FOCUS else f" for {request.focus.label.lower()}"
    return f"{request.minutes}-minute {request.level} practice{focus}"


def in_memory_routine(
    *, title: str, level: str, planned: list, url: str, slug: str, pose_ids: list[int] | None = None
) -> tuple[Routine, list[RoutineStep]]:
    """An unsaved routine and its unsaved steps for `planned` (PlannedStep-shaped: pose record or None,
    hold_kind, hold_value, both_sides, section, title; optionally repetitions and first_side). The poses are
    loaded in a fixed number of queries. The objects get a placeholder primary key and empty related caches
    so templates can read their relations without a query; they are never saved (services.save_as_draft
    copies them)."""
    ids = pose_ids if pose_ids is not None else [step.pose.id for step in planned if step.pose is not None]
    poses = (
        Pose.objects.filter(pk__in=set(ids))
        .select_related("category")
        .prefetch_related(
            Prefetch("images", queryset=PoseImage.objects.order_by("position", "pk")),
            Prefetch("cautions", queryset=PoseCaution.objects.order_by("position", "pk")),
            "equipment",
        )
    )
    by_id = {pose.pk: pose for pose in poses}
    routine = Routine(
        title=title,
        slug=slug,
        level=level,
        breath_seconds=Decimal(generator.BREATH_SECONDS),
        transition_seconds=generator.TRANSITION_SECONDS,
        status=Status.PUBLISHED,
        published_at=timezone.now(),
    )
    routine.pk = 0
    routine._prefetched_objects_cache = {"images": [], "steps": [], "tags": [], "related_links": []}
    routine.get_absolute_url = lambda: url
    steps = []
    previous_section = None
    for position, planned_step in enumerate(planned, start=1):
        pose = by_id.get(planned_step.pose.id) if planned_step.pose is not None else None
        starts = planned_step.section != previous_section
        previous_section = planned_step.section
        step = RoutineStep(
            routine=routine,
            position=position,
            pose=pose,
            title=planned_step.title if pose is None else "",
            instructions=REST_INSTRUCTIONS if pose is None else "",
            hold_kind=planned_step.hold_kind,
            hold_value=planned_step.hold_value,
            repetitions=getattr(planned_step, "repetitions", 1),
            sides="both" if planned_step.both_sides else "none",
            first_side=getattr(planned_step, "first_side", "right") if planned_step.both_sides else "right",
            starts_section=starts,
            section_title=planned_step.section if starts else "",
        )
        step.pk = 0
        step._prefetched_objects_cache = {"variations": []}
        steps.append(step)
    routine._prefetched_objects_cache["steps"] = steps
    routine.duration_seconds = timing.routine_seconds(steps, routine.breath_seconds, routine.transition_seconds)
    return routine, steps


def cautions_of(steps) -> list[tuple[str, str]]:
    """Each caution of the practice's poses once, in the order the poses come, with the name of the pose
    it belongs to: (pose name, caution)."""
    seen: dict[str, str] = {}
    for step in steps:
        if step.pose_id:
            for caution in step.pose.cautions.all():
                text = caution.text.strip()
                if text:
                    seen.setdefault(text, step.pose.name)
    return [(name, text) for text, name in seen.items()]
