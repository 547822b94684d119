"""Who else is editing a change page, and since when."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from workflow.models import EditingPresence

pytestmark = pytest.mark.django_db

URL = reverse("editing-presence")
PAGE = "/admin/poses/pose/7/change/"


@pytest.fixture
def two_editors(client, django_user_model):
    from django.test import Client

    anna = django_user_model.objects.create_user("anna", password="pw", is_staff=True, first_name="Anna", last_name="K")
    ben = django_user_model.objects.create_user("ben", password="pw", is_staff=True)
    other = Client()
    client.force_login(anna)
    other.force_login(ben)
    return client, other


def test_the_second_editor_is_told_who_is_editing_and_since_when(two_editors):
    anna, ben = two_editors
    assert anna.post(URL, {"page": PAGE}).json() == {"others": []}

    others = ben.post(URL, {"page": PAGE}).json()["others"]

    assert [o["name"] for o in others] == ["Anna K"]
    started = EditingPresence.objects.get(user__username="anna").started_at
    assert others[0]["since"] == started.isoformat()
    assert others[0]["since_text"] == timezone.localtime(started).strftime("%H:%M")
    assert [o["name"] for o in anna.post(URL, {"page": PAGE}).json()["others"]] == ["ben"]


def test_an_editor_not_heard_from_for_a_minute_is_gone_and_a_closed_page_at_once(two_editors):
    anna, ben = two_editors
    anna.post(URL, {"page": PAGE})
    EditingPresence.objects.update(seen_at=timezone.now() - timedelta(seconds=61))
    assert ben.post(URL, {"page": PAGE}).json()["others"] == []

    anna.post(URL, {"page": PAGE})
    anna.post(URL, {"page": PAGE, "left": "1"})
    assert ben.post(URL, {"page": PAGE}).json()["others"] == []


def test_coming_back_after_a_stale_spell_starts_a_new_session(two_editors):
    anna, ben = two_editors
    anna.post(URL, {"page": PAGE})
    long_ago = timezone.now() - timedelta(minutes=10)
    EditingPresence.objects.update(started_at=long_ago, seen_at=long_ago)
    anna.post(URL, {"page": PAGE})
    assert EditingPresence.objects.get().started_at > long_ago


def test_other_pages_and_other_addresses(two_editors):
    anna, ben = two_editors
    anna.post(URL, {"page": "/admin/poses/pose/8/change/"})
    assert ben.post(URL, {"page": PAGE}).json()["others"] == []
    assert ben.post(URL, {"page": "/elsewhere/"}).status_code == 400
    assert ben.get(URL).status_code == 405


def test_visitors_cannot_use_it(client):
    assert client.post(URL, {"page": PAGE}).status_code == 302
