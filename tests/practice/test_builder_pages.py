"""The builder of a practice of one's own, its no-script forms, and the player and cheat sheet it leads to."""

import re

import pytest
from django.utils import timezone

from poses.models import Pose, PoseCaution, Status
from practice import builder_views, sequence

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def poses():
    now = timezone.now()
    made = {
        "mountain": Pose.objects.create(
            slug="mountain",
            name="Mountain",
            hold_kind="seconds",
            hold_value=30,
            status=Status.PUBLISHED,
            published_at=now,
        ),
        "tree": Pose.objects.create(
            slug="tree",
            name="Tree",
            sides="both",
            hold_kind="breaths",
            hold_value=5,
            level="intermediate",
            status=Status.PUBLISHED,
            published_at=now,
        ),
        "cobra": Pose.objects.create(slug="cobra", name="Cobra", status=Status.PUBLISHED, published_at=now),
        "secret": Pose.objects.create(slug="secret", name="Secret Pose", status=Status.DRAFT),
    }
    PoseCaution.objects.create(pose=made["tree"], text="Keep a wall near if your balance is unsure.", position=0)
    PoseCaution.objects.create(pose=made["cobra"], text="Go gently with a sore lower back.", position=0)
    # The same caution on two poses is listed once.
    PoseCaution.objects.create(pose=made["mountain"], text="Go gently with a sore lower back.", position=0)
    return made


def many_poses(count: int) -> list[Pose]:
    now = timezone.now()
    poses = Pose.objects.bulk_create(
        Pose(
            slug=f"p-{n}",
            name=f"Pose {n}",
            sides="both" if n % 2 else "none",
            hold_kind="breaths",
            hold_value=5,
            status=Status.PUBLISHED,
            published_at=now,
        )
        for n in range(count)
    )
    PoseCaution.objects.bulk_create(PoseCaution(pose=pose, text=f"Caution {pose.pk}", position=0) for pose in poses)
    return poses


def test_builder_shows_the_steps_their_holds_the_duration_and_the_cautions_once(client, poses):
    response = client.get("/practice/build/?s=1.mountain~30s.tree~5b~l~x2.cobra~3b")
    assert response.status_code == 200
    text = text_of(response)
    assert "A practice of your own" in text
    assert re.findall(r'<h3 class="builder-step__title">.*?<a [^>]*>([^<]+)</a>', response.content.decode()) == [
        "Mountain",
        "Tree",
        "Cobra",
    ]
    # 30 s + 5 breaths × 5 s × 2 rounds × 2 sides + 3 breaths × 5 s, and 5 s before each of 4 stops.
    assert (30 + 100 + 15 + 20) == 165
    assert re.search(r"<dd data-duration>3 min</dd>", response.content.decode())
    assert 'value="left" selected' in response.content.decode()
    assert text.count("Go gently with a sore lower back.") == 1
    assert "Keep a wall near if your balance is unsure." in text
    assert text.index("Before you start") < text.index("1. Mountain")
    assert 'href="/practice/build/1.mountain~30s.tree~5b~l~x2.cobra~3b/play/1/"' in response.content.decode()
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"
    assert response.cookies["practice_build"].value == "1.mountain~30s.tree~5b~l~x2.cobra~3b"
    assert response.cookies["practice_build"]["path"] == "/practice/build/"


def test_unpublished_and_unknown_poses_of_a_shared_link_are_left_out_with_a_note(client, poses):
    response = client.get("/practice/build/?s=1.secret.mountain.nothing-here.tree~oops")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Secret Pose" not in html
    text = text_of(response)
    assert "2 poses of this link are not in the library and were left out: secret , nothing-here ." in text
    assert "1 step of this link could not be read and was left out." in text
    assert 'data-code="1.mountain~30s"' in html


@pytest.mark.parametrize("value", ["9.mountain", "1." + "x" * 3000, "1." + ".".join(["cat"] * 61), "%00%ff"])
def test_garbage_in_the_address_gets_a_clear_message(client, poses, value):
    response = client.get("/practice/build/", {"s": value})
    assert response.status_code in (200, 400)
    text = text_of(response)
    if response.status_code == 400:
        assert "This link does not open a practice." in text
    assert "Traceback" not in text


