"""History: an editor compares two saved versions side by side."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_admin_pose import open_pose, save
from tests.factories import PoseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_compares_two_versions_of_a_pose(editor_page, live_server, screenshot):
    page = editor_page
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel.", "Sit back.", "Rest."])
    open_pose(page, live_server, pose)
    page.locator("#id_summary").fill("A gentle kneeling fold.")
    save(page)
    page.locator("#id_steps-0-text").fill("Kneel with the knees apart.")
    page.locator("#id_steps-2-DELETE").check()
    save(page)
    page.locator("#id_summary").fill("A restful kneeling fold.")
    save(page)

    page.get_by_role("link", name="History").click()
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(3)
    # The oldest against the newest.
    rows.nth(2).locator("input[name=a]").check()
    rows.nth(0).locator("input[name=b]").check()
    screenshot(page, "admin-history-choose")
    page.get_by_role("button", name="Compare the two versions").click()

    summary = page.locator("tr.compare-changed", has_text="Summary")
    expect(summary.locator("td").nth(0)).to_have_text("A gentle kneeling fold.")
    expect(summary.locator("td").nth(1)).to_have_text("A restful kneeling fold.")
    changed = page.locator("tr.compare-changed", has_text="Kneel with the knees apart.")
    expect(changed.locator("td").nth(1)).to_have_text("Kneel with the knees apart.")
    expect(page.locator("tr.compare-removed")).to_contain_text("Rest.")
    screenshot(page, "admin-history-compare")

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    screenshot(page, "admin-history-compare")
