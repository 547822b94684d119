"""Two app servers, one site: `make scale-test`.

Starts two gunicorn instances of the production settings on two free ports, sharing the
PostgreSQL of DATABASE_URL (scripts/with-postgres.sh gives one), a Redis server and an
S3-compatible object store (moto's server) that this script starts on 127.0.0.1. Requests
carry the Host and X-Forwarded-Proto a load balancer would send. Then it shows:

- an edit published through one instance is served by the other on the next request;
- a picture uploaded through one instance is served through the other;
- after one instance is killed (SIGKILL) the other serves everything written, and takes writes.

Prints one PASS or FAIL line per check; exits 1 if any check failed.
"""

from __future__ import annotations

import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "yoga.test"
PASSWORD = secrets.token_urlsafe(16)
failures: list[str] = []


def report(ok: bool, what: str, detail: str = "") -> None:
    print(f"{'PASS' if ok else 'FAIL'}: {what}" + (f" ({detail})" if detail and not ok else ""), flush=True)
    if not ok:
        failures.append(what)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


# --- services -------------------------------------------------------------------------------


def redis_server_binary() -> str:
    """redis-server, installed from Debian's package when missing (as root); with CI=true a
    Redis that cannot be had fails the run, elsewhere too: this test is about sharing it."""
    found = shutil.which("redis-server")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Installing redis-server (apt-get)...", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-q"], env=env, stdin=subprocess.DEVNULL, check=False)
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "redis-server"], env=env, stdin=subprocess.DEVNULL, check=False
        )
        found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("redis-server is not installed and could not be installed (apt-get install redis-server)")
    return found


class Services:
    """Processes this script started, stopped in reverse order however it ends."""

    def __init__(self):
        self.processes: list[subprocess.Popen] = []

    def start(self, command: list[str], **kwargs) -> subprocess.Popen:
        process = subprocess.Popen(command, start_new_session=True, **kwargs)
        self.processes.append(process)
        return process

    def stop_all(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


def start_redis(services: Services, folder: Path) -> str:
    port = free_port()
    services.start(
        [redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
    )

    def answers() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    wait_until(answers, "Redis")
    return f"redis://127.0.0.1:{port}/0"


def start_s3(services: Services) -> tuple[str, str]:
    """moto's S3 server and a bucket whose objects anyone may read, as media buckets are."""
    import boto3

    port = free_port()
    services.start(
        [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    endpoint = f"http://127.0.0.1:{port}"
    wait_until(lambda: urllib.request.urlopen(endpoint, timeout=1), "the S3 server")
    bucket = "yogasite-media"
    s3 = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
    )
    s3.create_bucket(Bucket=bucket)
    statement = {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [statement]}))
    return endpoint, bucket


def site_environment(database_url: str, redis_url: str, endpoint: str, bucket: str) -> dict:
    """The production settings with what every app server of a site shares."""
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "yogasite.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "AWS_STORAGE_BUCKET_NAME": bucket,
        "AWS_S3_ENDPOINT_URL": endpoint,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SITE_URL": f"https://{HOST}",
        "STATIC_ROOT": str(Path(tempfile.gettempdir()) / f"yogasite-scale-static-{os.getpid()}"),
    }


