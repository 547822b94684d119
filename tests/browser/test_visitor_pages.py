"""What a visitor does with the body map, the library's filters on a phone, and the routine page on
paper, in real Chromium."""

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from poses.bodymap import MUSCLES
from poses.models import PoseCaution
from routines.models import Routine
from tests.factories import CategoryFactory, MuscleFactory, complete_pose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_NO_JS = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "java_script_enabled": False,
}


@pytest.fixture
def library():
    """Every muscle the body map draws, and a few poses that work them."""
    muscles = {slug: MuscleFactory(slug=slug, name=shape.name) for slug, shape in MUSCLES.items()}
    category = CategoryFactory(slug="backbends", name="Backbends")
    backbend = complete_pose(
        name="Backbend",
        slug="backbend",
        category=category,
        primary=[muscles["lower-back"], muscles["middle-back"]],
        secondary=[muscles["glutes"], muscles["shoulders"]],
    )
    PoseCaution.objects.create(pose=backbend, position=0, text="Skip it with a wrist or lower-back injury.")
    PoseCaution.objects.create(pose=backbend, position=1, text="Leave it out with high blood pressure.")
    backbend.hold_value, backbend.hold_kind = 5, "breaths"
    backbend.save()
    image = backbend.main_image
    image.credit, image.side = "Drawing: A. Rao, CC BY 4.0", "right"
    image.save()
    for n in range(3):
        complete_pose(name=f"Standing {n}", primary=[muscles["quadriceps"]], secondary=[muscles["calves"]])
    return muscles


def map_link(page, slug: str):
    return page.locator(f'a.bm-link[data-muscle="{slug}"]:not([tabindex="-1"])')


def on_the_muscle(link) -> dict:
    """A point inside the figure's right-hand drawing of the muscle: the middle of a link's box falls
    on the spine between the two sides."""
    box = link.bounding_box()
    return {"x": box["width"] * 0.25, "y": box["height"] * 0.5}


def test_body_map_muscles_are_links_by_mouse(page, live_server, library):
    page.goto(f"{live_server.url}/poses/backbend/")
    link = map_link(page, "lower-back")
    label = link.locator(".bm-name")
    expect(label).to_be_hidden()
    spot = on_the_muscle(link)  # measured before the name shows, which widens the link's box
    link.hover(position=spot)
    expect(label).to_be_visible()
    expect(label).to_have_text("Lower Back")
    link.click(position=spot)
    page.wait_for_url("**/muscles/lower-back/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lower Back")
    # The muscle page shades its own muscle and marks its link as the current page.
    current = page.locator('a.bm-link[aria-current="page"]')
    expect(current.first).to_have_attribute("data-muscle", "lower-back")
    expect(current.first.locator("path")).to_have_class(re.compile(r"\bbm-primary\b"))


