"""Print practices made to measure from a content file, to read them as a teacher would.

Reads the poses of a content document (the demo by default) straight into the generator's records,
no database, and prints one practice for every level × focus × length asked, with no props but a mat:
each step's section, pose, hold and sides, and the practice's length.

    .venv/bin/python scripts/practice_samples.py [--content demo/content.json] [--minutes 10 20 45]
        [--level beginner] [--focus hips] [--seed 1] [--props block,strap]
"""

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from practice import generator  # noqa: E402


def records(path: Path) -> list[generator.PoseRecord]:
    """The published poses of a content document as records, in the order the site reads them (by name)."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        sys.exit(f"Cannot read {path}: {error}")
    poses = [pose for pose in document.get("poses", []) if pose.get("status", "published") == "published"]
    poses.sort(key=lambda pose: pose["name"])
    ids = {pose["slug"]: n for n, pose in enumerate(poses, start=1)}

    def link(pose, key):
        target = pose.get(key)
        return ids.get(target["pose"]) if target else None

    out = []
    for pose in poses:
        hold = pose.get("hold") or {}
        kind = next((k for k in ("seconds", "breaths") if hold.get(k) is not None), "")
        out.append(
            generator.PoseRecord(
                id=ids[pose["slug"]],
                slug=pose["slug"],
                name=pose["name"],
                level=pose.get("level", "beginner"),
                category=pose.get("category") or "",
                muscles=frozenset((pose.get("muscles") or {}).get("primary", [])),
                props=frozenset(pose.get("equipment") or []),
                both_sides=pose.get("sides") == "both",
                hold_kind=kind,
                hold_value=hold.get(kind) if kind else None,
                warm_up=link(pose, "warm_up"),
                cool_down=link(pose, "cool_down"),
            )
        )
    return out


def describe(practice: generator.Practice) -> list[str]:
    lines = []
    section = None
    for number, step in enumerate(practice.steps, start=1):
        if step.section != section:
            section = step.section
            lines.append(f"  -- {section}")
        name = step.pose.name if step.pose else step.title
        category = f" [{step.pose.category or '-'}]" if step.pose else ""
        hold = f"{step.hold_value} {'breaths' if step.hold_kind == 'breaths' else 's'}"
        sides = " each side" if step.both_sides else ""
        lines.append(f"  {number:2}. {name}{category}: {hold}{sides}")
    minutes, seconds = divmod(practice.seconds, 60)
    lines.append(f"  = {minutes} min {seconds:02d} s, scale {practice.scale:.2f}")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "demo" / "content.json")
    parser.add_argument("--minutes", type=int, nargs="+", default=[10, 20, 45])
    parser.add_argument("--level", choices=generator.LEVELS, action="append")
    parser.add_argument("--focus", choices=["any", *generator.FOCUS_GROUPS], action="append")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--props", default="", help="props at hand besides a mat, separated by commas")
    args = parser.parse_args()
    library = records(args.content)
    foci = {"any": generator.ANY_FOCUS} | {
        slug: generator.Focus(slug, label, categories, muscles)
        for slug, (label, categories, muscles) in generator.FOCUS_GROUPS.items()
    }
    props = frozenset(prop for prop in args.props.split(",") if prop)
    for level in args.level or generator.LEVELS:
        for slug in args.focus or list(foci):
            for minutes in args.minutes:
                request = generator.Request(minutes, level, foci[slug], props=props, seed=args.seed)
                answer = generator.generate(library, request)
                print(f"{minutes} min · {level} · {slug}")
                if isinstance(answer, generator.Cannot):
                    print(f"  cannot: {answer.reason}")
                else:
                    print("\n".join(describe(answer)))
                print()


if __name__ == "__main__":
    main()
