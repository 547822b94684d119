import pytest


@pytest.mark.browser
def test_browser_reaches_the_live_server(live_server, page):
    response = page.goto(f"{live_server.url}/healthz")

    assert response.status == 200
    assert page.locator("body").inner_text().strip() == "ok"


@pytest.mark.browser
def test_phone_page_has_a_phone_sized_touch_viewport(live_server, phone_page):
    phone_page.goto(f"{live_server.url}/healthz")

    assert phone_page.evaluate("[screen.width, devicePixelRatio, navigator.maxTouchPoints > 0]") == [390, 2, True]
