import re

import pytest

from routines.models import Routine
from tests.factories import PoseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose_pose(page, row: int, search: str, name: str):
    """Pick a pose in the autocomplete box of a step, as an editor does: open it, type, click the match."""
    page.locator(f"#id_steps-{row}-pose + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(search)
    page.locator(".select2-results__option", has_text=name).click()


def add_step(page) -> int:
    page.get_by_role("button", name=re.compile("add another step", re.I)).click()
    return page.locator("#steps-group .inline-related:not(.empty-form)").count() - 1


def drag_above(page, row, target_row):
    """Drag a step by its handle, with the mouse, to just above the middle of an earlier step."""
    handle = row.locator(".sortable-handle")
    # Steps are tall: bring the handle low in the window so the earlier step's upper half is on screen too.
    handle.evaluate("el => window.scrollBy(0, el.getBoundingClientRect().top - 600)")
    start = handle.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    box = target_row.bounding_box()
    assert box["y"] + box["height"] * 0.25 > 0, "the target is off screen"
    page.mouse.move(box["x"] + 40, box["y"] + box["height"] * 0.25, steps=12)
    page.mouse.up()


def test_an_editor_builds_and_reorders_a_routine_on_one_page(live_server, editor_page, screenshot):
    page = editor_page
    PoseFactory(name="Sphinx Pose", sanskrit_name="Sālamba Bhujaṅgāsana")
    PoseFactory(name="Cobra Pose")
    PoseFactory(name="Child's Pose")
    page.goto(f"{live_server.url}/admin/routines/routine/add/")

    page.fill("#id_title", "Back Strengthening Flow")
    page.fill("#id_summary", "Twenty minutes that build a steady back.")
    page.fill("#id_breath_seconds", "5")
    assert page.input_value("#id_slug") == "back-strengthening-flow"

    choose_pose(page, 0, "salamba", "Sphinx Pose")
    page.fill("#id_steps-0-hold_value", "10")
    page.select_option("#id_steps-0-hold_kind", "breaths")
    variations = page.locator("#steps-0 summary", has_text="Variations by level")
    variations.click()
    page.fill("#id_steps-0-variation_beginner", "Keep the forearms on the mat.")
    variations.click()

    row = add_step(page)
    choose_pose(page, row, "cobra", "Cobra Pose")
    page.fill(f"#id_steps-{row}-hold_value", "30")
    page.select_option(f"#id_steps-{row}-sides", "both")
    page.select_option(f"#id_steps-{row}-first_side", "left")

    row = add_step(page)
    choose_pose(page, row, "child", "Child's Pose")
    page.fill(f"#id_steps-{row}-hold_value", "60")
    page.check(f"#id_steps-{row}-starts_section")
    page.fill(f"#id_steps-{row}-section_title", "Rest and release")

    row = add_step(page)
    page.fill(f"#id_steps-{row}-title", "Lie still")
    page.fill(f"#id_steps-{row}-hold_value", "120")
    page.select_option(f"#id_steps-{row}-advance", "manual")

    # Cobra goes above Sphinx: Cobra, Sphinx, Child's Pose (new section), Lie still.
    drag_above(page, page.locator("#steps-1"), page.locator("#steps-0"))
    titles = page.locator("#steps-group .inline-related:not(.empty-form)").evaluate_all(
        "rows => rows.map(row => row.id)"
    )
    assert titles == ["steps-1", "steps-0", "steps-2", "steps-3"]
    screenshot(page, "admin-routine-built")

    page.click("input[name=_continue]")
    page.wait_for_url("**/change/")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    routine = Routine.objects.get(slug="back-strengthening-flow")
    steps = list(routine.steps.all())
    assert [s.display_title for s in steps] == ["Cobra Pose", "Sphinx Pose", "Child's Pose", "Lie still"]
    assert [(group.title, len(group.steps)) for group in routine.sections] == [("", 2), ("Rest and release", 2)]
    assert [s.starts_section for s in steps] == [False, False, True, False]
    assert (steps[0].sides, steps[0].first_side) == ("both", "left")
    assert steps[1].variations.get().instructions == "Keep the forearms on the mat."
    assert steps[3].advance == "manual" and steps[3].pose is None
    # 30 s × 2 sides + 10 breaths × 5 s + 60 s + 120 s, and 5 s to move into each of 5 stops
    assert routine.duration_seconds == 290 + 25

    summary = page.locator(".field-duration_summary").inner_text()
    assert "5 min — 4 steps, 2 sections" in summary and "Rest and release: 3 min" in summary
    headers = page.locator("#steps-group .inline-related:not(.empty-form) h3 .inline_label").all_inner_texts()
    assert headers == ["Cobra Pose · 1 min", "Sphinx Pose · 50 s", "Child's Pose · 1 min", "Lie still · 2 min"]
    screenshot(page, "admin-routine-saved")

    page.goto(f"{live_server.url}/admin/routines/routine/")
    row = page.locator("#result_list tbody tr", has_text="Back Strengthening Flow")
    assert "5 min" in row.locator(".field-duration").inner_text()
    assert row.locator(".field-step_count").inner_text() == "4"
    screenshot(page, "admin-routine-list")
