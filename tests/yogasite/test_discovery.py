"""robots.txt, sitemap.xml, the Atom feed and security.txt, rendered with real content."""

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from poses.models import Status
from tests.factories import MuscleFactory, PoseFactory, RoutineFactory, RoutineStepFactory
from yogasite.feeds import FEED_LENGTH

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def library(db):
    """Public, draft and scheduled poses and routines, and muscles worked by each kind."""
    now = timezone.now()
    back = MuscleFactory(name="Lower back", slug="lower-back")
    calves = MuscleFactory(name="Calves", slug="calves")  # only a draft works it
    MuscleFactory(name="Neck", slug="neck")  # no pose works it
    cobra = PoseFactory(name="Cobra", slug="cobra", primary=[back], published_at=now - timedelta(days=3))
    PoseFactory(name="Locust", slug="locust", primary=[back], published_at=now - timedelta(days=1))
    PoseFactory(name="Secret draft", slug="secret-draft", primary=[calves], status=Status.DRAFT, published_at=None)
    PoseFactory(name="Coming soon", slug="coming-soon", published_at=now + timedelta(days=2))
    routine = RoutineFactory(title="Morning flow", slug="morning-flow", published_at=now - timedelta(days=2))
    RoutineStepFactory(routine=routine, pose=cobra, position=0)
    RoutineFactory(title="Draft routine", slug="draft-routine", status=Status.DRAFT, published_at=None)
    RoutineFactory(title="Scheduled routine", slug="scheduled-routine", published_at=now + timedelta(hours=3))


def test_robots_txt_names_the_sitemap_and_keeps_robots_out_of_the_admin(client, settings):
    settings.SITE_URL = "https://yoga.example.org"

    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Sitemap: https://yoga.example.org/sitemap.xml" in lines


def sitemap_entries(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc"): url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url")}


def test_sitemap_lists_public_poses_routines_and_muscles_with_lastmod(client, library, settings):
    settings.SITE_URL = "https://yoga.example.org"

    entries = sitemap_entries(client)

    assert set(entries) == {
        "https://yoga.example.org/poses/cobra/",
        "https://yoga.example.org/poses/locust/",
        "https://yoga.example.org/routines/morning-flow/",
        "https://yoga.example.org/muscles/lower-back/",
    }
    assert all(entries.values())
    for value in entries.values():
        datetime.fromisoformat(value)


def test_sitemap_never_lists_a_draft_or_a_scheduled_item(client, library):
    text = client.get("/sitemap.xml").text

    for slug in ("secret-draft", "coming-soon", "draft-routine", "scheduled-routine", "calves", "neck"):
        assert slug not in text


def test_sitemap_shows_a_scheduled_pose_once_its_time_has_come(client, library):
    from poses.models import Pose

    Pose.objects.filter(slug="coming-soon").update(published_at=timezone.now() - timedelta(minutes=1))

    assert any(loc.endswith("/poses/coming-soon/") for loc in sitemap_entries(client))


def test_sitemap_lastmod_of_a_muscle_follows_its_latest_pose(client, library):
    from poses.models import Pose

    locust = Pose.objects.get(slug="locust")
    entries = sitemap_entries(client)
    muscle = next(value for loc, value in entries.items() if loc.endswith("/muscles/lower-back/"))

    assert datetime.fromisoformat(muscle).date() == max(locust.updated_at, locust.published_at).date()


def test_sitemap_query_count_does_not_grow_with_content(client, library, django_assert_max_num_queries):
    for n in range(30):
        PoseFactory(name=f"Extra {n}", slug=f"extra-{n}")

    # A count (for paging) and the rows, for each of the three sections.
    with django_assert_max_num_queries(6):
        client.get("/sitemap.xml")


def test_feed_lists_new_routines_and_poses_newest_first(client, library, settings):
    settings.SITE_URL = "https://yoga.example.org"

    response = client.get("/feed/")

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == [
        "Pose: Locust",
        "Routine: Morning flow",
        "Pose: Cobra",
    ]
    links = [entry.find(f"{ATOM}link").get("href") for entry in entries]
    assert links[1] == "https://yoga.example.org/routines/morning-flow/"
    assert entries[0].findtext(f"{ATOM}summary") == "A short summary of Locust."


def test_pages_point_feed_readers_at_the_feed(client, library):
    assert 'type="application/atom+xml"' in client.get("/").text


def test_security_txt_gives_a_contact_and_an_expiry_in_the_future(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@yoga.example.org"
    settings.SITE_URL = "https://yoga.example.org"

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.text.splitlines() if line)
    assert fields["Contact"] == "mailto:security@yoga.example.org"
    assert fields["Canonical"] == "https://yoga.example.org/.well-known/security.txt"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timezone.now() < expires < timezone.now() + timedelta(days=366)


def test_the_feed_names_poses_in_both_languages_in_two_queries(db, client, django_assert_num_queries):
    for number in range(FEED_LENGTH):
        PoseFactory(name=f"Pose {number}", sanskrit_name=f"Āsana {number}")

    # The routines and the poses, whatever their number.
    with django_assert_num_queries(2):
        text = client.get("/feed/").content.decode()

    assert "Pose: Pose 0 (Āsana 0)" in text
