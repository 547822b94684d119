"""The demo content as a visitor meets it: routines with an author and related routines, one-sided
poses whose pictures say which side they show, and all of it kept by an export and an import into an
empty site."""

from pathlib import Path

import pytest

from poses.models import Pose
from routines.models import Author, Routine
from tests.yogasite.test_export_content import empty_site, export, site_dump
from tests.yogasite.test_import_content import run_import

pytestmark = pytest.mark.django_db

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


def test_demo_routines_have_authors_and_related_routines_and_survive_a_round_trip(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    run_import(DEMO)
    routines = list(Routine.objects.select_related("author").order_by("slug"))
    assert len(routines) == 3
    for routine in routines:
        assert routine.author is not None, routine.slug
        assert routine.author.portrait is not None and routine.author.bio, routine.author.slug
        related = list(routine.related_links.values_list("related__slug", flat=True))
        assert related and routine.slug not in related, routine.slug
    assert Author.objects.count() >= 2
    for pose in Pose.objects.filter(sides="both"):
        assert pose.main_image.side in ("right", "left"), pose.slug
    before = site_dump()
    export(tmp_path / "backup")

    empty_site()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    run_import(tmp_path / "backup" / "content.json")
    assert site_dump() == before
    assert {r.slug: r.author.slug for r in Routine.objects.select_related("author")} == {
        r.slug: r.author.slug for r in routines
    }
