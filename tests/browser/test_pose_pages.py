"""The public pose pages in real Chromium: filters, layout from phone to desktop, accessibility."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.factories import CategoryFactory, EquipmentFactory, backbend_pose, complete_pose

pytestmark = pytest.mark.browser

DEMO = Path(__file__).resolve().parents[2] / "demo" / "content.json"


@pytest.fixture
def studio(transactional_db):
    """A small library with pictures, so that image rules and layout are exercised."""
    backbend = backbend_pose()
    lower_back, glutes = backbend.primary_muscles[0], backbend.secondary_muscles[1]
    standing = CategoryFactory(slug="standing", name="Standing", description="Poses on your feet.")
    block = EquipmentFactory(slug="block", name="Block")
    complete_pose(
        name="Supported Bridge",
        slug="supported-bridge",
        category=backbend.category,
        primary=[lower_back],
        equipment=[block],
    )
    # Works the same primary muscles with another prop, and is not among Backbend's related poses.
    complete_pose(
        name="Chair Backbend",
        category=CategoryFactory(slug="chair-yoga", name="Chair Yoga"),
        primary=backbend.primary_muscles,
        equipment=[EquipmentFactory(slug="chair", name="Chair")],
    )
    for name in ["Mountain Pose", "Warrior II", "Tree Pose", "Chair Pose"]:
        complete_pose(name=name, category=standing, primary=[glutes], level="beginner")


def card_names(page) -> list[str]:
    return page.locator(".card__title a").all_inner_texts()


def load_every_image(page):
    """A full-page screenshot does not scroll, so lazy pictures below the fold would stay blank."""
    page.evaluate(
        """async () => {
            const images = Array.from(document.images);
            images.forEach(img => { img.loading = "eager"; });
            await Promise.all(images.map(img => img.decode().catch(() => null)));
        }"""
    )
    page.wait_for_function("Array.from(document.images).every(img => img.complete && img.naturalWidth > 0)")


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")


def test_library_filters_and_search_change_the_results_and_the_address(live_server, page, studio):
    page.goto(f"{live_server.url}/poses/")
    assert "Mountain Pose" in card_names(page) and "Backbend" in card_names(page)

    page.select_option("#filter-category", "backbends")
    page.get_by_role("button", name="Show poses").click()
    page.wait_for_url("**/poses/?category=backbends")
    assert card_names(page) == ["Backbend", "Cobra Pose", "Supported Bridge"]
    assert page.get_by_role("link", name="Category: Backbends").is_visible()

    page.fill("#filter-q", "urdhva")
    page.press("#filter-q", "Enter")
    page.wait_for_url("**/poses/?q=urdhva&category=backbends")
    assert card_names(page) == ["Backbend"]
    assert page.locator(".results__count").inner_text().startswith("1 pose")

    page.get_by_role("link", name="Search: “urdhva”").click()
    page.wait_for_url("**/poses/?category=backbends")
    assert len(card_names(page)) == 3


@pytest.mark.parametrize("fixture", ["phone_page", "page"])
def test_pose_page_fits_the_screen_and_shows_every_section(live_server, studio, screenshot, request, fixture):
    page = request.getfixturevalue(fixture)
    page.goto(f"{live_server.url}/poses/backbend/")
    assert no_horizontal_scroll(page)
    for heading in [
        "Backbend",
        "How to do Backbend",
        "Muscles worked",
        "Primary muscles",
        "Secondary muscles",
        "Pro tips",
        "Benefits",
        "Common mistakes",
        "Warm up & cool down",
        "Frequently asked questions",
        "Same primary muscles, different props",
        "Related poses",
    ]:
        assert page.get_by_role("heading", name=heading, exact=True).is_visible(), heading
    assert page.locator(".bm-figure").is_visible()
    hero = page.locator(".pose-hero__image")
    assert hero.get_attribute("loading") is None and hero.evaluate("img => img.complete && img.naturalWidth > 0")
    screenshot(page)


def test_view_more_and_faq_work_without_javascript(live_server, browser, studio):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/poses/backbend/")
        tips = page.locator("#tips")
        assert not tips.get_by_text("Tip 4 for Backbend.").is_visible()
        tips.get_by_text("View more").click()
        assert tips.get_by_text("Tip 4 for Backbend.").is_visible()
        faq = page.locator("#faq")
        faq.get_by_text("Question 2 about Backbend?").click()
        assert faq.get_by_text("Answer 2.").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["/", "/poses/", "/poses/backbend/", "/muscles/", "/muscles/lower-back/", "/nope/"])
def test_pages_have_no_accessibility_violations(live_server, page, axe, studio, path, scheme):
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{live_server.url}{path}")
    violations = axe(page)
    assert not violations, violations.report()


def test_keyboard_users_can_skip_to_the_content(live_server, page, studio):
    page.goto(f"{live_server.url}/poses/backbend/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("a => a === document.activeElement") and skip.is_visible()
    outline = skip.evaluate("a => getComputedStyle(a).outlineStyle")
    assert outline != "none"


@pytest.fixture
def looks(transactional_db, request):
    """The demo content when it is in the tree, else the small library above."""
    if DEMO.exists():
        call_command("import_content", str(DEMO))
    else:
        request.getfixturevalue("studio")


def test_screenshots_of_the_public_pages(live_server, looks, screenshot, page, phone_page):
    for viewer in (phone_page, page):
        for scheme in ("light", "dark"):
            viewer.emulate_media(color_scheme=scheme)
            for name, path in [
                ("home", "/"),
                ("library", "/poses/"),
                ("backbend", "/poses/backbend/"),
                ("muscle", "/muscles/lower-back/"),
                ("muscles", "/muscles/"),
            ]:
                viewer.goto(f"{live_server.url}{path}")
                assert no_horizontal_scroll(viewer), (path, scheme)
                load_every_image(viewer)
                screenshot(viewer, f"pages-{name}-{scheme}")
