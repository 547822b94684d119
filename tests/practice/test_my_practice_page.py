"""The "My practice" page: the same for everyone, filled in by the browser from its own storage."""

import pytest

pytestmark = pytest.mark.django_db


def test_my_practice_page_is_there_without_signing_in(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(0):
        response = client.get("/practice/")
    markup = response.content.decode()
    assert response.status_code == 200
    assert "<h1>My practice</h1>" in markup
    for heading in ["Favourite routines", "Favourite poses", "Saved for offline", "Practice log", "Your data"]:
        assert f">{heading}</h2>" in markup
    assert "Export as a file" in markup and "Clear all" in markup
    assert "/static/js/practice-page.js" in markup
    assert 'name="robots" content="noindex"' in markup


def test_every_page_links_to_my_practice(client):
    markup = client.get("/practice/").content.decode()
    assert '<a href="/practice/" aria-current="page">My practice</a>' in markup
