"""The site search in real Chromium: the header box, results and "did you mean", accessibility, phone and desktop."""

import pytest

from tests.browser.test_pose_pages import load_every_image, no_horizontal_scroll
from tests.conftest import DESKTOP, TIMEOUT_MS
from tests.factories import (
    CategoryFactory,
    MuscleFactory,
    RoutineFactory,
    RoutineStepFactory,
    complete_pose,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def studio(transactional_db):
    restorative = CategoryFactory(slug="restorative", name="Restorative")
    inversions = CategoryFactory(slug="inversions", name="Inversions")
    lower_back = MuscleFactory(slug="lower-back", name="Lower Back", description="Keeps the spine upright.")
    corpse = complete_pose(
        name="Corpse Pose", slug="corpse-pose", sanskrit_name="Śavāsana", category=restorative, primary=[lower_back]
    )
    child = complete_pose(
        name="Child's Pose", slug="childs-pose", sanskrit_name="Bālāsana", category=restorative, primary=[lower_back]
    )
    complete_pose(
        name="Downward-Facing Dog",
        slug="downward-facing-dog",
        sanskrit_name="Adho Mukha Śvānāsana",
        category=inversions,
        other_names=["Down Dog"],
    )
    complete_pose(name="Three-Legged Dog", slug="three-legged-dog", category=inversions)
    routine = RoutineFactory(title="Evening Wind-Down", slug="evening", summary="Ends with a long Śavāsana.")
    RoutineStepFactory(routine=routine, pose=child, position=0)
    RoutineStepFactory(routine=routine, pose=corpse, position=1)


def card_names(page) -> list[str]:
    return page.locator(".card__title a").all_inner_texts()


def test_the_header_box_searches_the_whole_site(live_server, page, studio):
    page.goto(f"{live_server.url}/poses/")
    page.get_by_role("searchbox", name="Search the site").fill("shavasana")
    page.get_by_role("searchbox", name="Search the site").press("Enter")
    page.wait_for_url("**/search/?q=shavasana")
    assert card_names(page) == ["Corpse Pose", "Evening Wind-Down"]
    assert page.get_by_role("heading", name="Poses 1").is_visible()
    assert page.get_by_role("heading", name="Routines 1").is_visible()


def test_search_works_without_javascript(live_server, browser, studio):
    context = browser.new_context(**DESKTOP, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/search/")
        page.get_by_role("searchbox", name="Poses, routines and muscles").fill("dowward dog")
        page.get_by_role("button", name="Search").last.click()
        page.wait_for_url("**/search/?q=dowward+dog")
        assert card_names(page) == ["Downward-Facing Dog"]
        assert "close spellings" in page.locator("main").inner_text()
    finally:
        context.close()


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
@pytest.mark.parametrize("query", ["dog", "dwnward lion"])
def test_search_page_is_accessible_and_fits_the_screen(live_server, request, axe, screenshot, studio, viewport, query):
    page = request.getfixturevalue(viewport)
    page.goto(f"{live_server.url}/search/?q={query}")
    if query == "dog":
        assert card_names(page) == ["Downward-Facing Dog", "Three-Legged Dog"]
        load_every_image(page)
    else:
        assert page.get_by_text("Did you mean").is_visible()
        assert page.get_by_role("link", name="Downward-Facing Dog").is_visible()
        assert page.get_by_role("link", name="Restorative").is_visible()
    violations = axe(page)
    assert not violations, violations.report()
    assert no_horizontal_scroll(page)
    screenshot(page, f"search-{query}")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_search_finding_more_than_it_counts_says_so_and_fits_the_screen(
    live_server, request, axe, screenshot, studio, viewport
):
    from tests.factories import PoseFactory

    twists = CategoryFactory(slug="twists", name="Twists")
    for number in range(105):
        PoseFactory(name=f"Twist Variation {number:03d}", category=twists)
    page = request.getfixturevalue(viewport)
    page.goto(f"{live_server.url}/search/?q=twist")
    assert page.get_by_role("heading", name="More than 24 results for “twist”").is_visible()
    assert page.locator(".card").count() == 24
    assert page.get_by_role("link", name="All matching poses in the library →").is_visible()
    load_every_image(page)
    violations = axe(page)
    assert not violations, violations.report()
    assert no_horizontal_scroll(page)
    screenshot(page, "search-twist")
