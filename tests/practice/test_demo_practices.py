"""On the demo content, every level and focus makes a practice at 10, 20 and 45 minutes with only a mat, and
it reads as a teacher would have it: no pose twice in a row, a restful pose before the final rest, only
restful poses for relaxation. `scripts/practice_samples.py` prints them to read in full."""

import pytest

from poses.models import Level
from practice import forms, generator, library

pytestmark = pytest.mark.django_db

LENGTHS = [10, 20, 45]


def foci():
    groups = [generator.ANY_FOCUS]
    for value, _ in forms.focus_choices()[1][1]:
        groups.append(forms.focus_for(value))
    return groups


def test_every_level_and_focus_makes_a_practice_with_no_props(demo_library):
    records = library.published_records()
    failures = []
    made = 0
    for level in Level.values:
        for focus in foci():
            for minutes in LENGTHS:
                for seed in (1, 2, 3):
                    request = generator.Request(minutes=minutes, level=level, focus=focus, seed=seed)
                    answer = generator.generate(records, request)
                    if isinstance(answer, generator.Cannot):
                        failures.append((level, focus.slug, minutes, answer.reason))
                        continue
                    made += 1
                    assert answer.seconds == minutes * 60
                    assert all(step.pose is None or not step.pose.props - {"yoga-mat"} for step in answer.steps)
                    focus_steps = [s for s in answer.steps if s.pose is not None and focus.matches(s.pose)]
                    assert focus_steps, (level, focus.slug, minutes)
                    # What a teacher reading it would ask for, besides the rules.
                    where = (level, focus.slug, minutes, seed)
                    slugs = [step.pose.slug if step.pose else "rest" for step in answer.steps]
                    assert all(a != b for a, b in zip(slugs, slugs[1:], strict=False)), (where, slugs)
                    before_rest = answer.steps[-2].pose
                    assert before_rest.category in generator.CALM_CATEGORIES, (where, slugs)
                    if focus.calm:
                        kinds = {step.pose.category for step in answer.steps if step.pose}
                        assert kinds <= generator.CALM_CATEGORIES, (where, slugs)
    assert not failures
    assert made == len(Level.values) * len(foci()) * len(LENGTHS) * 3

    # A kind of pose that needs a prop says which.
    request = generator.Request(minutes=20, level="beginner", focus=forms.focus_for("category-chair-yoga"))
    answer = generator.generate(records, request)
    assert isinstance(answer, generator.Cannot)
    assert any("chair" in tip for tip in answer.suggestions)
