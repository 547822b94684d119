"""What an editor typed survives a closed tab: the form offers it back, and a save clears it."""

import re

import pytest
from playwright.sync_api import expect

from poses.models import Pose
from tests.browser.test_admin_pose import open_pose, save, stored_steps
from tests.factories import PoseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typed_work_is_offered_back_after_the_tab_was_closed(editor_page, live_server, screenshot):
    page = editor_page
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel.", "Sit back."])
    open_pose(page, live_server, pose)
    page.locator("#id_summary").fill("My unsaved words.")
    page.locator("#id_steps-1-text").fill("Sit back on the heels.")
    page.get_by_role("button", name="Add another Step").click()
    page.locator("#id_steps-3-text").fill("Rest the forehead.")
    page.wait_for_timeout(300)
    context = page.context
    page.close()

    page = context.new_page()
    open_pose(page, live_server, pose)
    offer = page.locator(".kept-form-offer")
    expect(offer).to_contain_text(re.compile(r"Restore unsaved changes from \d{1,2}:\d{2}"))
    expect(page.locator("#id_summary")).to_have_value("A kneeling fold.")
    screenshot(page, "admin-kept-form-offer")

    offer.get_by_role("button", name="Restore").click()

    expect(page.locator("#id_summary")).to_have_value("My unsaved words.")
    expect(page.locator("#id_steps-1-text")).to_have_value("Sit back on the heels.")
    expect(page.locator("#id_steps-3-text")).to_have_value("Rest the forehead.")
    save(page)
    assert Pose.objects.get(pk=pose.pk).summary == "My unsaved words."
    assert stored_steps(pose) == ["Kneel.", "Sit back on the heels.", "Rest the forehead."]

    open_pose(page, live_server, pose)
    page.wait_for_timeout(300)
    expect(page.locator(".kept-form-offer")).to_have_count(0)


def test_discarding_the_offer_forgets_the_typed_work(editor_page, live_server):
    page = editor_page
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel."])
    open_pose(page, live_server, pose)
    page.locator("#id_summary").fill("Words to forget.")
    page.wait_for_timeout(300)
    context = page.context
    page.close()

    page = context.new_page()
    open_pose(page, live_server, pose)
    page.locator(".kept-form-offer").get_by_role("button", name="Discard them").click()
    open_pose(page, live_server, pose)
    page.wait_for_timeout(300)
    expect(page.locator(".kept-form-offer")).to_have_count(0)
    expect(page.locator("#id_summary")).to_have_value("A kneeling fold.")
