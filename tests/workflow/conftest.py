import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.poses.test_admin import FormReader


@pytest.fixture
def contributor(django_user_model):
    user = django_user_model.objects.create_user(
        "carla", email="carla@example.org", password="pw", is_staff=True, first_name="Carla"
    )
    user.groups.add(Group.objects.get(name="Contributor"))
    return user


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("eddie", email="eddie@example.org", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def contributor_client(contributor):
    client = Client()
    client.force_login(contributor)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


def form_of(client, url: str, form_id: str) -> dict:
    """What the admin form at `url` posts if saved unchanged."""
    response = client.get(url)
    assert response.status_code == 200, response
    reader = FormReader(form_id)
    reader.feed(response.content.decode())
    assert reader.data, f"form {form_id} not found"
    return reader.data


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]
