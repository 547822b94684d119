"""Grow the library to a given number of published poses (and routines) with generated content,
to measure the site at scale. Uses the muscles, props and categories already there (import the
demo content first). Rows are written in bulk: 10,000 poses take a few seconds.

    .venv/bin/python scripts/generate_library.py --poses 10000 --routines 500
"""

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yogasite.settings.dev")

import django  # noqa: E402

django.setup()

from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from taggit.models import Tag, TaggedItem  # noqa: E402

from common import caching  # noqa: E402
from poses.models import Category, Equipment, Muscle, Pose, PoseMuscle, PoseStep, Status  # noqa: E402
from poses.text import fold  # noqa: E402
from routines.models import Routine, RoutineStep  # noqa: E402

WORDS = "flow bend twist reach lift fold arch stretch open rise lunge bridge crescent tree moon wave".split()
BATCH = 2000


def generate(*, poses: int, routines: int, seed: int = 7) -> tuple[int, int]:
    """Add generated published poses until there are `poses`, and routines until there are `routines`."""
    rng = random.Random(seed)
    categories = list(Category.objects.values_list("pk", flat=True))
    muscles = list(Muscle.objects.values_list("pk", flat=True))
    props = list(Equipment.objects.values_list("pk", flat=True))
    tags = [Tag.objects.get_or_create(name=word, defaults={"slug": word})[0].pk for word in WORDS[:8]]
    published = timezone.now() - timezone.timedelta(days=1)
    pose_type = ContentType.objects.get_for_model(Pose)
    start = Pose.objects.count()
    with transaction.atomic():
        for first in range(start, poses, BATCH):
            batch = []
            for n in range(first, min(poses, first + BATCH)):
                name = f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()} {n}"
                batch.append(
                    Pose(
                        name=name,
                        slug=f"generated-{n}",
                        summary=f"A generated pose for measuring, number {n}.",
                        category_id=rng.choice(categories) if categories else None,
                        status=Status.PUBLISHED,
                        published_at=published,
                        search_names=fold(name),
                    )
                )
            made = Pose.objects.bulk_create(batch)
            PoseStep.objects.bulk_create(
                PoseStep(pose=pose, position=k, text=f"Step {k + 1} of {pose.name}.") for pose in made for k in range(3)
            )
            rows = []
            for pose in made:
                for position, muscle in enumerate(rng.sample(muscles, min(3, len(muscles)))):
                    rows.append(
                        PoseMuscle(pose=pose, muscle_id=muscle, role="primary" if position < 2 else "secondary")
                    )
            PoseMuscle.objects.bulk_create(rows)
            if props:
                through = Pose.equipment.through
                through.objects.bulk_create(through(pose_id=pose.pk, equipment_id=rng.choice(props)) for pose in made)
            TaggedItem.objects.bulk_create(
                TaggedItem(content_type=pose_type, object_id=pose.pk, tag_id=rng.choice(tags)) for pose in made
            )
        pool = list(Pose.objects.published().values_list("pk", flat=True)[:2000])
        for n in range(Routine.objects.count(), routines):
            routine = Routine.objects.create(
                title=f"Generated Routine {n}",
                slug=f"generated-routine-{n}",
                summary="A generated routine for measuring.",
                status=Status.PUBLISHED,
                published_at=published,
            )
            RoutineStep.objects.bulk_create(
                RoutineStep(routine=routine, position=k, pose_id=rng.choice(pool), hold_kind="seconds", hold_value=30)
                for k in range(12)
            )
            Routine.objects.filter(pk=routine.pk).update(duration_seconds=12 * 30)
        caching.invalidate("all")
    return Pose.objects.count(), Routine.objects.count()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poses", type=int, required=True)
    parser.add_argument("--routines", type=int, default=0)
    args = parser.parse_args()
    total_poses, total_routines = generate(poses=args.poses, routines=args.routines)
    print(f"{total_poses} poses, {total_routines} routines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
