import pytest
from playwright.sync_api import expect

from poses.models import Pose
from tests.factories import PoseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step_texts(page) -> list[str]:
    return page.locator("#steps-group tr.form-row:not(.empty-form) textarea").evaluate_all(
        "areas => areas.map(a => a.value).filter(Boolean)"
    )


def stored_steps(pose) -> list[str]:
    return list(Pose.objects.get(pk=pose.pk).steps.values_list("text", flat=True))


def open_pose(page, live_server, pose):
    page.goto(f"{live_server.url}/admin/poses/pose/{pose.pk}/change/")
    page.wait_for_selector("#steps-group .sortable-handle")


def save(page):
    page.click("input[name=_publish]")
    page.wait_for_selector(".messagelist .success")


def test_an_editor_reorders_steps_by_dragging_and_saves_the_order(editor_page, live_server):
    pose = PoseFactory(steps=["Kneel.", "Sit back.", "Fold forward."])
    page = editor_page
    open_pose(page, live_server, pose)
    rows = page.locator("#steps-group tr.form-row.has_original")

    rows.nth(2).locator(".sortable-handle").drag_to(rows.nth(0), target_position={"x": 20, "y": 4})

    assert step_texts(page) == ["Fold forward.", "Kneel.", "Sit back."]
    expect(page.locator(".sortable-status")).to_have_text("Moved to position 1 of 3.")
    save(page)
    assert stored_steps(pose) == ["Fold forward.", "Kneel.", "Sit back."]
    assert step_texts(page) == ["Fold forward.", "Kneel.", "Sit back."]


def test_an_editor_reorders_steps_with_the_keyboard_including_a_new_one(editor_page, live_server):
    pose = PoseFactory(steps=["Kneel.", "Sit back.", "Fold forward."])
    page = editor_page
    open_pose(page, live_server, pose)

    page.get_by_role("button", name="Add another Step").click()
    new_row = page.locator("#steps-group tr.form-row.dynamic-steps").last
    new_row.locator("textarea").fill("Rest the forehead.")
    # The new row comes after the blank one the form offers; three moves up put it second.
    new_row.get_by_role("button", name="Move up").focus()
    for key in ["Enter", "Space", "Enter"]:
        page.keyboard.press(key)
    first = page.locator("#steps-group tr.form-row.has_original").first
    first.get_by_role("button", name="Move down").focus()
    page.keyboard.press("Enter")

    expected = ["Rest the forehead.", "Kneel.", "Sit back.", "Fold forward."]
    assert step_texts(page) == expected
    expect(page.locator(".sortable-status")).to_have_text("Moved to position 2 of 4.")
    save(page)
    assert stored_steps(pose) == expected


def test_the_raw_position_numbers_are_hidden_while_the_controls_work(editor_page, live_server):
    pose = PoseFactory(steps=["Kneel."])
    page = editor_page
    open_pose(page, live_server, pose)

    assert not page.locator("#steps-group th.column-position").is_visible()
    assert not page.locator("input[name=steps-0-position]").is_visible()
    assert page.locator("#steps-group tr.has_original").get_by_role("button", name="Move up").is_visible()


def test_the_new_order_survives_a_save_that_fails_validation(editor_page, live_server):
    pose = PoseFactory(name="Child's Pose", steps=["Kneel.", "Sit back.", "Fold forward."])
    page = editor_page
    open_pose(page, live_server, pose)
    last = page.locator("#steps-group tr.form-row.has_original").last
    last.get_by_role("button", name="Move up").click()
    page.fill("#id_name", "")

    page.click("input[name=_publish]")
    page.wait_for_selector(".errornote")

    assert step_texts(page) == ["Kneel.", "Fold forward.", "Sit back."]
    page.fill("#id_name", "Child's Pose")
    save(page)
    assert stored_steps(pose) == ["Kneel.", "Fold forward.", "Sit back."]


def test_removing_a_new_row_keeps_saved_rows_moved_below_it(editor_page, live_server):
    pose = PoseFactory(steps=["Kneel.", "Sit back."])
    page = editor_page
    open_pose(page, live_server, pose)
    add = page.get_by_role("button", name="Add another Step")
    add.click()
    add.click()
    # Forms 0 and 1 are saved, 2 is the blank one the form offers, 3 and 4 were just added.
    kept, dropped = page.locator("#steps-3"), page.locator("#steps-4")
    kept.locator("textarea").fill("Breathe.")
    dropped.locator("textarea").fill("Not this one.")
    for _ in range(3):
        kept.get_by_role("button", name="Move up").click()
    # Removing an unsaved row makes Django renumber the forms.
    dropped.locator(".inline-deletelink").click()

    assert step_texts(page) == ["Breathe.", "Kneel.", "Sit back."]
    save(page)
    assert stored_steps(pose) == ["Breathe.", "Kneel.", "Sit back."]
    assert Pose.objects.get(pk=pose.pk).steps.count() == 3
