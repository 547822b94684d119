"""The slug fills itself in from the name as the editor types, keeping every letter."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "field", "name", "slug"),
    [
        ("poses/pose", "#id_name", "Uṣṭrāsana", "ustrasana"),
        ("poses/pose", "#id_name", "Ūrdhva Mukha Śvānāsana", "urdhva-mukha-svanasana"),
        ("poses/category", "#id_name", "Ōm", "om"),
        ("routines/routine", "#id_title", "Sūrya Namaskāra", "surya-namaskara"),
    ],
)
def test_the_slug_made_from_a_name_keeps_every_letter(editor_page, live_server, path, field, name, slug):
    page = editor_page
    page.goto(f"{live_server.url}/admin/{path}/add/")
    page.locator(field).press_sequentially(name)
    expect(page.locator("#id_slug")).to_have_value(slug)
