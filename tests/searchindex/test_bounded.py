"""A search reads only the best matches it shows: the same best matches, in the same order, as ranking
every match would give, and the same few queries however many things match."""

import random
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

import searchindex.query
from poses.models import Pose
from search.views import scopes
from searchindex.query import COUNTED, _ranked, search, words_of
from tests.factories import CategoryFactory, PoseFactory

pytestmark = pytest.mark.django_db

FIRST = ["Revolved", "Seated", "Bound", "Low", "Wide", "Extended"]
SHAPES = ["Twist", "Fold", "Lunge", "Reach"]


@pytest.fixture
def many():
    """About 150 poses whose names and summaries share a few words in every arrangement, some drafts."""
    rng = random.Random(7)
    category = CategoryFactory()
    for number in range(150):
        name = f"{rng.choice(FIRST)} {rng.choice(SHAPES)} {number}" + (" Pose" if number % 3 == 0 else "")
        summary = f"A {rng.choice(SHAPES).lower()} for the {rng.choice(['spine', 'hips', 'pose'])}."
        PoseFactory(name=name, summary=summary, category=category, status="draft" if number % 11 == 0 else "published")
    PoseFactory(name="Twist", category=category)
    PoseFactory(name="Zz Twist Pose", category=category)


def every_match(query: str, scope) -> list[int]:
    """The matches as ranking every one of them gives: the unbounded reading, for comparison."""
    words = words_of(query)
    hits = [hit for hit in _ranked(words, {word: {word} for word in words}, scopes={"pose": scope})]
    return [hit.object_id for hit in hits if hit.found == len(words)]


@pytest.mark.parametrize(
    "query",
    [
        "twist",
        "twis",
        "pose",
        "twist pose",
        "seated twist",
        "pose twist",
        "twis pose",
        "seated tw",
        "twist twi",
        "fold spine",
        "low",
        "revolved",
        "zz twist",
        "pose zz",
        "zz tw",
        "seated twist pose",
        "twist spine fold",
        "low tw pose",
    ],
)
@pytest.mark.parametrize("meeting", ["few", "many", "common", "some", "common and many"])
def test_the_best_matches_are_those_of_ranking_every_match(many, query, meeting, monkeypatch):
    if meeting in ("many", "common and many"):
        # As if the words met in too many things to rank all at once: they are read in rank order.
        monkeypatch.setattr(searchindex.query, "TOGETHER", -1)
    if meeting in ("common", "common and many"):
        # As if every word were in thousands of things: the rarest one's lists are read a page at a time.
        monkeypatch.setattr(searchindex.query, "FEW", 3)
        monkeypatch.setattr(searchindex.query, "RARITY_CAP", 6)
    if meeting == "some":
        # As if some words were in thousands of things and others in hundreds: the others are intersected,
        # and the things they meet in checked for the common ones.
        monkeypatch.setattr(searchindex.query, "FEW", 3)
        monkeypatch.setattr(searchindex.query, "RARITY_CAP", 40)
    scope = Pose.objects.published()
    expected = every_match(query, scope)
    for limit in (5, COUNTED, 100):
        outcome = search(query, {"pose": scope}, limit=limit)
        assert outcome.ids("pose") == expected[:limit], limit
        assert ("pose" in outcome.more) == (len(expected) > limit), limit


def test_a_name_match_comes_before_many_matches_in_text_whatever_the_alphabet(many):
    ids = search("twist", {"pose": Pose.objects.published()}, limit=5).ids("pose")
    names = list(Pose.objects.filter(pk__in=ids).values_list("pk", "name"))
    assert dict(names)[ids[0]] == "Twist"
    assert all("Twist" in name for _, name in names)


def count_queries(client, path, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path, {"q": query}).status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/search/", "/poses/"])
@pytest.mark.parametrize("query", ["lunge", "lunge pose"])
def test_a_search_whose_matches_grow_with_the_library_costs_the_same_queries(client, path, query, uncached):
    category = CategoryFactory()
    for number in range(6):
        PoseFactory(name=f"Lunge {number} Pose", category=category)
    small = count_queries(client, path, query)
    for number in range(6, 160):
        PoseFactory(name=f"Lunge {number} Pose", category=category)
    assert count_queries(client, path, query) <= small


