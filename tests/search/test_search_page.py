"""/search/: what people type finds what they mean, best matches first, only what visitors may see."""

import re
from html import unescape

import pytest
from django.utils import timezone

from tests.factories import CategoryFactory, MuscleFactory, PoseFactory, RoutineFactory, RoutineStepFactory

pytestmark = pytest.mark.django_db


def pose(name, sanskrit="", *, other=(), summary=None, **fields):
    made = PoseFactory(name=name, sanskrit_name=sanskrit, summary=summary or f"About {name}.", **fields)
    for position, other_name in enumerate(other):
        made.other_names.create(name=other_name, position=position)
    if other:
        made.save()  # as the admin does once the other names are saved
    return made


@pytest.fixture
def library():
    backbends = CategoryFactory(slug="backbends", name="Backbends")
    standing = CategoryFactory(slug="standing", name="Standing")
    made = {
        "backbend": pose("Backbend", "Ūrdhva Dhanurāsana", other=["Wheel Pose", "Upward Bow Pose"], category=backbends),
        "cobra": pose("Cobra", "Bhujaṅgāsana", category=backbends),
        "sphinx": pose("Sphinx", "Sālamba Bhujaṅgāsana", other=["Supported Cobra"], category=backbends),
        "child": pose("Child's Pose", "Bālāsana", other=["Resting Pose"]),
        "corpse": pose("Corpse Pose", "Śavāsana", other=["Final Relaxation"]),
        "warrior": pose("Warrior II", "Vīrabhadrāsana II", category=standing),
        "warrior1": pose("Warrior I", "Vīrabhadrāsana I", category=standing),
        "dog": pose("Downward-Facing Dog", "Adho Mukha Śvānāsana", other=["Downward Dog", "Down Dog"]),
        "three": pose("Three-Legged Dog", "Eka Pāda Adho Mukha Śvānāsana", other=["One-Legged Downward Dog"]),
        "table": pose("Balancing Table", "Daṇḍayamāna Bharmanāsana", other=["Bird Dog"]),
        "dolphin": pose("Dolphin", summary="Like a dog with its forearms down."),
        "chaturanga": pose("Four-Limbed Staff", "Chaturaṅga Daṇḍāsana"),
        "mountain": pose("Mountain", "Tāḍāsana", category=standing),
        "tree": pose("Tree", "Vṛkṣāsana", category=standing),
        "draft": pose("Zebra Twist", "Gardabhāsana", status="draft"),
        "scheduled": pose("Cobra Lift", status="published", published_at=timezone.now() + timezone.timedelta(days=2)),
    }
    flow = RoutineFactory(title="Back-Strengthening Flow", summary="Builds the muscles around the spine.")
    for position, used in enumerate([made["cobra"], made["child"]]):
        RoutineStepFactory(routine=flow, pose=used, position=position)
    RoutineFactory(title="Secret Dog Routine", status="draft")
    MuscleFactory(slug="lower-back", name="Lower Back", description="Keeps the spine upright.")
    MuscleFactory(slug="hamstrings", name="Hamstrings", description="Bend the knee.")
    return made


