"""The pose library: search, filters, pagination, and addresses that must never fail."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    CategoryFactory,
    EquipmentFactory,
    MuscleFactory,
    PoseFactory,
    add_pose_image,
    complete_pose,
)

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    """The pose names on the cards, in order."""
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


def test_library_shows_cards_with_image_names_level_and_the_count(client):
    pose = PoseFactory(name="Backbend", sanskrit_name="Ūrdhva Dhanurāsana", level="advanced")
    add_pose_image(pose)
    PoseFactory(name="Draft Pose", status="draft")
    response = client.get("/poses/")
    html = response.content.decode()
    assert names(response) == ["Backbend"]
    assert "Ūrdhva Dhanurāsana" in html and "Advanced" in html
    assert 'alt="A person in Backbend"' in html and 'loading="lazy"' in html
    assert "1 pose<" in html


@pytest.mark.parametrize("query", ["urdhva", "Ūrdhva", "URDHVA dhanu", "wheel", "backb"])
def test_search_finds_a_pose_by_any_of_its_names_with_or_without_diacritics(client, query):
    pose = PoseFactory(name="Backbend", sanskrit_name="Ūrdhva Dhanurāsana")
    pose.other_names.create(name="Wheel Pose", position=0)
    pose.save()
    PoseFactory(name="Cobra Pose", sanskrit_name="Bhujaṅgāsana")
    assert names(client.get("/poses/", {"q": query})) == ["Backbend"]


def test_search_ranks_exact_then_prefix_then_word_start_then_other_names_then_the_rest(client):
    PoseFactory(name="Reclined Twist")  # a word starts with it
    PoseFactory(name="Seated Twist")  # a word starts with it
    PoseFactory(name="Twisted Lunge")  # the name starts with it
    PoseFactory(name="Twist")  # exact
    PoseFactory(name="Overtwisting")  # only inside a word: not a match
    PoseFactory(name="Twist Again")  # starts with it too; ties go by name
    easy = PoseFactory(name="Easy Pose")
    easy.other_names.create(name="Easy Twist", position=0)
    easy.save()  # another name
    PoseFactory(name="Cat", summary="A gentle twist of the spine.")  # the summary
    assert names(client.get("/poses/", {"q": "twist"})) == [
        "Twist",
        "Twist Again",
        "Twisted Lunge",
        "Reclined Twist",
        "Seated Twist",
        "Easy Pose",
        "Cat",
    ]


def test_library_search_understands_what_the_site_search_does(client):
    PoseFactory(name="Warrior II", sanskrit_name="Vīrabhadrāsana II")
    PoseFactory(name="Corpse Pose", sanskrit_name="Śavāsana")
    PoseFactory(name="Cobra", sanskrit_name="Bhujaṅgāsana")
    PoseFactory(name="Child's Pose", sanskrit_name="Bālāsana")
    assert names(client.get("/poses/", {"q": "warrior two"})) == ["Warrior II"]
    assert names(client.get("/poses/", {"q": "shavasana"})) == ["Corpse Pose"]
    assert names(client.get("/poses/", {"q": "cobar"})) == ["Cobra"]
    assert unescape(names(client.get("/poses/", {"q": "childs pose"}))[0]) == "Child's Pose"


def test_search_with_no_match_says_so_and_offers_to_clear(client):
    PoseFactory(name="Cobra Pose")
    html = client.get("/poses/", {"q": "zzz"}).content.decode()
    assert "No poses match" in html and 'href="/poses/">Clear all filters' in html


@pytest.fixture
def library():
    backbends, standing = CategoryFactory(slug="backbends", name="Backbends"), CategoryFactory(slug="standing")
    lower_back, hamstrings = MuscleFactory(slug="lower-back", name="Lower Back"), MuscleFactory(slug="hamstrings")
    block, strap = EquipmentFactory(slug="block", name="Block"), EquipmentFactory(slug="strap")
    wheel = PoseFactory(name="Wheel", category=backbends, level="advanced", primary=[lower_back])
    wheel.equipment.add(block)
    wheel.tags.add("heart opener")
    bridge = PoseFactory(name="Bridge", category=backbends, level="beginner", secondary=[lower_back])
    bridge.tags.add("heart opener")
    fold = PoseFactory(name="Forward Fold", category=standing, level="beginner", primary=[hamstrings])
    fold.equipment.add(strap)
    PoseFactory(name="Draft Wheel", category=backbends, status="draft", primary=[lower_back])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"category": "backbends"}, ["Bridge", "Wheel"]),
        ({"level": "beginner"}, ["Bridge", "Forward Fold"]),
        ({"muscle": "lower-back"}, ["Bridge", "Wheel"]),
        ({"muscle": "lower-back", "role": "primary"}, ["Wheel"]),
        ({"equipment": "block"}, ["Wheel"]),
        ({"equipment": "none"}, ["Bridge"]),
        ({"tag": "heart-opener"}, ["Bridge", "Wheel"]),
        ({"category": "backbends", "level": "beginner"}, ["Bridge"]),
        ({"category": "backbends", "tag": "heart-opener", "equipment": "block", "q": "whe"}, ["Wheel"]),
        ({"category": "standing", "muscle": "lower-back"}, []),
    ],
)
def test_filters_narrow_the_list_and_combine(client, library, params, expected):
    assert names(client.get("/poses/", params)) == expected


def test_active_filters_are_shown_each_with_a_link_that_removes_it(client, library):
    html = client.get("/poses/", {"category": "backbends", "muscle": "lower-back", "role": "primary"}).content.decode()
    assert "Category:</span> Backbends" in html and "Muscle:</span> Lower Back (primary)" in html
    assert 'href="/poses/?muscle=lower-back&amp;role=primary"' in html  # removes the category
    assert 'href="/poses/?category=backbends"' in html  # removes the muscle and its role
    assert "1 pose<" in html


def test_the_form_keeps_the_chosen_values(client, library):
    html = client.get("/poses/", {"category": "backbends", "q": "wh"}).content.decode()
    assert '<option value="backbends" selected>' in html
    assert 'name="q" id="filter-q" value="wh"' in html


@pytest.mark.parametrize(
    "params",
    [
        {"category": "no-such-thing"},
        {"level": "expert"},
        {"muscle": "<script>"},
        {"equipment": "x" * 500},
        {"tag": "nope", "role": "sometimes"},
        {"page": "abc"},
        {"page": "-1"},
        {"page": "999"},
        {"page": "1e9"},
        {"q": "%_\\'\"<>"},
        {"q": "x" * 1000},
        {"q": "wheel\x00"},
        {"category": "\x00"},
    ],
)
def test_bad_query_values_never_fail(client, library, params):
    response = client.get("/poses/", params)
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("</h1>", 1)[1]


def test_unknown_filter_values_are_ignored_with_a_note(client, library):
    response = client.get("/poses/", {"category": "no-such-thing", "level": "beginner"})
    assert names(response) == ["Bridge", "Forward Fold"]
    assert "not recognised and have been left out" in response.content.decode()


@pytest.fixture
def many_backbends():
    category = CategoryFactory(slug="backbends")
    for n in range(54):
        PoseFactory(name=f"Backbend {n:02d}", category=category)
    PoseFactory(name="Other")


def test_pagination_links_keep_the_filters(client, many_backbends):
    html = client.get("/poses/", {"category": "backbends"}).content.decode()
    assert "54 poses" in html and "page 1 of 2" in html
    assert 'href="?category=backbends&amp;page=2" rel="next"' in html
    page_two = client.get("/poses/", {"category": "backbends", "page": 2})
    assert names(page_two) == [f"Backbend {n:02d}" for n in range(48, 54)]
    assert 'href="?category=backbends&amp;page=1" rel="prev"' in page_two.content.decode()


def test_a_page_number_that_is_not_one_shows_the_first_page(client, many_backbends):
    assert names(client.get("/poses/", {"category": "backbends", "page": "abc"}))[0] == "Backbend 00"


def test_a_page_past_the_end_shows_the_last_page(client, many_backbends):
    response = client.get("/poses/", {"category": "backbends", "page": "999"})
    assert response.status_code == 200
    assert names(response)[-1] == "Backbend 53" and "page 2 of 2" in response.content.decode()


def test_canonical_keeps_a_category_and_its_page_and_drops_everything_else(client, many_backbends, settings):
    settings.SITE_URL = "https://yoga.example.org"

    def canonical(params):
        html = client.get("/poses/", params).content.decode()
        return unescape(re.search(r'<link rel="canonical" href="([^"]+)">', html).group(1))

    assert canonical({}) == "https://yoga.example.org/poses/"
    assert (
        canonical({"category": "backbends", "page": "2"}) == "https://yoga.example.org/poses/?category=backbends&page=2"
    )
    assert canonical({"category": "backbends", "page": "1"}) == "https://yoga.example.org/poses/?category=backbends"
    assert canonical({"category": "backbends", "q": "back", "utm_source": "x"}) == "https://yoga.example.org/poses/"
    assert canonical({"category": "nope"}) == "https://yoga.example.org/poses/"


def test_titles_differ_for_filtered_and_paged_lists(client, many_backbends):
    def title(params):
        return re.search(r"<title>(.*?)</title>", client.get("/poses/", params).content.decode()).group(1)

    titles = {title({}), title({"page": 2}), title({"category": "backbends"}), title({"q": "back"})}
    assert len(titles) == 4


def count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def make_listed_poses(count: int):
    muscle = MuscleFactory(slug="lower-back")
    category = CategoryFactory(slug="backbends")
    block = EquipmentFactory(slug="block")
    for _ in range(count):
        pose = complete_pose(category=category, primary=[muscle], equipment=[block], tags=["calm"], steps=1)
        add_pose_image(pose, position=1)


EVERY_FILTER = {"category": "backbends", "muscle": "lower-back", "equipment": "block", "q": "complete", "tag": "calm"}


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize("params", [{}, EVERY_FILTER])
def test_library_query_count_is_small_and_does_not_grow_with_poses(client, params, django_assert_max_num_queries):
    make_listed_poses(3)
    small = count_queries(client, "/poses/", params)
    make_listed_poses(50)
    # Four lists of choices for the filters (then kept in the cache until a change), the count,
    # the page of poses, their pictures; with a search, the known words it starts and its best matches
    # instead of the count.
    with django_assert_max_num_queries(8 if "q" in params else 7):
        response = client.get("/poses/", params)
    assert len(names(response)) == 48
    # The filters' choices are kept in the cache after the first request.
    assert count_queries(client, "/poses/", params) == small - 4


def test_a_page_of_the_library_holds_48_poses_and_the_filters_fold_behind_a_count(client, many_backbends):
    html = client.get("/poses/", {"category": "backbends", "level": "beginner", "role": "primary"}).content.decode()
    assert html.count('class="card"') == 48
    fold = html[html.index('<details class="filters__fold">') :]
    # The muscle role only qualifies a muscle: two filters in force, category and level.
    assert re.search(r'<summary class="filters__toggle">Filters <span class="filters__count">\(2\)</span>', fold)
    assert fold.index('id="filter-category"') < fold.index("</details>")
    assert 'id="filter-q"' not in fold[: fold.index("</details>")]  # the search box stays outside the fold
