"""The player's stop pages as the server writes them: one numbering with the routine page, honest
time (each stop's get-ready counted), valid markup on rest stops, the progress bar, and what
"Save for offline" stores.

complete_routine(steps=6) plays as 8 stops: 280 s of holds and a 5 s get-ready before each, 320 s.
"""

import re

import pytest

from tests.factories import RoutineImageFactory, complete_routine

pytestmark = pytest.mark.django_db


@pytest.fixture
def routine():
    return complete_routine(steps=6, slug="flow", title="Morning Flow")


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_a_rest_stop_has_no_empty_picture(client, routine):
    markup = page(client, "/routines/flow/play/6/")  # Rest, right side: no pose, no picture
    figure = re.search(r'<figure class="player-figure[^"]*"[^>]*>(.*?)</figure>', markup, re.S)
    assert "player-figure--rest" in figure.group(0)
    assert "<img" not in figure.group(1)
    assert all(re.search(r'\bsrc="[^"]+"', tag) for tag in re.findall(r"<img\b[^>]*>", markup))


def test_stop_pages_number_steps_and_count_stops_in_the_address(client, routine):
    titles = [re.search(r"<title>(.*?)</title>", page(client, f"/routines/flow/play/{n}/")).group(1) for n in (2, 3)]
    assert titles == [
        "Flow Pose 2 · Morning Flow · Step 2 of 6 · Yogasite",
        "Flow Pose 2 · Morning Flow · Step 2 of 6 · Yogasite",
    ]


def test_progress_bar_has_a_segment_per_step_as_long_as_the_step(client, routine):
    markup = page(client, "/routines/flow/play/4/")
    assert 'viewBox="0 0 320.0 10"' in markup
    segments = re.findall(r'<rect class="player-progress__step[^"]*" x="([\d.]+)" y="0" width="([\d.]+)"', markup)
    # Steps: 35 · 70 (two sides) · 95 (3 rounds of 30 s) · 35 · 50 (two rests of 20 s) · 35
    assert segments == [
        ("0.0", "35.0"),
        ("35.0", "70.0"),
        ("105.0", "95.0"),
        ("200.0", "35.0"),
        ("235.0", "50.0"),
        ("285.0", "35.0"),
    ]
    assert re.search(r'class="player-progress__step is-current" x="105.0"', markup)
    assert 'data-bind="done"' in markup and 'width="105.0"' in markup
    assert 'aria-valuenow="33"' in markup


def test_no_inline_style_or_script_in_the_player(client, routine):
    markup = page(client, "/routines/flow/play/1/")
    assert " style=" not in markup and "<style" not in markup and " onclick=" not in markup
    scripts = re.findall(r"<script\b([^>]*)>", markup)
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)


def test_offline_list_holds_every_stop_the_cheat_sheet_and_the_pictures(client, routine):
    RoutineImageFactory(routine=routine)
    data = client.get("/routines/flow/play/offline.json").json()
    urls = data["urls"]
    assert data["slug"] == "flow" and data["title"] == "Morning Flow"
    assert [f"/routines/flow/play/{n}/" in urls for n in range(1, 9)] == [True] * 8
    for url in ["/routines/flow/", "/routines/flow/cheatsheet/", "/routines/flow/play/finish/"]:
        assert url in urls
    assert "/static/js/player.js" in urls and "/static/css/player.css" in urls
    pictures = [url for url in urls if url.startswith("/media/")]
    # 4 step pictures and the routine's own, each with its sizes
    assert len(pictures) >= 5 and len(pictures) == len(set(pictures))
    for url in urls:
        assert client.get(url).status_code == 200 or url.startswith("/media/"), url


def test_offline_list_costs_the_same_queries_however_long_the_routine(client, django_assert_max_num_queries):
    complete_routine(steps=24, slug="long")
    with django_assert_max_num_queries(12):
        assert client.get("/routines/long/play/offline.json").status_code == 200


def test_stop_page_costs_the_same_queries_however_long_the_routine(client, django_assert_max_num_queries):
    complete_routine(steps=24, slug="long")
    with django_assert_max_num_queries(12):
        assert client.get("/routines/long/play/5/").status_code == 200


def test_routine_page_offers_saving_for_offline_and_the_heart(client, routine):
    markup = page(client, "/routines/flow/")
    assert 'data-manifest="/routines/flow/play/offline.json"' in markup
    assert re.search(r'data-favourite="routine" data-slug="flow" data-title="Morning Flow"', markup)
    assert re.search(r'data-your-duration data-seconds="\d+" data-breaths="\d+" data-stops="8"', markup)


# update() writes without the models' signals, which the page cache follows: render every request.
@pytest.mark.usefixtures("uncached")
def test_a_picture_that_shows_one_side_is_mirrored_for_the_other(client, routine):
    from poses.models import PoseImage

    PoseImage.objects.filter(pose__name="Flow Pose 2").update(side="right")
    right, left = page(client, "/routines/flow/play/2/"), page(client, "/routines/flow/play/3/")
    assert 'class="player-figure__img" data-bind="img"' in right
    assert 'class="player-figure__img is-mirrored" data-bind="img"' in left
    # A picture that says no side is never mirrored, whatever the stop's side.
    PoseImage.objects.filter(pose__name="Flow Pose 2").update(side="")
    assert "is-mirrored" not in page(client, "/routines/flow/play/3/")
