"""The player on the mat, in real Chromium with the demo content and Playwright's clock: the whole
demo routine played through in the time its page states and within a budget of spoken cues, the
practice view fitting phones either way up, no layout shift, and accessibility in light and dark.

Speech and tones are recorded instead of performed (headless Chromium has no voice or speakers).
"""

import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from routines import timing
from routines.models import Routine
from tests.conftest import SCREENSHOTS, TIMEOUT_MS
from tests.factories import complete_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"
SLUG = "back-strengthening-flow"
CLOCK_START = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)

RECORDERS = """
window.spoken = [];
window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
Object.defineProperty(window, "speechSynthesis", {
  configurable: true,
  value: { speak(u) { window.spoken.push(u.text); }, cancel() {} },
});
window.tones = [];
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.state = "running"; this.destination = {}; }
  resume() {}
  createOscillator() {
    const oscillator = { frequency: { value: 0 }, connect: (node) => node, stop() {},
      start() { window.tones.push(oscillator.frequency.value); } };
    return oscillator;
  }
  createGain() {
    return { gain: { setValueAtTime() {}, exponentialRampToValueAtTime() {} }, connect: (node) => node };
  }
};
"""

# Every layout shift the page makes, from its first paint: a CLS of 0 means this stays empty.
SHIFTS = """
window.shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    window.shifts.push({ value: entry.value, input: entry.hadRecentInput,
      nodes: entry.sources.map((s) => s.node && (s.node.className || s.node.nodeName)) });
  }
}).observe({ type: "layout-shift", buffered: true });
"""

SIZES = {
    "phone-360x640": (360, 640),
    "phone-390x664": (390, 664),
    "landscape-640x360": (640, 360),
    "landscape-844x390": (844, 390),
    "desktop-1280x800": (1280, 800),
}
# What a practitioner 2 m away must see at once, by selector.
ON_SCREEN = {
    "pose name": "[data-bind=title]",
    "side": "[data-bind=side]",
    "countdown": "[data-bind=timer]",
    "round": "[data-bind=round]",
    "picture": "[data-bind=img]",
    "main control": "[data-bind=toggle]",
    "progress": "[data-bind=progress]",
    "time left": "[data-bind=left]",
    "up next": "[data-bind=next]",
    "leave": "[data-act=leave]",
}


@pytest.fixture
def demo():
    call_command("import_content", str(DEMO), verbosity=0)
    return Routine.objects.get(slug=SLUG)


