"""Server time of search at 100 and at 10,000 poses.

Builds a fresh database in a temporary folder (SQLite, or the database DATABASE_URL names, which should
be a throwaway one, as scripts/with-postgres.sh gives), imports the demo content
without its pictures plus generated poses up to 100, measures each search, then imports more
generated poses up to 10,000 and measures again. Server time is the time Django takes to answer a
request (middleware, view, template), measured in-process with the test client: no network.

The generated poses have names made of other words than the searched ones (a quarter of them end
in "Pose", as real libraries do), so a query finds about as much at both sizes and the figures show
how the cost grows with the library, not with the number of matches. "twist" is the exception:
the generated names use it, so its matches grow with the library.

    .venv/bin/python scripts/bench_search.py [--sizes 100 10000] [--repeat 30]

Other scripts can call `measure(queries, repeat)` once Django is set up.
"""

import argparse
import io
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = [
    "/search/?q=dog",
    "/search/?q=warrior+2",
    "/search/?q=childs+pose",
    "/search/?q=shavasana",
    "/search/?q=cobar",
    "/search/?q=dowward+dog",
    "/search/?q=zzzz+qqqq",
    "/poses/?q=dog",
    "/poses/?q=warrior+two",
    "/search/?q=twist",
]
ENGLISH = ["Revolved", "Extended", "Bound", "Half", "Reclining", "Supported", "Seated", "Kneeling", "Wide", "Low"]
SHAPES = ["Lunge", "Twist", "Fold", "Bend", "Stretch", "Balance", "Lift", "Reach", "Arch", "Circle", "Hold", "Rest"]
SYLLABLES = ["ka", "ma", "ra", "ta", "pa", "vi", "dha", "ni", "su", "bha", "go", "la", "ya", "tri", "va", "ha", "ja"]


def generated_poses(start: int, stop: int, seed: int = 9) -> list[dict]:
    """Poses `start`..`stop`-1 of a repeatable made-up library."""
    poses = []
    for number in range(start, stop):
        rng = random.Random(seed * 1_000_003 + number)
        sanskrit = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize() + "āsana"
        english = f"{rng.choice(ENGLISH)} {rng.choice(SHAPES)} {number}" + (" Pose" if number % 4 == 0 else "")
        poses.append(
            {
                "slug": f"generated-{number}",
                "name": english,
                "sanskrit_name": sanskrit,
                "summary": f"A made-up pose for measuring: {english.lower()}.",
                "level": "beginner",
                "status": "published",
                "steps": ["Breathe."],
            }
        )
    return poses


def demo_without_pictures() -> dict:
    document = json.loads((ROOT / "demo" / "content.json").read_text())
    for record in [*document["poses"], *document["routines"]]:
        record.pop("images", None)
    return document


def import_document(document: dict, folder: Path) -> None:
    from django.core.management import call_command

    path = folder / "content.json"
    path.write_text(json.dumps(document))
    call_command("import_content", str(path), verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())


def measure(queries: list[str], repeat: int) -> dict[str, float]:
    """Median server time in milliseconds of each URL, over `repeat` requests after two warm-ups."""
    from django.test import Client

    client = Client()
    results = {}
    for url in queries:
        times = []
        for attempt in range(repeat + 2):
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"{url} answered {response.status_code}")
            if attempt >= 2:
                times.append(elapsed * 1000)
        results[url] = statistics.median(times)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="yogasite-bench-search-"))
    os.environ["YOGASITE_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yogasite.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    from poses.models import Pose

    setup_test_environment()  # the test client's host is allowed
    call_command("migrate", "--noinput", verbosity=0)
    demo = demo_without_pictures()
    import_document(demo, folder)
    figures = {}
    for size in sorted(args.sizes):
        have = Pose.objects.count()
        if size > have:
            started = time.perf_counter()
            batch = 2000
            for start in range(have, size, batch):
                import_document(
                    {
                        "format": demo["format"],
                        "version": demo["version"],
                        "poses": generated_poses(start, min(start + batch, size)),
                    },
                    folder,
                )
            print(f"{size} poses: imported {size - have} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        figures[size] = measure(QUERIES, args.repeat)
    sizes = sorted(figures)
    print(f"| URL | {' | '.join(f'{size:,} poses, ms' for size in sizes)} | ratio |")
    print(f"| --- | {' | '.join('---:' for _ in sizes)} | ---: |")
    for url in QUERIES:
        times = [figures[size][url] for size in sizes]
        print(f"| `{url}` | {' | '.join(f'{t:.1f}' for t in times)} | {times[-1] / times[0]:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
