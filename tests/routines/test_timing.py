from decimal import Decimal
from types import SimpleNamespace

import pytest

from routines import timing


def step(
    hold=30,
    kind="seconds",
    repetitions=1,
    sides="none",
    first_side="right",
    starts_section=False,
    section_title="",
    title="",
):
    return SimpleNamespace(
        hold_kind=kind,
        hold_value=hold,
        repetitions=repetitions,
        sides=sides,
        first_side=first_side,
        starts_section=starts_section,
        section_title=section_title,
        display_title=title,
    )


def routine(*steps, breath="5", transition=None):
    return SimpleNamespace(
        breath_seconds=Decimal(breath), transition_seconds=transition, steps=SimpleNamespace(all=lambda: list(steps))
    )


def test_a_hold_in_seconds_lasts_that_many_seconds():
    assert timing.rep_seconds(step(hold=45), Decimal(5)) == 45


def test_a_hold_in_breaths_lasts_breaths_times_the_breath_length():
    assert timing.rep_seconds(step(hold=6, kind="breaths"), Decimal(5)) == 30
    assert timing.rep_seconds(step(hold=3, kind="breaths"), Decimal("4.5")) == 13.5


def test_repetitions_and_both_sides_multiply_the_step():
    assert timing.step_seconds(step(hold=20, repetitions=3), 5) == 60
    assert timing.step_seconds(step(hold=20, repetitions=3, sides="both"), 5) == 120
    assert timing.step_seconds(step(hold=2, kind="breaths", repetitions=2, sides="both"), Decimal("4.5")) == 36


def test_a_routine_lasts_the_sum_of_its_steps_in_whole_seconds():
    steps = [step(hold=60), step(hold=5, kind="breaths", sides="both"), step(hold=3, kind="breaths")]
    # 60 + 5*4.5*2 = 105, + 3*4.5 = 13.5 -> 118.5, rounded half up
    assert timing.routine_seconds(steps, Decimal("4.5")) == 119
    assert timing.routine_seconds([], Decimal(5)) == 0


def test_the_time_to_move_into_each_stop_counts_once_per_stop():
    steps = [step(hold=60), step(hold=20, repetitions=3, sides="both"), step(hold=10)]
    # 60 + 120 + 10 = 190 s of holds; four stops (the both-sided step is two) × 5 s
    assert timing.routine_seconds(steps, Decimal(5), 5) == 190 + 20
    assert timing.routine_seconds(steps, Decimal(5), 0) == 190


def test_a_both_sided_step_is_two_stops_first_side_first():
    stops = timing.expand_stops(routine(step(title="Twist", sides="both", first_side="left")))
    assert [(s.side, s.side_label, s.title) for s in stops] == [
        ("left", "Left side", "Twist"),
        ("right", "Right side", "Twist"),
    ]
    right_first = timing.expand_stops(routine(step(sides="both", first_side="right")))
    assert [s.side for s in right_first] == ["right", "left"]


def test_stops_carry_numbers_elapsed_remaining_and_the_last_flag():
    plan = routine(
        step(hold=10), step(hold=20, sides="both", repetitions=2), step(hold=2, kind="breaths"), breath="4.5"
    )
    stops = timing.expand_stops(plan)
    assert [s.number for s in stops] == [1, 2, 3, 4]
    assert [s.seconds for s in stops] == [10, 40, 40, 9]
    # Each stop starts with the default 5 s transition, counted in the time.
    assert [s.ready_seconds for s in stops] == [5, 5, 5, 5]
    assert [s.elapsed_before for s in stops] == [0, 15, 60, 105]
    assert [s.remaining for s in stops] == [119, 104, 59, 14]
    assert [s.is_last for s in stops] == [False, False, False, True]
    assert stops[0].side is None and stops[0].side_label == ""


def test_a_routine_sets_the_transition_of_every_stop():
    stops = timing.expand_stops(routine(step(hold=10), step(hold=10, sides="both"), transition=0))
    assert [(s.ready_seconds, s.elapsed_before) for s in stops] == [(0, 0), (0, 10), (0, 20)]
    stops = timing.expand_stops(routine(step(hold=10), step(hold=10), transition=12))
    assert [s.remaining for s in stops] == [44, 22]


def test_stops_count_steps_as_the_pages_do():
    plan = routine(step(title="Sit"), step(title="Twist", sides="both"), step(title="Rest"), step(title="Fold"))
    stops = timing.expand_stops(plan)
    assert [s.number for s in stops] == [1, 2, 3, 4, 5]
    assert [s.step_number for s in stops] == [1, 2, 2, 3, 4]


def test_repetitions_are_counted_within_one_stop():
    (stop,) = timing.expand_stops(routine(step(hold=15, repetitions=4)))
    assert (stop.repetitions, stop.rep_seconds, stop.seconds) == (4, 15, 60)


def test_stops_know_their_section():
    plan = routine(
        step(title="Sit"),
        step(title="Twist", sides="both", starts_section=True, section_title="Twists"),
        step(title="Fold"),
    )
    stops = timing.expand_stops(plan)
    assert [(s.title, s.section_title, s.starts_section) for s in stops] == [
        ("Sit", "", True),
        ("Twist", "Twists", True),
        ("Twist", "Twists", False),
        ("Fold", "Twists", False),
    ]


def test_the_total_of_the_stops_is_the_routine_duration():
    steps = [step(hold=7, kind="breaths", sides="both", repetitions=3), step(hold=33)]
    stops = timing.expand_stops(routine(*steps, breath="4.5", transition=0))
    assert round(stops[0].remaining) == timing.routine_seconds(steps, Decimal("4.5"))


def test_what_remains_counts_the_time_to_move_into_each_stop_left():
    steps = [step(hold=7, kind="breaths", sides="both", repetitions=3), step(hold=33)]
    stops = timing.expand_stops(routine(*steps, breath="4.5", transition=6))
    assert round(stops[0].remaining) == timing.routine_seconds(steps, Decimal("4.5"), 6)
    # Before the last stop: its own move-in time and hold.
    assert stops[-1].remaining == 6 + 33


def test_sections_group_runs_of_steps():
    a, b, c = step(title="a"), step(title="b", starts_section=True, section_title="Floor"), step(title="c")
    assert timing.sections([a, b, c]) == [("", [a]), ("Floor", [b, c])]
    assert timing.sections([]) == []


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (45, "45 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (89, "1 min"),
        (90, "2 min"),
        (1380, "23 min"),
        (3599, "1 h"),
        (3600, "1 h"),
        (3900, "1 h 5 min"),
        (None, "0 s"),
    ],
)
def test_format_duration(seconds, text):
    assert timing.format_duration(seconds) == text


@pytest.mark.parametrize(("seconds", "text"), [(0, "PT0S"), (1380, "PT23M"), (3930, "PT1H5M30S")])
def test_iso_duration(seconds, text):
    assert timing.iso_duration(seconds) == text
