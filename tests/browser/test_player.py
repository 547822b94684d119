"""The routine player in real Chromium, with Playwright's clock standing in for time.

The routine (tests.factories.complete_routine, 6 steps) plays as 8 stops (the address counts
stops, the page counts steps), 280 s of holds:
stop 1 = step 1 Flow Pose 1 (30 s) · 2 = step 2 Flow Pose 2, right side (30 s) · 3 = step 2, left side ·
4 = step 3 Flow Pose 3 (6 breaths × 3 rounds, 30 s each) · 5 = step 4 Flow Pose 1 (30 s) ·
6 = step 5 Rest, right side (20 s) · 7 = step 5, left side · 8 = step 6 Flow Pose 3 (30 s, waits).
Each stop begins with the routine's 5 s transition, so the routine lasts 320 s.
"""

import datetime

import pytest
from playwright.sync_api import expect

from tests.factories import complete_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

READY_MS = 5_000
CLOCK_START = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)

# Speech and the wake lock, recorded instead of performed: headless Chromium has no voice and
# no screen to keep awake. Installed before the page's own scripts run.
RECORDERS = """
window.spoken = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: { speak(u) { window.spoken.push(u.text); }, cancel() {} },
});
window.locks = [];
Object.defineProperty(navigator, "wakeLock", {
  configurable: true,
  value: {
    async request(type) {
      const lock = { type, released: false, handlers: [],
        addEventListener(name, handler) { this.handlers.push(handler); },
        async release() { this.released = true; this.handlers.forEach((h) => h()); } };
      window.locks.push(lock);
      return lock;
    },
  },
});
"""


@pytest.fixture
def routine():
    return complete_routine(steps=6, slug="flow", title="Morning Flow")


def stop_url(live_server, number, query=""):
    return f"{live_server.url}/routines/flow/play/{number}/{query}"


def open_player(page, live_server, number=1, query=""):
    page.add_init_script(RECORDERS)
    install_clock(page)
    page.goto(stop_url(live_server, number, query))
    expect(page.locator("[data-bind=toggle]")).to_be_visible()
    return page


def install_clock(page):
    """Time that moves only when the test moves it, so that counts are exact."""
    page.clock.install(time=CLOCK_START)
    page.clock.pause_at(CLOCK_START + datetime.timedelta(seconds=1))


def start(page):
    page.get_by_role("button", name="Start", exact=True).click()


def timer(page):
    return page.get_by_role("timer")


def phase(page):
    return page.locator("[data-bind=phase]")


def heading(page):
    return page.locator("[data-bind=title]")


def count(page):
    return page.locator("[data-bind=count]")


def test_player_counts_down_and_moves_on_by_itself(page, live_server, routine):
    open_player(page, live_server)
    expect(timer(page)).to_have_text("0:30")  # before starting: how long the hold will be
    start(page)
    expect(phase(page)).to_have_text("Get ready")
    expect(timer(page)).to_have_text("0:05")
    page.clock.run_for(READY_MS)
    expect(phase(page)).to_have_text("Hold")
    expect(timer(page)).to_have_text("0:30")
    page.clock.run_for(12_000)
    expect(timer(page)).to_have_text("0:18")
    expect(page.locator("[data-bind=left]")).to_have_text("5 min")  # 303 s of 320 s
    page.clock.run_for(18_000)
    expect(heading(page)).to_have_text("Flow Pose 2")
    expect(count(page)).to_have_text("Step 2 of 6")
    expect(page.locator("[data-bind=side]")).to_have_text("Right side")
    expect(page.locator("[data-bind=next]")).to_have_text("Flow Pose 2, left side (30 s)")
    expect(page).to_have_url(stop_url(live_server, 2))
    expect(page.locator("[aria-live=polite]")).to_have_text("Step 2 of 6: Flow Pose 2, Right side")
    expect(phase(page)).to_have_text("Get ready")
    # Moving on by itself leaves focus where it was.
    assert page.evaluate("document.activeElement.id") != "stop-title"


