"""An editor imports a content document from the admin: preview first, then confirm."""

import pytest
from playwright.sync_api import expect

from poses.models import Pose
from tests.yogasite.test_content_admin import zipped
from tests.yogasite.test_import_content import full_document

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_previews_an_import_then_confirms_it(editor_page, live_server, tmp_path, screenshot):
    page = editor_page
    data = full_document(tmp_path / "doc")
    archive = tmp_path / "studio-content.zip"
    archive.write_bytes(zipped(tmp_path / "doc", data))
    page.goto(f"{live_server.url}/admin/poses/pose/")
    page.get_by_role("link", name="Import").click()

    page.set_input_files("#id_document", str(archive))
    page.get_by_role("button", name="Preview the import").click()

    plan = page.locator("table.content-import-plan")
    expect(plan).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("Nothing has changed yet.")
    expect(plan.locator("tr", has_text="Poses")).to_contain_text(data["poses"][0]["name"])
    assert Pose.objects.count() == 0
    screenshot(page, "admin-import-preview")

    page.get_by_role("button", name="Import").click()

    expect(page.locator(".messagelist .success")).to_contain_text("Imported studio-content.zip.")
    assert Pose.objects.count() == len(data["poses"])


def test_a_document_with_problems_lists_each_with_its_place(editor_page, live_server, tmp_path, screenshot):
    page = editor_page
    bad = tmp_path / "content.json"
    bad.write_text('{"format": "yogasite-content", "version": 1, "poses": [{"slug": "Bad Slug", "name": ""}]}')
    page.goto(f"{live_server.url}/admin/content/import/")

    page.set_input_files("#id_document", str(bad))
    page.get_by_role("button", name="Preview the import").click()

    expect(page.locator(".errornote")).to_contain_text("Nothing can be imported from content.json")
    expect(page.locator(".content-import-problems")).to_contain_text("poses[0].slug")
    screenshot(page, "admin-import-problems")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
