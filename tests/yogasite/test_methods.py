"""Every view answers only the methods it serves: any other gets 405 with an Allow header, before the
CSRF check (which would answer a PUT or DELETE without a token with 403), as a real client sees it."""

import urllib.error
import urllib.request

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from tests.factories import PoseFactory, RoutineFactory, RoutineStepFactory
from tests.poses.test_admin import change_url, form_data
from yogasite.security import allowed_methods

URLS = [
    "/",
    "/healthz",
    "/poses/cobra/",
    "/routines/morning/play/",
    "/routines/morning/play/1/",
    "/routines/morning/play/offline.json",
    "/search/?q=cobra",
    "/practice/",
    "/practice/new/",
    "/manifest.webmanifest",
    "/sw.js",
]
REFUSED = ["TRACE", "PUT", "DELETE", "PATCH", "POST"]


@pytest.fixture
def content(db):
    pose = PoseFactory(name="Cobra", slug="cobra", primary=[])
    routine = RoutineFactory(title="Morning", slug="morning")
    RoutineStepFactory(routine=routine, pose=pose, position=0)
    return pose, routine


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("method", REFUSED)
def test_other_methods_get_405_even_without_a_csrf_token(content, url, method):
    client = Client(enforce_csrf_checks=True)

    response = client.generic(method, url)

    assert response.status_code == 405, response.content[:300]
    allowed = [name.strip() for name in response["Allow"].split(",")]
    assert "GET" in allowed and "HEAD" in allowed
    assert method not in allowed


@pytest.mark.parametrize("url", ["/", "/poses/cobra/", "/routines/morning/play/1/", "/search/?q=cobra"])
def test_the_methods_a_page_serves_still_answer(content, url):
    client = Client(enforce_csrf_checks=True)

    assert client.get(url).status_code == 200
    assert client.head(url).status_code == 200


def test_every_view_outside_the_admin_declares_its_methods():
    undeclared = [
        route
        for route, view in routes(get_resolver().url_patterns)
        if not route.startswith("admin/") or route.startswith(("admin/content/", "admin/presence/"))
        if allowed_methods(view) is None
    ]

    assert undeclared == []


def test_the_admin_keeps_working_with_csrf_checks(content, admin_user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    pose, _ = content
    data = form_data(client, change_url(pose))
    data["name"] = "Low Cobra"

    response = client.post(change_url(pose), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    pose.refresh_from_db()
    assert pose.name == "Low Cobra"
    # The admin's own refusal of a request without a token is unchanged.
    assert client.post(change_url(pose), {"name": "x"}).status_code == 403


@pytest.mark.parametrize("method", ["TRACE", "PUT", "DELETE", "PATCH"])
def test_a_real_client_gets_405_from_the_server(live_server, content, method):
    for path in ("/", "/healthz", "/poses/cobra/", "/routines/morning/play/1/", "/search/", "/practice/new/"):
        request = urllib.request.Request(
            live_server.url + path, method=method, data=b"x" if method != "TRACE" else None
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=30)
        assert refused.value.code == 405, (path, refused.value.code)
        assert "GET" in refused.value.headers["Allow"]
    with urllib.request.urlopen(live_server.url + "/poses/cobra/", timeout=30) as response:
        assert response.status == 200
        assert "Cobra" in response.read().decode()