def test_countdown_is_a_quiet_timer_and_stop_changes_are_announced_once(page, live_server, routine):
    open_player(page, live_server)
    assert timer(page).get_attribute("aria-live") == "off"
    assert page.locator("[aria-live=polite]").count() == 1


def test_space_pauses_and_resumes(page, live_server, routine):
    open_player(page, live_server)
    page.keyboard.press("Space")
    page.clock.run_for(READY_MS + 10_000)
    expect(timer(page)).to_have_text("0:20")
    page.keyboard.press("Space")
    expect(phase(page)).to_have_text("Paused")
    expect(page.get_by_role("button", name="Resume", exact=True)).to_be_visible()
    page.clock.run_for(60_000)
    expect(timer(page)).to_have_text("0:20")
    expect(count(page)).to_have_text("Step 1 of 6")
    page.keyboard.press("Space")
    expect(phase(page)).to_have_text("Hold")
    page.clock.run_for(19_000)
    expect(timer(page)).to_have_text("0:01")
    page.clock.run_for(1_000)
    expect(count(page)).to_have_text("Step 2 of 6")


def test_arrow_keys_move_between_stops_and_r_restarts_the_stop(page, live_server, routine):
    open_player(page, live_server)
    page.keyboard.press("ArrowRight")
    expect(count(page)).to_have_text("Step 2 of 6")
    expect(page).to_have_url(stop_url(live_server, 2))
    expect(page.locator("#stop-title")).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(count(page)).to_have_text("Step 2 of 6")
    page.keyboard.press("ArrowLeft")
    expect(count(page)).to_have_text("Step 2 of 6")
    page.keyboard.press("Space")
    page.clock.run_for(READY_MS + 12_000)
    expect(timer(page)).to_have_text("0:18")
    page.keyboard.press("r")
    expect(phase(page)).to_have_text("Get ready")
    expect(timer(page)).to_have_text("0:05")
    expect(count(page)).to_have_text("Step 2 of 6")
    page.go_back()  # each manual move is a step in the browser's history
    expect(count(page)).to_have_text("Step 2 of 6")
    expect(page).to_have_url(stop_url(live_server, 3))


def test_buttons_do_what_the_keys_do(page, live_server, routine):
    open_player(page, live_server)
    page.get_by_role("button", name="Next stop").click()
    expect(count(page)).to_have_text("Step 2 of 6")
    page.get_by_role("button", name="Previous stop").click()
    expect(count(page)).to_have_text("Step 1 of 6")
    start(page)
    page.clock.run_for(READY_MS + 25_000)
    expect(timer(page)).to_have_text("0:05")
    page.get_by_role("button", name="+15 s for this hold").click()
    expect(timer(page)).to_have_text("0:20")
    page.get_by_role("button", name="Restart this stop").click()
    expect(phase(page)).to_have_text("Get ready")
    page.get_by_role("button", name="Pause").click()
    expect(phase(page)).to_have_text("Paused")


def test_both_sides_run_right_then_left(page, live_server, routine):
    open_player(page, live_server, 2)
    start(page)
    expect(page.locator("[data-bind=side]")).to_have_text("Right side")
    page.clock.run_for(READY_MS + 30_000)
    expect(count(page)).to_have_text("Step 2 of 6")
    expect(heading(page)).to_have_text("Flow Pose 2")
    expect(page.locator("[data-bind=side]")).to_have_text("Left side")
    # No 3-2-1 before changing sides: the pose stays the same.
    assert page.evaluate("window.spoken") == ["Flow Pose 2. Right side.", "Switch sides. Left side."]


def test_rounds_are_counted_within_the_stop(page, live_server, routine):
    open_player(page, live_server, 4)
    start(page)
    page.clock.run_for(READY_MS)
    expect(page.locator("[data-bind=round]")).to_have_text("Round 1 of 3")
    page.clock.run_for(30_000)
    expect(page.locator("[data-bind=round]")).to_have_text("Round 2 of 3")
    expect(count(page)).to_have_text("Step 3 of 6")
    page.clock.run_for(60_000)
    expect(count(page)).to_have_text("Step 4 of 6")


