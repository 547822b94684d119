"""Two editors on the same page: what the second one typed survives whatever the first one changed."""

import pytest
from playwright.sync_api import expect

from routines.models import RoutineStep
from tests.browser.test_admin_pose import open_pose, save, stored_steps
from tests.conftest import DESKTOP, TIMEOUT_MS
from tests.factories import PoseFactory, complete_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OTHER_PASSWORD = "another-long-editor-password"


@pytest.fixture
def other_editor(browser, live_server, django_user_model):
    """A second editor, signed in from a browser of their own."""
    django_user_model.objects.create_superuser("colleague", "colleague@example.org", OTHER_PASSWORD)
    context = browser.new_context(**DESKTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "colleague")
    page.fill("#id_password", OTHER_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page
    context.close()


def test_a_step_the_other_editor_deleted_does_not_trap_the_pose_form(
    editor_page, other_editor, live_server, screenshot
):
    pose = PoseFactory(summary="A kneeling fold.", steps=["Kneel.", "Sit back.", "Rest the forehead."])
    mine, theirs = editor_page, other_editor
    open_pose(mine, live_server, pose)
    open_pose(theirs, live_server, pose)

    theirs.locator("#id_steps-1-DELETE").check()
    save(theirs)
    assert stored_steps(pose) == ["Kneel.", "Rest the forehead."]

    mine.locator("#id_summary").fill("My words.")
    mine.locator("#id_steps-1-text").fill("Sit back on the heels.")
    mine.click("input[name=_continue]")

    expect(mine.locator(".errornote")).to_be_visible()
    expect(mine.locator(".errorlist.nonfield").first).to_contain_text("Someone else saved this pose at")
    expect(mine.locator("#steps-group .errorlist")).to_contain_text("Someone else deleted this step")
    expect(mine.locator("#id_steps-1-text")).to_have_value("Sit back on the heels.")
    expect(mine.locator("#id_summary")).to_have_value("My words.")
    screenshot(mine, "admin-pose-conflict-deleted-step")

    save(mine)
    assert stored_steps(pose) == ["Kneel.", "Sit back on the heels.", "Rest the forehead."]
    expect(mine.locator("#id_summary")).to_have_value("My words.")


def test_a_step_the_other_editor_deleted_does_not_trap_the_routine_form(
    editor_page, other_editor, live_server, screenshot
):
    routine = complete_routine(steps=3, title="Hip Flow")
    url = f"{live_server.url}/admin/routines/routine/{routine.pk}/change/"
    mine, theirs = editor_page, other_editor
    mine.goto(url)
    theirs.goto(url)

    theirs.locator("#id_steps-1-DELETE").check()
    theirs.click("input[name=_continue]")
    theirs.wait_for_selector(".messagelist .success")
    assert RoutineStep.objects.filter(routine=routine).count() == 2

    mine.locator("#id_title").fill("Hip Opening Flow")
    mine.locator("#id_steps-1-instructions").fill("My own instructions.")
    mine.click("input[name=_continue]")

    expect(mine.locator(".errorlist.nonfield").first).to_contain_text("Someone else saved this routine at")
    expect(mine.locator("#steps-1")).to_contain_text("Someone else deleted this step")
    expect(mine.locator("#id_steps-1-instructions")).to_have_value("My own instructions.")
    # The other save renumbered the last step, with the same text: not a change to report.
    expect(mine.locator("#content-main")).not_to_contain_text("Someone else changed")
    screenshot(mine, "admin-routine-conflict-deleted-step")

    mine.click("input[name=_continue]")
    mine.wait_for_selector(".messagelist .success")
    steps = RoutineStep.objects.filter(routine=routine).order_by("position", "pk")
    assert [s.instructions for s in steps][1] == "My own instructions."
    assert steps.count() == 3
