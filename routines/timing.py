"""How long a routine lasts, and the stops the player walks through.

This is the one place the duration rule lives (CONTENT-FORMAT.md, "Duration"): one repetition
lasts the hold in seconds, or the hold in breaths × the routine's breath length; a step lasts
that × repetitions × 2 when it is done on both sides; a routine lasts the sum of its steps, plus
the routine's transition time for each player stop (a step on both sides is two stops).

Pure functions over anything shaped like a step (hold_kind, hold_value, repetitions, sides,
first_side, starts_section, section_title): no queries, so the admin, the pages, the player
and the content import all get the same answer from the same steps.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

SIDE_LABELS = {"right": "Right side", "left": "Left side"}
# CONTENT-FORMAT.md: a routine without transition_seconds gives each stop 5 s to get ready.
DEFAULT_TRANSITION_SECONDS = 5
OTHER_SIDE = {"right": "left", "left": "right"}


def round_seconds(seconds: float) -> int:
    # Half up, not Python's half-to-even: 13.5 s is shown as 14 s, like a person would round it.
    return math.floor(seconds + 0.5)


def rep_seconds(step: Any, breath_seconds: Decimal | float | int) -> float:
    """How long one repetition on one side lasts."""
    if step.hold_kind == "breaths":
        return step.hold_value * float(breath_seconds)
    return float(step.hold_value)


def step_seconds(step: Any, breath_seconds: Decimal | float | int) -> float:
    """How long the whole step lasts: every repetition, on every side."""
    sides = 2 if step.sides == "both" else 1
    return rep_seconds(step, breath_seconds) * step.repetitions * sides


def stop_count(step: Any) -> int:
    """How many player stops a step makes: two when it is done on both sides."""
    return 2 if step.sides == "both" else 1


def routine_seconds(steps: Iterable[Any], breath_seconds: Decimal | float | int, transition_seconds: int = 0) -> int:
    """How long a routine lasts, in whole seconds: its steps, and `transition_seconds` before each stop."""
    return round_seconds(
        sum(step_seconds(step, breath_seconds) + transition_seconds * stop_count(step) for step in steps)
    )


class Section(NamedTuple):
    title: str
    steps: list


def sections(steps: Sequence[Any]) -> list[Section]:
    """Steps grouped into runs: a section begins at the first step and at every step that starts one."""
    result: list[Section] = []
    for number, step in enumerate(steps, start=1):
        step._number = number
        if not result or step.starts_section:
            result.append(Section(step.section_title if step.starts_section else "", []))
        result[-1].steps.append(step)
    return result


@dataclass
class Stop:
    """One thing the player shows: a step, or one side of a both-sided step."""

    number: int
    step_number: int
    step: Any
    side: str | None
    side_label: str
    section_title: str
    starts_section: bool
    rep_seconds: float
    repetitions: int
    seconds: float
    ready_seconds: float
    elapsed_before: float
    remaining: float
    is_last: bool

    @property
    def title(self) -> str:
        return self.step.display_title


def transition_seconds(routine: Any) -> int:
    """The get-ready time the player gives before each stop."""
    value = getattr(routine, "transition_seconds", None)
    return DEFAULT_TRANSITION_SECONDS if value is None else value


def expand_stops(routine: Any, steps: Sequence[Any] | None = None) -> list[Stop]:
    """The routine as the player's stops: a both-sided step becomes two stops (its first side, then the
    other); repetitions are counted within a stop. Each stop begins with the routine's transition (get
    ready, change sides), counted in its time. `remaining` is what is left of the routine from the start
    of the stop. Pass `steps` when they are already loaded; otherwise the routine's are used."""
    if steps is None:
        steps = list(routine.steps.all())
    breath = routine.breath_seconds
    ready = transition_seconds(routine)
    plan: list[tuple[Any, str | None, str, bool]] = []
    # sections() numbers the steps 1..N, rests included: the one numbering the pages share.
    for section in sections(steps):
        for index, step in enumerate(section.steps):
            if step.sides == "both":
                first = step.first_side if step.first_side in OTHER_SIDE else "right"
                sides_ = [first, OTHER_SIDE[first]]
            else:
                sides_ = [None]
            for side_index, side in enumerate(sides_):
                plan.append((step, side, section.title, index == 0 and side_index == 0))

    total = sum(ready + rep_seconds(step, breath) * step.repetitions for step, *_ in plan)
    stops: list[Stop] = []
    elapsed = 0.0
    for number, (step, side, section_title, starts) in enumerate(plan, start=1):
        one = rep_seconds(step, breath)
        seconds = one * step.repetitions
        stops.append(
            Stop(
                number=number,
                step_number=step._number,
                step=step,
                side=side,
                side_label=SIDE_LABELS.get(side, ""),
                section_title=section_title,
                starts_section=starts,
                rep_seconds=one,
                repetitions=step.repetitions,
                seconds=seconds,
                ready_seconds=ready,
                elapsed_before=elapsed,
                remaining=total - elapsed,
                is_last=number == len(plan),
            )
        )
        elapsed += ready + seconds
    return stops


def format_duration(seconds: float | int | None) -> str:
    """A duration as people read it: "45 s", "23 min", "1 h 5 min"."""
    whole = round_seconds(seconds or 0)
    if whole < 60:
        return f"{whole} s"
    hours, minutes = divmod(round_seconds(whole / 60), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


def iso_duration(seconds: float | int | None) -> str:
    """ISO 8601 duration for machine-readable markup (schema.org totalTime): "PT1H5M30S"."""
    hours, rest = divmod(round_seconds(seconds or 0), 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}H" if hours else "", f"{minutes}M" if minutes else "", f"{secs}S" if secs else ""]
    return "PT" + ("".join(parts) or "0S")