@pytest.mark.parametrize("path", ["/search/", "/poses/"])
def test_several_common_words_cost_no_more_queries_when_they_are_in_more_things(client, path, uncached, monkeypatch):
    # As if "lunge" and "pose" were each in thousands of things: read a page at a time, in rank order.
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    monkeypatch.setattr(searchindex.query, "RARITY_CAP", 6)
    category = CategoryFactory()
    for number in range(12):
        PoseFactory(name=f"Lunge {number} Pose", summary="A lunge pose.", category=category)
    small = count_queries(client, path, "lunge pose")
    for number in range(12, 200):
        PoseFactory(name=f"Lunge {number} Pose", summary="A lunge pose.", category=category)
    assert count_queries(client, path, "lunge pose") <= small
    html = client.get(path, {"q": "lunge pose"}).content.decode()
    assert {"/search/": "More than 24 results", "/poses/": "More than 48 poses"}[path] in html


def test_the_search_page_counts_what_it_shows_then_says_more(client, uncached):
    category = CategoryFactory()
    for number in range(130):
        PoseFactory(name=f"Lunge {number:03d}", category=category)
    html = client.get("/search/", {"q": "lunge"}).content.decode()
    assert "More than 24 results for “lunge”" in html
    assert 'Poses <span class="search-group__count">24+</span>' in html
    assert html.count('class="card__title"') == 24
    assert 'href="/poses/?q=lunge">All matching poses in the library' in html


def test_the_library_pages_through_every_match_in_rank_order(client, uncached):
    category = CategoryFactory()
    for number in range(130):
        PoseFactory(name=f"Lunge {number:03d}", category=category)
    PoseFactory(name="Lunge", category=category)
    names = []
    heading = {}
    for page in (1, 2, 3):
        html = client.get("/poses/", {"q": "lunge", "page": page}).content.decode()
        heading[page] = re.sub(r"<[^>]+>|\s+", " ", re.search(r'id="results-title"[^>]*>(.*?)</h2>', html, re.S)[1])
        names += re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)
    assert names == ["Lunge", *(f"Lunge {number:03d}" for number in range(130))]
    # Page 1 ranks what it shows and says there are more; so does page 2; the last page has ranked them all.
    assert heading[1].split() == ["More", "than", "48", "poses", "·", "page", "1"]
    assert heading[2].split() == ["More", "than", "96", "poses", "·", "page", "2"]
    assert heading[3].split() == ["131", "poses", "·", "page", "3", "of", "3"]


def test_two_common_words_are_read_from_the_pair_index_a_page_at_a_time(many, monkeypatch):
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    with CaptureQueriesContext(connection) as queries:
        outcome = search("twist pose", {"pose": Pose.objects.published()}, limit=5)
    sql = [query["sql"] for query in queries]
    assert any("searchindex_pair" in text and "LIMIT 6" in text for text in sql)
    assert outcome.ids("pose") == every_match("twist pose", Pose.objects.published())[:5]
    # Nothing is read from the words' own entries: more than five things hold both in one name.
    assert not any("searchindex_entry e" in text for text in sql)


@pytest.mark.parametrize("kinds", [["pose"], ["pose", "routine", "muscle"]])
def test_two_words_cost_two_queries_when_one_is_rare(many, kinds, monkeypatch):
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    every_scope = scopes()
    with CaptureQueriesContext(connection) as queries:
        outcome = search("twist zz", {kind: every_scope[kind] for kind in kinds}, limit=5)
    assert [Pose.objects.get(pk=pk).name for pk in outcome.ids("pose")] == ["Zz Twist Pose"]
    assert len(queries) == 2


def searched(query: str, limit: int):
    """A search of the published poses, and the SQL of the queries it made."""
    with CaptureQueriesContext(connection) as queries:
        outcome = search(query, {"pose": Pose.objects.published()}, limit=limit)
    return outcome, [captured["sql"] for captured in queries]


