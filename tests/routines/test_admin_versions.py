"""History, revert, recover and edit conflicts on the routine admin."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from routines import timing
from routines.models import Routine, RoutineStep
from tests.factories import RoutineImageFactory, complete_routine
from tests.poses.test_admin_versions import posted_form

pytestmark = pytest.mark.django_db


def change_url(routine) -> str:
    return reverse("admin:routines_routine_change", args=[routine.pk])


def form_data(client, url: str) -> dict:
    return posted_form(client.get(url), "routine_form")


def snapshot(routine) -> dict:
    """What an editor would check after a revert: the steps in order with their sections and
    variations, and the stored duration, which must match the steps."""
    routine = Routine.objects.get(pk=routine.pk)
    steps = list(RoutineStep.objects.filter(routine=routine).order_by("position", "pk").prefetch_related("variations"))
    assert routine.duration_seconds == timing.routine_seconds(steps, routine.breath_seconds, routine.transition_seconds)
    return {
        "steps": [
            (
                s.display_title,
                s.starts_section,
                s.section_title,
                s.hold_value,
                s.sides,
                [(v.level, v.instructions) for v in s.variations.all()],
            )
            for s in steps
        ],
        "duration_seconds": routine.duration_seconds,
    }


def history_links(client, routine) -> list[str]:
    html = client.get(reverse("admin:routines_routine_history", args=[routine.pk])).content.decode()
    return re.findall(rf'href="(/admin/routines/routine/{routine.pk}/history/\d+/)"', html)


def test_reverting_a_routine_brings_back_its_steps_sections_variations_and_duration(admin_client):
    routine = complete_routine(steps=4)
    assert admin_client.post(change_url(routine), form_data(admin_client, change_url(routine))).status_code == 302
    before = snapshot(routine)

    data = form_data(admin_client, change_url(routine))
    data.update(
        {
            "steps-0-hold_value": "300",
            "steps-1-variation_beginner": "Rewritten.",
            "steps-2-DELETE": ["on"],
            "steps-3-starts_section": [],
            "steps-3-section_title": "",
        }
    )
    response = admin_client.post(change_url(routine), data)
    assert response.status_code == 302, response.context["errors"]
    after_edit = snapshot(routine)
    assert after_edit["duration_seconds"] != before["duration_seconds"]
    assert len(after_edit["steps"]) == 3

    earlier = history_links(admin_client, routine)[-1]
    shown = admin_client.get(earlier)
    assert "Part 2" in shown.content.decode()
    assert snapshot(routine) == after_edit

    response = admin_client.post(earlier, posted_form(shown, "routine_form"), follow=True)

    assert response.redirect_chain == [(change_url(routine), 302)]
    assert snapshot(routine) == before


def test_a_deleted_routine_is_recovered_with_its_steps_variations_and_images(admin_client):
    routine = complete_routine(steps=3, title="Hip Flow")
    RoutineImageFactory(routine=routine, alt="People in a circle")
    before = snapshot(routine)

    admin_client.post(reverse("admin:routines_routine_delete", args=[routine.pk]), {"post": "yes"})
    assert not Routine.objects.filter(pk=routine.pk).exists()

    recover_list = admin_client.get(reverse("admin:routines_routine_recoverlist")).content.decode()
    link = re.search(r'href="(/admin/routines/routine/recover/\d+/)"', recover_list).group(1)
    admin_client.post(link, posted_form(admin_client.get(link), "routine_form"))

    assert snapshot(routine) == before
    assert [image.alt for image in Routine.objects.get(pk=routine.pk).images.all()] == ["People in a circle"]


def test_duplicating_a_routine_keeps_a_version_of_the_copy(admin_client):
    routine = complete_routine(steps=2, title="Hip Flow", slug="hip-flow")

    admin_client.post(
        reverse("admin:routines_routine_changelist"), {"action": "duplicate_as_draft", "_selected_action": [routine.pk]}
    )

    copy = Routine.objects.get(slug="hip-flow-copy")
    revision = Version.objects.get_for_object(copy).get().revision
    assert revision.get_comment() == "Duplicated from “Hip Flow”"
    assert revision.version_set.count() == 1 + 2 + 4  # the routine, its steps and their variations
    assert not Version.objects.get_for_object(routine).exists()


def test_a_save_over_someone_elses_newer_save_of_a_routine_is_refused(admin_client):
    routine = complete_routine(steps=2, title="Hip Flow")
    mine = form_data(admin_client, change_url(routine))
    Routine.objects.get(pk=routine.pk).save()
    mine["title"] = "Hip Opening Flow"
    mine["steps-0-hold_value"] = "90"
    before = snapshot(routine)

    response = admin_client.post(change_url(routine), mine)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone else saved this routine at" in html
    shown = posted_form(response, "routine_form")
    assert (shown["title"], shown["steps-0-hold_value"]) == ("Hip Opening Flow", "90")
    assert snapshot(routine) == before
    assert Routine.objects.get(pk=routine.pk).title == "Hip Flow"

    assert admin_client.post(change_url(routine), shown).status_code == 302
    assert Routine.objects.get(pk=routine.pk).title == "Hip Opening Flow"
