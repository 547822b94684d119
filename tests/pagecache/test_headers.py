"""What visitors, CDNs and editors get from the page cache: shared copies only for anonymous
visitors, compressed, with an ETag that answers 304; editors' pages private and not indexed."""

import gzip
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from poses.models import Status
from tests.factories import PoseFactory, add_pose_image

pytestmark = pytest.mark.django_db


@pytest.fixture
def pose():
    return PoseFactory(name="Backbend", slug="backbend")


def test_anonymous_page_is_public_gzipped_and_answers_304(client, pose):
    response = client.get("/poses/backbend/", HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert response["Cache-Control"].startswith("public, max-age=")
    assert "stale-while-revalidate=" in response["Cache-Control"]
    assert "Accept-Encoding" in response["Vary"] and "Cookie" in response["Vary"]
    etag = response["ETag"]
    again = client.get("/poses/backbend/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""


def test_a_page_from_the_cache_is_compressed_once_like_the_first(client, pose):
    first = client.get("/poses/backbend/", HTTP_ACCEPT_ENCODING="gzip")
    again = Client().get("/poses/backbend/", HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == gzip.decompress(first.content)
    assert gzip.decompress(again.content).startswith(b"<!doctype html>")


@pytest.mark.usefixtures("uncached")
def test_with_the_cache_off_a_page_is_gzipped_for_the_clients_that_take_it(client, pose):
    plain = client.get("/poses/backbend/")
    assert not plain.has_header("Content-Encoding")
    assert plain.content.startswith(b"<!doctype html>")
    packed = client.get("/poses/backbend/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content


def test_a_page_stored_for_a_client_without_gzip_is_gzipped_for_the_next(client, pose):
    plain = client.get("/poses/backbend/")
    assert not plain.has_header("Content-Encoding")
    packed = Client().get("/poses/backbend/", HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.content) == plain.content


def test_a_cached_page_costs_no_query(client, pose, django_assert_num_queries):
    first = client.get("/poses/backbend/")
    with django_assert_num_queries(0):
        second = client.get("/poses/backbend/")
    assert second.content == first.content
    assert b"Backbend" in second.content


def test_staff_never_get_the_visitors_copy_nor_leave_theirs(staff_client, pose):
    client = Client()  # a visitor, beside the editor
    draft = PoseFactory(name="Secret Twist", slug="secret-twist", status=Status.DRAFT, published_at=None)
    client.get("/poses/")  # the visitors' copy is cached
    staff_view = staff_client.get(draft.get_absolute_url())
    assert staff_view.status_code == 200
    assert "no-store" in staff_view["Cache-Control"] and "private" in staff_view["Cache-Control"]
    assert "noindex" in staff_view["X-Robots-Tag"]
    assert "Content-Encoding" not in staff_view  # never compressed: editors' pages carry secrets
    # and the visitor still gets the public page, without the draft
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert b"Secret Twist" not in client.get("/poses/").content


def test_admin_is_private_and_not_indexed(admin_client):
    response = admin_client.get("/admin/")
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_scheduled_pose_appears_when_its_time_comes_without_a_job(client, pose):
    soon = timezone.now() + timezone.timedelta(seconds=1.5)
    PoseFactory(name="Dawn Salute", slug="dawn-salute", published_at=soon)
    assert b"Dawn Salute" not in client.get("/poses/").content
    with CaptureQueriesContext(connection) as queries:
        assert b"Dawn Salute" not in client.get("/poses/").content
    assert len(queries) == 0  # cached until then
    time.sleep(max(0, (soon - timezone.now()).total_seconds()) + 0.2)
    assert b"Dawn Salute" in client.get("/poses/").content


def test_media_is_cached_for_a_year(client, pose, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    image = add_pose_image(pose)
    response = client.get(image.src)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