def test_words_not_all_common_are_intersected_and_ranked_in_one_query(many, monkeypatch):
    # As if "twist" and "pose" were each in thousands of things, and "zz" in one.
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    monkeypatch.setattr(searchindex.query, "RARITY_CAP", 6)
    outcome, sql = searched("zz twist pose", 5)
    assert [Pose.objects.get(pk=pk).name for pk in outcome.ids("pose")] == ["Zz Twist Pose"]
    # One query counts the words; one finds the things the rarest is in, checks them for the others and ranks them.
    assert len(sql) == 2
    assert "INTERSECT" not in sql[1] and "searchindex_pair" not in sql[1]


def test_three_common_words_are_named_from_the_pair_index_and_the_rest_walked(many, monkeypatch):
    # As if every word were in thousands of things.
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    outcome, sql = searched("seated twist pose", 5)
    assert outcome.ids("pose") == every_match("seated twist pose", Pose.objects.published())[:5]
    # Counted, with the names they share and the words they start; the things holding them in one name,
    # ranked; the walk for the rest. The words are never intersected.
    assert len(sql) == 3
    assert "searchindex_pair" in sql[0] and "searchindex_spelling" in sql[0]
    assert "searchindex_pair" in sql[1] and "WITH RECURSIVE" in sql[2]
    assert not any("INTERSECT" in text for text in sql)


@pytest.fixture
def apart():
    """Words that meet only at the end of the alphabet: a hundred things hold "twist" alone, a hundred
    "seated" alone, all before the few that hold both, and "pose" everywhere."""
    category = CategoryFactory()
    for number in range(100):
        PoseFactory(name=f"Alpha Twist {number:03d}", summary="A pose.", category=category)
        PoseFactory(name=f"Beta Seated {number:03d}", summary="A pose.", category=category)
    for number in range(6):
        PoseFactory(name=f"Zeta Seated Twist {number}", summary="A pose.", category=category)
    PoseFactory(name="Zeta Seated Twist Pose", category=category)


def test_a_walk_jumps_over_things_that_hold_one_word_only(apart, monkeypatch):
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    # Six steps beyond twice what it looks for: reading the words' things one by one would take hundreds.
    monkeypatch.setattr(searchindex.query, "STEPS", 6)
    outcome, sql = searched("seated twist pose", 3)
    names = [Pose.objects.get(pk=pk).name for pk in outcome.ids("pose")]
    assert names == ["Zeta Seated Twist Pose", "Zeta Seated Twist 0", "Zeta Seated Twist 1"]
    assert "pose" in outcome.more
    assert not any("INTERSECT" in text for text in sql)


def test_a_walk_out_of_steps_leaves_the_words_to_be_intersected(apart, monkeypatch):
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    monkeypatch.setattr(searchindex.query, "STEPS", -100)
    outcome, sql = searched("seated twist pose", 3)
    assert outcome.ids("pose") == every_match("seated twist pose", Pose.objects.published())[:3]
    assert any("INTERSECT" in text for text in sql)


@pytest.mark.parametrize("path", ["/search/", "/poses/"])
def test_three_common_words_cost_no_more_queries_when_they_are_in_more_things(client, path, uncached, monkeypatch):
    monkeypatch.setattr(searchindex.query, "FEW", 3)
    category = CategoryFactory()

    def add(numbers):
        for number in numbers:
            # Every third holds the words in its name; the others hold "pose" in their text.
            name = f"Low Lunge {number}" + (" Pose" if number % 3 == 0 else "")
            PoseFactory(name=name, summary="A lunge pose, low.", category=category)

    add(range(12))
    small = count_queries(client, path, "low lunge pose")
    add(range(12, 200))
    assert count_queries(client, path, "low lunge pose") <= small
    html = client.get(path, {"q": "low lunge pose"}).content.decode()
    assert {"/search/": "More than 24 results", "/poses/": "More than 48 poses"}[path] in html
