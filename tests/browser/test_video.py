"""Click-to-load videos: nothing leaves the site until the visitor presses play."""

from urllib.parse import urlparse

import pytest

from tests.factories import PoseFactory

pytestmark = pytest.mark.browser


def test_video_player_loads_only_after_the_visitor_asks(live_server, page, axe, screenshot, transactional_db):
    PoseFactory(slug="sphinx", name="Sphinx Pose", video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    outside = []

    def refuse_other_hosts(route):
        if urlparse(route.request.url).netloc != urlparse(live_server.url).netloc:
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", refuse_other_hosts)
    page.goto(f"{live_server.url}/poses/sphinx/")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert page.locator("iframe").count() == 0
    violations = axe(page)
    assert not violations, violations.report()
    page.locator("[data-video]").scroll_into_view_if_needed()
    screenshot(page)

    page.get_by_role("button", name="Play the video here").click()
    frame = page.locator("iframe.video-frame")
    assert frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"
    assert frame.get_attribute("title") == "Sphinx Pose"
    page.wait_for_timeout(200)
    assert any("youtube-nocookie.com" in url for url in outside)
