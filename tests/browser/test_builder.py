"""A practice built by hand, in real Chromium on the demo content: poses added from their pages and cards,
reordered by keyboard and by dragging, a hold changed, the link shared into a fresh browser and played; the
same without JavaScript, by forms; accessible, and photographed at phone and desktop sizes."""

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from practice.builder_views import slug_of
from tests.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


@pytest.fixture
def demo():
    call_command("import_content", str(DEMO), verbosity=0)


def titles(page) -> list[str]:
    return [re.sub(r"^\d+\.\s*", "", text) for text in page.locator(".builder-step__title").all_inner_texts()]


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement.textContent.trim()")


def test_build_by_hand_reorder_share_and_play(page, browser, live_server, demo, axe, screenshot):
    status = page.locator("[data-build-status]")
    page.goto(f"{live_server.url}/poses/tree/")
    page.get_by_role("button", name="Add to my practice").click()
    expect(status).to_contain_text("Tree added.")
    expect(status).to_contain_text("My practice: 1 pose")
    violations = axe(page)
    assert not violations, violations.report()
    screenshot(page, "builder-pose-page")

    page.goto(f"{live_server.url}/poses/")
    page.get_by_role("button", name="Add Cobra to my practice").click()
    expect(status).to_contain_text("Cobra added.")
    expect(status).to_contain_text("My practice: 2 poses")

    status.get_by_role("button", name="Hide").click()
    expect(status).to_be_hidden()
    page.goto(f"{live_server.url}/poses/mountain/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mountain")
    expect(status).to_be_hidden()
    page.get_by_role("button", name="Add to my practice").click()
    expect(status).to_contain_text("My practice: 3 poses")
    status.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("A practice of your own")
    assert titles(page) == ["Tree", "Cobra", "Mountain"]
    expect(page.locator("[data-props-needed]")).to_have_text("Wall, Yoga Mat")
    # The short code the buttons keep becomes the full one, in the address too.
    expect(page).to_have_url(re.compile(r"\?s=1\.tree~6b\.cobra~5b\.mountain~8b$"))
    expect(page.get_by_role("heading", name="Before you start: take care if…")).to_be_visible()
    violations = axe(page)
    assert not violations, violations.report()
    screenshot(page, "builder")

    # Keyboard: the handle moves with the arrow keys and keeps the focus.
    page.get_by_role("button", name="Reorder Mountain").focus()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("[data-announce]")).to_have_text("Mountain moved to step 1 of 3.")
    assert titles(page) == ["Mountain", "Tree", "Cobra"]
    assert focused_name(page) == "⠿Reorder Mountain"
    # The buttons do the same, and keep the focus on the button pressed.
    page.get_by_role("button", name="Move down Tree").focus()
    page.keyboard.press("Enter")
    assert titles(page) == ["Mountain", "Cobra", "Tree"]
    assert focused_name(page) == "Move down Tree"
    expect(page.locator("[data-announce]")).to_have_text("Tree moved to step 3 of 3.")
    expect(page).to_have_url(re.compile(r"\?s=1\.mountain~8b\.cobra~5b\.tree~6b$"))

    # A hold changed: the step's time, the duration and the address follow.
    # 8 + 5 breaths, 6 breaths × 2 sides at 5 s: 40 + 25 + 60 s, and 5 s before each of 4 stops = 145 s.
    expect(page.locator("[data-duration]")).to_have_text("2 min")
    page.get_by_label("Hold", exact=True).nth(1).fill("90")
    page.get_by_label("Hold counted in").nth(1).select_option("seconds")
    expect(page.locator("[data-step]").nth(1).locator("[data-time]")).to_have_text("90 s")
    expect(page.locator("[data-duration]")).to_have_text("4 min")
    page.get_by_label("Sides").select_option("left")
    expect(page).to_have_url(re.compile(r"\?s=1\.mountain~8b\.cobra~90s\.tree~6b~l$"))

    # Dragging by the handle.
    # Every step in the window, so that the drag needs no scrolling on the way.
    page.set_viewport_size({"width": 1280, "height": 2000})
    page.locator("[data-step]").nth(2).locator("[data-handle]").drag_to(
        page.locator("[data-step]").nth(0), target_position={"x": 40, "y": 8}
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    assert titles(page) == ["Tree", "Mountain", "Cobra"]
    expect(page).to_have_url(re.compile(r"\?s=1\.tree~6b~l\.mountain~8b\.cobra~90s$"))
    shared = page.url

    # The link in another browser is the same practice, theirs to change, and it plays.
    context = browser.new_context(**PHONE)
    other = context.new_page()
    other.goto(shared)
    assert titles(other) == ["Tree", "Mountain", "Cobra"]
    expect(other.get_by_label("Hold", exact=True).nth(2)).to_have_value("90")
    assert not axe(other), axe(other).report()
    screenshot(other, "builder")
    mountain_caution = other.locator("[data-cautions] li").filter(has_text="Mountain:")
    expect(mountain_caution).to_be_visible()
    other.get_by_role("button", name="Remove Mountain").click()
    assert titles(other) == ["Tree", "Cobra"]
    expect(mountain_caution).to_be_hidden()
    expect(other.locator("[data-announce]")).to_have_text(re.compile(r"^Mountain removed\. 2 steps, \d+ min\.$"))
    other.get_by_role("link", name="▶ Start practice").click()
    expect(other).to_have_url(re.compile(r"/practice/build/1\.tree~6b~l\.cobra~90s/play/1/$"))
    expect(other.locator('#stop-title [data-bind="title"]')).to_have_text("Tree")
    expect(other.locator('[data-bind="count"]')).to_have_text(re.compile(r"Step 1 of 2"))
    expect(other.locator('[data-bind="side"]')).to_have_text("Left side")
    screenshot(other, "builder-player")
    other.goto(f"{live_server.url}/poses/tree/")
    expect(other.locator("[data-build-status]")).to_contain_text("My practice: 2 poses")
    screenshot(other, "builder-pose-page")
    context.close()

    # The first browser still has its own.
    page.goto(f"{live_server.url}/practice/build/")
    assert titles(page) == ["Tree", "Mountain", "Cobra"]

    # "Clear all" on My practice forgets it, cookie and all.
    page.goto(f"{live_server.url}/practice/")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all").click()
    expect(page.locator("[data-status]")).to_have_text("Everything was removed from this browser.")
    page.goto(f"{live_server.url}/practice/build/")
    expect(page.locator("[data-empty]")).to_be_visible()
    assert titles(page) == []


def test_the_builder_works_without_javascript(browser, live_server, demo, screenshot):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/poses/tree/")
    page.get_by_role("button", name="Add to my practice").click()
    expect(page).to_have_url(re.compile(r"/practice/build/\?s=1\.tree~6b#step-1$"))
    page.goto(f"{live_server.url}/poses/")
    page.get_by_role("button", name="Add Cobra to my practice").click()
    assert titles(page) == ["Tree", "Cobra"]

    page.get_by_label("Pose name").fill("mount")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("heading", name="Poses matching “mount”: choose one")).to_be_visible()
    page.get_by_role("button", name="Add Mountain").click()
    assert titles(page) == ["Tree", "Cobra", "Mountain"]

    page.get_by_role("button", name="Move up Mountain").click()
    assert titles(page) == ["Tree", "Mountain", "Cobra"]
    expect(page).to_have_url(re.compile(r"\?s=1\.tree~6b\.mountain~8b\.cobra~5b#step-2$"))
    page.get_by_role("button", name="Remove Tree").click()
    assert titles(page) == ["Mountain", "Cobra"]
    page.get_by_label("Hold", exact=True).nth(1).fill("45")
    page.get_by_label("Hold counted in").nth(1).select_option("seconds")
    page.get_by_label("Rounds").nth(1).fill("2")
    page.get_by_role("button", name="Apply to Cobra").click()
    expect(page).to_have_url(re.compile(r"\?s=1\.mountain~8b\.cobra~45s~x2#step-2$"))
    screenshot(page, "builder-nojs")
    page.get_by_role("link", name="▶ Start practice").click()
    expect(page.locator("h1, h2").filter(has_text="Mountain").first).to_be_visible()
    context.close()


