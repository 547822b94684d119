"""A bounded soak test (about a minute): anonymous visitors load every kind of page while an
editor saves a pose and publishes or unpublishes another every second, on the database that
DATABASE_URL names (SQLite in a temporary folder without it) and the Redis that REDIS_URL names.
Then a worker is killed mid-load and, on PostgreSQL, the database is restarted mid-load.

Checks: no failed request, no "database is locked", every write present afterwards, no visitor
served a pose page older than the last save committed before the request started, and the site
answering again by itself after each fault. Prints a table; exits 1 if a check fails.

    scripts/with-redis.sh .venv/bin/python scripts/soak.py [--seconds 30]
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]

from benchmark import HOST, free_port, get, prepare_database, start_server, stop_server  # noqa: E402

POSE = "backbend"
TOGGLED = "cobra"
EDITION = re.compile(rb"Soak edition (\d+)\.")


def environment(var_dir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        # Production settings need DATABASE_URL; on SQLite the embedded default (WAL, immediate
        # transactions, busy timeout) is what a small production site runs.
        DJANGO_SETTINGS_MODULE="yogasite.settings.production" if env.get("DATABASE_URL") else "yogasite.settings.dev",
        SECRET_KEY="soak-only-" + os.urandom(16).hex(),
        SECURE_SSL_REDIRECT="false",
        ALLOWED_HOSTS=HOST,
        STATIC_ROOT=str(var_dir / "static"),
        MEDIA_ROOT=str(var_dir / "media"),
        YOGASITE_VAR_DIR=str(var_dir),
        CACHE_KEY_PREFIX=f"soak-{var_dir.name}",
        LOG_LEVEL="WARNING",
    )
    return env


class Editor(threading.Thread):
    """Saves the pose's summary (edition n) and toggles another pose's publication every second,
    through the models, in this process: another process than the app servers."""

    def __init__(self, stop: threading.Event):
        super().__init__(daemon=True)
        self.stop_event, self.commits, self.errors, self.toggles = stop, [], [], 0

    def run(self):
        from poses.models import Pose
        from workflow import publishing

        n = 0
        while not self.stop_event.is_set():
            n += 1
            try:
                pose = Pose.objects.get(slug=POSE)
                pose.summary = f"Soak edition {n}."
                pose.save()
                self.commits.append((time.monotonic(), n))
                other = Pose.objects.get(slug=TOGGLED)
                if other.status == "published":
                    publishing.unpublish(obj=other, user=None)
                else:
                    publishing.publish(obj=other, user=None)
                self.toggles += 1
            except Exception as exc:  # noqa: BLE001 - reported in the table
                self.errors.append(repr(exc))
            self.stop_event.wait(1)


class Visitors:
    """Threads that load every kind of page until stopped, recording each pose page's edition."""

    def __init__(self, port: int, urls: list[str], threads: int = 4):
        self.port, self.urls, self.threads = port, urls, threads
        self.stop_event = threading.Event()
        self.lock = threading.Lock()
        self.failures: list[tuple[float, str, str]] = []
        self.seen: list[tuple[float, int]] = []
        self.count = 0

    def _run(self, offset: int):
        i = offset
        while not self.stop_event.is_set():
            url = self.urls[i % len(self.urls)]
            i += 1
            started = time.monotonic()
            try:
                status, body = get(self.port, url, timeout=15)
            except OSError as exc:
                status, body = 0, repr(exc).encode()
            with self.lock:
                self.count += 1
                if status != 200:
                    self.failures.append((started, url, f"{status} {body[:80]!r}"))
                elif url.endswith(f"/{POSE}/"):
                    match = EDITION.search(body)
                    self.seen.append((started, int(match.group(1)) if match else 0))

    def __enter__(self):
        self.workers = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.threads)]
        for worker in self.workers:
            worker.start()
        return self

    def __exit__(self, *exc):
        self.stop_event.set()
        for worker in self.workers:
            worker.join()


def stale_pages(seen, commits) -> int:
    """Pose pages that showed an edition older than one committed before the request started."""
    stale = 0
    for started, edition in seen:
        committed = [n for at, n in commits if at < started]
        if committed and edition < max(committed):
            stale += 1
    return stale


