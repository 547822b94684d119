"""The editorial workflow in a real browser: a Contributor drafts changes to a live pose and submits
them; an Editor finds them on the admin home, previews unsaved changes at phone and desktop width,
and publishes."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from poses.models import Pose
from tests.factories import complete_pose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-workflow-password"


def make_roles():
    """The roles the migrations create; a browser test's database is emptied between tests."""
    for module in (
        "workflow.migrations.0002_drafts_activity_and_roles",
        "poses.migrations.0004_publishing_rights_and_expiry",
        "routines.migrations.0003_publishing_rights_and_expiry",
    ):
        migration = importlib.import_module(module)
        for name in ("make_roles", "give_roles_their_rights"):
            if hasattr(migration, name):
                getattr(migration, name)(apps, None)


def sign_in(page, live_server, django_user_model, username: str, role: str):
    user = django_user_model.objects.create_user(
        username, email=f"{username}@example.org", password=PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    return user


def test_a_contributor_submits_and_an_editor_previews_unsaved_changes_and_publishes(
    browser, live_server, django_user_model, screenshot
):
    make_roles()
    pose = complete_pose(name="Camel", steps=2, summary="Kneel and arch back.")
    url = f"{live_server.url}/admin/poses/pose/{pose.pk}/change/"
    contributor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    editor_context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = contributor_context.new_page()
        sign_in(page, live_server, django_user_model, "carla", "Contributor")
        page.goto(url)
        expect(page.locator("input[name=_publish]")).to_have_count(0)
        page.fill("#id_name", "Camel Pose")
        page.fill("#id_workflow_note", "Gentler wording.")
        screenshot(page, "admin-workflow-contributor-form")
        page.locator("input[name=_submit]").first.click()
        expect(page.locator(".messagelist .success")).to_contain_text("Submitted for review")
        expect(page.locator(".field-workflow_status")).to_contain_text("In review")
        assert Pose.objects.get(pk=pose.pk).name == "Camel"

        editor = editor_context.new_page()
        sign_in(editor, live_server, django_user_model, "eddie", "Editor")
        expect(editor.locator("#awaiting-review + ul")).to_contain_text("Camel Pose")
        expect(editor.locator("#awaiting-review + ul")).to_contain_text("Gentler wording.")
        screenshot(editor, "admin-workflow-home")
        editor.get_by_role("link", name="Camel Pose").click()
        expect(editor.locator("#id_name")).to_have_value("Camel Pose")
        editor.fill("#id_summary", "Kneel tall, then arch: unsaved words.")

        with editor.expect_popup() as opened:
            editor.locator("input[name=_preview]").first.click()
        preview = opened.value
        frame = preview.frame_locator("iframe.workflow-preview__frame")
        expect(frame.locator("h1")).to_contain_text("Camel Pose")
        expect(frame.locator("body")).to_contain_text("unsaved words")
        screenshot(preview, "admin-workflow-preview-desktop")
        preview.get_by_role("link", name="Phone (390 px)").click()
        expect(preview.locator("iframe.workflow-preview__frame")).to_have_attribute("width", "390")
        expect(preview.frame_locator("iframe.workflow-preview__frame").locator("body")).to_contain_text("unsaved words")
        screenshot(preview, "admin-workflow-preview-phone")
        assert Pose.objects.get(pk=pose.pk).summary == "Kneel and arch back."

        editor.locator("input[name=_publish]").first.click()
        expect(editor.locator(".messagelist .success")).to_contain_text("visitors see it now")
        published = Pose.objects.get(pk=pose.pk)
        assert (published.name, published.summary) == ("Camel Pose", "Kneel tall, then arch: unsaved words.")
        editor.goto(f"{live_server.url}{published.get_absolute_url()}")
        expect(editor.locator("h1")).to_contain_text("Camel Pose")
    finally:
        contributor_context.close()
        editor_context.close()


def test_the_change_form_and_the_list_at_phone_width(phone_page, live_server, django_user_model, screenshot):
    make_roles()
    pose = complete_pose(name="Camel", steps=2)
    page = phone_page
    sign_in(page, live_server, django_user_model, "eddie", "Editor")
    page.goto(f"{live_server.url}/admin/poses/pose/{pose.pk}/change/")
    expect(page.locator("input[name=_publish]").first).to_be_visible()
    screenshot(page, "admin-workflow-pose-form")
    page.goto(f"{live_server.url}/admin/poses/pose/")
    expect(page.locator("#result_list")).to_contain_text("Live")
    screenshot(page, "admin-workflow-pose-list")
