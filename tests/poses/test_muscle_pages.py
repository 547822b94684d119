"""The muscle pages: what each muscle does, where it is, and the poses that work it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MuscleFactory, PoseFactory, complete_pose

pytestmark = pytest.mark.django_db


@pytest.fixture
def lower_back():
    return MuscleFactory(slug="lower-back", name="Lower Back", description="Steadies the spine.")


def test_muscle_list_shows_each_muscle_with_its_description_and_pose_count(client, lower_back):
    MuscleFactory(slug="calves", name="Calves", description="Point the feet.")
    PoseFactory(primary=[lower_back])
    PoseFactory(secondary=[lower_back])
    PoseFactory(primary=[lower_back], status="draft")
    html = client.get("/muscles/").content.decode()
    assert 'href="/muscles/lower-back/">Lower Back</a>' in html and "Steadies the spine." in html
    assert "2 poses · 1 as the main muscle" in html
    assert "Calves" in html and "No poses yet" in html


def test_muscles_are_listed_by_name(client):
    for name in ["Triceps", "Abdominals", "Lats"]:
        PoseFactory(primary=[MuscleFactory(name=name)])
    html = client.get("/muscles/").content.decode()
    assert html.index(">Abdominals<") < html.index(">Lats<") < html.index(">Triceps<")


def test_muscle_page_lists_primary_poses_before_secondary_ones_published_only(client, lower_back):
    PoseFactory(name="Zebra Primary", primary=[lower_back])
    PoseFactory(name="Alpha Secondary", secondary=[lower_back])
    PoseFactory(name="Beta Primary", primary=[lower_back])
    PoseFactory(name="Hidden", primary=[lower_back], status="draft")
    PoseFactory(name="Elsewhere", primary=[MuscleFactory()])
    html = client.get("/muscles/lower-back/").content.decode()
    cards = re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)
    assert cards == ["Beta Primary", "Zebra Primary", "Alpha Secondary"]
    assert html.index("primary muscle") < html.index("Zebra Primary") < html.index("Poses where it helps")


def test_muscle_page_shows_the_description_and_highlights_the_muscle_on_the_body_map(client, lower_back):
    html = client.get("/muscles/lower-back/").content.decode()
    assert "<h1>Lower Back</h1>" in html and "Steadies the spine." in html
    assert 'class="bm-muscle bm-primary" data-muscle="lower-back"' in html
    assert set(re.findall(r'bm-primary" data-muscle="([^"]+)"', html)) == {"lower-back"}
    assert "No published pose works the lower back" in html


def test_muscle_page_title_and_breadcrumbs(client, lower_back):
    html = client.get("/muscles/lower-back/").content.decode()
    assert "<title>Lower Back: yoga poses that work it" in html
    assert 'href="/muscles/">Muscles</a>' in html and '<span aria-current="page">Lower Back</span>' in html


def test_unknown_muscle_is_not_found(client):
    assert client.get("/muscles/nope/").status_code == 404


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_muscle_page_query_count_does_not_grow_with_poses(client, lower_back, django_assert_max_num_queries):
    for n in range(3):
        complete_pose(primary=[lower_back] if n % 2 else [], secondary=[] if n % 2 else [lower_back])
    small = count_queries(client, "/muscles/lower-back/")
    for n in range(30):
        complete_pose(primary=[lower_back] if n % 2 else [], secondary=[] if n % 2 else [lower_back])
    # The muscle, the count of its poses, one page of them, their pictures, the muscles the map links to.
    with django_assert_max_num_queries(5):
        html = client.get("/muscles/lower-back/").content.decode()
    assert html.count('class="card"') == 24
    assert "33 poses work the lower back" in html and "page 1 of 2" in html
    assert count_queries(client, "/muscles/lower-back/") == small


def test_muscle_list_query_count_does_not_grow_with_muscles(client, django_assert_max_num_queries):
    for _ in range(3):
        PoseFactory(primary=[MuscleFactory()])
    small = count_queries(client, "/muscles/")
    for _ in range(30):
        PoseFactory(primary=[MuscleFactory()], secondary=[MuscleFactory()])
    # The muscles with their counts; the muscles the body map links to.
    with django_assert_max_num_queries(2):
        client.get("/muscles/")
    assert count_queries(client, "/muscles/") == small