def new_page(browser, width, height, scheme="light", **options):
    phone = width < 900
    context = browser.new_context(
        viewport={"width": width, "height": height},
        is_mobile=phone,
        has_touch=phone,
        device_scale_factor=2 if phone else 1,
        color_scheme=scheme,
        **options,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.add_init_script(RECORDERS)
    page.clock.install(time=CLOCK_START)
    page.clock.pause_at(CLOCK_START + datetime.timedelta(seconds=1))
    return context, page


def start(page):
    page.get_by_role("button", name="Start", exact=True).click()


def phase(page) -> str:
    return page.locator("[data-player]").get_attribute("data-phase")


def play_through(page) -> int:
    """Lets the routine run, pressing Next the moment a step waits; returns the milliseconds it took."""
    elapsed = 0
    while (current := phase(page)) != "done":
        if current == "wait":
            page.keyboard.press("Space")
            continue
        page.clock.run_for(1000)
        elapsed += 1000
        assert elapsed < 4 * 3600 * 1000, "the routine never ended"
    return elapsed


def test_demo_routine_plays_through_in_its_stated_time_within_a_budget_of_spoken_cues(browser, live_server, demo):
    context, page = new_page(browser, 390, 664)
    page.goto(f"{live_server.url}/routines/{SLUG}/play/1/")
    start(page)
    took = play_through(page) / 1000
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()

    stated = demo.duration_seconds
    assert abs(took - stated) <= stated / 100, f"played in {took} s, the routine page says {stated} s"

    spoken = page.evaluate("window.spoken")
    stops = timing.expand_stops(demo)
    long_before_new_pose = sum(
        1
        for stop, after in zip(stops, stops[1:], strict=False)
        if stop.rep_seconds >= 10 and after.step is not stop.step and stop.step.advance != "manual"
    )
    manual = sum(1 for stop in stops if stop.step.advance == "manual")
    # One cue as each stop starts, a 3-2-1 only before a new pose after a long hold, "Time is up"
    # where a step waits, and "Well done".
    budget = len(stops) + 3 * long_before_new_pose + manual + 1
    assert len(spoken) <= budget, spoken
    assert not [text for text in spoken if text.startswith("Round")]
    # Cat-Cow, 8 rounds of one breath: named once with its rounds, then only soft tones.
    cat_cow = next(i for i, text in enumerate(spoken) if text.startswith("Cat-Cow"))
    assert spoken[cat_cow] == "Cat-Cow. 8 rounds."
    assert spoken[cat_cow + 1][0].isalpha(), spoken[cat_cow : cat_cow + 3]
    # No count at the end of Savasana (it waits) nor of the final rest.
    assert spoken[-3:] == ["Time is up.", f"{stops[-1].title}.", "Well done. The routine is finished."]
    assert not any(text.isdigit() for text in spoken[-4:])  # from Savasana on
    context.close()


def test_practice_view_fits_every_screen_readable_from_two_metres(browser, live_server, demo, axe):
    """Step 2 of the demo, left side: a picture, a side and rounds, all on show at once."""
    problems = []
    for name, (width, height) in SIZES.items():
        for scheme in ["light", "dark"]:
            context, page = new_page(browser, width, height, scheme)
            page.goto(f"{live_server.url}/routines/{SLUG}/play/3/")
            start(page)
            page.clock.run_for(6_000)
            expect(page.locator("[data-bind=round]")).to_have_text("Round 1 of 3")
            page.wait_for_function("document.querySelector('[data-bind=img]').complete")
            for label, selector in ON_SCREEN.items():
                box = page.locator(selector).bounding_box()
                inside = box and box["x"] >= 0 and box["y"] >= 0
                inside = inside and box["x"] + box["width"] <= width + 0.5 and box["y"] + box["height"] <= height + 0.5
                if not inside:
                    problems.append(f"{name} {scheme}: {label} is not inside the screen ({box})")
            scroll = page.evaluate("[document.scrollingElement.scrollHeight, document.scrollingElement.scrollWidth]")
            if scroll[0] > height or scroll[1] > width:
                problems.append(f"{name} {scheme}: the page scrolls ({scroll})")
            timer = page.locator("[data-bind=timer]")
            box, font = timer.bounding_box(), timer.evaluate("(n) => parseFloat(getComputedStyle(n).fontSize)")
            if font < height / 4 or box["height"] > 1.2 * font:
                problems.append(f"{name}: the countdown is {font:.0f} px on {box['height']:.0f} px for {height} px")
            picture = page.locator("[data-bind=img]").bounding_box()
            if picture["height"] < height / 5:
                problems.append(f"{name}: the picture is only {picture['height']:.0f} px high")
            for label in ["title", "side"]:
                size = page.locator(f"[data-bind={label}]").evaluate("(n) => parseFloat(getComputedStyle(n).fontSize)")
                if size < 32:
                    problems.append(f"{name}: the {label} is {size} px")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"practice-view-{name}-{scheme}.png"))
            if name in {"phone-390x664", "landscape-844x390"}:
                page.keyboard.press("Space")  # paused, so that axe's own timers run with the clock
                page.clock.resume()
                violations = axe(page)
                if violations:
                    problems.append(f"{name} {scheme}: {violations.report()}")
            context.close()
    assert not problems, "\n".join(problems)


def test_the_page_does_not_shift_when_the_script_takes_over(browser, live_server, demo):
    for path in [f"/routines/{SLUG}/play/3/", f"/routines/{SLUG}/play/12/", "/practice/", f"/routines/{SLUG}/"]:
        context, page = new_page(browser, 390, 664)
        page.add_init_script(SHIFTS)
        page.goto(live_server.url + path, wait_until="load")
        page.wait_for_function("document.fonts.status === 'loaded'")
        page.clock.run_for(2_000)  # the script's first paints, frames included (the clock drives them)
        assert page.evaluate("window.shifts") == [], path
        context.close()


