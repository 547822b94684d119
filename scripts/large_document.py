"""Write a large content document to measure the import: the demo content plus generated copies of
its poses (new slugs and names, the same pictures), up to `--poses` poses in all.

    .venv/bin/python scripts/large_document.py --poses 10000 /tmp/large/content.json
    .venv/bin/python manage.py import_content /tmp/large/content.json
"""

import argparse
import json
import shutil
from pathlib import Path

DEMO = Path(__file__).resolve().parent.parent / "demo"


def large_document(poses: int, *, pictures: bool = True) -> dict:
    """The demo document with generated poses added until it holds `poses` poses (without any
    picture if not `pictures`)."""
    document = json.loads((DEMO / "content.json").read_text())
    if not pictures:
        for kind in ("poses", "routines"):
            for record in document[kind]:
                record.pop("images", None)
        for author in document["authors"]:
            author.pop("image", None)
    originals = document["poses"]
    generated = []
    for number in range(max(0, poses - len(originals))):
        pose = dict(originals[number % len(originals)])
        pose["slug"] = f"{pose['slug']}-{number + 1}"
        pose["name"] = f"{pose['name']} {number + 1}"
        generated.append(pose)
    document["poses"] = originals + generated
    return document


def write(poses: int, target: Path, *, pictures: bool = True) -> Path:
    """Write the document to `target`, with the demo pictures beside it; returns `target`."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if pictures:
        shutil.copytree(DEMO / "images", target.parent / "images", dirs_exist_ok=True)
    target.write_text(json.dumps(large_document(poses, pictures=pictures), ensure_ascii=False))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poses", type=int, default=10_000)
    parser.add_argument("target", type=Path)
    arguments = parser.parse_args()
    print(write(arguments.poses, arguments.target))


if __name__ == "__main__":
    main()
