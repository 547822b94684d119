"""Server CPU of one pose page, cold (page cache off), this checkout against an earlier commit.

A quick, in-process counterpart of the pose page line of `make bench`: for each checkout a
worker process with the production settings migrates a fresh SQLite database, imports the demo
content and renders the page through django.test.Client; the CPU time (time.process_time) of
each request is recorded and the median shown. The earlier commit is checked out in a
temporary git worktree. Both workers stay up and are measured in alternating rounds, so the load
of the machine falls on both alike.

    .venv/bin/python scripts/bench_pose_cpu.py [--base 2981496] [--requests 200] [--rounds 10]
"""

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from benchmark import prepare_database, server_env  # noqa: E402


def worker(path: str) -> None:
    """Runs inside the checkout: answers 'N' on stdin with N CPU timings (ms) of `path` as JSON."""
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for _ in range(5):  # templates compiled, imports done, the worker's own caches filled
        response = client.get(path)
        assert response.status_code == 200, response.status_code
    print("ready", flush=True)
    for line in sys.stdin:
        timings = []
        for _ in range(int(line)):
            start = time.process_time()
            client.get(path)
            timings.append(1000 * (time.process_time() - start))
        print(json.dumps(timings), flush=True)


class Worker:
    """A worker process for one checkout and its own database."""

    def __init__(self, tree: Path, var_dir: Path, path: str):
        env = server_env(var_dir, page_cache=False)
        env["ALLOWED_HOSTS"] = "testserver"
        prepare_database(env, cwd=tree)
        self.process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker", path],
            cwd=tree,
            env={**env, "PYTHONPATH": str(tree)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError(f"the worker in {tree} did not start")

    def measure(self, requests: int) -> list[float]:
        self.process.stdin.write(f"{requests}\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def stop(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="2981496", help="earlier commit to compare with (default 2981496)")
    parser.add_argument("--requests", type=int, default=200, help="requests per checkout (default 200)")
    parser.add_argument("--rounds", type=int, default=10, help="alternations the requests are split into")
    parser.add_argument("--path", default="/poses/backbend/", help="page to measure")
    parser.add_argument("--worker", metavar="PATH", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return 0

    temp = Path(tempfile.mkdtemp(prefix="yogasite-posecpu-"))
    tree = temp / "base"
    add = ["git", "worktree", "add", "--detach", str(tree), args.base]
    subprocess.run(add, cwd=ROOT, check=True, capture_output=True)
    workers = {}
    try:
        for label, checkout in ((args.base, tree), ("this checkout", ROOT)):
            var_dir = temp / f"var-{len(workers)}"
            var_dir.mkdir()
            print(f"Preparing {label}...", flush=True)
            workers[label] = Worker(checkout, var_dir, args.path)
        timings = {label: [] for label in workers}
        per_round = max(1, args.requests // args.rounds)
        for _ in range(args.rounds):
            for label, process in workers.items():
                timings[label].extend(process.measure(per_round))
        medians = {label: statistics.median(values) for label, values in timings.items()}
        base, ours = medians[args.base], medians["this checkout"]
        print(f"\n{args.path}, cold, production settings, SQLite, {per_round * args.rounds} requests each")
        print(f"CPU per request (median): {base:.1f} ms at {args.base}, {ours:.1f} ms here: {ours / base:.2f}x")
    finally:
        for process in workers.values():
            process.stop()
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(temp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
