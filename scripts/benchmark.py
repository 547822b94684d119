"""Requests per second and latency percentiles of the site's main pages.

Starts gunicorn on 127.0.0.1 with the dev settings and a fresh SQLite database in a
temporary folder, imports the demo content, sends a bounded number of requests to each
page from a few threads, prints a Markdown table and stops the server. Pages that do not
exist (404) are left out with a note.

    .venv/bin/python scripts/benchmark.py [--requests 200] [--concurrency 4] [--workers 2]
"""

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
# (label, address); {routine} is the first routine on /routines/, {static} a hashed static file.
PAGES = [
    ("static file", "{static}"),
    ("/healthz", "/healthz"),
    ("pose page", "/poses/backbend/"),
    ("routine page", "/routines/{routine}/"),
    ("player stop", "/routines/{routine}/play/1/"),
    ("cheat sheet", "/routines/{routine}/cheatsheet/"),
    ("library", "/poses/"),
    ("search", "/poses/?q=urdhva"),
    ("filtered library", "/poses/?muscle=lower-back&level=beginner"),
    ("home", "/"),
    ("muscle page", "/muscles/lower-back/"),
    ("routines", "/routines/"),
]
SCALES = (100, 1000, 10000)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# Warm requests take a few milliseconds: this many times --requests makes each warm measurement
# last about a second, long enough not to fall on a single burst of other work on the machine.
WARM_SCALE = 5


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def prepare_database(env: dict, cwd: Path = ROOT) -> None:
    """Migrate, collect static files and import the demo content, with `cwd`'s code."""
    manage = [sys.executable, "manage.py"]
    quiet = {"cwd": cwd, "env": env, "check": True, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput"], **quiet)
    subprocess.run([*manage, "collectstatic", "--noinput"], **quiet)
    subprocess.run([*manage, "import_content", str(cwd / "demo" / "content.json")], **quiet)


def server_env(var_dir: Path, *, page_cache: bool) -> dict:
    """Production settings on a SQLite file, HTTP on 127.0.0.1, Redis if REDIS_URL is set."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="yogasite.settings.production",
        SECRET_KEY="benchmark-only-" + os.urandom(16).hex(),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(var_dir / "static"),
        MEDIA_ROOT=str(var_dir / "media"),
        YOGASITE_VAR_DIR=str(var_dir),
        PAGE_CACHE="true" if page_cache else "false",
        CACHE_KEY_PREFIX=f"bench-{var_dir.name}",
        LOG_LEVEL="WARNING",
    )
    return env


def start_server(env: dict, port: int, workers: int, log: Path, cwd: Path = ROOT) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "yogasite.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--error-logfile={log}",
    ]
    server = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-2000:]}")
        try:
            if get(port, "/healthz", timeout=2)[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    raise RuntimeError("gunicorn did not answer /healthz within 30 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def workers_cpu(server: subprocess.Popen) -> float:
    """CPU seconds (user + system) used so far by the server's worker processes."""
    total = 0.0
    try:
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    except OSError:
        return 0.0
    for pid in children:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def addresses(port: int) -> dict[str, str]:
    status, body = get(port, "/routines/")
    slugs = re.findall(rb'href="/routines/([\w-]+)/"', body) if status == 200 else []
    routine = slugs[0].decode() if slugs else "none"
    status, body = get(port, "/")
    static = re.findall(rb'href="(/static/css/site\.[0-9a-f]+\.css)"', body)
    return {
        label: path.format(routine=routine, static=static[0].decode() if static else "/static/css/site.css")
        for label, path in PAGES
    }


def measure(server, port: int, path: str, requests: int, concurrency: int, max_seconds: float) -> dict:
    """Sends up to `requests` GETs to `path` from `concurrency` threads, stopping early
    after `max_seconds`; returns the throughput, latency percentiles (ms) and the server's CPU
    per request (ms)."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = [requests]
    deadline = time.monotonic() + max_seconds

    def worker():
        nonlocal errors
        while time.monotonic() < deadline:
            with lock:
                if remaining[0] == 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                ok = get(port, path)[0] == 200
            except OSError:
                ok = False
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    cpu_before = workers_cpu(server)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cpu = workers_cpu(server) - cpu_before
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": cuts[49],
        "p99": cuts[98],
        "cpu": 1000 * cpu / max(1, len(latencies)),
    }


class Site:
    """gunicorn serving one database, started and stopped around a block."""

    def __init__(self, var_dir: Path, args, *, page_cache: bool, cwd: Path = ROOT):
        self.env = server_env(var_dir, page_cache=page_cache)
        self.var_dir, self.args, self.cwd = var_dir, args, cwd

    def __enter__(self):
        self.port = free_port()
        self.server = start_server(self.env, self.port, self.args.workers, self.var_dir / "gunicorn.log", self.cwd)
        self.urls = addresses(self.port)
        return self

    def __exit__(self, *exc):
        stop_server(self.server)

    def throughput(self, label: str, scale: int = 1) -> dict:
        path = self.urls[label]
        for _ in range(3):  # fills the cache (warm) and the workers' own caches
            get(self.port, path)
        a = self.args
        return measure(self.server, self.port, path, a.requests * scale, a.concurrency, a.max_seconds)

    def server_time(self, label: str) -> dict:
        """One request at a time: the latency is the server's time for the page."""
        path = self.urls[label]
        get(self.port, path)
        return measure(self.server, self.port, path, self.args.sequential, 1, self.args.max_seconds)


def warm_run(site: "Site", rounds: int) -> dict:
    """Every page, warm, each just after its own measurement of the static file, `rounds` times: on a
    shared machine the load changes from one moment to the next, so each ratio compares like with
    like, and the round with the median ratio is the one shown."""
    runs = {}
    for label, _ in PAGES:
        pairs = []
        for _ in range(rounds):
            floor = site.throughput("static file", scale=WARM_SCALE)
            pairs.append({**site.throughput(label, scale=WARM_SCALE), "floor": floor["rps"]})
        pairs.sort(key=lambda run: run["rps"] / run["floor"])
        runs[label] = pairs[len(pairs) // 2]
    return runs


def throughput_table(title: str, cold: dict, warm: dict) -> None:
    print(f"\n{title}\n")
    print(
        "| page | cold req/s | cold p50 | cold p99 | cold CPU ms "
        "| warm req/s | warm p50 | warm p99 | warm CPU ms | warm / floor |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label in cold:
        c, w = cold[label], warm[label]
        errors = f" ({c['errors'] + w['errors']} errors)" if c["errors"] + w["errors"] else ""
        print(
            f"| {label}{errors} | {c['rps']:.0f} | {c['p50']:.1f} | {c['p99']:.1f} | {c['cpu']:.1f} "
            f"| {w['rps']:.0f} | {w['p50']:.1f} | {w['p99']:.1f} | {w['cpu']:.1f} | {w['rps'] / w['floor']:.2f} |"
        )


def base_pose_cpu(args, commit: str) -> dict | None:
    """The pose page's server CPU at `commit`, on its own copy of the demo content, in this run."""
    base = Path(tempfile.mkdtemp(prefix="yogasite-base-"))
    tree = base / "tree"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), commit], cwd=ROOT, check=True, capture_output=True)
    try:
        var_dir = base / "var"
        var_dir.mkdir()
        env = server_env(var_dir, page_cache=False)
        prepare_database(env, cwd=tree)
        site = Site(var_dir, args, page_cache=False, cwd=tree)
        with site:
            return site.throughput("pose page")
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--sequential", type=int, default=30, help="one-at-a-time requests per page and size")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--max-seconds", type=float, default=8, help="time limit per page (default 8)")
    parser.add_argument("--rounds", type=int, default=5, help="warm measurements of each page (default 5)")
    parser.add_argument("--base", default="2981496", help="commit whose pose page CPU is compared ('' to skip)")
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL"):
        print("note: REDIS_URL is not set; each worker keeps its own cache (run through scripts/with-redis.sh)")

    var_dir = Path(tempfile.mkdtemp(prefix="yogasite-bench-"))
    try:
        print("Preparing a fresh SQLite database with the demo content...")
        prepare_database(server_env(var_dir, page_cache=False))
        results = {}
        for name in ("demo", "10,000 poses"):
            if name != "demo":
                generate(var_dir, poses=10000, routines=500)
            runs = {}
            with Site(var_dir, args, page_cache=False) as site:
                runs["cold"] = {label: site.throughput(label) for label, _ in PAGES}
            with Site(var_dir, args, page_cache=True) as site:
                runs["warm"] = warm_run(site, args.rounds)
            results[name] = runs
            if name == "demo":
                scale = {}
                for size in SCALES:
                    generate(var_dir, poses=size, routines=500 if size == SCALES[-1] else 3)
                    with Site(var_dir, args, page_cache=False) as site:
                        scale[size] = {label: site.server_time(label) for label, _ in PAGES}

        print(f"\ngunicorn, {args.workers} workers, production settings, SQLite; {args.concurrency} client threads,")
        print(f"up to {args.requests} requests per page cold, {args.requests * WARM_SCALE} warm;")
        print("cold = page cache off, warm = page cache on (Redis).")
        print(f"Warm: the median of {args.rounds} rounds of (static file, page).")
        print("CPU = the workers' CPU time per request; floor = the static file, warm, measured just before each page")
        for name, runs in results.items():
            throughput_table(f"Library: {name}", runs["cold"], runs["warm"])
        print("\nServer time per page (ms, p50 of one request at a time, page cache off) as the library grows;")
        print("CPU = the workers' CPU time per request, which the other work on the machine disturbs less\n")
        sizes = " | ".join(f"{size:,} poses" for size in SCALES)
        cpus = " | ".join(f"CPU {size:,}" for size in SCALES)
        print(f"| page | {sizes} | {SCALES[-1]:,} / {SCALES[0]} | {cpus} | CPU {SCALES[-1]:,} / {SCALES[0]} |")
        print("| --- | " + " | ".join("---:" for _ in range(2 * len(SCALES) + 2)) + " |")
        for label, _ in PAGES:
            times = [scale[size][label]["p50"] for size in SCALES]
            cpu = [scale[size][label]["cpu"] for size in SCALES]
            print(
                f"| {label} | "
                + " | ".join(f"{t:.1f}" for t in times)
                + f" | {times[-1] / times[0]:.2f} | "
                + " | ".join(f"{c:.1f}" for c in cpu)
                + f" | {cpu[-1] / max(cpu[0], 0.1):.2f} |"
            )
        if args.base:
            base = base_pose_cpu(args, args.base)
            ours = results["demo"]["cold"]["pose page"]
            ratio = ours["cpu"] / base["cpu"]
            print(f"\nPose page, cold, demo content: server CPU per request {ours['cpu']:.1f} ms here,")
            print(f"{base['cpu']:.1f} ms at {args.base}: {ratio:.2f}x (req/s {ours['rps']:.0f} vs {base['rps']:.0f})")
        return 0
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


def generate(var_dir: Path, *, poses: int, routines: int) -> None:
    env = server_env(var_dir, page_cache=False)
    command = [sys.executable, "scripts/generate_library.py", f"--poses={poses}", f"--routines={routines}"]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    sys.exit(main())