def test_body_map_muscles_are_reached_and_followed_by_keyboard(page, live_server, library):
    page.goto(f"{live_server.url}/muscles/")
    # Every drawn muscle is one tab stop, however many views draw it.
    stops = page.locator('.bm-figure a.bm-link:not([tabindex="-1"])')
    expect(stops).to_have_count(len(MUSCLES))
    hrefs = set(stops.evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert hrefs == {f"/muscles/{slug}/" for slug in MUSCLES}

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('bm-link')"):
            break
    else:
        pytest.fail("Tab never reached the body map")
    slug = page.evaluate("document.activeElement.dataset.muscle")
    focused = map_link(page, slug)
    expect(focused.locator(".bm-name")).to_be_visible()
    expect(focused.locator(".bm-name")).to_have_text(MUSCLES[slug].name)
    page.keyboard.press("Tab")
    following = page.evaluate("document.activeElement.dataset.muscle")
    assert following and following != slug
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/muscles/{following}/")


def test_body_map_links_work_without_javascript(browser, live_server, library):
    context = browser.new_context(**PHONE_NO_JS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/poses/backbend/")
        # On a phone the map comes before the list of muscles, at a size a finger can aim at.
        box = page.locator(".muscles__map svg").bounding_box()
        lists = page.locator(".muscles__lists").bounding_box()
        assert box["y"] < lists["y"] and box["width"] >= 300
        glutes = map_link(page, "glutes")
        glutes.click(position=on_the_muscle(glutes))
        page.wait_for_url("**/muscles/glutes/")
    finally:
        context.close()


def test_pose_page_map_sits_beside_the_muscle_list_on_a_wide_screen(page, live_server, library):
    page.goto(f"{live_server.url}/poses/backbend/")
    box = page.locator(".muscles__map svg").bounding_box()
    lists = page.locator(".muscles__lists").bounding_box()
    assert box["x"] + box["width"] <= lists["x"] and abs(box["y"] - lists["y"]) < 200
    assert box["width"] >= 300


def filters_fold(page):
    summary = page.locator(".filters__toggle")
    category = page.locator("#filter-category")
    return summary, category


def test_library_filters_fold_on_a_phone_with_javascript(phone_page, live_server, library):
    phone_page.goto(f"{live_server.url}/poses/?category=backbends&level=beginner")
    summary, category = filters_fold(phone_page)
    expect(summary).to_have_text(re.compile(r"Filters\s*\(2\)"))
    expect(category).to_be_hidden()
    # The poses start on the first screen, not below the filters.
    assert phone_page.locator(".card").first.bounding_box()["y"] < 844
    summary.click()
    expect(category).to_be_visible()
    phone_page.select_option("#filter-category", "")
    phone_page.get_by_role("button", name="Show poses").click()
    phone_page.wait_for_url("**/poses/?level=beginner")
    expect(phone_page.locator(".filters__toggle")).to_have_text(re.compile(r"Filters\s*\(1\)"))


def test_library_filters_fold_on_a_phone_without_javascript(browser, live_server, library):
    context = browser.new_context(**PHONE_NO_JS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/poses/")
        summary, category = filters_fold(page)
        expect(summary).to_have_text(re.compile(r"Filters\s*\(0\)"))
        expect(category).to_be_hidden()
        summary.click()
        expect(category).to_be_visible()
        page.select_option("#filter-category", "backbends")
        page.get_by_role("button", name="Show poses").click()
        page.wait_for_url(re.compile(r".*/poses/\?.*category=backbends.*"))
        assert page.locator(".card__title").all_inner_texts() == ["Backbend"]
    finally:
        context.close()


def test_library_filters_are_open_on_a_wide_screen(page, live_server, library):
    page.goto(f"{live_server.url}/poses/")
    summary, category = filters_fold(page)
    expect(category).to_be_visible()
    expect(summary).to_be_hidden()


def test_muscle_pages_and_a_pose_page_with_cautions_have_no_accessibility_violations(page, live_server, library, axe):
    for path in ("/muscles/", "/muscles/lower-back/", "/poses/backbend/"):
        page.goto(live_server.url + path)
        if path == "/poses/backbend/":
            expect(page.get_by_role("heading", name="Take care if…")).to_be_visible()
        violations = axe(page)
        assert not violations, f"{path}: {violations.report()}"
    # With a muscle's name showing, as a keyboard user sees it.
    page.goto(f"{live_server.url}/muscles/")
    map_link(page, "chest").focus()
    violations = axe(page)
    assert not violations, violations.report()


def headings_ending_pages(pdf: bytes, headings: set[str]) -> list[tuple[int, str]]:
    """(page number, heading) for each page whose last line of text is a heading."""
    stranded = []
    for number, pdf_page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):
        lines = [line.strip() for line in pdf_page.extract_text().splitlines() if line.strip()]
        if lines and lines[-1] in headings:
            stranded.append((number, lines[-1]))
    return stranded


DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"
ROUTINE = "back-strengthening-flow"


@pytest.fixture
def demo():
    call_command("import_content", str(DEMO), verbosity=0)


def load_every_image(page):
    """Lazy pictures below the fold stay blank in a full-page screenshot or a PDF unless loaded first."""
    page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach(img => { img.loading = "eager"; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
        }"""
    )


def test_printed_routine_page_is_a_clean_article_with_no_heading_left_at_a_page_foot(
    page, live_server, demo, screenshot
):
    page.goto(f"{live_server.url}/routines/{ROUTINE}/")
    load_every_image(page)
    routine = Routine.objects.get(slug=ROUTINE)
    headings = {"The routine, step by step", "Before you start", "Related routines"}
    headings |= {step.section_title for step in routine.steps.all() if step.section_title}
    # Nor a step's name or Sanskrit name without its instructions.
    for number, step in enumerate(routine.steps.select_related("pose").order_by("position", "pk"), start=1):
        headings.add(f"{number}. {step.display_title}")
        if step.pose and step.pose.sanskrit_name:
            headings.add(step.pose.sanskrit_name)
    pdf = page.pdf(format="A4", print_background=True)
    assert headings_ending_pages(pdf, headings) == []
    reader = PdfReader(io.BytesIO(pdf))
    # 25 steps with their variations: a short article, where the screen layout printed 8 pages.
    assert len(reader.pages) <= 6
    printed = " ".join(pdf_page.extract_text() for pdf_page in reader.pages)
    for left_out in ("Start practice", "Printable cheat sheet", "The sequence at a glance", "Skip to"):
        assert left_out not in printed
    assert "25. Return Slowly" in printed
    # Pictures stay small on paper.
    page.emulate_media(media="print")
    widths = page.locator(".routine-step__media img").evaluate_all("imgs => imgs.map(i => i.clientWidth)")
    assert widths and max(widths) <= 100
    page.emulate_media(media="screen")
    out = screenshot(page, "routine-page-screen").with_name("routine-page-print.pdf")
    out.write_bytes(pdf)
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(out.with_suffix(""))], check=True)


def test_pose_routine_and_library_pages_at_phone_and_desktop_widths(page, phone_page, live_server, demo, screenshot):
    for browser_page in (page, phone_page):
        for name, path in (
            ("pose-page", "/poses/backbend/"),
            ("routine-page", f"/routines/{ROUTINE}/"),
            ("library", "/poses/"),
            ("muscles", "/muscles/"),
        ):
            browser_page.goto(live_server.url + path)
            load_every_image(browser_page)
            assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), name
            screenshot(browser_page, f"visitor-{name}")
    # All 42 demo poses on one page of the library.
    page.goto(f"{live_server.url}/poses/")
    expect(page.locator(".cards .card")).to_have_count(42)
