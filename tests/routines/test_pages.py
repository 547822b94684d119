"""The routine pages: the list and its filters, the routine page, the cheat sheet and the player's
stop pages (as they are without JavaScript), who may see them, and what each costs in queries.

The routine from tests.factories.complete_routine(steps=6) plays as 8 stops, 280 s of holds and
a 5 s get-ready before each stop, 320 s in all:
1 Flow Pose 1 (30 s) · 2-3 Flow Pose 2, right then left (30 s each) · 4 Flow Pose 3 (6 breaths,
about 30 s, × 3 rounds) · 5 Flow Pose 1 (30 s) · 6-7 Rest, right then left (20 s each) ·
8 Flow Pose 3 (30 s, waits for the practitioner). Sections "Part 1" (steps 1-3) and "Part 2" (4-6).
"""

import html
import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from routines import timing
from routines.models import Routine
from routines.services import refresh_duration
from tests.factories import (
    RoutineFactory,
    RoutineImageFactory,
    RoutineStepFactory,
    complete_pose,
    complete_routine,
    routine_poses,
)

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def text(markup: str) -> str:
    """What a reader sees: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def element(markup: str, attribute: str) -> str:
    """The inner HTML of the first element carrying `attribute` (e.g. 'data-bind="hold"')."""
    match = re.search(rf"<(\w+)[^>]*{re.escape(attribute)}[^>]*>(.*?)</\1>", markup, re.S)
    assert match, f"no element with {attribute}"
    return match.group(2)


def jsonld(markup: str, kind: str) -> dict:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', markup, re.S)
    return next(block for block in map(json.loads, blocks) if block["@type"] == kind)


@pytest.fixture
def routine():
    flow = complete_routine(
        steps=6,
        slug="flow",
        title="Morning Flow",
        summary="A gentle start to the day.",
        body="Move **slowly**.\n\n## What you need\n\nA quiet corner.",
        safety_note='Stop if it hurts. **Go gently.** <script>alert("x")</script>',
        video_url="https://www.youtube.com/watch?v=abc123",
        level="beginner",
    )
    RoutineImageFactory(routine=flow, alt="Three people on mats by a window")
    flow.tags.add("morning", "back care")
    return flow


def one_step_routine(seconds: int, **fields):
    """A routine that lasts exactly `seconds`: one stop, with no time to move into it."""
    routine = RoutineFactory(transition_seconds=0, **fields)
    RoutineStepFactory(routine=routine, position=0, hold_kind="seconds", hold_value=seconds)
    refresh_duration(routine=routine)
    return routine


# --- The list ------------------------------------------------------------------------------------


def test_list_shows_each_published_routine_as_a_card(client, routine):
    RoutineFactory(title="Hidden Draft", slug="hidden-draft", status="draft")
    markup = page(client, "/routines/")
    assert 'href="/routines/flow/"' in markup
    assert "Morning Flow" in markup
    assert 'alt="Three people on mats by a window"' in markup
    card = text(markup[markup.index('class="card routine-card"') :])
    assert "Beginner" in card
    assert "5 min" in card
    assert "Hidden Draft" not in markup


@pytest.fixture
def by_length():
    """One routine in each duration band, and two on the bands' edges."""
    return {
        "five": one_step_routine(300, title="Five", slug="five", level="beginner"),
        "ten": one_step_routine(600, title="Exactly Ten", slug="ten", level="intermediate"),
        "twenty": one_step_routine(1200, title="Exactly Twenty", slug="twenty", level="beginner"),
        "thirty": one_step_routine(1800, title="Thirty", slug="thirty", level="advanced"),
        "forty": one_step_routine(2400, title="Exactly Forty", slug="forty", level="beginner"),
        "fifty": one_step_routine(3000, title="Fifty", slug="fifty", level="beginner"),
    }


def listed(client, query: str) -> set[str]:
    markup = page(client, f"/routines/{query}")
    return set(re.findall(r'<a href="/routines/([\w-]+)/">', markup))


@pytest.mark.parametrize(
    ("band", "expected"),
    [
        ("under-10", {"five"}),
        ("10-20", {"ten", "twenty"}),
        ("20-40", {"thirty", "forty"}),
        ("over-40", {"fifty"}),
    ],
)
def test_duration_filter_uses_the_stored_duration_bands(client, by_length, band, expected):
    assert listed(client, f"?duration={band}") == expected


