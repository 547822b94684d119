"""The practitioner's own record and offline use, in real Chromium: the practice log written when a
practice ends, favourites, "My practice" with export and clear all, and a saved routine played
start to finish with the network off."""

import datetime
import json

import pytest
from playwright.sync_api import expect

from tests.conftest import TIMEOUT_MS
from tests.factories import complete_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLOCK_START = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture
def routine():
    return complete_routine(steps=6, slug="flow", title="Morning Flow")


def new_page(browser, **options):
    context = browser.new_context(viewport={"width": 390, "height": 844}, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.add_init_script("window.speechSynthesis && (window.speechSynthesis.speak = () => {});")
    page.clock.install(time=CLOCK_START)
    page.clock.pause_at(CLOCK_START + datetime.timedelta(seconds=1))
    return context, page


def play_to_the_end(page):
    page.get_by_role("button", name="Start", exact=True).click()
    while (phase := page.locator("[data-player]").get_attribute("data-phase")) != "done":
        if phase == "wait":
            page.keyboard.press("Space")
        else:
            page.clock.run_for(5_000)
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()


def log(page) -> list:
    return page.evaluate("JSON.parse(localStorage.getItem('yogasite:practice-log') || '[]')")


def test_a_finished_practice_is_logged_and_shown_on_my_practice(browser, live_server, routine, axe, screenshot):
    context, page = new_page(browser)
    page.goto(f"{live_server.url}/routines/flow/play/6/")
    play_to_the_end(page)  # stops 6-8: 3 × 5 s get-ready + 20 + 20 + 30 s
    page.clock.resume()  # axe waits on its own timers
    violations = axe(page)  # the finish screen
    assert not violations, violations.report()
    screenshot(page, "finish")
    expect(page.get_by_text("This practice is in your practice log")).to_be_visible()
    (entry,) = log(page)
    assert entry["routine"] == "flow" and entry["title"] == "Morning Flow" and entry["completed"] is True
    assert entry["date"] == "2026-05-04" and entry["minutes"] == 1.4  # 85 s
    assert entry["url"] == "/routines/flow/"

    page.get_by_role("link", name="practice log").click()
    expect(page.get_by_role("heading", name="My practice", level=1)).to_be_visible()
    expect(page.locator("[data-stat=streak]")).to_have_text("1 day")
    expect(page.locator("[data-stat=week]")).to_have_text("1.4 min")
    row = page.locator("[data-log] tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Morning Flow")
    expect(row.locator("td").nth(1)).to_have_text("1.4")
    expect(row.locator("td").nth(2)).to_have_text("Yes")
    page.clock.resume()
    violations = axe(page)
    assert not violations, violations.report()
    screenshot(page, "my-practice")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "my-practice")
    context.close()


def test_a_practice_left_part_way_is_logged_as_not_finished(browser, live_server, routine):
    context, page = new_page(browser)
    page.goto(f"{live_server.url}/routines/flow/play/1/")
    page.get_by_role("button", name="Start", exact=True).click()
    page.clock.run_for(20_000)
    page.keyboard.press("Escape")
    assert log(page) == []  # under a minute is not a practice worth keeping
    page.get_by_role("button", name="Resume", exact=True).click()
    page.clock.run_for(60_000)
    page.keyboard.press("Escape")
    (entry,) = log(page)
    assert entry["completed"] is False and entry["minutes"] == 1.3
    context.close()


def test_streak_counts_days_in_a_row_and_the_week_counts_from_monday(browser, live_server):
    context, page = new_page(browser)
    entries = [
        {
            "id": f"a{day}",
            "started": f"2026-05-0{day}T07:00:00Z",
            "date": f"2026-05-0{day}",
            "routine": "flow",
            "title": "Morning Flow",
            "url": "/routines/flow/",
            "minutes": 10,
            "completed": True,
        }
        for day in [1, 2, 3]  # Friday to Sunday: last week, a streak that reaches yesterday
    ]
    page.add_init_script(f"localStorage.setItem('yogasite:practice-log', {json.dumps(json.dumps(entries))})")
    page.goto(f"{live_server.url}/practice/")
    expect(page.locator("[data-stat=streak]")).to_have_text("3 days")
    expect(page.locator("[data-stat=week]")).to_have_text("0 min")
    expect(page.locator("[data-stat=count]")).to_have_text("3")
    context.close()


def test_favourites_export_and_clear_all(browser, live_server, routine):
    context, page = new_page(browser, accept_downloads=True)
    page.goto(f"{live_server.url}/routines/flow/")
    heart = page.locator(".routine-hero [data-favourite=routine]")
    heart.click()
    expect(heart).to_have_attribute("aria-pressed", "true")
    pose = routine.steps.exclude(pose=None).first().pose
    page.goto(f"{live_server.url}{pose.get_absolute_url()}")
    page.get_by_role("button", name="Favourite").click()
    page.goto(f"{live_server.url}/practice/")
    expect(page.locator("[data-list=routine]")).to_have_text("Morning Flow")
    expect(page.locator("[data-list=pose]")).to_have_text(pose.name)
    page.get_by_role("link", name="Morning Flow").click()
    expect(page.locator(".routine-hero [data-favourite=routine]")).to_have_attribute("aria-pressed", "true")
    page.go_back()

    with page.expect_download() as download:
        page.get_by_role("button", name="Export as a file").click()
    exported = json.loads(open(download.value.path()).read())
    assert download.value.suggested_filename == "my-practice-2026-05-04.json"
    assert list(exported["favourites"]["routine"]) == ["flow"] and exported["practice_log"] == []

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Clear all").click()
    expect(page.get_by_role("status")).to_have_text("Everything was removed from this browser.")
    expect(page.locator("[data-empty=routine]")).to_be_visible()
    assert page.evaluate("Object.keys(localStorage).filter((k) => k.startsWith('yogasite:'))") == []
    context.close()


def test_a_saved_routine_plays_start_to_finish_with_the_network_off(browser, live_server, routine, screenshot):
    context, page = new_page(browser)
    page.goto(f"{live_server.url}/routines/flow/")
    page.evaluate("navigator.serviceWorker.ready")
    page.get_by_role("button", name="Save for offline").click()
    expect(page.locator("[data-offline-save] [data-state]")).to_have_text(
        "Saved on this device: it plays without a connection."
    )
    screenshot(page, "routine-saved-for-offline")
    page.goto(f"{live_server.url}/practice/")
    expect(page.locator("[data-list=saved]")).to_have_text("Morning Flow")

    context.set_offline(True)
    page.goto(f"{live_server.url}/routines/flow/play/1/?level=advanced")
    expect(page.locator("[data-bind=count]")).to_have_text("Step 1 of 6")
    page.wait_for_function("document.querySelector('[data-bind=img]').naturalWidth > 0")
    play_to_the_end(page)
    expect(page.get_by_text("Time practised: 5 min 20 s")).to_be_visible()
    page.goto(f"{live_server.url}/routines/flow/cheatsheet/")
    expect(page.get_by_role("heading", name="Morning Flow")).to_be_visible()
    # A page nobody saved is not made up from an old copy: the offline notice says so.
    page.goto(f"{live_server.url}/routines/")
    expect(page.get_by_role("heading", name="You are offline")).to_be_visible()

    context.set_offline(False)
    page.goto(f"{live_server.url}/routines/flow/")
    page.get_by_role("button", name="Remove from this device").click()
    expect(page.locator("[data-offline-save] [data-state]")).to_have_text("Removed from this device.")
    assert page.evaluate("caches.keys()") == []
    context.close()