def recovers(port: int, seconds: float = 30) -> float | None:
    """Seconds until five requests in a row succeed again, or None."""
    started = time.monotonic()
    good = 0
    while time.monotonic() - started < seconds:
        try:
            good = good + 1 if get(port, f"/poses/{POSE}/", timeout=5)[0] == 200 else 0
        except OSError:
            good = 0
        if good >= 5:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def restart_postgres() -> Path:
    """Stop the PostgreSQL server (fast shutdown) and start it again with the same options;
    returns its data folder."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW data_directory")
        data = Path(cursor.fetchone()[0])
    connection.close()
    pid = int((data / "postmaster.pid").read_text().split()[0])
    options = (data / "postmaster.opts").read_text().strip()
    os.kill(pid, signal.SIGINT)
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.1)
    command = ["/bin/sh", "-c", f"exec {options} >/dev/null 2>&1"]
    if os.getuid() == 0:
        command = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--", *command]
    subprocess.Popen(command, cwd="/tmp", start_new_session=True)
    return data


def stop_postgres(data: Path) -> None:
    """Stop the server started by `restart_postgres` (the script that made the cluster stops only its own)."""
    try:
        pid = int((data / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGINT)
    except (OSError, ValueError):
        return
    for _ in range(100):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30, help="length of the mixed-load phase (default 30)")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="yogasite-soak-"))
    env = environment(var_dir)
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    os.environ.update(env)
    import django

    django.setup()
    server = None
    restarted = None
    rows = []
    ok = True
    try:
        prepare_database(env)
        from poses.models import Pose

        Pose.objects.filter(slug=TOGGLED).exists() or sys.exit(f"demo pose {TOGGLED!r} is missing")
        port = free_port()
        log = var_dir / "gunicorn.log"
        server = start_server(env, port, 2, log)
        urls = [
            f"/poses/{POSE}/",
            "/",
            "/poses/",
            "/poses/?q=urdhva",
            "/poses/?muscle=lower-back",
            f"/poses/{POSE}/",
            "/muscles/",
            "/muscles/lower-back/",
            "/routines/",
            "/routines/back-strengthening-flow/",
            "/routines/back-strengthening-flow/play/1/",
            "/routines/back-strengthening-flow/cheatsheet/",
            "/healthz",
        ]
        stop = threading.Event()
        editor = Editor(stop)
        with Visitors(port, urls) as visitors:
            editor.start()
            time.sleep(args.seconds)
            stop.set()
            editor.join()
        locked = log.read_text().count("database is locked") if log.exists() else 0
        last = editor.commits[-1][1] if editor.commits else 0
        stored = Pose.objects.get(slug=POSE).summary
        present = stored == f"Soak edition {last}." and editor.toggles == len(editor.commits)
        stale = stale_pages(visitors.seen, editor.commits)
        rows += [
            ("requests under mixed load", str(visitors.count), visitors.count > 0),
            ("failed requests", str(len(visitors.failures)), not visitors.failures),
            ('"database is locked" in the log', str(locked), locked == 0),
            ("editor saves and publications", f"{len(editor.commits)} + {editor.toggles}", bool(editor.commits)),
            ("editor errors", str(len(editor.errors)), not editor.errors),
            ("every write present afterwards", "yes" if present else f"no ({stored!r})", present),
            ("pose pages older than the last save", f"{stale} of {len(visitors.seen)}", stale == 0),
        ]

        # A worker killed mid-load: gunicorn starts another, the site goes on.
        children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        with Visitors(port, urls) as visitors:
            time.sleep(2)
            os.kill(int(children[0]), signal.SIGKILL)
            killed_at = time.monotonic()
            back = recovers(port)
            time.sleep(2)
        late = [f for f in visitors.failures if f[0] > killed_at + (back or 0) + 1]
        rows.append(
            (
                "worker killed mid-load: back after",
                f"{back:.1f} s, {len(visitors.failures)} failed in flight" if back is not None else "never",
                back is not None and not late,
            )
        )
        if postgres:
            with Visitors(port, urls) as visitors:
                time.sleep(2)
                restarted = restart_postgres()
                restarted_at = time.monotonic()
                back = recovers(port, seconds=60)
                time.sleep(2)
            late = [f for f in visitors.failures if f[0] > restarted_at + (back or 0) + 1]
            rows.append(
                (
                    "PostgreSQL restarted mid-load: back after",
                    f"{back:.1f} s, {len(visitors.failures)} failed meanwhile" if back is not None else "never",
                    back is not None and not late,
                )
            )
    finally:
        if server is not None:
            stop_server(server)
        if restarted is not None:
            from django.db import connection

            connection.close()
            stop_postgres(restarted)
        shutil.rmtree(var_dir, ignore_errors=True)

    database = "PostgreSQL" if postgres else "SQLite"
    print(f"\nSoak on {database}, gunicorn 2 workers, Redis page cache, {args.seconds:.0f} s of mixed load\n")
    print("| check | result | ok |")
    print("| --- | --- | --- |")
    for name, result, good in rows:
        ok &= good
        print(f"| {name} | {result} | {'yes' if good else 'NO'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
