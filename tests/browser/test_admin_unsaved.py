"""Nothing an editor types is lost without a warning: leaving a changed form asks first, a save refused
because someone else saved meanwhile keeps the typed text, and History brings back an earlier version."""

import pytest
from playwright.sync_api import expect

from poses.models import Pose
from tests.browser.test_admin_pose import open_pose, save, stored_steps
from tests.factories import PoseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leave_prompts(editor_page):
    """The "leave this page?" prompts the browser showed, by type; each is answered "stay"."""
    shown = []

    def answer(dialog):
        shown.append(dialog.type)
        dialog.dismiss()

    editor_page.on("dialog", answer)
    return shown


def leave_for_history(page):
    """Follow the form's History link; if the browser asks first, it is told to stay."""
    page.get_by_role("link", name="History").click()
    page.wait_for_timeout(300)


def test_leaving_a_changed_form_asks_first_and_saving_does_not(editor_page, leave_prompts, live_server):
    page = editor_page
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel."])
    open_pose(page, live_server, pose)
    leave_for_history(page)
    assert page.url.endswith("/history/") and leave_prompts == []

    open_pose(page, live_server, pose)
    page.locator("#id_summary").click()
    page.keyboard.press("End")
    page.keyboard.type(" Rest the forehead.")
    leave_for_history(page)

    assert leave_prompts == ["beforeunload"]
    assert page.url.endswith("/change/")
    expect(page.locator("#id_summary")).to_have_value("A kneeling fold. Rest the forehead.")

    save(page)
    assert Pose.objects.get(pk=pose.pk).summary == "A kneeling fold. Rest the forehead."
    leave_for_history(page)
    assert page.url.endswith("/history/") and leave_prompts == ["beforeunload"]


@pytest.mark.parametrize("change", ["add a row", "move a row"])
def test_an_added_or_moved_row_counts_as_a_change(editor_page, leave_prompts, live_server, change):
    page = editor_page
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    open_pose(page, live_server, pose)

    if change == "add a row":
        page.get_by_role("button", name="Add another Step").click()
    else:
        page.locator("#steps-group tr.form-row.has_original").first.get_by_role("button", name="Move down").click()
    leave_for_history(page)

    assert leave_prompts == ["beforeunload"]
    assert page.url.endswith("/change/")


def test_a_refused_save_keeps_the_typed_text_and_still_asks_before_leaving(
    editor_page, leave_prompts, live_server, screenshot
):
    page = editor_page
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel."])
    open_pose(page, live_server, pose)
    page.locator("#id_summary").fill("My words.")
    # Someone else saves the pose while this form is open.
    Pose.objects.get(pk=pose.pk).save()

    page.click("input[name=_continue]")

    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist.nonfield")).to_contain_text("Someone else saved this pose at")
    expect(page.locator("#id_summary")).to_have_value("My words.")
    assert Pose.objects.get(pk=pose.pk).summary == "A kneeling fold."
    screenshot(page, "admin-pose-edit-conflict")

    leave_for_history(page)
    assert leave_prompts == ["beforeunload"]

    save(page)
    assert Pose.objects.get(pk=pose.pk).summary == "My words."


def test_history_shows_an_earlier_version_in_the_form_and_brings_it_back(
    editor_page, leave_prompts, live_server, screenshot
):
    page = editor_page
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    open_pose(page, live_server, pose)
    page.locator("#id_summary").fill("A kneeling fold.")
    save(page)
    page.locator("#id_steps-0-text").fill("Kneel with the knees apart.")
    save(page)
    assert stored_steps(pose) == ["Kneel with the knees apart.", "Sit back."]

    leave_for_history(page)
    rows = page.locator("#change-history tbody tr")
    expect(rows).to_have_count(2)
    screenshot(page, "admin-pose-history")
    rows.last.get_by_role("link").click()

    expect(page.locator("#id_steps-0-text")).to_have_value("Kneel.")
    expect(page.locator("#content-main")).to_contain_text("Press Save to make this the current version again")
    screenshot(page, "admin-pose-revert")
    page.get_by_role("button", name="Save").first.click()

    expect(page.locator(".messagelist .success")).to_contain_text("Brought back an earlier version of the pose")
    assert stored_steps(pose) == ["Kneel.", "Sit back."]
    assert leave_prompts == []
