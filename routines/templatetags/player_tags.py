from django import template

from routines import timing

register = template.Library()


@register.simple_tag
def player_timing(routine, steps) -> dict:
    """{% player_timing routine steps as t %}: what a script needs to time the routine with the
    practitioner's own settings: seconds held by the clock, breaths held, stops and the transition."""
    seconds = breaths = stops = 0
    for step in steps:
        sides = 2 if step.sides == "both" else 1
        stops += sides
        if step.hold_kind == "breaths":
            breaths += step.hold_value * step.repetitions * sides
        else:
            seconds += step.hold_value * step.repetitions * sides
    return {
        "seconds": seconds,
        "breaths": breaths,
        "stops": stops,
        "breath": f"{float(routine.breath_seconds):g}",
        "transition": timing.transition_seconds(routine),
    }
