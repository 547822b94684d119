"""The Content-Security-Policy breaks nothing: every kind of page, the player running, the
video embed and the admin's forms load and work without a single refused script, style,
frame or picture."""

import pytest

from poses.models import Pose
from routines.models import Routine
from tests.factories import MuscleFactory, RoutineStepFactory, complete_pose

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  (window.__cspViolations = window.__cspViolations || []).push(
    `${event.violatedDirective} refused ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def watch(page) -> list[str]:
    """Every CSP violation on `page` from now on: console "Refused to ..." messages and
    securitypolicyviolation events."""
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.add_init_script(REPORT_VIOLATIONS)
    return refused


def violations(page, refused: list[str]) -> list[str]:
    page.wait_for_timeout(100)
    return refused + (page.evaluate("window.__cspViolations || []") or [])


@pytest.fixture
def library(transactional_db):
    back = MuscleFactory(name="Lower back", slug="lower-back")
    cobra = complete_pose(name="Cobra", slug="cobra", primary=[back], images=2)
    Pose.objects.filter(pk=cobra.pk).update(video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    locust = complete_pose(name="Locust", slug="locust", primary=[back], warm_up=cobra)
    from tests.factories import RoutineFactory

    routine = RoutineFactory(title="Morning flow", slug="morning-flow", video_url="https://vimeo.com/76979871")
    RoutineStepFactory(routine=routine, pose=cobra, position=0, hold_value=3)
    RoutineStepFactory(routine=routine, pose=locust, position=1, hold_value=3, sides="both")
    return cobra, locust, routine


PUBLIC_PAGES = [
    "/",
    "/poses/",
    "/poses/?q=cobra&level=beginner",
    "/poses/cobra/",
    "/poses/locust/",
    "/muscles/",
    "/muscles/lower-back/",
    "/routines/",
    "/routines/morning-flow/",
    "/routines/morning-flow/cheatsheet/",
    "/routines/morning-flow/play/1/",
    "/routines/morning-flow/play/finish/",
    "/no-such-page/",
]


def test_public_pages_load_without_a_csp_violation(live_server, page, library):
    refused = watch(page)
    for url in PUBLIC_PAGES:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert violations(page, refused) == [], url


def test_the_player_runs_under_the_csp(live_server, phone_page, library):
    page = phone_page
    refused = watch(page)
    page.goto(f"{live_server.url}/routines/morning-flow/play/1/")
    page.get_by_role("button", name="Start").first.click()
    page.wait_for_timeout(1500)
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)

    assert "/play/2/" in page.url or "/play/" in page.url
    assert violations(page, refused) == []


@pytest.mark.parametrize("url", ["/poses/cobra/", "/routines/morning-flow/"])
def test_click_to_load_video_frames_are_allowed(live_server, page, library, url):
    refused = watch(page)
    # No network here: answer the video host with an empty page, as CSP is checked before that.
    page.route("https://www.youtube-nocookie.com/**", lambda route: route.fulfill(body="<p>video</p>"))
    page.route("https://player.vimeo.com/**", lambda route: route.fulfill(body="<p>video</p>"))
    page.goto(live_server.url + url)
    page.get_by_role("button", name="Play the video here").click()

    frame = page.locator("iframe.video-frame")
    frame.wait_for()
    page.wait_for_timeout(300)
    assert violations(page, refused) == []


def test_the_admin_works_under_the_csp(live_server, editor_page, library):
    page = editor_page
    cobra, _, routine = library
    refused = watch(page)
    urls = [
        "/admin/",
        "/admin/poses/pose/",
        f"/admin/poses/pose/{cobra.pk}/change/",
        "/admin/poses/pose/add/",
        f"/admin/poses/pose/{cobra.pk}/history/",
        "/admin/routines/routine/",
        f"/admin/routines/routine/{routine.pk}/change/",
        "/admin/routines/routine/add/",
        "/admin/poses/muscle/add/",
        "/admin/auth/user/",
    ]
    for url in urls:
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert violations(page, refused) == [], url

    # The scripted parts of the change form: the slug fills itself in, autocomplete opens,
    # a new inline row is added.
    page.goto(f"{live_server.url}/admin/poses/pose/add/")
    page.locator("#id_name").press_sequentially("Bridge Pose")
    assert page.input_value("#id_slug") == "bridge-pose"
    page.locator(".select2-selection").first.click()
    page.wait_for_timeout(500)
    page.keyboard.press("Escape")
    page.locator(".add-row a").first.click()
    assert violations(page, refused) == []

    page.goto(f"{live_server.url}/admin/routines/routine/{routine.pk}/change/")
    page.locator("#id_title").fill("Morning flow, longer")
    page.locator("[name=_publish]").first.click()
    page.wait_for_load_state("load")
    assert Routine.objects.get(pk=routine.pk).title == "Morning flow, longer"
    assert violations(page, refused) == []