@pytest.mark.parametrize(
    "path",
    [
        "/practice/build/9.x/play/1/",
        "/practice/build/1.secret/play/1/",
        "/practice/build/cheatsheet/?s=zzz",
        "/practice/build/1.mountain~30s/play/9/",
        "/practice/build/%20/play/finish/",
    ],
)
def test_a_player_address_that_holds_no_practice_is_not_found(client, poses, path):
    assert client.get(path).status_code == 404


def test_an_empty_builder_says_how_to_begin(client, poses):
    response = client.get("/practice/build/")
    assert response.status_code == 200
    assert "No poses yet. Use “Add to my practice” on any pose , or find one below." in text_of(response)


# --- Without a script ----------------------------------------------------------------------------------------


def test_add_from_a_pose_page_without_a_sequence_uses_the_builders_cookie(client, poses):
    response = client.post("/practice/build/add/", {"pose": "tree"})
    assert response.status_code == 303
    assert response["Location"] == "/practice/build/?s=1.tree~5b#step-1"
    assert response.cookies["practice_build"].value == "1.tree~5b"
    response = client.post("/practice/build/add/", {"pose": "mountain"})
    assert response["Location"] == "/practice/build/?s=1.tree~5b.mountain~30s#step-2"
    # The builder with nothing in its address opens the practice kept for this browser.
    response = client.get("/practice/build/")
    assert response.status_code == 302
    assert response["Location"] == "/practice/build/?s=1.tree~5b.mountain~30s"


def test_a_draft_pose_cannot_be_added(client, poses):
    response = client.post("/practice/build/add/", {"pose": "secret", "s": "1.tree~5b"})
    assert response.status_code == 303
    assert response["Location"] == "/practice/build/?s=1.tree~5b&find=secret"
    followed = client.get(response["Location"])
    assert "Secret Pose" not in followed.content.decode()
    assert "No pose is called “secret”" in text_of(followed)


def test_add_by_name_or_choose_among_matches(client, poses):
    response = client.post("/practice/build/add/", {"q": "cobra", "s": "1.tree~5b"})
    assert response["Location"] == "/practice/build/?s=1.tree~5b.cobra~30s#step-2"
    response = client.post("/practice/build/add/", {"q": "tre", "s": "1.cobra~30s"})
    assert response["Location"] == "/practice/build/?s=1.cobra~30s&find=tre"


@pytest.mark.parametrize(
    "post, location",
    [
        ({"index": "1", "op": "up"}, "/practice/build/?s=1.tree~5b.mountain~30s.cobra~30s#step-1"),
        ({"index": "1", "op": "down"}, "/practice/build/?s=1.mountain~30s.cobra~30s.tree~5b#step-3"),
        ({"index": "0", "op": "up"}, "/practice/build/?s=1.mountain~30s.tree~5b.cobra~30s#step-1"),
        ({"index": "1", "op": "remove"}, "/practice/build/?s=1.mountain~30s.cobra~30s#step-2"),
        (
            {"index": "1", "op": "apply", "hold": "8", "unit": "seconds", "sides": "once", "rounds": "3"},
            "/practice/build/?s=1.mountain~30s.tree~8s~o~x3.cobra~30s#step-2",
        ),
        # Out of range numbers are brought into range; a pose without sides stays without.
        (
            {"index": "0", "op": "apply", "hold": "99999", "rounds": "0", "sides": "left"},
            "/practice/build/?s=1.mountain~3600s.tree~5b.cobra~30s#step-1",
        ),
        ({"index": "7", "op": "remove"}, "/practice/build/?s=1.mountain~30s.tree~5b.cobra~30s"),
        ({"index": "x", "op": "remove"}, "/practice/build/?s=1.mountain~30s.tree~5b.cobra~30s"),
    ],
)
def test_the_steps_forms_post_and_redirect_to_the_new_address(client, poses, post, location):
    response = client.post("/practice/build/change/", {"s": "1.mountain~30s.tree~5b.cobra~30s", **post})
    assert response.status_code == 303
    assert response["Location"] == location


def test_removing_the_last_step_leaves_an_empty_practice(client, poses):
    response = client.post("/practice/build/change/", {"s": "1.mountain", "index": "0", "op": "remove"})
    assert response["Location"] == "/practice/build/"
    assert response.cookies["practice_build"].value == ""
    assert client.get("/practice/build/").status_code == 200


def test_a_full_practice_takes_no_more_poses(client, poses):
    full = sequence.encode([sequence.RawStep("cobra")] * sequence.MAX_STEPS)
    response = client.post("/practice/build/add/", {"pose": "tree", "s": full})
    assert response["Location"].endswith("&full=1")
    assert "tree" not in response["Location"]