def test_level_filter(client, by_length):
    assert listed(client, "?level=intermediate") == {"ten"}
    assert listed(client, "?level=advanced") == {"thirty"}


def test_tag_filter_and_filters_combine(client, by_length):
    by_length["five"].tags.add("calm")
    by_length["fifty"].tags.add("calm")
    by_length["thirty"].tags.add("calm")
    assert listed(client, "?tag=calm") == {"five", "fifty", "thirty"}
    assert listed(client, "?tag=calm&level=beginner") == {"five", "fifty"}
    assert listed(client, "?tag=calm&level=beginner&duration=over-40") == {"fifty"}
    markup = page(client, "/routines/?tag=calm&level=beginner")
    assert 'href="/routines/?level=beginner"' in markup  # the chip that removes the tag keeps the level
    assert 'href="/routines/?tag=calm"' in markup


def test_filter_form_works_as_a_plain_get_form(client, by_length):
    by_length["five"].tags.add("calm")
    markup = page(client, "/routines/?level=advanced")
    assert re.search(r'<form[^>]*method="get"[^>]*action="/routines/"', markup)
    for name in ("level", "duration", "tag"):
        assert f'name="{name}"' in markup
    assert '<option value="calm">calm</option>' in markup
    assert '<option value="advanced" selected>' in markup


@pytest.mark.parametrize(
    "query",
    ["?level=expert", "?duration=forever", "?tag=no-such-tag", "?page=abc", "?page=99", "?level=%00&duration[]=1"],
)
def test_bad_filter_values_are_left_out_instead_of_failing(client, by_length, query):
    markup = page(client, f"/routines/{query}")
    assert len(set(re.findall(r'<a href="/routines/([\w-]+)/">', markup))) == 6


# --- The routine page ----------------------------------------------------------------------------


def test_routine_page_shows_the_facts_and_a_start_button(client, routine):
    markup = page(client, "/routines/flow/")
    facts = text(element(markup, 'class="facts"'))
    assert "Duration 5 min" in facts
    assert "Level Beginner" in facts
    assert "A gentle start to the day." in markup
    assert 'alt="Three people on mats by a window"' in markup
    assert re.search(r'<a class="button[^"]*" href="/routines/flow/play/1/">▶ Start practice</a>', markup)
    assert 'href="/routines/flow/cheatsheet/"' in markup


def test_props_come_from_the_poses_each_named_once(client, routine):
    props = text(re.search(r"<dt>Props</dt><dd>(.*?)</dd>", page(client, "/routines/flow/")).group(1))
    assert sorted(props.split(", ")) == ["Block", "Mat", "Strap"]


def test_routine_without_props_says_body_only(client):
    one_step_routine(60, slug="bare")
    assert "<dt>Props</dt><dd>None, body only</dd>" in page(client, "/routines/bare/")


def test_safety_note_is_markdown_with_scripts_neutralised(client, routine):
    markup = page(client, "/routines/flow/")
    note = element(markup, 'class="safety"')
    assert "<strong>Go gently.</strong>" in note
    assert "<script" not in note
    assert 'alert("x")' not in markup.replace("&quot;", '"').split('class="safety"')[0]
    assert "Move <strong>slowly</strong>" in markup


def test_timeline_bar_widths_follow_each_steps_time(client, routine):
    markup = page(client, "/routines/flow/")
    bar = element(markup, 'class="timeline-bar"')
    rects = re.findall(r'<rect class="([^"]*)" x="([\d.]+)" y="0" width="([\d.]+)"', bar)
    steps = list(routine.steps.all())
    seconds = [timing.step_seconds(step, routine.breath_seconds) for step in steps]
    assert seconds == [30, 60, 90, 30, 40, 30]
    assert len(rects) == len(steps)
    widths = [float(width) for _, _, width in rects]
    for width, length in zip(widths, seconds, strict=True):
        assert width / widths[0] == pytest.approx(length / seconds[0], rel=1e-3)
    # Each stretch starts where the one before ends, and the bar ends at the routine's end.
    starts = [float(x) for _, x, _ in rects]
    assert starts[0] == 0 and starts[1] == pytest.approx(widths[0])
    assert starts[-1] + widths[-1] == pytest.approx(1000)
    assert "timeline-bar__step--rest" in rects[4][0] and "rest" not in rects[0][0]