def test_a_built_practice_saved_for_offline_plays_without_a_network_and_is_logged(browser, live_server, demo, axe):
    from tests.browser.test_my_practice import log, new_page, play_to_the_end

    context, page = new_page(browser)
    page.goto(f"{live_server.url}/practice/build/?s=1.mountain~10s.tree~3s~x2")
    page.evaluate("navigator.serviceWorker.ready")
    # Changed in the page before saving: what is saved is the practice as it is now.
    page.get_by_role("button", name="Remove Tree").click()
    page.get_by_label("Hold", exact=True).fill("12")
    page.get_by_label("Hold counted in").select_option("seconds")
    expect(page).to_have_url(re.compile(r"\?s=1\.mountain~12s$"))
    box = page.locator("[data-offline-save]")
    box.get_by_role("button", name="Save for offline").click()
    expect(box.locator("[data-state]")).to_have_text("Saved on this device: it plays without a connection.")
    page.clock.resume()
    violations = axe(page)
    assert not violations, violations.report()
    address = "/practice/build/?s=1.mountain~12s"
    # The page's script names it as the server does.
    saved = page.evaluate("Object.keys(JSON.parse(localStorage.getItem('yogasite:saved')))")
    assert saved == [slug_of("1.mountain~12s")]
    page.goto(f"{live_server.url}/practice/")
    expect(page.locator("[data-list=saved]")).to_have_text("A practice: Mountain")
    expect(page.locator("[data-list=saved] a")).to_have_attribute("href", address)

    context.set_offline(True)
    page.goto(f"{live_server.url}{address}")
    assert titles(page) == ["Mountain"]
    page.get_by_role("link", name="▶ Start practice").click()
    expect(page.locator("[data-bind=count]")).to_have_text("Step 1 of 1")
    play_to_the_end(page)
    (entry,) = log(page)
    assert entry["title"] == "A practice: Mountain" and entry["url"] == address and entry["completed"] is True
    context.set_offline(False)
    context.close()


def test_adding_building_and_playing_run_under_the_csp(page, live_server, demo):
    from tests.browser.test_csp import violations, watch

    refused = watch(page)
    page.goto(f"{live_server.url}/poses/cobra/")
    page.get_by_role("button", name="Add to my practice").click()
    page.locator("[data-build-status] a").click()
    expect(page).to_have_url(re.compile(r"\?s=1\.cobra~5b$"))
    page.get_by_label("Rounds").fill("2")
    expect(page).to_have_url(re.compile(r"\?s=1\.cobra~5b~x2$"))
    page.get_by_role("link", name="Printable cheat sheet").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cobra")
    page.goto(f"{live_server.url}/practice/build/1.cobra~5b~x2/play/1/")
    page.get_by_role("button", name="Start", exact=True).click()
    assert violations(page, refused) == []
