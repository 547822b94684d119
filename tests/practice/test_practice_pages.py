"""The made-to-measure pages render real practices from the test database."""

import re

import pytest
from django.utils import timezone

from poses.models import Category, Equipment, Muscle, Pose, PoseCaution, PoseMuscle, Status
from routines import timing
from routines.models import Routine

pytestmark = pytest.mark.django_db

URL = "/practice/new/?minutes=15&level=beginner&focus=back&props=none&seed=42"


def make_library(count: int) -> list[Pose]:
    """`count` published poses: seated openers, backbends with warm-ups and cool-downs, some both-sided,
    some needing a block, each with a caution and a primary muscle."""
    seated = Category.objects.create(slug="seated", name="Seated Poses")
    backbends = Category.objects.create(slug="backbends", name="Backbends")
    back = Muscle.objects.create(slug="lower-back", name="Lower Back")
    block = Equipment.objects.create(slug="block", name="Block")
    now = timezone.now()
    poses = Pose.objects.bulk_create(
        Pose(
            slug=f"pose-{n}",
            name=f"Pose {n}",
            category=seated if n % 4 == 0 else backbends,
            level="beginner" if n % 3 else "intermediate",
            sides="both" if n % 5 == 0 else "none",
            hold_kind="breaths",
            hold_value=5 + n % 4,
            status=Status.PUBLISHED,
            published_at=now,
            summary=f"What pose {n} does.",
        )
        for n in range(count)
    )
    for n, pose in enumerate(poses):
        if n % 4 == 1 and n > 4:
            pose.warm_up = poses[n - 1]
            pose.cool_down = poses[n - 5]
    Pose.objects.bulk_update(poses, ["warm_up", "cool_down"])
    PoseCaution.objects.bulk_create(
        PoseCaution(pose=pose, text=f"Take care with pose {n % 7}.", position=0) for n, pose in enumerate(poses)
    )
    PoseMuscle.objects.bulk_create(PoseMuscle(pose=pose, muscle=back, role="primary") for pose in poses)
    Pose.equipment.through.objects.bulk_create(
        Pose.equipment.through(pose=pose, equipment=block) for n, pose in enumerate(poses) if n % 6 == 5
    )
    return poses


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def step_titles(response) -> list[str]:
    return re.findall(
        r'class="routine-step__number">(\d+)\.</span> <a href="/poses/([a-z0-9-]+)/', response.content.decode()
    )


