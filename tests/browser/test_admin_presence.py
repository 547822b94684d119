"""Two editors open the same page: the second is told who is editing it and since when, and can go on."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_admin_conflicts import other_editor  # noqa: F401 (a fixture)
from tests.browser.test_admin_pose import open_pose, save
from tests.factories import PoseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_second_editor_is_told_who_is_editing_and_can_edit_anyway(
    editor_page,
    other_editor,  # noqa: F811
    live_server,
    screenshot,
):
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel."])
    first, second = editor_page, other_editor
    open_pose(first, live_server, pose)
    expect(first.locator(".presence-notice")).to_have_count(0)

    open_pose(second, live_server, pose)

    notice = second.locator(".presence-notice")
    expect(notice).to_contain_text(re.compile(r"editor \(since \d{2}:\d{2}\) is editing this page"))
    screenshot(second, "admin-presence-notice")
    notice.get_by_role("button", name="Edit anyway").click()
    expect(notice).to_have_count(0)
    second.locator("#id_summary").fill("Taken over.")
    save(second)