def test_timeline_labels_every_step_with_a_sized_picture_and_links_to_it(client, routine):
    markup = page(client, "/routines/flow/")
    timeline = markup[markup.index('<ol class="timeline">') :]
    timeline = timeline[: timeline.index("</ol>")]
    rows = re.findall(r'<li class="timeline__step[^"]*">(.*?)</li>', timeline, re.S)
    assert len(rows) == 6
    assert "5. Rest" in text(rows[4]) and "40 s" in text(rows[4])
    assert "3. Flow Pose 3" in text(rows[2]) and "90 s" in text(rows[2])
    assert 'href="#step-3"' in rows[2]
    for row in rows:
        img = re.search(r"<img [^>]*>", row).group(0)
        assert re.search(r'width="\d+" height="\d+"', img), img
    assert "img/rest.svg" in rows[4] and "img/rest.svg" not in rows[0]
    assert 'style="' not in markup[markup.index("<main") :]


def test_a_rest_step_has_its_own_picture_in_the_article(client, routine):
    markup = page(client, "/routines/flow/")
    rest = markup[markup.index('id="step-5"') :]
    rest = rest[: rest.index("</li>")]
    assert "img/rest.svg" in rest and 'width="240" height="180"' in rest


def test_a_section_of_one_step_does_not_repeat_its_title(client):
    pose = complete_pose(name="Sphinx")
    flow = RoutineFactory(slug="one", status="published")
    RoutineStepFactory(routine=flow, position=0, pose=pose, starts_section=True, section_title="Sphinx")
    RoutineStepFactory(routine=flow, position=1, pose=pose, starts_section=True, section_title="Long Hold")
    RoutineStepFactory(routine=flow, position=2, pose=None, title="Rest", starts_section=True, section_title="Pair")
    RoutineStepFactory(routine=flow, position=3, pose=pose)
    markup = page(client, "/routines/one/")
    article = markup[markup.index('id="steps-title"') :]
    assert text(article).count("Sphinx") == 3  # steps 1, 2 and 4, no heading of their own
    assert not re.search(r"<h3[^>]*>Sphinx</h3>", article)
    assert re.search(r'<h3 class="routine-step__title"><span class="routine-step__number">1.</span>', article)
    # A one-step section named otherwise keeps its name, as a line above the step, not a heading.
    assert '<p class="routine-step__part">Long Hold</p>' in article
    # A section of two steps keeps its heading, and its steps are one level below.
    assert '<h3 class="routine-part__title" id="part-3">Pair</h3>' in article
    assert '<h4 class="routine-step__title"><span class="routine-step__number">3.</span> Rest</h4>' in article


def test_routine_reads_as_an_article_section_by_section(client, routine):
    markup = page(client, "/routines/flow/")
    article = text(markup[markup.index('id="steps-title"') :])
    assert article.index("Part 1") < article.index("1. Flow Pose 1") < article.index("Part 2")
    assert article.index("Part 2") < article.index("4. Flow Pose 1")
    assert "Settle into step 3. Breathe slowly and stay steady." in article
    assert "<p>Settle into step 3.</p>" in markup
    assert "6 breaths, about 30 s 3 rounds" in article
    assert "Both sides, right first" in article
    assert "Waits for you when the time is up" in article
    assert "Beginner Easier: bend the knees in step 2." in article
    assert "Advanced Harder: lift higher in step 2." in article
    pose = routine.steps.first().pose
    assert f'<a href="/poses/{pose.slug}/">Flow Pose 1</a>' in markup
    assert 'lang="sa-Latn">Āsana 1<' in markup
    assert 'id="step-5"' in markup and "5. Rest" in article


def test_video_is_a_link_until_the_visitor_asks_for_it(client, routine):
    markup = page(client, "/routines/flow/")
    assert 'href="https://www.youtube.com/watch?v=abc123"' in markup
    assert "Watch on YouTube" in markup
    assert "<iframe" not in markup
    assert not re.search(r'(src|srcset)="https?://(?!testserver)', markup)