def test_manual_step_waits_then_finishes_with_the_time_practised(page, live_server, routine):
    open_player(page, live_server, 8)
    start(page)
    page.clock.run_for(READY_MS + 10_000)
    page.keyboard.press("Space")  # a pause is not practice
    page.clock.run_for(100_000)
    page.keyboard.press("Space")
    page.clock.run_for(20_000)
    expect(phase(page)).to_have_text("Time is up")
    page.clock.run_for(10_000)
    expect(count(page)).to_have_text("Step 6 of 6")
    page.keyboard.press("Space")  # the main control is now "Next"
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    expect(page.locator("[data-bind=practised]")).to_have_text("45 s")
    expect(page.get_by_text("Settings")).to_be_hidden()
    expect(page).to_have_url(f"{live_server.url}/routines/flow/play/finish/")
    assert page.evaluate("localStorage.getItem('yogasite:player:flow')") is None


def test_fifteen_more_seconds_after_a_manual_step_waits_again(page, live_server, routine):
    open_player(page, live_server, 8)
    start(page)
    page.clock.run_for(READY_MS + 30_000)
    expect(phase(page)).to_have_text("Time is up")
    page.get_by_role("button", name="+15 s for this hold").click()
    expect(phase(page)).to_have_text("Hold")
    expect(timer(page)).to_have_text("0:15")
    page.clock.run_for(15_000)
    expect(phase(page)).to_have_text("Time is up")
    expect(count(page)).to_have_text("Step 6 of 6")


def test_time_stays_right_when_the_tab_is_throttled(page, live_server, routine):
    open_player(page, live_server)
    start(page)
    # Jump 85 s at once, firing due timers at most once: as a throttled background tab would.
    page.clock.fast_forward(READY_MS + 30_000 + READY_MS + 30_000 + READY_MS + 10_000)
    expect(count(page)).to_have_text("Step 2 of 6")
    expect(timer(page)).to_have_text("0:20")


def test_reload_offers_to_resume_at_the_same_stop(page, live_server, routine):
    open_player(page, live_server)
    start(page)
    page.clock.run_for(READY_MS + 30_000 + READY_MS + 10_000)
    expect(count(page)).to_have_text("Step 2 of 6")
    page.reload()
    expect(page).to_have_url(stop_url(live_server, 2))
    prompt = page.get_by_role("region", name="Resume your practice")
    expect(prompt).to_contain_text("You stopped at step 2 of 6: Flow Pose 2, right side, with 0:20 of the hold left.")
    page.get_by_role("button", name="Resume at step 2").click()
    expect(prompt).to_be_hidden()
    expect(count(page)).to_have_text("Step 2 of 6")
    expect(timer(page)).to_have_text("0:20")
    expect(phase(page)).to_have_text("Hold")


def test_start_over_goes_back_to_the_first_stop(page, live_server, routine):
    open_player(page, live_server, 5)
    start(page)
    page.clock.run_for(2_000)
    page.reload()
    page.get_by_role("button", name="Start over").click()
    expect(count(page)).to_have_text("Step 1 of 6")
    expect(phase(page)).to_have_text("Get ready")


def test_screen_is_kept_awake_only_while_playing(page, live_server, routine):
    open_player(page, live_server)
    start(page)
    page.clock.run_for(1_000)
    assert page.evaluate("window.locks.map((l) => [l.type, l.released])") == [["screen", False]]
    page.keyboard.press("Space")
    page.clock.run_for(1_000)
    assert page.evaluate("window.locks.every((l) => l.released)")


