"""Fixtures for the admin's browser tests."""

import pytest

PASSWORD = "a-long-editor-password"


@pytest.fixture
def editor_page(live_server, page, django_user_model):
    """The browser page, signed in to the admin as an editor with every permission."""
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return page
