"""Convert the free-exercise-db data set (public domain, 873 exercises) into a content document.

    python scripts/convert_free_exercise_db.py path/to/exercises.json content.json
    python manage.py import_content content.json

Each exercise becomes a pose: its instructions are the steps, its muscles map to the 17 muscle
slugs the body map knows, its equipment to a prop, its category to a category, and its force
and mechanic become tags. Pictures are left out. An exercise without instructions stays a draft
(a published pose needs steps). The script only needs the standard library.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

MUSCLES = {
    "abdominals": "Abdominals",
    "abductors": "Abductors",
    "adductors": "Adductors",
    "biceps": "Biceps",
    "calves": "Calves",
    "chest": "Chest",
    "forearms": "Forearms",
    "glutes": "Glutes",
    "hamstrings": "Hamstrings",
    "lats": "Lats",
    "lower back": "Lower Back",
    "middle back": "Middle Back",
    "neck": "Neck",
    "quadriceps": "Quadriceps",
    "shoulders": "Shoulders",
    "traps": "Traps",
    "triceps": "Triceps",
}
# "body only" and "other" name no prop a visitor could fetch.
NO_PROP = {None, "body only", "other"}
LEVELS = {"beginner": "beginner", "intermediate": "intermediate", "expert": "advanced"}


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].rstrip("-")


def reference(names: set[str]) -> list[dict]:
    return [{"slug": slugify(name), "name": name[:1].upper() + name[1:]} for name in sorted(names)]


def convert(exercises: list[dict]) -> dict:
    poses, slugs = [], set()
    for exercise in exercises:
        slug = base = slugify(exercise["id"])
        n = 1
        while slug in slugs:
            n += 1
            slug = f"{base[:76]}-{n}"
        slugs.add(slug)
        steps = [step for step in exercise["instructions"] if step.strip()]
        primary = [slugify(m) for m in exercise["primaryMuscles"]]
        pose = {
            "slug": slug,
            "name": exercise["name"],
            "category": slugify(exercise["category"]),
            "level": LEVELS[exercise["level"]],
            "tags": sorted({tag for tag in (exercise.get("force"), exercise.get("mechanic")) if tag}),
            "equipment": [] if exercise["equipment"] in NO_PROP else [slugify(exercise["equipment"])],
            "steps": steps,
            "muscles": {
                "primary": list(dict.fromkeys(primary)),
                "secondary": list(
                    dict.fromkeys(slugify(m) for m in exercise["secondaryMuscles"] if slugify(m) not in primary)
                ),
            },
            "status": "published" if steps else "draft",
        }
        poses.append(pose)
    return {
        "format": "yogasite-content",
        "version": 1,
        "muscles": [{"slug": slugify(key), "name": name} for key, name in sorted(MUSCLES.items())],
        "equipment": reference({e["equipment"] for e in exercises} - NO_PROP),
        "categories": reference({e["category"] for e in exercises}),
        "poses": poses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="free-exercise-db's dist/exercises.json")
    parser.add_argument("target", type=Path, nargs="?", help="where to write the content document (default: stdout)")
    args = parser.parse_args(argv)
    document = convert(json.loads(args.source.read_text(encoding="utf-8")))
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if args.target:
        args.target.write_text(text, encoding="utf-8")
        print(f"Wrote {len(document['poses'])} poses to {args.target}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