def test_settings_stay_and_change_the_holds(page, live_server, routine):
    open_player(page, live_server, 4)
    page.get_by_text("Settings").click()
    page.get_by_label("Length of the holds").select_option("2")
    page.get_by_label("One breath, in seconds").fill("6")
    page.get_by_label("One breath, in seconds").dispatch_event("change")
    page.get_by_label("Get ready, in seconds").fill("3")
    page.get_by_label("Get ready, in seconds").dispatch_event("change")
    voice = page.get_by_role("button", name="Voice", exact=True)
    voice.click()
    expect(voice).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-bind=hold]")).to_have_text("6 breaths, about 72 s")  # 6 × 6 s × 2
    page.reload()
    expect(page.locator("[data-bind=hold]")).to_have_text("6 breaths, about 72 s")
    page.get_by_text("Settings").click()
    expect(page.get_by_label("Length of the holds")).to_have_value("2")
    expect(page.get_by_role("button", name="Voice", exact=True)).to_have_attribute("aria-pressed", "false")
    start(page)
    expect(timer(page)).to_have_text("0:03")
    page.clock.run_for(3_000 + 70_000)
    assert page.evaluate("window.spoken") == []


def test_level_links_change_the_variation_without_leaving_the_stop(page, live_server, routine):
    open_player(page, live_server, 4)
    expect(page.locator("[data-bind=variationTitle]")).to_have_text("Beginner variation")
    page.get_by_role("link", name="Advanced").click()
    expect(page.locator("[data-bind=variationTitle]")).to_have_text("Advanced variation")
    expect(page.locator("[data-bind=variationText]")).to_have_text("Harder: lift higher in step 3.")
    expect(page).to_have_url(stop_url(live_server, 4, "?level=advanced"))
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(stop_url(live_server, 5, "?level=advanced"))
    expect(page.locator("[data-bind=variationText]")).to_have_text("Harder: lift higher in step 4.")
    page.goto(stop_url(live_server, 1))  # the chosen level stays
    expect(page.locator("[data-bind=variationTitle]")).to_have_text("Advanced variation")


def test_without_speech_the_tone_stands_in(page, live_server, routine):
    page.add_init_script("delete window.speechSynthesis; delete Window.prototype.speechSynthesis;")
    install_clock(page)
    page.goto(stop_url(live_server, 1))
    page.get_by_text("Settings").click()
    expect(page.get_by_role("button", name="Voice", exact=True)).to_be_disabled()
    expect(page.get_by_text("This browser cannot speak")).to_be_visible()
    start(page)
    page.clock.run_for(READY_MS + 30_000)
    expect(count(page)).to_have_text("Step 2 of 6")


def test_stop_by_stop_without_javascript(browser, live_server, routine):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/routines/flow/")
    page.get_by_role("link", name="Start practice").first.click()
    for number, step in enumerate([1, 2, 2, 3, 4, 5, 5, 6], start=1):
        expect(page).to_have_url(stop_url(live_server, number))
        expect(page.locator("[data-bind=count]")).to_have_text(f"Step {step} of 6")
        expect(page.get_by_role("button", name="Start")).to_be_hidden()
        page.get_by_role("link", name="Finish" if number == 8 else "Next stop").click()
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    context.close()


def test_controls_are_big_enough_to_hit_on_a_phone(phone_page, live_server, routine):
    open_player(phone_page, live_server)
    buttons = phone_page.locator(".player-controls button")
    assert buttons.count() == 5
    for index in range(buttons.count()):
        box = buttons.nth(index).bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44


def test_breath_pacer_follows_the_breath_and_keeps_still_for_reduced_motion(page, live_server, routine):
    open_player(page, live_server, 4)  # 6 breaths of 5 s, 3 rounds
    pacer = page.locator("[data-bind=pacer]")
    ring = page.locator(".player-pacer__ring")
    start(page)
    page.clock.run_for(READY_MS + 12_000)
    expect(pacer).to_be_visible()
    expect(page.locator("[data-bind=breathCount]")).to_have_text("Breath 3 of 6")
    assert ring.evaluate("(node) => getComputedStyle(node).animationName") == "breathe"
    assert ring.evaluate("(node) => getComputedStyle(node).animationDuration") == "5s"
    page.emulate_media(reduced_motion="reduce")
    assert ring.evaluate("(node) => getComputedStyle(node).animationName") == "none"
    expect(page.locator("[data-bind=breathCount]")).to_have_text("Breath 3 of 6")
    page.keyboard.press("ArrowRight")  # a hold in seconds: no pacer
    expect(pacer).to_be_hidden()
