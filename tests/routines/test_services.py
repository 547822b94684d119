from decimal import Decimal

import pytest

from routines.models import Routine
from routines.services import duplicate_routine, refresh_duration
from tests.factories import RoutineFactory, RoutineImageFactory, RoutineStepFactory, StepVariationFactory

pytestmark = pytest.mark.django_db


def test_refresh_duration_stores_the_computed_duration():
    routine = RoutineFactory(breath_seconds=Decimal("4.5"))
    RoutineStepFactory(routine=routine, hold_kind="seconds", hold_value=60, repetitions=2)
    RoutineStepFactory(routine=routine, hold_kind="breaths", hold_value=5, sides="both")
    # 120 s + 5 breaths × 4.5 s × 2 sides = 165 s of holds, and 5 s to move into each of 3 stops
    assert refresh_duration(routine=routine) == 165 + 15
    assert Routine.objects.get(pk=routine.pk).duration_seconds == 180


def test_refresh_duration_follows_the_time_between_stops():
    routine = RoutineFactory(transition_seconds=0)
    RoutineStepFactory(routine=routine, hold_kind="seconds", hold_value=60, sides="both")
    assert refresh_duration(routine=routine) == 120
    routine.transition_seconds = 12
    routine.save()
    assert refresh_duration(routine=routine) == 144


def test_refresh_duration_follows_a_new_breath_length():
    routine = RoutineFactory()
    RoutineStepFactory(routine=routine, hold_kind="breaths", hold_value=10)
    refresh_duration(routine=routine)
    routine.breath_seconds = Decimal(3)
    routine.save()
    refresh_duration(routine=routine)
    assert Routine.objects.get(pk=routine.pk).duration_seconds == 30 + 5


def test_duplicate_is_a_draft_with_the_same_steps_variations_tags_and_images():
    original = RoutineFactory(title="Back Flow", slug="back-flow")
    original.tags.add("back", "strength")
    first = RoutineStepFactory(routine=original, position=0, sides="both", first_side="left")
    StepVariationFactory(step=first, level="advanced", instructions="Lift higher.")
    RoutineStepFactory(routine=original, position=1, pose=None, title="Rest", starts_section=True, section_title="End")
    RoutineImageFactory(routine=original)
    refresh_duration(routine=original)

    copy = duplicate_routine(routine=original)
    again = duplicate_routine(routine=original)

    assert (copy.title, copy.slug, copy.status) == ("Back Flow (copy)", "back-flow-copy", "draft")
    assert again.slug == "back-flow-copy-2"
    steps = list(copy.steps.all())
    assert [(s.display_title, s.first_side, s.section_title) for s in steps] == [
        (first.display_title, "left", ""),
        ("Rest", "right", "End"),
    ]
    assert [(v.level, v.instructions) for v in steps[0].variations.all()] == [("advanced", "Lift higher.")]
    assert sorted(t.name for t in copy.tags.all()) == ["back", "strength"]
    assert copy.images.get().file.name == original.images.get().file.name
    # Two sides of 30 s and a rest of 30 s, with 5 s before each of the three stops
    assert copy.duration_seconds == original.duration_seconds == 105
    assert original.steps.count() == 2
