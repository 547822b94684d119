import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from routines.models import Routine, RoutineStep, StepVariation
from tests.factories import (
    PoseFactory,
    PoseImageFactory,
    RoutineFactory,
    RoutineImageFactory,
    RoutineStepFactory,
    StepVariationFactory,
)

pytestmark = pytest.mark.django_db


def assert_refused_by_database(obj):
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


@pytest.mark.parametrize(
    ("factory", "field", "value"),
    [
        (RoutineStepFactory, "hold_value", 0),
        (RoutineStepFactory, "hold_value", 3601),
        (RoutineStepFactory, "repetitions", 0),
        (RoutineStepFactory, "repetitions", 101),
        (RoutineFactory, "breath_seconds", "1.9"),
        (RoutineFactory, "breath_seconds", "15.5"),
    ],
)
def test_values_outside_their_range_are_refused_with_a_message(factory, field, value):
    obj = factory()
    setattr(obj, field, value)
    assert_refused_by_database(obj)
    with pytest.raises(ValidationError) as error:
        obj.full_clean()
    assert field in error.value.message_dict


def test_a_step_without_a_pose_needs_a_title():
    step = RoutineStepFactory.build(routine=RoutineFactory(), pose=None, title="")
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "needs a title" in error.value.message_dict["title"][0]
    assert_refused_by_database(step)


def test_a_rest_with_a_title_is_valid_and_shows_its_title():
    step = RoutineStepFactory(pose=None, title="Rest")
    step.full_clean()
    assert step.display_title == "Rest"


def test_a_step_title_defaults_to_the_pose_name():
    step = RoutineStepFactory(pose=PoseFactory(name="Sphinx Pose"), title="")
    assert step.display_title == "Sphinx Pose"
    step.title = "Low Sphinx"
    assert step.display_title == "Low Sphinx"


def test_one_variation_per_level_and_step():
    variation = StepVariationFactory(level="advanced")
    duplicate = StepVariation(step=variation.step, level="advanced", instructions="Another")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    assert_refused_by_database(duplicate)


def test_first_side_left_on_a_one_sided_step_is_refused_by_the_database():
    step = RoutineStepFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        RoutineStep.objects.filter(pk=step.pk).update(sides="none", first_side="left")


def test_clean_and_save_drop_a_first_side_on_a_one_sided_step():
    step = RoutineStepFactory.build(routine=RoutineFactory(), pose=PoseFactory(), sides="none", first_side="left")
    step.full_clean()
    assert step.first_side == "right"
    step.first_side = "left"
    step.save()
    step.refresh_from_db()
    assert step.first_side == "right"


def test_a_both_sided_step_keeps_left_first():
    step = RoutineStepFactory(sides="both", first_side="left")
    step.full_clean()
    step.refresh_from_db()
    assert step.first_side == "left"


def test_a_section_heading_needs_the_step_to_start_a_section():
    step = RoutineStepFactory.build(
        routine=RoutineFactory(), pose=PoseFactory(), starts_section=False, section_title="Warm-up"
    )
    with pytest.raises(ValidationError) as error:
        step.full_clean()
    assert "section_title" in error.value.message_dict
    assert_refused_by_database(step)


def test_step_names_its_place_routine_and_title():
    routine = RoutineFactory(title="Back Strengthening Flow")
    RoutineStepFactory(routine=routine, position=5)
    RoutineStepFactory(routine=routine, position=1)
    step = RoutineStepFactory(routine=routine, position=9, pose=PoseFactory(name="Sphinx Pose"))
    assert str(step) == "Step 3 of Back Strengthening Flow: Sphinx Pose"


def test_a_pose_used_in_a_routine_cannot_be_deleted():
    step = RoutineStepFactory()
    with pytest.raises(ProtectedError) as error:
        step.pose.delete()
    assert step in error.value.protected_objects


def test_deleting_a_routine_deletes_its_steps_and_variations():
    variation = StepVariationFactory()
    variation.step.routine.delete()
    assert not RoutineStep.objects.exists() and not StepVariation.objects.exists()


def test_variations_come_easiest_first():
    step = RoutineStepFactory()
    for level in ["advanced", "beginner", "intermediate"]:
        StepVariationFactory(step=step, level=level)
    assert [v.level for v in step.variations.all()] == ["beginner", "intermediate", "advanced"]


def test_published_and_visible_to_follow_status_and_time(django_user_model):
    live = RoutineFactory()
    draft = RoutineFactory(status="draft")
    scheduled = RoutineFactory(published_at=timezone.now() + timezone.timedelta(days=1))
    editor = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    assert list(Routine.objects.published()) == [live]
    assert set(Routine.objects.visible_to(editor)) == {live, draft, scheduled}
    assert list(Routine.objects.visible_to(None)) == [live]


def test_for_detail_costs_the_same_number_of_queries_for_many_steps(django_assert_num_queries):
    def build(n):
        routine = RoutineFactory()
        RoutineImageFactory(routine=routine)
        routine.tags.add("back")
        for _ in range(n):
            pose = PoseFactory()
            PoseImageFactory(pose=pose)
            StepVariationFactory(step=RoutineStepFactory(routine=routine, pose=pose))
        RoutineStepFactory(routine=routine, pose=None, title="Rest")
        return routine

    def walk(routine):
        loaded = Routine.objects.for_detail().get(pk=routine.pk)
        for step in loaded.steps.all():
            step.display_title, step.pose and step.pose.main_image, step.pose and list(step.pose.equipment.all())
            list(step.variations.all())
        return list(loaded.tags.all()), loaded.main_image

    small, large = build(1), build(12)
    # routine, steps, pose images, pose equipment, variations, images, tags
    with django_assert_num_queries(7):
        walk(small)
    with django_assert_num_queries(7):
        walk(large)
    with django_assert_num_queries(5):
        loaded = Routine.objects.for_player().get(pk=large.pk)
        assert [s.display_title for s in loaded.steps.all()][-1] == "Rest"


def test_for_listing_counts_steps():
    routine = RoutineFactory()
    RoutineStepFactory.create_batch(3, routine=routine)
    assert Routine.objects.for_listing().get(pk=routine.pk).step_count == 3


def test_sections_are_runs_of_steps_from_each_section_start():
    routine = RoutineFactory()
    first = RoutineStepFactory(routine=routine, position=0)
    second = RoutineStepFactory(routine=routine, position=1)
    third = RoutineStepFactory(routine=routine, position=2, starts_section=True, section_title="Floor")
    loaded = Routine.objects.for_detail().get(pk=routine.pk)
    assert [(s.title, s.steps) for s in loaded.sections] == [("", [first, second]), ("Floor", [third])]