def test_search_engines_get_a_howto_and_link_previews(client, routine):
    markup = page(client, "/routines/flow/")
    howto = jsonld(markup, "HowTo")
    assert howto["name"] == "Morning Flow"
    # 280 s of holds and 5 s to move into each of 8 stops
    assert howto["totalTime"] == "PT5M20S"
    assert [step["name"] for step in howto["step"]] == [
        "Flow Pose 1",
        "Flow Pose 2",
        "Flow Pose 3",
        "Flow Pose 1",
        "Rest",
        "Flow Pose 3",
    ]
    assert howto["step"][0]["url"] == "http://testserver/routines/flow/#step-1"
    assert howto["image"].startswith("http://testserver/media/")
    assert '<meta property="og:title" content="Morning Flow">' in markup
    assert '<meta property="og:type" content="article">' in markup
    assert '<meta property="og:url" content="http://testserver/routines/flow/">' in markup


def test_routine_with_no_steps_has_no_start_button(client):
    RoutineFactory(slug="empty", title="Empty")
    markup = page(client, "/routines/empty/")
    assert "Start practice" not in markup
    assert client.get("/routines/empty/play/").status_code == 404


# --- The cheat sheet -----------------------------------------------------------------------------


def test_cheat_sheet_lists_every_step_by_section(client, routine):
    markup = page(client, "/routines/flow/cheatsheet/")
    sheet = text(markup[markup.index('class="cheatsheet"') :])
    assert "Morning Flow" in sheet and "5 min" in sheet and "Beginner" in sheet
    assert "Props: Block, Mat, Strap" in sheet
    assert sheet.index("Part 1") < sheet.index("1 Flow Pose 1 Āsana 1 30 s") < sheet.index("Part 2")
    assert "2 Flow Pose 2 Āsana 2 30 s · each side" in sheet
    assert "3 Flow Pose 3 Āsana 3 6 breaths, about 30 s · 3 rounds" in sheet
    assert "5 Rest 20 s · each side" in sheet
    thumbnails = re.findall(r'<img class="cheat__image" src="([^"]+)"', markup)
    assert len(thumbnails) == 5 and all(src.startswith("/media/") for src in thumbnails)
    assert re.search(r'<link rel="stylesheet" href="/static/css/print.css" media="print">', markup)


# --- The player without JavaScript ---------------------------------------------------------------


def test_play_starts_at_the_first_stop(client, routine):
    response = client.get("/routines/flow/play/")
    assert response.status_code == 302 and response["Location"] == "/routines/flow/play/1/"
    response = client.get("/routines/flow/play/?level=advanced")
    assert response["Location"] == "/routines/flow/play/1/?level=advanced"


def test_stop_page_shows_what_to_do_now(client, routine):
    markup = page(client, "/routines/flow/play/2/")
    assert text(element(markup, 'data-bind="count"')) == "Step 2 of 6"
    assert text(element(markup, 'data-bind="stopNumber"')) == "2"
    assert text(element(markup, 'class="player-head__title"')) == "Flow Pose 2 , Right side"
    assert text(element(markup, 'data-bind="title"')) == "Flow Pose 2"
    assert text(element(markup, 'data-bind="sanskrit"')) == "Āsana 2"
    assert text(element(markup, 'data-bind="side"')) == "Right side"
    assert text(element(markup, 'data-bind="hold"')) == "30 s"
    assert text(element(markup, 'data-bind="left"')) == "5 min"  # 285 s of 320 s
    assert text(element(markup, 'data-bind="timer"')) == "0:30"
    assert text(element(markup, 'data-bind="next"')) == "Flow Pose 2, left side (30 s)"
    assert "<p>Settle into step 2.</p><p>Breathe slowly and stay steady.</p>" in markup
    assert re.search(r'data-bind="img" srcset="[^"]+" sizes="[^"]+" src="/media/[^"]+" alt="A person in', markup)
    assert re.search(r'href="/routines/flow/play/1/" rel="prev"', markup)
    assert re.search(r'href="/routines/flow/play/3/" rel="next"', markup)


def test_stop_with_rounds_and_breaths(client, routine):
    markup = page(client, "/routines/flow/play/4/")
    assert text(element(markup, 'data-bind="hold"')) == "6 breaths, about 30 s"
    assert text(element(markup, 'data-bind="reps"')) == "3"
    assert text(element(markup, 'data-bind="left"')) == "4 min"  # 215 s
    assert text(element(markup, 'data-bind="count"')) == "Step 3 of 6"
    assert "Part 1" in text(element(markup, 'class="player-head__routine"'))
    assert re.search(r'class="player-head__side" data-row hidden', markup)