# --- Playing and printing -------------------------------------------------------------------------------------


def test_a_built_practice_plays_in_the_player_with_both_sides(client, poses):
    base = "/practice/build/1.mountain~30s.tree~5b~l/play/"
    assert client.get(base)["Location"] == f"{base}1/"
    first = client.get(f"{base}1/")
    assert first.status_code == 200
    assert "Step 1 of 2" in text_of(first)
    assert "Mountain" in text_of(first)
    second = text_of(client.get(f"{base}2/"))
    assert "Tree" in second and "Left side" in second
    assert "Right side" in text_of(client.get(f"{base}3/"))
    finish = client.get(f"{base}finish/")
    assert finish.status_code == 200
    assert f'href="{base}1/"' in finish.content.decode()


def test_a_player_link_with_a_pose_gone_plays_what_is_left(client, poses):
    response = client.get("/practice/build/1.secret.tree~5b/play/2/")
    assert response.status_code == 302
    assert response["Location"] == "/practice/build/1.tree~5b/play/1/"
    # A short link plays at the same stop of its one address.
    assert client.get("/practice/build/1.tree/play/2/")["Location"] == "/practice/build/1.tree~5b/play/2/"


def test_a_built_practice_prints_as_a_cheat_sheet(client, poses):
    response = client.get("/practice/build/cheatsheet/?s=1.mountain~30s.tree~5b~x2")
    assert response.status_code == 200
    text = text_of(response)
    assert "Mountain" in text and "Tree" in text
    assert "5 breaths, about 25 s · 2 rounds · each side" in text


def test_pose_pages_and_cards_offer_the_same_add_button_to_everyone(client, poses, settings):
    settings.PAGE_CACHE = True
    response = client.get("/poses/tree/")
    assert response["Cache-Control"].startswith("public")
    assert not response.cookies
    html = response.content.decode()
    assert 'action="/practice/build/add/"' in html and 'name="pose" value="tree"' in html
    assert "csrfmiddlewaretoken" not in html
    listing = client.get("/poses/").content.decode()
    assert listing.count("data-add-practice data-slug=") == 3
    assert 'Add<span class="visually-hidden"> Tree to my practice</span>' in listing


# --- Query counts -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("library, steps", [(10, 10), (400, 10), (60, 60)])
def test_builder_and_player_queries_grow_with_neither_the_practice_nor_the_library(
    client, django_assert_max_num_queries, library, steps
):
    poses = many_poses(library)
    code = sequence.read(sequence.encode([sequence.RawStep(pose.slug) for pose in poses[:steps]])).code
    with django_assert_max_num_queries(8):
        assert client.get(f"/practice/build/?s={code}").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/practice/build/{code}/play/3/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/practice/build/cheatsheet/?s={code}").status_code == 200
    with django_assert_max_num_queries(4):
        assert client.post("/practice/build/add/", {"s": code, "q": "Pose 1"}).status_code == 303


def test_the_search_for_a_pose_to_add_does_not_grow_with_the_library(client, django_assert_max_num_queries):
    many_poses(200)
    with django_assert_max_num_queries(12):
        response = client.get("/practice/build/?s=1.p-1&find=pose")
    assert response.status_code == 200
    assert text_of(response).count("Add Pose") <= 12


def test_the_offline_list_of_a_built_practice_has_its_page_stops_and_cheat_sheet(client, poses):
    code = "1.mountain~30s.tree~5b~l"
    data = client.get(f"/practice/build/{code}/offline.json").json()
    assert data["url"] == f"/practice/build/?s={code}"
    assert data["title"] == "A practice: Mountain and Tree"
    assert data["slug"] == builder_views.slug_of(code)
    urls = data["urls"]
    assert urls[:6] == [
        f"/practice/build/?s={code}",
        f"/practice/build/cheatsheet/?s={code}",
        f"/practice/build/{code}/play/1/",
        f"/practice/build/{code}/play/2/",
        f"/practice/build/{code}/play/3/",
        f"/practice/build/{code}/play/finish/",
    ]
    assert any(url.endswith("js/player.js") for url in urls)
    assert client.get("/practice/build/1.secret/offline.json").status_code == 404


def test_my_practice_leads_to_the_builder(client):
    assert 'href="/practice/build/">Build a practice of your own</a>' in client.get("/practice/").content.decode()
