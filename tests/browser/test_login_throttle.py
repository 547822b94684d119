"""The admin's login page after too many wrong passwords, as an editor sees it."""

import pytest
from django.conf import settings

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_after_too_many_wrong_passwords_the_login_page_says_to_wait(
    live_server, page, phone_page, django_user_model, screenshot, axe
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "editor")
        page.fill("#id_password", "not-the-password")
        page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    assert page.get_by_role("heading", name="Too many failed logins").is_visible()
    assert "Try again in 15 minutes" in page.content()
    assert page.url.endswith("/admin/login/")
    violations = axe(page)
    assert not violations, violations.report()
    screenshot(page)
    phone_page.goto(page.url)
    phone_page.fill("#id_username", "editor")
    phone_page.fill("#id_password", PASSWORD)
    phone_page.click("input[type=submit]")
    assert phone_page.get_by_role("heading", name="Too many failed logins").is_visible()
    screenshot(phone_page)
