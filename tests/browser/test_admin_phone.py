"""The change forms fit a phone's width: no sideways scrolling, inline rows stacked."""

import pytest

from tests.factories import MuscleFactory, complete_pose, complete_routine

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OVERFLOW = """() => {
  const root = document.documentElement;
  const wide = Array.from(document.querySelectorAll("#content *"))
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1 && el.offsetParent !== null)
    .slice(0, 5)
    .map((el) => el.tagName + "." + el.className + "#" + el.id);
  return { scroll: root.scrollWidth, client: root.clientWidth, wide };
}"""


def sign_in(page, live_server, django_user_model):
    django_user_model.objects.create_superuser("phone-editor", "p@example.org", "a-long-phone-password")
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "phone-editor")
    page.fill("#id_password", "a-long-phone-password")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


@pytest.mark.parametrize("kind", ["pose", "routine"])
def test_the_change_form_has_no_sideways_scrolling_on_a_phone(
    phone_page, live_server, django_user_model, screenshot, kind
):
    if kind == "pose":
        muscles = MuscleFactory.create_batch(4)
        obj = complete_pose(steps=4, images=2, primary=muscles[:2], secondary=muscles[2:], other_names=["Camel"])
        url = f"{live_server.url}/admin/poses/pose/{obj.pk}/change/"
    else:
        obj = complete_routine(steps=4)
        url = f"{live_server.url}/admin/routines/routine/{obj.pk}/change/"
    page = phone_page
    sign_in(page, live_server, django_user_model)

    page.goto(url)
    page.wait_for_selector(".sortable-handle")

    measured = page.evaluate(OVERFLOW)
    screenshot(page, f"admin-{kind}-change-phone")
    assert measured["scroll"] <= measured["client"], measured
