"""Server time of search at 100 and at 10,000 poses.

Builds a fresh database for each size (SQLite files in a temporary folder, or, with DATABASE_URL, that
database and one more beside it in the same throwaway server, as scripts/with-postgres.sh gives),
imports the demo content without its pictures plus generated poses up to the size, and measures each
search on both, a request on one then a request on the other, so that whatever else the machine is doing
weighs on both alike and their ratio holds. Server time is the time Django takes to answer a request
(middleware, view, template), measured in-process with the test client: no network.

The generated poses have names made of other words than the searched ones (a quarter of them end
in "Pose", as real libraries do), so a query finds about as much at both sizes and the figures show
how the cost grows with the library, not with the number of matches. The queries with "twist" are
the exception: the generated names use it (and "Seated", "Pose"), so what they find grows with the
library; search reads only the best matches it shows, so their cost should not. The table says what
each search found at each size.

    .venv/bin/python scripts/bench_search.py [--sizes 100 10000] [--repeat 30]
"""

import argparse
import io
import json
import os
import random
import re
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
    # These find more the larger the library: the generated names use "twist", "seated" and "pose".
    "/search/?q=twist",
    "/search/?q=twis",
    "/search/?q=twist+pose",
    "/search/?q=seated+twist",
    "/search/?q=seated+twist+pose",
    "/poses/?q=twist",
    "/poses/?q=twist&page=3",
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
    for author in document.get("authors", []):
        author.pop("image", None)
    return document


def import_document(document: dict, folder: Path) -> None:
    from django.core.management import call_command

    path = folder / "content.json"
    path.write_text(json.dumps(document))
    call_command("import_content", str(path), verbosity=0, stdout=io.StringIO(), stderr=io.StringIO())


# Each database measured keeps its own connection, as the site's one would.
_wrappers: dict = {}


def use(database: str) -> None:
    """Point the site at one of the databases measured, with cache keys of its own."""
    from django.core.cache import caches
    from django.db import connections

    current = connections["default"]
    if current.settings_dict["NAME"] != database:
        _wrappers[current.settings_dict["NAME"]] = current
        if database not in _wrappers:
            _wrappers[database] = type(current)({**current.settings_dict, "NAME": database}, "default")
        connections["default"] = _wrappers[database]
    for cache in caches.all():
        cache.key_prefix = f"bench-{database}"


def measure(queries: list[str], repeat: int, databases: dict[int, str], found: dict[int, dict]) -> dict[int, dict]:
    """Median server time in milliseconds of each URL on each database, over `repeat` requests on each
    after two warm-ups, taken in turns; what each page says it found goes into `found`."""
    from django.test import Client

    # Not setup_test_environment(): its instrumented template rendering would be measured with the page.
    client = Client(HTTP_HOST="localhost")
    results = {size: {} for size in databases}
    for url in queries:
        times = {size: [] for size in databases}
        for attempt in range(repeat + 2):
            for size, database in databases.items():
                use(database)
                started = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - started
                if response.status_code != 200:
                    raise SystemExit(f"{url} answered {response.status_code}")
                if attempt >= 2:
                    times[size].append(elapsed * 1000)
                if attempt == repeat + 1:
                    found[size][url] = said_found(response.content.decode())
        for size in databases:
            results[size][url] = statistics.median(times[size])
    return results


def measure_search(queries: list[str], repeat: int, databases: dict[int, str]) -> dict[int, dict]:
    """Median time in milliseconds of the search alone (the index queries and ranking) behind each URL, on
    each database, taken in turns."""
    from urllib.parse import parse_qs, urlsplit

    from poses.models import Pose
    from search.views import scopes
    from searchindex.query import COUNTED, search

    results = {size: {} for size in databases}
    for url in queries:
        parts = urlsplit(url)
        params = parse_qs(parts.query)
        query = params["q"][0]
        if parts.path == "/poses/":
            limit = max(COUNTED, int(params.get("page", ["1"])[0]) * 48)
        else:
            limit = COUNTED
        times = {size: [] for size in databases}
        for attempt in range(repeat + 2):
            for size, database in databases.items():
                use(database)
                started = time.perf_counter()
                # What may be shown, made for each search as a request makes it.
                wanted = {"pose": Pose.objects.published()} if parts.path == "/poses/" else scopes()
                search(query, wanted, limit=limit)
                if attempt >= 2:
                    times[size].append((time.perf_counter() - started) * 1000)
        for size in databases:
            results[size][url] = statistics.median(times[size])
    return results


def said_found(html: str) -> str:
    """The page's own count of what it found: "More than 100 results", "9 poses", "Nothing found"."""
    match = re.search(r'class="results__count"[^>]*>(.*?)</h2>', html, re.S)
    text = re.sub(r"<[^>]+>", "", match.group(1)) if match else ""
    text = re.sub(r"\s+", " ", text.split("“")[0].split("·")[0]).strip()
    text = text.replace("More than ", ">").replace("Nothing found for", "0")
    return re.sub(r" (results?|poses?)( for)?$", "", text)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 10_000])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="yogasite-bench-search-"))
    os.environ["YOGASITE_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yogasite.settings.dev")
    # The library's pages are otherwise answered from the page cache: measure the search, not the cache.
    os.environ["PAGE_CACHE"] = "false"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from poses.models import Pose

    demo = demo_without_pictures()
    first = connection.settings_dict["NAME"]
    databases = {}
    for number, size in enumerate(sorted(args.sizes)):
        if number == 0:
            database = first
        elif connection.vendor == "postgresql":
            database = f"{first}_{size}"
            with connection.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(database)}")
                cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(database)}")
        else:
            database = str(folder / f"db-{size}.sqlite3")
        databases[size] = database
        use(database)
        call_command("migrate", "--noinput", verbosity=0)
        import_document(demo, folder)
        started = time.perf_counter()
        batch = 2000
        have = Pose.objects.count()
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
        if connection.vendor == "postgresql":
            # What autovacuum does soon after a large import (without statistics the planner guesses), done
            # before measuring rather than while.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    found = {size: {} for size in databases}
    figures = measure(QUERIES, args.repeat, databases, found)
    alone = measure_search(QUERIES, args.repeat, databases)
    sizes = sorted(figures)
    print(
        f"| URL | {' | '.join(f'found at {size:,}' for size in sizes)} | "
        f"{' | '.join(f'{size:,} poses, ms' for size in sizes)} | ratio | "
        f"{' | '.join(f'search alone at {size:,}, ms' for size in sizes)} | ratio |"
    )
    print(f"| --- | {' | '.join('---:' for _ in range(3 * len(sizes) + 2))} |")
    for url in QUERIES:
        times = [figures[size][url] for size in sizes]
        searches = [alone[size][url] for size in sizes]
        counts = [found[size][url] or "0" for size in sizes]
        print(
            f"| `{url}` | {' | '.join(counts)} | {' | '.join(f'{t:.1f}' for t in times)} | "
            f"{times[-1] / times[0]:.2f} | {' | '.join(f'{t:.1f}' for t in searches)} | "
            f"{searches[-1] / searches[0]:.2f} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
