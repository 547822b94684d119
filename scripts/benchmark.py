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
PAGES = [
    "/healthz",
    "/",
    "/poses/",
    "/poses/?q=urdhva",
    "/poses/backbend/",
    "/muscles/",
    "/muscles/lower-back/",
    "/routines/",
]
ROUTINE_PAGES = ["/routines/{slug}/", "/routines/{slug}/play/1/", "/routines/{slug}/cheatsheet/"]


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


def prepare_database(env: dict) -> None:
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    content = ROOT / "demo" / "content.json"
    if not content.exists():
        print(f"note: {content.relative_to(ROOT)} is missing; pages are measured without demo content")
        return
    result = subprocess.run(
        [*manage, "import_content", str(content)], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        print(f"note: importing the demo content failed; pages are measured without it:\n{result.stderr[-2000:]}")


def start_server(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "yogasite.wsgi:application",
        f"--bind={HOST}:{port}",
        f"--workers={workers}",
        f"--error-logfile={log}",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
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


def first_routine_slug(port: int) -> str | None:
    status, body = get(port, "/routines/")
    if status != 200:
        return None
    slugs = re.findall(rb'href="/routines/([\w-]+)/"', body)
    return slugs[0].decode() if slugs else None


def measure(port: int, path: str, requests: int, concurrency: int, max_seconds: float) -> dict:
    """Sends up to `requests` GETs to `path` from `concurrency` threads, stopping early
    after `max_seconds`, and returns the throughput and latency percentiles in ms."""
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
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": cuts[49],
        "p95": cuts[94],
        "p99": cuts[98],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per page (default 200)")
    parser.add_argument("--concurrency", type=int, default=4, help="client threads (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--max-seconds", type=float, default=30, help="time limit per page (default 30)")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="yogasite-bench-"))
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(YOGASITE_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="yogasite.settings.dev", LOG_LEVEL="WARNING")
    server = None
    try:
        print("Preparing a fresh SQLite database with the demo content...")
        prepare_database(env)
        port = free_port()
        server = start_server(env, port, args.workers, var_dir / "gunicorn.log")

        paths = list(PAGES)
        slug = first_routine_slug(port)
        if slug:
            paths += [page.format(slug=slug) for page in ROUTINE_PAGES]
        else:
            print("note: no routine listed on /routines/; routine pages are left out")

        rows = []
        for path in paths:
            status, _ = get(port, path)  # also warms the worker's caches
            if status != 200:
                print(f"note: {path} answered {status}; left out")
                continue
            rows.append((path, measure(port, path, args.requests, args.concurrency, args.max_seconds)))

        print(
            f"\ngunicorn, {args.workers} workers, SQLite, dev settings; "
            f"{args.concurrency} client threads, up to {args.requests} requests per page\n"
        )
        print("| URL | requests | errors | req/s | p50 ms | p95 ms | p99 ms |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for path, r in rows:
            print(
                f"| `{path}` | {r['requests']} | {r['errors']} | {r['rps']:.0f} "
                f"| {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} |"
            )
        return 0
    except (subprocess.CalledProcessError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if server is not None:
            stop_server(server)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