def manage(env: dict, *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def start_instance(services: Services, env: dict, name: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = services.start(
        [PYTHON, "-m", "gunicorn", "yogasite.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: Client(base).get("/healthz").status == 200, f"instance {name}")
    print(f"instance {name}: {base} (pid {process.pid})", flush=True)
    return process, base


# --- a browser in a few lines ---------------------------------------------------------------


class Response:
    def __init__(self, status: int, headers, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """Talks to one instance as the load balancer would pass a visitor's HTTPS request on.
    Cookies are kept per client, so two clients on two instances can share one."""

    def __init__(self, base: str, cookies: dict | None = None):
        self.base = base
        self.cookies = cookies if cookies is not None else {}
        self.opener = urllib.request.build_opener(_NoRedirects)

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> Response:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=60) as answer:
                response = Response(answer.status, answer.headers, answer.read())
        except urllib.error.HTTPError as error:
            response = Response(error.code, error.headers, error.read())
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def post(self, path: str, fields: list[tuple[str, object]]) -> Response:
        boundary = uuid.uuid4().hex
        out = io.BytesIO()
        for name, value in fields:
            out.write(f"--{boundary}\r\n".encode())
            if isinstance(value, tuple):  # (file name, bytes, content type)
                filename, data, kind = value
                out.write(f'Content-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'.encode())
                out.write(f"Content-Type: {kind}\r\n\r\n".encode() + data + b"\r\n")
            else:
                out.write(f'Content-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        out.write(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, out.getvalue(), f"multipart/form-data; boundary={boundary}")


class FormReader(HTMLParser):
    """The fields a form posts when saved unchanged: inputs, checked boxes, selected options, textareas."""

    def __init__(self, form_id: str):
        super().__init__()
        self.form_id, self.inside, self.fields = form_id, False, []
        self.select, self.textarea = None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        if not self.inside:
            return
        kind = a.get("type", "text")
        if tag == "input" and a.get("name") and kind not in ("submit", "button", "file", "image", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in a:
                self.fields.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select":
            self.select = a.get("name")
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None


def form_fields(html: str, form_id: str) -> list[tuple[str, object]]:
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.fields


def replace_field(fields: list, name: str, value) -> list:
    return [(n, value if n == name else v) for n, v in fields]


def log_in(client: Client) -> bool:
    client.get("/admin/login/")
    response = client.post(
        "/admin/login/?next=/admin/",
        [
            ("csrfmiddlewaretoken", client.cookies.get("csrftoken", "")),
            ("username", "editor"),
            ("password", PASSWORD),
        ],
    )
    return response.status == 302


def save_pose(client: Client, pose_id: int, *, summary: str, picture: bytes | None = None) -> Response:
    """Save the pose's admin form with a new summary (and a new picture), as an editor would."""
    url = f"/admin/poses/pose/{pose_id}/change/"
    fields = form_fields(client.get(url).text, "pose_form")
    fields = replace_field(fields, "summary", summary)
    if picture is not None:
        total = next(int(v) for n, v in fields if n == "images-TOTAL_FORMS")
        fields = replace_field(fields, "images-TOTAL_FORMS", str(total + 1))
        fields += [
            (f"images-{total}-file", ("studio.png", picture, "image/png")),
            (f"images-{total}-alt", "A person in the pose, photographed in the studio"),
            (f"images-{total}-position", str(total)),
        ]
    return client.post(url, [*fields, ("_continue", "Save and continue editing")])


# --- the run --------------------------------------------------------------------------------


def demo_picture(color: tuple[int, int, int]) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (900, 600), color).save(out, "PNG")
    return out.getvalue()


def write_document(folder: Path) -> Path:
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "cobra.png").write_bytes(demo_picture((106, 140, 175)))
    document = {
        "format": "yogasite-content",
        "version": 1,
        "muscles": [{"slug": "lower-back", "name": "Lower back"}],
        "categories": [{"slug": "backbend", "name": "Backbends"}],
        "poses": [
            {
                "slug": "cobra",
                "name": "Cobra",
                "summary": "A gentle backbend.",
                "category": "backbend",
                "steps": ["Lie on your front.", "Lift the chest."],
                "muscles": {"primary": ["lower-back"]},
                "images": [{"file": "images/cobra.png", "alt": "A person in Cobra"}],
                "status": "published",
            }
        ],
    }
    path = folder / "content.json"
    path.write_text(json.dumps(document))
    return path


def image_urls(html: str) -> list[str]:
    return re.findall(r'<img[^>]+src="([^"]+)"', html)


def run(database_url: str) -> None:
    services = Services()
    folder = Path(tempfile.mkdtemp(prefix="yogasite-scale-"))
    try:
        redis_url = start_redis(services, folder)
        endpoint, bucket = start_s3(services)
        env = site_environment(database_url, redis_url, endpoint, bucket)
        print(f"PostgreSQL {database_url.rsplit('@', 1)[-1]}, Redis {redis_url}, S3 {endpoint}/{bucket}", flush=True)
        manage(env, "migrate", "--noinput", "-v", "0")
        manage(env, "collectstatic", "--noinput", "-v", "0")
        manage(env, "import_content", str(write_document(folder)), stdout=subprocess.DEVNULL)
        create = (
            "from django.contrib.auth import get_user_model; "
            f"get_user_model().objects.create_superuser('editor', '', {PASSWORD!r})"
        )
        manage(env, "shell", "--no-imports", "-c", create)
        pose_id = int(
            manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from poses.models import Pose; print(Pose.objects.get(slug='cobra').pk)",
                capture_output=True,
                text=True,
            ).stdout.split()[-1]
        )

        a_process, a_base = start_instance(services, env, "A")
        _, b_base = start_instance(services, env, "B")
        # One browser: the same cookies whichever instance the load balancer picks.
        cookies: dict = {}
        a, b = Client(a_base, cookies), Client(b_base, cookies)

        report(log_in(a), "an editor logs in through A")
        report(b.get("/admin/").status == 200, "the session made by A is valid on B")

        before = b.get("/poses/cobra/").text  # B has served (and may have cached) the page
        summary = f"Edited through A, {uuid.uuid4().hex[:8]}."
        saved = save_pose(a, pose_id, summary=summary)
        report(saved.status == 302, "an edit is published through A", f"status {saved.status}")
        report(
            summary not in before and summary in b.get("/poses/cobra/").text, "B serves the edit on the next request"
        )

        picture = demo_picture((180, 90, 60))
        saved = save_pose(a, pose_id, summary=summary, picture=picture)
        report(saved.status == 302, "a picture is uploaded through A", f"status {saved.status}")
        page = b.get("/poses/cobra/").text
        urls = [url for url in image_urls(page) if url.startswith(endpoint)]
        report(len(urls) >= 2, "B's page shows both pictures from object storage", f"{image_urls(page)}")
        served = [urllib.request.urlopen(url, timeout=10).read() for url in urls]
        report(
            all(body[:4] == b"RIFF" and body[8:12] == b"WEBP" for body in served),
            "every picture on B's page is served (WebP renditions)",
        )

        last = f"Written through A just before it died, {uuid.uuid4().hex[:8]}."
        saved = save_pose(a, pose_id, summary=last)
        os.killpg(a_process.pid, signal.SIGKILL)
        a_process.wait()
        report(saved.status == 302 and a_process.returncode == -signal.SIGKILL, "A is killed with SIGKILL after a save")
        page = b.get("/poses/cobra/").text
        report(last in page, "B serves the last write A made")
        report(
            all(urllib.request.urlopen(url, timeout=10).status == 200 for url in image_urls(page) if "://" in url),
            "B serves every picture written through A",
        )
        report(b.get("/admin/").status == 200, "the editor is still logged in, now on B")
        after = f"Written through B after A died, {uuid.uuid4().hex[:8]}."
        saved = save_pose(b, pose_id, summary=after)
        report(saved.status == 302 and after in b.get("/poses/cobra/").text, "B takes writes")
    finally:
        services.stop_all()
        shutil.rmtree(folder, ignore_errors=True)
        shutil.rmtree(site_environment("", "", "", "")["STATIC_ROOT"], ignore_errors=True)


def main() -> int:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print("FAIL: DATABASE_URL must name a PostgreSQL database (run: scripts/with-postgres.sh ...)", flush=True)
        return 1
    try:
        run(database_url)
    except Exception as error:  # a service that does not start is a failed run, said in one line
        report(False, "the two-instance site runs", f"{type(error).__name__}: {error}")
    print(f"{'FAILED' if failures else 'PASSED'}: {len(failures)} failed check(s)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
