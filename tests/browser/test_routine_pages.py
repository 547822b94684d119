"""The routine pages with the demo content, in real Chromium: the printed cheat sheet, accessibility,
and screenshots at phone and desktop sizes, in light and dark, for a person to look at."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from routines.models import RoutineStep

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"
SLUG = "back-strengthening-flow"


@pytest.fixture
def demo():
    call_command("import_content", str(DEMO), verbosity=0)


def test_cheat_sheet_of_the_demo_routine_prints_on_one_a4_page(page, live_server, demo, screenshot):
    page.goto(f"{live_server.url}/routines/{SLUG}/cheatsheet/")
    expect(page.locator(".cheat")).to_have_count(RoutineStep.objects.filter(routine__slug=SLUG).count())
    # Every thumbnail loaded, so the sheet is printed as it will look.
    page.wait_for_function("[...document.images].every((image) => image.complete && image.naturalWidth > 0)")
    pdf = page.pdf(format="A4", print_background=True)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    out = screenshot(page, "cheatsheet-screen").with_name("cheatsheet-print.pdf")
    out.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(out), str(out.with_suffix(""))], check=True)


PAGES = {
    "routine list": "/routines/",
    "routine page": f"/routines/{SLUG}/",
    "player stop": f"/routines/{SLUG}/play/3/",
    "cheat sheet": f"/routines/{SLUG}/cheatsheet/",
}


def test_routine_pages_have_no_accessibility_violations(page, live_server, demo, axe):
    for name, path in PAGES.items():
        page.goto(live_server.url + path)
        violations = axe(page)
        assert not violations, f"{name}: {violations.report()}"
    # The player once it runs: the practice view, then the page with its settings open.
    page.goto(live_server.url + PAGES["player stop"])
    page.get_by_role("button", name="Start", exact=True).click()
    violations = axe(page)
    assert not violations, f"practice view: {violations.report()}"
    page.keyboard.press("Escape")
    page.get_by_text("Settings").click()
    violations = axe(page)
    assert not violations, f"running player: {violations.report()}"


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_routine_page_and_player_in_light_and_dark(page, phone_page, live_server, demo, screenshot):
    for browser_page in (page, phone_page):
        for scheme in ("light", "dark"):
            browser_page.emulate_media(color_scheme=scheme)
            browser_page.goto(f"{live_server.url}/routines/{SLUG}/")
            assert fits_the_width(browser_page)
            screenshot(browser_page, f"routine-page-{scheme}")
            browser_page.goto(f"{live_server.url}/routines/{SLUG}/play/3/")
            expect(browser_page.get_by_role("button", name="Start", exact=True)).to_be_visible()
            assert fits_the_width(browser_page)
            screenshot(browser_page, f"player-stop-{scheme}")
    page.goto(f"{live_server.url}/routines/")
    screenshot(page, "routine-list")