def test_the_form_offers_levels_foci_and_props(client):
    make_library(12)
    response = client.get("/practice/new/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Length, in minutes" in html
    assert 'value="back"' in html and 'value="category-backbends"' in html and 'value="muscle-lower-back"' in html
    assert 'value="block"' in html


def test_a_practice_page_shows_its_steps_cautions_once_and_a_rest(client):
    poses = make_library(40)
    Pose.objects.filter(slug="pose-8").update(status=Status.DRAFT)
    response = client.get(URL)
    assert response.status_code == 200
    text = text_of(response)
    assert "15-minute beginner practice for back" in text
    assert "Duration 15 min" in text
    assert "take care if…" in text
    for n in range(7):
        assert text.count(f"Take care with pose {n}.") <= 1
    # Each caution names the pose it belongs to.
    assert re.search(r"<li><strong>[^<]+:</strong> Take care with pose \d\.</li>", response.content.decode())
    steps = step_titles(response)
    assert steps and [int(number) for number, _ in steps] == list(range(1, len(steps) + 1))
    slugs = {slug for _, slug in steps}
    assert "pose-8" not in slugs
    intermediate = {pose.slug for n, pose in enumerate(poses) if n % 3 == 0}
    needs_block = {pose.slug for n, pose in enumerate(poses) if n % 6 == 5}
    assert not slugs & intermediate and not slugs & needs_block
    assert "Rest" in text and "Another one" in text
    assert 'href="/practice/new/15_beginner_back_none_none_42/play/1/"' in response.content.decode()


def test_the_same_address_gives_the_same_practice_and_another_one_differs(client):
    make_library(40)
    first, again = client.get(URL), client.get(URL)
    assert step_titles(first) == step_titles(again)
    another = re.search(r'href="([^"]+)" rel="nofollow">Another one', first.content.decode()).group(1)
    assert "seed=42" not in another
    other = client.get(another.replace("&amp;", "&"))
    assert other.status_code == 200


def test_an_address_without_a_seed_gets_one(client):
    make_library(12)
    response = client.get("/practice/new/?minutes=15&level=beginner&focus=any&props=none")
    assert response.status_code == 302
    assert re.search(r"seed=\d+", response["Location"])


def test_bad_parameters_get_a_clear_message(client):
    make_library(12)
    response = client.get("/practice/new/?minutes=90&level=expert&focus=knees&props=rocket&seed=x")
    assert response.status_code == 400
    text = text_of(response)
    assert "This address does not describe a practice" in text
    assert "at most 60 minutes" in text
    assert "Choose beginner, intermediate or advanced" in text
    assert "There is no focus called “knees”" in text
    assert "There is no prop called “rocket”" in text


def test_unknown_poses_to_leave_out_are_named(client):
    make_library(12)
    response = client.get("/practice/new/?minutes=15&level=beginner&focus=any&props=none&seed=1&leave=pose-1,flying")
    assert response.status_code == 400
    assert "No published pose is called “flying”" in text_of(response)


def test_a_practice_the_library_cannot_make_says_what_to_change(client):
    make_library(12)
    Pose.objects.exclude(pk__in=Pose.equipment.through.objects.values("pose_id")).update(status=Status.DRAFT)
    response = client.get("/practice/new/?minutes=20&level=beginner&focus=any&props=none&seed=3")
    assert response.status_code == 200
    text = text_of(response)
    assert "No practice can be made from these choices" in text
    assert "Have a block at hand" in text


def test_the_cheat_sheet_player_and_finish_show_the_practice(client):
    make_library(40)
    page = client.get(URL)
    sheet = client.get(URL.replace("/new/?", "/new/cheatsheet/?"))
    assert sheet.status_code == 200
    assert "15-minute beginner practice for back" in text_of(sheet)
    first_slug = step_titles(page)[0][1]
    stop = client.get("/practice/new/15_beginner_back_none_none_42/play/1/")
    assert stop.status_code == 200
    assert Pose.objects.get(slug=first_slug).name in text_of(stop)
    assert "Stop 1 of" in text_of(stop)
    finish = client.get("/practice/new/15_beginner_back_none_none_42/play/finish/")
    assert finish.status_code == 200
    assert client.get("/practice/new/5_beginner_back_none_none_42/play/1/").status_code == 404
    assert client.get("/practice/new/garbage/play/1/").status_code == 404


def test_staff_save_a_practice_as_a_routine_draft(client, admin_user):
    make_library(40)
    client.force_login(admin_user)
    page = client.get(URL)
    assert "Save as routine draft" in page.content.decode()
    response = client.post(
        "/practice/new/save/",
        {"minutes": "15", "level": "beginner", "focus": "back", "props": "none", "seed": "42"},
    )
    routine = Routine.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/routines/routine/{routine.pk}/change/"
    assert routine.status == Status.DRAFT
    assert routine.duration_seconds == 15 * 60
    saved = [step.pose.slug if step.pose else "rest" for step in routine.steps.select_related("pose")]
    assert saved == [slug for _, slug in step_titles(page)] + ["rest"]
    assert "Take care with pose" in routine.safety_note
    assert timing.routine_seconds(list(routine.steps.all()), routine.breath_seconds, routine.transition_seconds) == 900


def test_visitors_cannot_save_a_practice(client):
    make_library(12)
    response = client.post("/practice/new/save/", {"minutes": "20", "level": "beginner", "seed": "1"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not Routine.objects.exists()
    assert "Save as routine draft" not in client.get(URL).content.decode()


@pytest.mark.parametrize("count", [40, 400])
def test_query_counts_do_not_grow_with_the_library(client, django_assert_max_num_queries, count):
    make_library(count)
    with django_assert_max_num_queries(6):
        assert client.get("/practice/new/").status_code == 200
    with django_assert_max_num_queries(14):
        page = client.get(URL)
    assert "Start practice" in page.content.decode()
    with django_assert_max_num_queries(14):
        assert client.get("/practice/new/15_beginner_back_none_none_42/play/2/").status_code == 200