def test_leaving_the_practice_view_brings_back_the_page(browser, live_server):
    complete_routine(steps=6, slug="flow", title="Morning Flow")
    context, page = new_page(browser, 390, 664)
    page.goto(f"{live_server.url}/routines/flow/play/1/")
    header = page.locator(".site-header")
    expect(header).to_be_visible()
    start(page)
    expect(header).to_be_hidden()
    expect(page.locator(".player-how")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(header).to_be_visible()
    expect(page.locator("[data-bind=phase]")).to_have_text("Paused")
    page.get_by_role("button", name="Resume", exact=True).click()
    expect(header).to_be_hidden()
    page.get_by_role("button", name="Leave the practice view").click()
    expect(header).to_be_visible()
    context.close()


def test_a_step_that_waits_turns_the_main_control_into_next_and_chimes_until_answered(browser, live_server):
    complete_routine(steps=6, slug="flow", title="Morning Flow")
    context, page = new_page(browser, 390, 844)
    page.goto(f"{live_server.url}/routines/flow/play/8/")  # the last step waits for the practitioner
    start(page)
    page.clock.run_for(5_000 + 30_000)
    main = page.locator("[data-bind=toggle]")
    expect(main).to_have_text("Next")
    expect(main).to_be_in_viewport(ratio=1)
    expect(page.locator("[data-bind=phase]")).to_have_text("Time is up")
    chimes = page.evaluate("window.tones.filter((f) => f === 520).length")
    page.clock.run_for(8_000)
    assert page.evaluate("window.tones.filter((f) => f === 520).length") == chimes + 1
    page.clock.run_for(16_000)
    assert page.evaluate("window.tones.filter((f) => f === 520).length") == chimes + 3
    assert page.evaluate("window.spoken").count("Time is up.") == 1
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Well done")).to_be_visible()
    context.close()


def test_coaching_voice_reads_the_instructions_once_as_the_hold_begins(browser, live_server):
    complete_routine(steps=6, slug="flow", title="Morning Flow")
    context, page = new_page(browser, 1280, 800)
    page.goto(f"{live_server.url}/routines/flow/play/4/")
    coaching = page.get_by_role("button", name="Coaching voice")
    page.get_by_text("Settings").click()
    expect(coaching).to_have_attribute("aria-pressed", "false")  # off unless asked for
    coaching.click()
    start(page)
    page.clock.run_for(5_000 + 90_000)
    spoken = page.evaluate("window.spoken")
    coached = "Settle into step 3. Breathe slowly and stay steady. Easier: bend the knees in step 3."
    assert spoken.count(coached) == 1
    assert spoken[:2] == ["Flow Pose 3. 3 rounds.", coached]
    context.close()


def test_settings_change_the_time_left_and_the_routine_page_says_how_long_it_takes(browser, live_server):
    complete_routine(steps=6, slug="flow", title="Morning Flow")
    context, page = new_page(browser, 1280, 800)
    page.goto(f"{live_server.url}/routines/flow/")
    expect(page.locator("[data-your-duration]")).to_be_hidden()
    page.goto(f"{live_server.url}/routines/flow/play/1/")
    expect(page.locator("[data-bind=left]")).to_have_text("5 min")  # 320 s
    page.get_by_text("Settings").click()
    page.get_by_label("Length of the holds").select_option("2")
    expect(page.locator("[data-bind=left]")).to_have_text("10 min")  # 560 s of holds + 40 s
    page.goto(f"{live_server.url}/routines/flow/")
    expect(page.locator("[data-your-duration]")).to_have_text("With your player settings it takes 10 min.")
    context.close()


def test_the_other_side_shows_the_picture_mirrored(browser, live_server):
    from poses.models import PoseImage

    complete_routine(steps=6, slug="flow", title="Morning Flow")
    PoseImage.objects.filter(pose__name="Flow Pose 2").update(side="right")
    context, page = new_page(browser, 390, 664)
    page.goto(f"{live_server.url}/routines/flow/play/1/")
    picture = page.locator("[data-bind=img]")
    flipped = "(node) => getComputedStyle(node).transform"
    start(page)
    page.clock.run_for(5_000 + 30_000)  # into step 2, right side: as drawn
    expect(page.locator("[data-bind=side]")).to_have_text("Right side")
    assert picture.evaluate(flipped) == "none"
    page.clock.run_for(5_000 + 30_000)  # left side: mirrored
    expect(page.locator("[data-bind=side]")).to_have_text("Left side")
    assert picture.evaluate(flipped) == "matrix(-1, 0, 0, 1, 0, 0)"
    page.clock.run_for(5_000 + 90_000)  # step 3, a picture with no side: never mirrored
    expect(page.locator("[data-bind=title]")).to_have_text("Flow Pose 3")
    assert picture.evaluate(flipped) == "none"
    context.close()
