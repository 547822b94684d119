"""No visitor is ever served a page older than the last change to what it shows: for each kind of
change, pages cached before it show it on the very next request, in this process and in a second
process (another app server) that shares the database and Redis."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import reversion
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from poses.models import Category, Equipment, Muscle, Pose, PoseStep, Status
from routines.models import RoutineStep
from routines.services import refresh_duration
from tests.factories import CategoryFactory, EquipmentFactory, MuscleFactory, PoseFactory, RoutineFactory
from tests.poses.test_admin import change_url, form_data
from yogasite.content.exporter import export_site
from yogasite.content.importer import import_document

pytestmark = pytest.mark.django_db(transaction=True)

PEER = Path(__file__).with_name("peer.py")
PAGES = {
    "pose": "/poses/backbend/",
    "other pose": "/poses/cobra/",
    "list": "/poses/",
    "filtered": "/poses/?muscle=lower-back",
    "home": "/",
    "muscle": "/muscles/lower-back/",
    "muscles": "/muscles/",
    "routine": "/routines/evening/",
    "stop": "/routines/evening/play/1/",
    "sheet": "/routines/evening/cheatsheet/",
    "routines": "/routines/",
}


class Peer:
    """The second process: answers GETs as an anonymous visitor would see them there."""

    def __init__(self, database: str):
        env = {**os.environ, "PEER_DATABASE_NAME": database, "DJANGO_SETTINGS_MODULE": "yogasite.settings.test"}
        self.process = subprocess.Popen(
            [sys.executable, str(PEER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env
        )

    def get(self, url: str) -> tuple[int, str]:
        self.process.stdin.write(url + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        return answer["status"], answer["body"]

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def peer(django_db_setup, django_db_blocker):
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI") == "true":
            pytest.fail("REDIS_URL is not set: run the suite through scripts/with-redis.sh", pytrace=False)
        pytest.skip("needs Redis shared by two processes (REDIS_URL); make test starts one")
    with django_db_blocker.unblock():
        database = connection.settings_dict["NAME"]
    process = Peer(str(database))
    yield process
    process.stop()


@pytest.fixture
def site():
    """Two published poses in one category working one muscle, a third one alone, a draft, and a
    routine whose first step is the first pose."""
    category = CategoryFactory(name="Backbends", slug="backbends")
    back = MuscleFactory(name="Lower Back", slug="lower-back")
    block = EquipmentFactory(name="Block", slug="block")
    backbend = PoseFactory(name="Backbend", slug="backbend", category=category, primary=[back])
    backbend.equipment.set([block])
    backbend.tags.add("heart-opener")
    PoseFactory(name="Cobra", slug="cobra", category=category, primary=[back])
    PoseFactory(name="Locust", slug="locust", category=category)
    PoseFactory(name="Camel", slug="camel", category=category, status=Status.DRAFT, published_at=None)
    routine = RoutineFactory(title="Evening Flow", slug="evening")
    RoutineStep.objects.create(routine=routine, pose=backbend, position=0, hold_kind="seconds", hold_value=30)
    refresh_duration(routine=routine)
    return backbend


def _get(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.content.decode() if response.status_code == 200 else ""


# --- the changes -----------------------------------------------------------------------------------


def admin_save(admin_client):
    pose = Pose.objects.get(slug="backbend")
    data = form_data(admin_client, change_url(pose))
    data["name"] = "Arch Lift"
    response = admin_client.post(change_url(pose), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def admin_action(action: str, slug: str):
    def run(admin_client):
        pose = Pose.objects.get(slug=slug)
        url = reverse("admin:poses_pose_changelist")
        response = admin_client.post(url, {"action": action, "_selected_action": [pose.pk]})
        assert response.status_code == 302

    return run


def admin_delete(admin_client):
    pose = Pose.objects.get(slug="locust")
    response = admin_client.post(reverse("admin:poses_pose_delete", args=[pose.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Pose.objects.filter(slug="locust").exists()


def rename_with_history(admin_client):
    pose = Pose.objects.get(slug="backbend")
    with reversion.create_revision():
        pose.save()
    with reversion.create_revision():
        pose.name = "Arch Lift"
        pose.save()


def history_revert(admin_client):
    pose = Pose.objects.get(slug="backbend")
    Version.objects.get_for_object(pose)[1].revision.revert()


def delete_with_history(admin_client):
    pose = Pose.objects.get(slug="locust")
    with reversion.create_revision():
        pose.save()
    pose.delete()


def history_recover(admin_client):
    Version.objects.get_deleted(Pose)[0].revision.revert()


def import_summary(admin_client):
    folder = Path(tempfile.mkdtemp(prefix="yogasite-cache-import-"))
    export_site(directory=folder)
    path = folder / "content.json"
    document = json.loads(path.read_text())
    for pose in document["poses"]:
        if pose["slug"] == "backbend":
            pose["summary"] = "Imported summary of the arch."
    path.write_text(json.dumps(document))
    import_document(path=path)


def rename(model, slug: str, name: str):
    def run(admin_client):
        item = model.objects.get(slug=slug)
        item.name = name
        item.save()

    return run


def rename_tag(admin_client):
    tag = Tag.objects.get(name="heart-opener")
    tag.name = "chest opener"
    tag.save()


def change_routine_step(admin_client):
    step = RoutineStep.objects.get(routine__slug="evening")
    step.hold_value = 47
    step.save()
    refresh_duration(routine=step.routine)


def change_pose_step(admin_client):
    step = PoseStep.objects.filter(pose__slug="backbend").first()
    step.text = "Press the floor away."
    step.save()


# (id, prepare, change, [(page, text, shown)] or [(page, status)])
SCENARIOS = [
    (
        "admin save",
        None,
        admin_save,
        [
            ("pose", "Arch Lift", True),
            ("other pose", "Arch Lift", True),
            ("list", "Arch Lift", True),
            ("filtered", "Arch Lift", True),
            ("home", "Arch Lift", True),
            ("muscle", "Arch Lift", True),
            ("routine", "Arch Lift", True),
            ("stop", "Arch Lift", True),
            ("sheet", "Arch Lift", True),
        ],
    ),
    (
        "unpublish action",
        None,
        admin_action("unpublish", "cobra"),
        [
            ("other pose", 404),
            ("list", "Cobra", False),
            ("filtered", "Cobra", False),
            ("muscle", "Cobra", False),
            ("pose", "Cobra", False),
            ("home", "Cobra", False),
        ],
    ),
    (
        "publish action",
        None,
        admin_action("publish", "camel"),
        [("list", "Camel", True), ("home", "Camel", True), ("pose", "Camel", True)],
    ),
    ("delete", None, admin_delete, [("list", "Locust", False), ("home", "Locust", False), ("pose", "Locust", False)]),
    (
        "History revert",
        rename_with_history,
        history_revert,
        [
            ("pose", "Arch Lift", False),
            ("list", "Arch Lift", False),
            ("routine", "Arch Lift", False),
            ("stop", "Arch Lift", False),
        ],
    ),
    ("History recover", delete_with_history, history_recover, [("list", "Locust", True), ("pose", "Locust", True)]),
    ("import", None, import_summary, [("pose", "Imported summary of the arch.", True)]),
    (
        "muscle renamed",
        None,
        rename(Muscle, "lower-back", "Low Back"),
        [("pose", "Low Back", True), ("muscle", "Low Back", True), ("muscles", "Low Back", True)],
    ),
    ("prop renamed", None, rename(Equipment, "block", "Foam Block"), [("pose", "Foam Block", True)]),
    (
        "category renamed",
        None,
        rename(Category, "backbends", "Back Bends"),
        [("pose", "Back Bends", True), ("home", "Back Bends", True), ("list", "Back Bends", True)],
    ),
    ("tag renamed", None, rename_tag, [("pose", "chest opener", True), ("list", "chest opener", True)]),
    (
        "routine step",
        None,
        change_routine_step,
        [("routine", "47 s", True), ("stop", "47 s", True), ("sheet", "47 s", True)],
    ),
    ("pose step", None, change_pose_step, [("pose", "Press the floor away.", True)]),
]


@pytest.mark.parametrize(("prepare", "change", "expected"), [s[1:] for s in SCENARIOS], ids=[s[0] for s in SCENARIOS])
def test_a_change_shows_on_the_next_request_in_both_processes(
    site, client, admin_client, peer, prepare, change, expected
):
    if prepare:
        prepare(admin_client)
    urls = {page: PAGES[page] for page, *_ in expected}
    for url in urls.values():
        # Each process caches the page (or finds it cached by the other).
        assert _get(client, url)[0] in (200, 404)
        assert peer.get(url)[0] in (200, 404)
    first = next(iter(urls.values()))
    with CaptureQueriesContext(connection) as queries:
        _get(client, first)
    assert len(queries) == 0, f"{first} was not served from the cache before the change"

    change(admin_client)

    for page, *outcome in expected:
        for name, (status, body) in (("this process", _get(client, urls[page])), ("peer", peer.get(urls[page]))):
            if len(outcome) == 1:
                assert status == outcome[0], f"{page} in {name}"
                continue
            text, shown = outcome
            assert status == 200, f"{page} in {name}"
            assert (text in body) is shown, f"{page} in {name}: {text!r} {'missing' if shown else 'still shown'}"
