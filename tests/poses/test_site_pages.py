"""The pages around the library: home, errors, and what every page carries in its head."""

import re

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import CategoryFactory, MuscleFactory, PoseFactory, add_pose_image, complete_pose
from yogasite.views import server_error

pytestmark = pytest.mark.django_db


def test_home_shows_categories_with_counts_a_search_box_and_featured_poses(client):
    backbends = CategoryFactory(slug="backbends", name="Backbends")
    PoseFactory(name="Wheel", category=backbends)
    PoseFactory(name="Bridge", category=backbends)
    PoseFactory(name="Secret", category=CategoryFactory(name="Hidden Category"), status="draft")
    html = client.get("/").content.decode()
    assert 'href="/poses/?category=backbends">Backbends <span class="chip__count">2' in html
    assert "Hidden Category" not in html and "Secret" not in html
    assert '<form class="search" action="/poses/" method="get"' in html and 'name="q"' in html
    assert ">Wheel</a>" in html and ">Bridge</a>" in html


def test_home_lists_categories_by_name(client):
    for name in ["Twists", "Backbends", "Kneeling"]:
        PoseFactory(category=CategoryFactory(name=name))
    html = client.get("/").content.decode()
    assert html.index(">Backbends <") < html.index(">Kneeling <") < html.index(">Twists <")


def test_home_with_no_content_still_renders(client):
    html = client.get("/").content.decode()
    assert "No poses are published yet." in html


def test_every_page_has_the_site_chrome_skip_link_and_landmarks(client):
    pose = PoseFactory(slug="p")
    MuscleFactory(slug="m")
    for url in ["/", "/poses/", pose.get_absolute_url(), "/muscles/", "/muscles/m/"]:
        html = client.get(url).content.decode()
        assert '<a class="skip-link" href="#main">' in html, url
        assert '<main id="main"' in html and "<footer" in html and 'aria-label="Main"' in html, url
        assert 'href="/routines/"' in html, url
        assert html.count("<h1") == 1, url


def test_titles_descriptions_and_canonicals_differ_from_page_to_page(client):
    pose = PoseFactory(slug="p", summary="One pose.")
    other = PoseFactory(slug="q", summary="Another pose.")
    MuscleFactory(slug="m")
    heads = set()
    for url in ["/", "/poses/", pose.get_absolute_url(), other.get_absolute_url(), "/muscles/", "/muscles/m/"]:
        html = client.get(url).content.decode()
        title = re.search(r"<title>(.+?)</title>", html).group(1)
        description = re.search(r'<meta name="description" content="(.+?)">', html).group(1)
        canonical = re.search(r'<link rel="canonical" href="(.+?)">', html).group(1)
        assert re.search(r'<meta property="og:title" content=".+?">', html), url
        heads.update([("title", title), ("description", description), ("canonical", canonical)])
    assert len(heads) == 18


@pytest.mark.usefixtures("uncached")
@pytest.mark.usefixtures("uncached")
def test_home_query_count_does_not_grow_with_content(client, django_assert_max_num_queries):
    def fill(count):
        category = CategoryFactory()
        for _ in range(count):
            add_pose_image(complete_pose(category=category, steps=1))

    def measure():
        with CaptureQueriesContext(connection) as queries:
            client.get("/")
        return len(queries)

    fill(3)
    small = measure()
    for _ in range(10):
        fill(3)
    # Categories with counts (kept until a pose changes, with the time of the next scheduled change),
    # the newest poses, their pictures; the newest routines (none here).
    assert measure() == small <= 5
    # Until the next change, the categories and their counts are not counted again.
    with django_assert_max_num_queries(3):
        client.get("/")


def test_unknown_address_gets_a_friendly_404_with_the_site_around_it(client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "couldn’t find that page" in html and 'aria-label="Main"' in html and 'name="q"' in html
    assert "Traceback" not in html and "URLconf" not in html


def test_server_error_page_renders_without_the_database():
    with CaptureQueriesContext(connection) as queries:
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert len(queries) == 0


@pytest.mark.urls("tests.poses.failing_urls")
def test_an_exception_in_a_view_shows_the_500_page(client):
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_pages_name_a_site_icon_that_exists(client):
    body = client.get("/").content.decode()
    match = re.search(r'<link rel="icon" href="([^"]+)"', body)
    assert match, "no icon link: browsers then ask for /favicon.ico and log a 404"
    assert client.get(match.group(1)).status_code == 200