def test_both_sided_step_is_two_stops_right_then_left(client, routine):
    right = page(client, "/routines/flow/play/2/")
    left = page(client, "/routines/flow/play/3/")
    assert text(element(right, 'data-bind="side"')) == "Right side"
    assert text(element(left, 'data-bind="side"')) == "Left side"
    assert text(element(left, 'data-bind="title"')) == "Flow Pose 2"


def test_variation_follows_the_chosen_level(client, routine):
    default = page(client, "/routines/flow/play/4/")
    assert "Beginner variation" in text(element(default, 'data-bind="variation"'))
    assert "Easier: bend the knees in step 3." in default
    advanced = page(client, "/routines/flow/play/4/?level=advanced")
    assert "Advanced variation" in text(element(advanced, 'data-bind="variation"'))
    assert "Harder: lift higher in step 3." in advanced
    assert "Easier: bend the knees" not in advanced.split('<script id="player-data"')[0]
    assert 'href="/routines/flow/play/3/?level=advanced" rel="prev"' in advanced
    assert 'href="/routines/flow/play/5/?level=advanced" rel="next"' in advanced
    assert re.search(r'href="/routines/flow/play/4/\?level=intermediate" data-level="intermediate"', advanced)
    assert re.search(r'data-level="advanced" aria-current="true"', advanced)
    without = page(client, "/routines/flow/play/4/?level=intermediate")
    assert 'data-bind="variation" hidden' in without
    unknown = page(client, "/routines/flow/play/4/?level=guru")
    assert "Beginner variation" in unknown
    assert 'href="/routines/flow/play/5/" rel="next"' in unknown


def test_first_stop_leads_back_to_the_routine_and_the_last_to_the_finish(client, routine):
    first = page(client, "/routines/flow/play/1/")
    assert 'href="/routines/flow/" rel="prev"' in first
    last = page(client, "/routines/flow/play/8/")
    assert 'href="/routines/flow/play/finish/" rel="next"' in last
    assert text(element(last, 'data-bind="left"')) == "35 s"
    assert "This is the last stop." in last
    finish = page(client, "/routines/flow/play/finish/")
    assert "Well done" in finish and "You have finished Morning Flow." in finish


@pytest.mark.parametrize("number", ["0", "9", "999999999999"])
def test_stop_out_of_range_is_not_found(client, routine, number):
    assert client.get(f"/routines/flow/play/{number}/").status_code == 404


@pytest.mark.parametrize("path", ["abc/", "-1/", "1.5/", "%201/"])
def test_stop_that_is_not_a_number_is_not_found(client, routine, path):
    assert client.get(f"/routines/flow/play/{path}").status_code == 404


