"""A practice built by hand, written in its own address.

The whole sequence lives in one URL-safe string (the `s` parameter of the builder, and one path segment of
the player), so that it can be shared, bookmarked and played with nothing stored on the server:

    1.mountain~30s.warrior-ii~5b~l.cat-cow~5b~x3

The first part is the format's version (`1`). Each step that follows is a pose's slug, then optional parts
separated by `~`: the hold (`30s` for seconds, `5b` for breaths), the sides of a pose done on both sides
(`r` right first, `l` left first, `o` once only) and the rounds (`x3`). A part left out takes the pose's
usual value: its usual hold, both sides right first for a pose done on both sides, one round. Only
unreserved URL characters are used, so the string needs no escaping in a query or a path.

`decode` reads a string into raw steps without looking at the library; `resolve` matches them to published
poses; `encode` writes steps back in the short form the builder links to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from poses.models import Pose
from routines.models import HOLD_MAX, HOLD_MIN, REPETITIONS_MIN

VERSION = "1"
MAX_STEPS = 60
MAX_LENGTH = 2500
MAX_ROUNDS = 20
DEFAULT_HOLD = ("seconds", 30)
UNITS = {"s": "seconds", "b": "breaths"}
UNIT_CODES = {kind: code for code, kind in UNITS.items()}
SIDES = {"r": "right", "l": "left", "o": "once"}
SIDE_CODES = {side: code for code, side in SIDES.items()}

STEP = re.compile(
    r"(?P<slug>[A-Za-z0-9_-]{1,100})"
    r"(?:~(?P<hold>[0-9]{1,4})(?P<unit>[sb]))?"
    r"(?:~(?P<sides>[rlo]))?"
    r"(?:~x(?P<rounds>[0-9]{1,3}))?"
)


class Unreadable(ValueError):
    """The string is not a practice at all: it says why, in words for the person who followed the link."""


@dataclass(frozen=True)
class RawStep:
    """One step as the address writes it; None where it leaves the pose's usual value."""

    slug: str
    hold_kind: str | None = None
    hold_value: int | None = None
    sides: str | None = None
    rounds: int | None = None


@dataclass
class Decoded:
    steps: list[RawStep]
    unreadable: int = 0


def decode(value: str | None) -> Decoded:
    """The raw steps of an address. An empty one is an empty practice; a step that cannot be read is left out
    and counted; a string of another version, or longer than a practice may be, raises Unreadable."""
    value = (value or "").strip()
    if not value:
        return Decoded([])
    if len(value) > MAX_LENGTH:
        raise Unreadable("This link is longer than any practice can be. Ask for the link again, or start anew.")
    version, _, rest = value.partition(".")
    if version != VERSION:
        raise Unreadable("This link does not hold a practice this site can read. Ask for the link again.")
    parts = [part for part in rest.split(".") if part]
    if len(parts) > MAX_STEPS:
        raise Unreadable(f"This link holds {len(parts)} steps; a practice has at most {MAX_STEPS}.")
    steps, unreadable = [], 0
    for part in parts:
        step = read_step(part)
        if step is None:
            unreadable += 1
        else:
            steps.append(step)
    return Decoded(steps, unreadable)


def read_step(part: str) -> RawStep | None:
    """One step, or None when it is not written as a step or its numbers are out of range."""
    match = STEP.fullmatch(part)
    if not match:
        return None
    hold = match["hold"]
    rounds = match["rounds"]
    step = RawStep(
        slug=match["slug"].lower(),
        hold_kind=UNITS[match["unit"]] if hold else None,
        hold_value=int(hold) if hold else None,
        sides=SIDES[match["sides"]] if match["sides"] else None,
        rounds=int(rounds) if rounds else None,
    )
    if step.hold_value is not None and not HOLD_MIN <= step.hold_value <= HOLD_MAX:
        return None
    if step.rounds is not None and not REPETITIONS_MIN <= step.rounds <= MAX_ROUNDS:
        return None
    return step


def write_step(step: RawStep) -> str:
    parts = [step.slug]
    if step.hold_value is not None:
        parts.append(f"{step.hold_value}{UNIT_CODES[step.hold_kind]}")
    if step.sides is not None:
        parts.append(SIDE_CODES[step.sides])
    if step.rounds is not None:
        parts.append(f"x{step.rounds}")
    return "~".join(parts)


def encode(steps) -> str:
    """The address string of raw steps (the inverse of `decode`); "" for no steps."""
    if not steps:
        return ""
    return ".".join([VERSION, *(write_step(step) for step in steps)])


# --- Steps with their poses ---------------------------------------------------------------------------


@dataclass
class Step:
    """A step matched to a published pose, every value filled in. It has the shape `in_memory_routine` plans
    from (pose with an id, hold, both_sides, section, title, repetitions, first_side)."""

    pose: Pose
    hold_kind: str
    hold_value: int
    sides: str
    rounds: int
    section: str = ""
    title: str = ""

    @property
    def can_have_sides(self) -> bool:
        return self.pose.sides == "both"

    @property
    def both_sides(self) -> bool:
        return self.sides in ("right", "left")

    @property
    def first_side(self) -> str:
        return "left" if self.sides == "left" else "right"

    @property
    def repetitions(self) -> int:
        return self.rounds

    def raw(self) -> RawStep:
        """The step in its shortest address form: hold always (a pose's usual hold may change later), sides
        when the pose has them and they are not right-first, rounds when more than one."""
        return RawStep(
            slug=self.pose.slug,
            hold_kind=self.hold_kind,
            hold_value=self.hold_value,
            sides=self.sides if self.can_have_sides and self.sides != "right" else None,
            rounds=self.rounds if self.rounds != 1 else None,
        )


@dataclass
class Resolved:
    steps: list[Step]
    left_out: list[str] = field(default_factory=list)
    unreadable: int = 0

    @property
    def code(self) -> str:
        return encode([step.raw() for step in self.steps])


def usual_hold(pose: Pose) -> tuple[str, int]:
    if pose.hold_kind and pose.hold_value:
        return pose.hold_kind, pose.hold_value
    return DEFAULT_HOLD


def new_step(pose: Pose, raw: RawStep | None = None) -> Step:
    """A step of `pose` with what `raw` says, the pose's usual values for the rest."""
    raw = raw or RawStep(pose.slug)
    kind, value = usual_hold(pose)
    if raw.hold_value is not None:
        kind, value = raw.hold_kind, raw.hold_value
    if pose.sides == "both":
        sides = raw.sides or "right"
    else:
        sides = "once"
    return Step(pose=pose, hold_kind=kind, hold_value=value, sides=sides, rounds=raw.rounds or 1)


def published_poses(slugs) -> dict[str, Pose]:
    """The published poses among `slugs`, by slug, in one query."""
    slugs = set(slugs)
    if not slugs:
        return {}
    poses = Pose.objects.published().filter(slug__in=slugs)
    return {pose.slug: pose for pose in poses}


def resolve(decoded: Decoded) -> Resolved:
    """The raw steps matched to published poses. A slug that names no published pose (unknown, draft,
    scheduled, withdrawn) is left out and listed, once, in `left_out`: never shown, never played."""
    poses = published_poses(step.slug for step in decoded.steps)
    steps, left_out = [], []
    for raw in decoded.steps:
        pose = poses.get(raw.slug)
        if pose is None:
            if raw.slug not in left_out:
                left_out.append(raw.slug)
            continue
        steps.append(new_step(pose, raw))
    return Resolved(steps, left_out, decoded.unreadable)


def read(value: str | None) -> Resolved:
    """An address string as steps of published poses (raises Unreadable for a string that is no practice)."""
    return resolve(decode(value))
