"""A page served from the cache is answered before sessions, authentication and the view run: one
small cache read, no query, and the same security headers as the page it was stored from."""

import pytest
from django.test import Client

from pagecache import pages
from tests.factories import PoseFactory

pytestmark = pytest.mark.django_db

SHARED_HEADERS = ("Content-Security-Policy", "Permissions-Policy", "X-Frame-Options", "X-Content-Type-Options")


@pytest.fixture
def pose():
    return PoseFactory(name="Backbend", slug="backbend")


class CountingCache:
    """The page cache's backend, counting the round-trips made through it."""

    def __init__(self, backend):
        self.backend, self.calls = backend, []

    def __getattr__(self, name):
        method = getattr(self.backend, name)

        def counted(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return counted


def test_a_hit_is_answered_before_sessions_authentication_and_the_view(client, pose, django_assert_num_queries):
    first = client.get("/poses/backbend/")
    assert hasattr(first.wsgi_request, "user")  # rendered: the whole stack ran
    with django_assert_num_queries(0):
        again = Client().get("/poses/backbend/")
    assert not hasattr(again.wsgi_request, "user")
    assert not hasattr(again.wsgi_request, "session")
    assert again.content == first.content
    for header in SHARED_HEADERS:
        assert again[header] == first[header], header
    assert "'unsafe-inline'" not in again["Content-Security-Policy"]


def test_a_hit_reads_the_cache_once_while_nothing_changes(client, pose, monkeypatch):
    client.get("/poses/backbend/")
    client.get("/poses/backbend/")
    counting = CountingCache(pages.cache())
    monkeypatch.setattr(pages, "cache", lambda: counting)
    assert b"Backbend" in client.get("/poses/backbend/").content
    assert counting.calls == ["get"]


def test_a_change_elsewhere_costs_a_check_of_the_page_not_a_render(client, pose, django_assert_num_queries):
    client.get("/poses/backbend/")
    PoseFactory(name="Crow", slug="crow")  # moves the epoch, but touches nothing the page shows
    with django_assert_num_queries(0):
        assert b"Backbend" in client.get("/poses/backbend/").content


def test_signed_in_visitors_and_other_methods_never_get_the_stored_copy(client, staff_client, pose):
    client.get("/poses/backbend/")
    assert hasattr(staff_client.get("/poses/backbend/").wsgi_request, "user")
    assert Client().post("/poses/backbend/").status_code == 405