def test_stop_page_carries_every_stop_for_the_player(client, routine):
    markup = page(client, "/routines/flow/play/3/")
    data = json.loads(
        html.unescape(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', markup).group(1))
    )
    assert data["start"] == 3 and data["level"] == "beginner" and data["breath"] == 5
    assert data["base"] == "/routines/flow/play/" and data["finish"] == "/routines/flow/play/finish/"
    assert [stop["title"] for stop in data["stops"]] == [
        "Flow Pose 1",
        "Flow Pose 2",
        "Flow Pose 2",
        "Flow Pose 3",
        "Flow Pose 1",
        "Rest",
        "Rest",
        "Flow Pose 3",
    ]
    assert [stop["side"] for stop in data["stops"]][1:3] == ["Right side", "Left side"]
    fourth = data["stops"][3]
    assert (fourth["kind"], fourth["hold"], fourth["reps"], fourth["manual"]) == ("breaths", 6, 3, False)
    assert fourth["vars"]["advanced"] == ["Harder: lift higher in step 3."]
    assert data["stops"][-1]["manual"] is True
    assert data["stops"][5]["img"] is None


# --- Drafts and scheduled routines ---------------------------------------------------------------

HIDDEN_PAGES = ["/routines/{slug}/", "/routines/{slug}/cheatsheet/", "/routines/{slug}/play/1/"]


@pytest.fixture(params=["draft", "scheduled"])
def unpublished(request):
    if request.param == "draft":
        return complete_routine(steps=2, slug="unpublished", status="draft", published_at=None)
    return complete_routine(
        steps=2, slug="unpublished", status="published", published_at=timezone.now() + timezone.timedelta(days=3)
    )


@pytest.mark.parametrize("url", HIDDEN_PAGES)
def test_unpublished_routine_is_not_found_for_visitors(client, unpublished, url):
    assert client.get(url.format(slug="unpublished")).status_code == 404
    assert "unpublished" not in page(client, "/routines/")


@pytest.mark.parametrize("url", HIDDEN_PAGES)
def test_unpublished_routine_is_shown_to_staff_with_a_banner(staff_client, unpublished, url):
    markup = page(staff_client, url.format(slug="unpublished"))
    assert 'class="banner"' in markup
    assert "Only editors can see this page" in markup


# --- Queries -------------------------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        page(client, url)
    return len(queries)


@pytest.fixture
def short_and_long():
    poses = routine_poses()
    short = complete_routine(steps=6, slug="short", poses=poses)
    long = complete_routine(steps=60, slug="long", poses=poses)
    for routine in (short, long):
        RoutineImageFactory(routine=routine)
        routine.tags.add("calm", "strength")
    return short, long


@pytest.mark.usefixtures("uncached")
@pytest.mark.parametrize(
    ("template", "most"),
    [
        # The routine page also reads its related routines (the editor's, then similar ones), their
        # cards, pictures and tags.
        ("/routines/{slug}/", 12),
        ("/routines/{slug}/cheatsheet/", 7),
        ("/routines/{slug}/play/2/", 5),
        ("/routines/{slug}/play/finish/", 1),
    ],
)
def test_query_count_does_not_grow_with_the_routine(
    client, short_and_long, django_assert_max_num_queries, template, most
):
    for n in range(4):
        kin = complete_routine(steps=3, slug=f"kin-{n}", poses=routine_poses(1))
        RoutineImageFactory(routine=kin)
        kin.tags.add("calm")
    short, long = (count_queries(client, template.format(slug=slug)) for slug in ("short", "long"))
    assert short == long
    with django_assert_max_num_queries(most):
        page(client, template.format(slug="long"))


@pytest.mark.usefixtures("uncached")
def test_list_query_count_does_not_grow_with_routines_or_steps(client, short_and_long, django_assert_max_num_queries):
    few = count_queries(client, "/routines/?tag=calm")
    poses = routine_poses()
    for n in range(10):
        extra = complete_routine(steps=12, slug=f"extra-{n}", poses=poses)
        RoutineImageFactory(routine=extra)
        extra.tags.add("calm")
    assert count_queries(client, "/routines/?tag=calm") == few
    with django_assert_max_num_queries(5):
        page(client, "/routines/?tag=calm&level=beginner&duration=under-10")


# --- The home page's routines --------------------------------------------------------------------


def test_home_lists_a_few_published_routines(client):
    poses = routine_poses()
    for n in range(4):
        complete_routine(steps=2, slug=f"home-{n}", title=f"Home Routine {n}", poses=poses)
    complete_routine(steps=2, slug="home-draft", title="Home Draft", status="draft", published_at=None, poses=poses)
    markup = page(client, "/")
    section = markup[markup.index('id="routines-title"') :]
    assert len(re.findall(r'<a href="/routines/home-\d/">', section)) == 3
    assert "Home Draft" not in markup
    assert 'href="/routines/">All routines' in section


@pytest.mark.usefixtures("uncached")
def test_home_routines_cost_the_same_queries_however_many_there_are(client, django_assert_max_num_queries):
    poses = routine_poses()
    complete_routine(steps=3, slug="first", poses=poses)
    page(client, "/")  # the categories' counts are worked out once, until a pose changes
    few = count_queries(client, "/")
    for n in range(6):
        RoutineImageFactory(routine=complete_routine(steps=20, slug=f"more-{n}", poses=poses))
    assert count_queries(client, "/") == few
    # The home page's own queries plus the routines, their pictures and their tags.
    with django_assert_max_num_queries(6):
        page(client, "/")


# --- The demo content ----------------------------------------------------------------------------


def test_demo_routine_pages_show_everything(client):
    call_command("import_content", str(DEMO), verbosity=0)
    slug = "back-strengthening-flow"
    routine = Routine.objects.get(slug=slug)
    steps = list(routine.steps.all())
    stops = timing.expand_stops(routine, steps)
    duration = timing.format_duration(routine.duration_seconds)
    assert len(steps) > 20 and len(stops) > len(steps)
    assert f'href="/routines/{slug}/"' in page(client, f"/routines/?level={routine.level}")

    detail = page(client, f"/routines/{slug}/")
    facts = text(element(detail, 'class="facts"'))
    assert f"Duration {duration}" in facts and f"Steps {len(steps)}" in facts
    props = text(re.search(r"<dt>Props</dt><dd>(.*?)</dd>", detail).group(1)).split(", ")
    assert len(props) == len(set(props)) > 1
    assert detail.count('class="timeline__step') == len(steps)
    assert 'class="safety"' in detail
    assert jsonld(detail, "HowTo")["totalTime"] == timing.iso_duration(routine.duration_seconds)

    sheet = page(client, f"/routines/{slug}/cheatsheet/")
    assert sheet.count('<li class="cheat">') == len(steps)
    assert sheet.count('class="cheatsheet__part"') == len(timing.sections(steps))

    first = page(client, f"/routines/{slug}/play/1/")
    assert text(element(first, 'data-bind="count"')) == f"Step 1 of {len(steps)}"
    assert text(element(first, 'data-bind="left"')) == duration
    both = next(stop for stop in stops if stop.side)
    right = page(client, f"/routines/{slug}/play/{both.number}/")
    left = page(client, f"/routines/{slug}/play/{both.number + 1}/")
    assert text(element(right, 'data-bind="side"')) == "Right side"
    assert text(element(left, 'data-bind="side"')) == "Left side"
    # One numbering: the player counts the steps the routine page and the cheat sheet number.
    step = both.step_number
    assert text(element(left, 'data-bind="count"')) == f"Step {step} of {len(steps)}"
    assert f'id="step-{step}"' in detail
    assert re.search(rf'<span class="cheat__number">{step}</span> {re.escape(both.title)}', sheet)
    last = page(client, f"/routines/{slug}/play/{len(stops)}/")
    assert f'href="/routines/{slug}/play/finish/" rel="next"' in last
    assert client.get(f"/routines/{slug}/play/{len(stops) + 1}/").status_code == 404


def test_demo_routines_name_the_props_they_list_and_no_others(client):
    """What the introduction and the steps tell the practitioner to bring is what the props line lists."""
    from poses.models import Equipment

    call_command("import_content", str(DEMO), verbosity=0)
    names = [item.name.lower() for item in Equipment.objects.all()]
    for routine in Routine.objects.published():
        markup = page(client, routine.get_absolute_url())
        facts = markup[markup.index("<dt>Props</dt>") :]
        listed = {name for name in names if name in text(facts[: facts.index("</dd>")]).lower()}
        said = " ".join([routine.body, *(step.instructions for step in routine.steps.all())]).lower()
        mentioned = {name for name in names if re.search(rf"\b{re.escape(name)}s?\b", said)}
        assert mentioned <= listed, (routine.slug, mentioned - listed)
        if "you will need" in routine.body.lower():
            need = next(part for part in routine.body.split("\n\n") if "you will need" in part.lower()).lower()
            assert {name for name in names if name in need} == listed, routine.slug


def test_a_shared_routine_link_shows_a_picture_even_without_one_of_its_own(client):
    pose = complete_pose(name="Sphinx", images=1)
    flow = RoutineFactory(slug="no-picture", status="published")
    RoutineStepFactory(routine=flow, position=0, pose=None, title="Arrive")
    RoutineStepFactory(routine=flow, position=1, pose=pose)
    markup = page(client, "/routines/no-picture/")
    og = re.search(r'<meta property="og:image" content="([^"]+)">', markup).group(1)
    assert og.startswith("http") and og.endswith(pose.main_image.src)
    bare = RoutineFactory(slug="bare", status="published")
    RoutineStepFactory(routine=bare, position=0, pose=None, title="Rest")
    markup = page(client, "/routines/bare/")
    assert re.search(r'<meta property="og:image" content="http[^"]+/img/share\.png">', markup)
    assert '<meta name="twitter:card" content="summary_large_image">' in markup


def test_related_routines_share_tags_or_poses_most_in_common_first(client):
    poses = routine_poses(3)
    flow = complete_routine(steps=3, slug="flow", poses=poses)
    flow.tags.add("calm", "back care")
    both = complete_routine(steps=3, slug="both", title="Shares Poses and a Tag", poses=poses)
    both.tags.add("calm")
    tag_only = complete_routine(steps=2, slug="tag-only", title="Shares a Tag", poses=routine_poses(2))
    tag_only.tags.add("back care")
    complete_routine(steps=2, slug="nothing", title="Shares Nothing", poses=routine_poses(2))
    draft = complete_routine(steps=3, slug="draft", title="Draft Kin", poses=poses, status="draft")
    draft.tags.add("calm")
    markup = page(client, "/routines/flow/")
    related = text(markup[markup.index('id="related-title"') :])
    assert related.index("Shares Poses and a Tag") < related.index("Shares a Tag")
    assert "Shares Nothing" not in related and "Draft Kin" not in related and "Morning" not in related


def test_routine_byline_gives_dates_and_reading_time_and_the_article_jsonld(client, routine):
    routine.published_at = timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    routine.save()
    markup = page(client, "/routines/flow/")
    byline = text(element(markup, 'class="byline__meta"'))
    assert "Published 2 March 2026" in byline and "min read" in byline
    assert re.search(r"Updated \d+ \w+ 20\d\d", byline)  # saved after it was published
    article = jsonld(markup, "Article")
    assert article["headline"] == "Morning Flow"
    assert article["datePublished"].startswith("2026-03-02")
    assert article["image"].startswith("http")


def test_reading_time_grows_with_the_words(client):
    from routines.views import reading_minutes

    short = complete_routine(steps=2, slug="short-read")
    long = complete_routine(steps=2, slug="long-read", body="word " * 1500)
    assert reading_minutes(short, list(short.steps.all())) == 1
    assert reading_minutes(long, list(long.steps.all())) == 8


@pytest.fixture
def author():
    from routines.models import Author, AuthorImage
    from tests.factories import image_upload

    mira = Author.objects.create(slug="mira-sol", name="Mira Sol", bio="Teaches slow, strong classes.")
    AuthorImage.objects.create(author=mira, file=image_upload("mira.png"), alt="Mira Sol", credit="Drawing")
    return mira


def test_routine_byline_names_the_author_with_portrait_and_bio_and_links_to_their_page(client, routine, author):
    routine.author = author
    routine.save()
    markup = page(client, "/routines/flow/")
    byline = markup[markup.index('class="byline"') :]
    byline = byline[: byline.index('class="byline__meta"')]
    assert 'href="/authors/mira-sol/">Mira Sol</a>' in byline
    assert "Teaches slow, strong classes." in byline
    assert re.search(r'<img class="byline__portrait" src="[^"]+" alt="" width="\d+" height="\d+"', byline)
    article = jsonld(markup, "Article")
    assert article["author"]["name"] == "Mira Sol" and article["author"]["url"].endswith("/authors/mira-sol/")

    author_page = page(client, "/authors/mira-sol/")
    assert "<h1>Mira Sol</h1>" in author_page and 'href="/routines/flow/"' in author_page


def test_related_routines_begin_with_the_editors_choice(client):
    from routines.models import RelatedRoutine

    poses = routine_poses(3)
    flow = complete_routine(steps=3, slug="flow", poses=poses)
    flow.tags.add("calm")
    similar = complete_routine(steps=3, slug="similar", title="Very Similar", poses=poses)
    similar.tags.add("calm")
    chosen = complete_routine(steps=2, slug="chosen", title="Chosen by the Editor", poses=routine_poses(2))
    hidden = complete_routine(steps=2, slug="hidden", title="Chosen but a Draft", status="draft")
    RelatedRoutine.objects.create(routine=flow, related=hidden, position=0)
    RelatedRoutine.objects.create(routine=flow, related=chosen, position=1)
    markup = page(client, "/routines/flow/")
    related = text(markup[markup.index('id="related-title"') :])
    assert related.index("Chosen by the Editor") < related.index("Very Similar")
    assert "Chosen but a Draft" not in related
    assert markup.count('class="card__title"><a href="/routines/similar/"') == 1