def found(client, query, group="found-poses") -> list[str]:
    """The names in one group of results, in order."""
    html = client.get("/search/", {"q": query}).content.decode()
    match = re.search(rf'<section class="search-group" aria-labelledby="{group}">(.*?)</section>', html, re.S)
    if not match:
        return []
    return [unescape(name) for name in re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', match.group(1))]


def muscles_found(client, query) -> list[str]:
    html = client.get("/search/", {"q": query}).content.decode()
    return re.findall(r'<li><a href="/muscles/[^"]+/">([^<]+)</a>', html)


@pytest.mark.parametrize(
    "query, first",
    [
        # case and diacritics
        ("cobra", "Cobra"),
        ("COBRA", "Cobra"),
        ("bhujaṅgāsana", "Cobra"),
        ("bhujangasana", "Cobra"),
        ("Urdhva Dhanurasana", "Backbend"),
        ("ūrdhva", "Backbend"),
        # Sanskrit as people spell it: sh/s, ch/c, doubled vowels, -asan/-asana, "asana" apart
        ("shavasana", "Corpse Pose"),
        ("savasana", "Corpse Pose"),
        ("shava asana", "Corpse Pose"),
        ("shavasan", "Corpse Pose"),
        ("caturanga", "Four-Limbed Staff"),
        ("chaturanga dandasana", "Four-Limbed Staff"),
        ("taadaasana", "Mountain"),
        ("tadasan", "Mountain"),
        ("bhujangasan", "Cobra"),
        # apostrophes and plurals
        ("childs pose", "Child's Pose"),
        ("child's pose", "Child's Pose"),
        ("child’s pose", "Child's Pose"),
        ("child pose", "Child's Pose"),
        ("cobras", "Cobra"),
        # numerals
        ("warrior 2", "Warrior II"),
        ("warrior ii", "Warrior II"),
        ("warrior two", "Warrior II"),
        ("Warrior II", "Warrior II"),
        ("virabhadrasana 2", "Warrior II"),
        ("warrior 1", "Warrior I"),
        ("warrior one", "Warrior I"),
        # typos: two in a word of five letters or more, one in a shorter word
        ("cobar", "Cobra"),
        ("cobbra", "Cobra"),
        ("dowward dog", "Downward-Facing Dog"),
        ("downwrd dgo", "Downward-Facing Dog"),
        ("mountian", "Mountain"),
        ("balancng tabel", "Balancing Table"),
        ("bhujangsana", "Cobra"),
        ("vrksasana", "Tree"),
        ("tre", "Tree"),
        # the start of a word, and other names
        ("backb", "Backbend"),
        ("wheel", "Backbend"),
        ("bird dog", "Balancing Table"),
        ("final relax", "Corpse Pose"),
    ],
)
def test_what_people_type_finds_the_pose_first(client, library, query, first):
    names = found(client, query)
    assert names and names[0] == first, names


@pytest.mark.parametrize(
    "query, expected",
    [
        # exact name, then names starting with the words, then a word of a name, then other names, then the rest
        ("dog", ["Downward-Facing Dog", "Three-Legged Dog", "Balancing Table", "Dolphin"]),
        ("cobra", ["Cobra", "Sphinx"]),
        ("warrior", ["Warrior I", "Warrior II"]),
        ("pose", ["Child's Pose", "Corpse Pose", "Backbend"]),
        ("downward dog", ["Downward-Facing Dog", "Three-Legged Dog"]),
    ],
)
def test_results_rank_whole_name_then_start_then_words_then_other_names_then_the_rest(client, library, query, expected):
    assert found(client, query) == expected


@pytest.mark.parametrize("query", ["zebra", "zebra twist", "gardabhasana", "zebar", "cobra lift"])
def test_drafts_and_scheduled_poses_are_never_found_nor_suggested(client, library, query):
    html = client.get("/search/", {"q": query}).content.decode()
    assert "Zebra" not in html and "Gardabh" not in html and "Cobra Lift" not in html
    assert "Secret Dog" not in client.get("/search/", {"q": "secret dog"}).content.decode()


def test_a_scheduled_pose_is_found_once_its_time_has_come(client, library):
    library["scheduled"].published_at = timezone.now() - timezone.timedelta(minutes=1)
    library["scheduled"].save()
    assert found(client, "cobra lift") == ["Cobra Lift"]


def test_routines_are_found_by_title_summary_and_the_poses_they_use(client, library):
    assert found(client, "back strengthening", "found-routines") == ["Back-Strengthening Flow"]
    assert found(client, "spine", "found-routines") == ["Back-Strengthening Flow"]
    assert found(client, "bhujangasana", "found-routines") == ["Back-Strengthening Flow"]
    assert found(client, "childs pose", "found-routines") == ["Back-Strengthening Flow"]
    assert found(client, "tree", "found-routines") == []


def test_muscles_are_found_by_name(client, library):
    assert muscles_found(client, "lower back") == ["Lower Back"]
    assert muscles_found(client, "hamstring") == ["Hamstrings"]
    assert muscles_found(client, "hamstrnigs") == ["Hamstrings"]


def test_results_are_grouped_with_counts(client, library):
    html = client.get("/search/", {"q": "cobra"}).content.decode()
    assert "3 results for “cobra”" in html
    assert html.index('id="found-poses"') < html.index('id="found-routines"')
    assert 'Poses <span class="search-group__count">2</span>' in html


def test_a_typo_search_says_it_shows_close_spellings(client, library):
    html = client.get("/search/", {"q": "cobar"}).content.decode()
    assert "No exact match for “cobar”: these are close spellings." in html
    assert "close spellings" not in client.get("/search/", {"q": "cobra"}).content.decode()


def test_nothing_found_offers_the_nearest_names_and_the_categories(client, library):
    html = client.get("/search/", {"q": "mountian lion"}).content.decode()
    assert "Nothing found for “mountian lion”" in html
    assert "Did you mean" in html and '<a class="chip" href="/poses/mountain-' not in html  # slugs come from factories
    assert re.search(r'<a class="chip" href="/poses/[^"]+/">Mountain</a>', html)
    assert 'href="/poses/?category=backbends">Backbends' in html and 'href="/poses/?category=standing">Standing' in html


def test_nothing_near_at_all_still_offers_the_categories(client, library):
    html = client.get("/search/", {"q": "qqqqqq"}).content.decode()
    assert "Did you mean" not in html and "No pose, routine or muscle has a name like that" in html
    assert 'href="/poses/?category=backbends">Backbends' in html


def test_editors_synonyms_are_used_at_once(client, library):
    from searchindex.models import Synonym

    assert found(client, "chakrasana") == []
    synonym = Synonym.objects.create(words="chakrasana", means="backbend")
    assert found(client, "chakrasana") == ["Backbend"]
    synonym.means = "cobra"
    synonym.save()
    assert found(client, "chakrasana") == ["Cobra", "Sphinx"]
    synonym.delete()
    assert found(client, "chakrasana") == []


def test_a_renamed_pose_is_found_by_its_new_name_only(client, library):
    library["tree"].name = "Tree Pose Balance"
    library["tree"].save()
    assert found(client, "tree pose balance") == ["Tree Pose Balance"]
    library["tree"].name = "Palm"
    library["tree"].save()
    assert found(client, "balance") == []


def test_a_deleted_pose_is_no_longer_found(client, library):
    library["tree"].delete()
    assert found(client, "tree") == []


@pytest.mark.parametrize(
    "query", ["", "   ", "%_\\'\"<>", "x" * 1000, "wheel\x00", "<script>alert(1)</script>", "a b c d e f g h i j k"]
)
def test_odd_queries_never_fail(client, library, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_the_page_has_metadata_like_the_other_pages_and_is_not_indexed(client, library, settings):
    settings.SITE_URL = "https://yoga.example.org"
    html = client.get("/search/", {"q": "dog"}).content.decode()
    assert '<link rel="canonical" href="https://yoga.example.org/search/">' in html
    assert '<meta name="robots" content="noindex, follow">' in html
    assert '<meta property="og:title" content="Search the yoga library">' in html
    assert '"@type": "SearchAction"' in html and "https://yoga.example.org/search/?q={search_term_string}" in html
    assert "<title>Search: dog · " in html


def test_every_page_has_a_site_search_box_in_the_header(client, library):
    html = client.get("/poses/").content.decode()
    header = html.split("</header>", 1)[0]
    assert '<form class="site-search" action="/search/" method="get" role="search"' in header
    assert 'name="q"' in header


def test_more_poses_than_shown_link_to_the_library_with_the_same_search(client):
    for n in range(30):
        PoseFactory(name=f"Lunge {n:02d}")
    html = client.get("/search/", {"q": "lunge"}).content.decode()
    assert len(re.findall(r'class="card__title"', html)) == 24
    assert 'href="/poses/?q=lunge">All matching poses in the library' in html
    library = client.get("/poses/", {"q": "lunge"}).content.decode()
    assert len(re.findall(r'class="card__title"', library)) == 30


def count_queries(client, query) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/", {"q": query}).status_code == 200
    return len(queries)


def grow_library(count: int):
    """More poses, routines using them and muscles, with names that the queries below also match."""
    from tests.factories import add_pose_image

    category = CategoryFactory(slug="grown")
    for _ in range(count):
        made = PoseFactory(name="Dog Variation", category=category, summary="A dog and a cobra.")
        add_pose_image(made)
        routine = RoutineFactory(title="Dog Flow")
        RoutineStepFactory(routine=routine, pose=made)
        MuscleFactory(name="Dog Muscle")


@pytest.mark.parametrize(
    "query, budget",
    [
        # the known words the query starts, the best entries; the poses shown and their pictures, the routines
        # shown with their pictures and tags, the muscles shown
        ("dog", 8),
        ("cobra", 8),
        # several words: which word is the rarest, and the names of the best things read whole to rank them
        ("downward dog", 10),
        # nothing as typed (3), the typo vocabulary, the search with typos (3); the poses shown and their pictures
        ("dowward dgo", 9),
        # nothing as typed (3), the typo vocabulary, the nearest names, the categories to browse
        ("zzzz qqqq", 6),
        # ... and the search with typos, and the pages of the nearest names
        ("mountian lion", 10),
    ],
)
def test_search_query_count_is_small_and_does_not_grow_with_the_library(
    client, library, query, budget, django_assert_max_num_queries
):
    grow_library(3)
    small = count_queries(client, query)
    grow_library(30)
    with django_assert_max_num_queries(budget):
        client.get("/search/", {"q": query})
    assert count_queries(client, query) == small


@pytest.mark.parametrize("query, expected", [("waz", ["Wazir Twist"]), ("zz", ["Zzyzx Rest"]), ("x9", ["X9 Lift"])])
def test_the_start_of_a_word_ending_in_z_or_9_finds_it(client, query, expected):
    for name in ["Wazir Twist", "Wb Fold", "Zzyzx Rest", "X9 Lift", "Xa Hold"]:
        PoseFactory(name=name)
    assert found(client, query) == expected
