"""How long the rules take to make a 60-minute practice from a library of 10,000 poses.

Times `practice.generator.generate` over plain records (what a request spends on the rules once the
published poses are read), for several seeds and foci, and prints the median and the slowest run.
No database, no server.

    .venv/bin/python scripts/bench_practice.py [--poses 10000] [--runs 30]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from practice import generator  # noqa: E402

CATEGORIES = ["seated", "restorative", "tabletop", "standing", "backbends", "core", "twists", "hip-openers"]
MUSCLES = ["lower-back", "middle-back", "glutes", "hamstrings", "abdominals", "shoulders", "quadriceps"]
PROPS = ["yoga-mat", "block", "strap", "chair", "bolster", "blanket"]


def library(size: int, rng: random.Random) -> list[generator.PoseRecord]:
    poses = []
    for n in range(size):
        kind = rng.choice(["seconds", "breaths"])
        poses.append(
            generator.PoseRecord(
                id=n,
                slug=f"pose-{n}",
                name=f"Pose {n}",
                level=rng.choice(generator.LEVELS),
                category=rng.choice(CATEGORIES),
                muscles=frozenset(rng.sample(MUSCLES, 2)),
                props=frozenset(rng.sample(PROPS, rng.randint(0, 2))),
                both_sides=rng.random() < 0.3,
                hold_kind=kind,
                hold_value=rng.randint(20, 90) if kind == "seconds" else rng.randint(3, 10),
                warm_up=rng.randrange(n) if n and rng.random() < 0.3 else None,
                cool_down=rng.randrange(n) if n and rng.random() < 0.2 else None,
            )
        )
    return poses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poses", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(1)
    poses = library(args.poses, rng)
    foci = [generator.ANY_FOCUS] + [
        generator.Focus(slug, label, categories, muscles)
        for slug, (label, categories, muscles) in generator.FOCUS_GROUPS.items()
    ]
    times, cpu, made = [], [], 0
    for run in range(args.runs):
        request = generator.Request(
            minutes=60, level="advanced", focus=foci[run % len(foci)], props=frozenset({"block", "strap"}), seed=run
        )
        start, start_cpu = time.perf_counter(), time.process_time()
        answer = generator.generate(poses, request)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        made += isinstance(answer, generator.Practice)
    print(f"60-minute practice from {args.poses} poses, {args.runs} runs ({made} made):")
    print(f"  wall clock: median {statistics.median(times):.1f} ms, slowest {max(times):.1f} ms")
    # On a shared machine the wall clock counts other processes' turns; processor time does not.
    print(f"  processor time: median {statistics.median(cpu):.1f} ms, slowest {max(cpu):.1f} ms")


if __name__ == "__main__":
    main()
