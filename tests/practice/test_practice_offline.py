"""A practice made to measure saved for offline use: its manifest lists everything it plays from."""

import re

import pytest
from django.contrib.staticfiles import finders

from poses.models import Pose
from routines.views import PLAYER_ASSETS

from .test_practice_pages import make_library

pytestmark = pytest.mark.django_db

PAGE = "/practice/new/?minutes=20&level=beginner&focus=back&props=none&seed=7"
TOKEN = "20_beginner_back_none_none_7"


def test_the_practice_page_offers_to_save_it_for_offline_use(client, demo_library):
    html = client.get(PAGE).content.decode()
    box = re.search(r"<div[^>]*data-offline-save[^>]*>", html).group(0)
    assert f'data-manifest="/practice/new/{TOKEN}/offline.json"' in box
    assert f'data-slug="practice-{TOKEN}"' in box
    assert 'data-title="20-minute beginner practice for back"' in box
    assert 'data-url="/practice/new/?minutes=20&amp;level=beginner&amp;focus=back&amp;props=none&amp;seed=7"' in box
    assert "Save for offline" in html and "js/offline.js" in html


def test_the_manifest_lists_the_page_sheet_every_stop_finish_pictures_and_files(client, demo_library):
    response = client.get(f"/practice/new/{TOKEN}/offline.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["slug"] == f"practice-{TOKEN}"
    assert data["title"] == "20-minute beginner practice for back"
    assert data["url"] == PAGE
    urls = data["urls"]
    assert len(urls) == len(set(urls))
    assert urls[0] == PAGE
    assert "/practice/new/cheatsheet/?minutes=20&level=beginner&focus=back&props=none&seed=7" in urls

    # Every stop the player walks through, and nothing past the last one.
    stops = sorted(int(m.group(1)) for url in urls if (m := re.fullmatch(rf"/practice/new/{TOKEN}/play/(\d+)/", url)))
    assert stops and stops == list(range(1, len(stops) + 1))
    assert client.get(f"/practice/new/{TOKEN}/play/{stops[-1]}/").status_code == 200
    assert client.get(f"/practice/new/{TOKEN}/play/{stops[-1] + 1}/").status_code == 404
    assert f"/practice/new/{TOKEN}/play/finish/" in urls

    # The pages it lists all answer, and so do the pictures of the poses the practice shows.
    for url in urls:
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), url
        elif url.startswith("/media/"):
            continue
        else:
            assert client.get(url).status_code == 200, url
    # Every picture the practice page shows, in every size it offers.
    page = client.get(PAGE).content.decode()
    pictures = set(re.findall(r'src="(/media/[^"]+)"', page))
    for srcset in re.findall(r'srcset="([^"]+)"', page):
        pictures |= {candidate.strip().split(" ")[0] for candidate in srcset.split(",")}
    assert len(pictures) > 10
    assert pictures <= set(urls)
    for asset in PLAYER_ASSETS + ["css/practice.css"]:
        assert f"/static/{asset}" in urls


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "20_beginner_back_none_none",  # a field short
        "5_beginner_back_none_none_7",  # too short a practice
        "20_expert_back_none_none_7",
        "20_beginner_knees_none_none_7",
        "20_beginner_back_rocket_none_7",
        "20_beginner_back_none_flying_7",
        "20_beginner_back_none_none_x",
    ],
)
def test_a_bad_token_gets_the_not_found_page(client, token):
    make_library(12)
    response = client.get(f"/practice/new/{token}/offline.json")
    assert response.status_code == 404
    assert "text/html" in response["Content-Type"]


def test_a_practice_the_library_cannot_make_has_no_manifest(client):
    make_library(12)
    Pose.objects.update(status="draft")
    assert client.get("/practice/new/20_beginner_any_none_none_1/offline.json").status_code == 404


@pytest.mark.parametrize("count", [40, 400])
def test_the_manifest_takes_a_bounded_number_of_queries(client, django_assert_max_num_queries, count):
    make_library(count)
    with django_assert_max_num_queries(12):
        response = client.get("/practice/new/15_beginner_back_none_none_42/offline.json")
    assert response.status_code == 200
    assert sum("/play/" in url for url in response.json()["urls"]) > 10
