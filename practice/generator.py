"""The rules that make a practice to measure, in one place.

A pure function over plain records (`PoseRecord`, `Request`): no database, so the same rules run
on the site's library, on a generated one in the tests, and on ten thousand poses in the bench.
`practice.views` turns the pose rows into records and the answer into an in-memory routine.

The rules (README, "A practice made to measure"):

1. Only poses at or below the chosen level, whose props are all at hand (a mat is assumed),
   and not left out. Poses whose warm-up or cool-down links go round in a circle are left out
   too: no order could keep them.
2. It opens gently: the first step is a seated, kneeling or lying pose (`GENTLE_CATEGORIES`)
   or a pose some other pose declares as its warm-up.
3. It builds toward the focus: after the opening come poses outside the focus, then the focus
   poses (its own kind first, then those that only work its muscles; easiest first). The poses
   outside come from near the focus first (`NEAR_FOCUS`), then from the rest, the kinds taking
   turns. When the library runs short, the focus poses come round again (`ROUNDS`), and a long
   practice may take the poses leading up to them once more. Without a focus every pose counts
   as one.
4. A calm focus (`Focus.calm`: relaxation, seated or chair poses) is made of restful poses
   (`CALM_CATEGORIES`).
5. It has a shape (`HEIGHT`): up from the floor to standing before the focus, down again through
   it, poses of one kind together, and a restful pose to wind down before the final rest.
6. A pose's warm-up comes before it and its cool-down after it, wherever the library has them
   (and they keep rule 1). A warm-up already done earlier counts; a cool-down waits for the end
   of a run of poses of its kind (`arrange`). No pose comes twice in a row.
7. A pose done on one side and then the other (`sides == both`) is done on both sides.
8. Each pose is held for its usual hold (30 seconds when it has none), all scaled by one factor
   between `MIN_SCALE` and `MAX_SCALE` (restful poses held still in a calm practice up to
   `CALM_MAX_SCALE`) so the practice fits the length asked for.
9. It ends with a rest of at least `MIN_REST` seconds: Corpse Pose where it keeps rule 1,
   otherwise a plain rest lying on the back. The rest takes up what rounding leaves, so the
   duration (by the routine rule, `routines.timing`, transitions included) is the length asked
   for, and never more than `TOLERANCE` from it.

When the rules cannot be kept, the answer is a `Cannot` that says what is missing and what to
change, never a practice that breaks one.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LEVELS = ("beginner", "intermediate", "advanced")
MIN_MINUTES, MAX_MINUTES = 10, 60
BREATH_SECONDS = 5
TRANSITION_SECONDS = 5
DEFAULT_HOLD = ("seconds", 30)
MIN_SCALE, MAX_SCALE = 0.5, 2.0
# Restful poses are there to be stayed in: a practice with a calm focus may hold those that are held still
# (not the moving ones, such as Cat-Cow) up to four times their usual hold.
CALM_MAX_SCALE = 4.0
RESTFUL_HOLDS = frozenset({"restorative", "seated", "twists", "forward-bends", "hip-openers"})
MIN_REST = 180
TOLERANCE = 0.05
ALWAYS_AT_HAND = frozenset({"yoga-mat"})
GENTLE_CATEGORIES = frozenset({"seated", "restorative", "tabletop", "chair-yoga"})
# Restful kinds of pose: seated, kneeling, lying, supported. A calm focus (relaxation) is surrounded by these
# only, and the practice winds down with them before the final rest.
CALM_CATEGORIES = frozenset(
    {"restorative", "seated", "tabletop", "twists", "forward-bends", "hip-openers", "chair-yoga"}
)
# A focus on these kinds only (relaxation, seated or chair poses) is calm: nothing around it stands or works hard.
CALM_FOCUS = frozenset({"restorative", "seated", "chair-yoga"})
# How high a kind of pose takes the body, from lying and sitting to standing: the poses leading up to the
# focus climb from the floor to standing, the focus poses come down from standing to the floor.
HEIGHT = {
    "restorative": 0,
    "seated": 0,
    "chair-yoga": 0,
    "hip-openers": 1,
    "twists": 1,
    "forward-bends": 1,
    "backbends": 2,
    "tabletop": 2,
    "core": 3,
    "inversions": 4,
    "standing": 5,
}
REST_POSE = "corpse-pose"
# How much of the practice the final rest may take, at most; the poses take the rest.
REST_SHARE_TARGET, REST_SHARE_MAX = 0.1, 0.25
# A calm practice may rest longer at the end.
CALM_REST_SHARE_MAX = 1 / 3
ROUNDS = ("Second round", "Third round")
ROUND_SCALE = 1.5
WINDING = "Winding down"
# When a long practice still runs short, the poses leading up to the focus come round once more.
ONCE_MORE = "Building up again"
# A focus group gathers categories and muscles under a name people use.
FOCUS_GROUPS = {
    "back": ("Back", frozenset({"backbends", "twists"}), frozenset({"lower-back", "middle-back", "lats", "traps"})),
    "hips": ("Hips", frozenset({"hip-openers"}), frozenset({"glutes", "abductors", "adductors"})),
    "hamstrings": ("Hamstrings", frozenset({"forward-bends"}), frozenset({"hamstrings"})),
    "core": ("Core", frozenset({"core"}), frozenset({"abdominals"})),
    "shoulders": ("Shoulders", frozenset(), frozenset({"shoulders", "triceps", "chest"})),
    "balance": ("Balance", frozenset({"standing"}), frozenset()),
    "relaxation": ("Relaxation", frozenset({"restorative"}), frozenset()),
}
# What lies near each focus group (kinds of pose, muscles): the poses leading up to the focus come from
# here first, and only then from the rest of the library.
NEAR_FOCUS = {
    "back": (frozenset({"tabletop", "forward-bends", "core"}), frozenset({"abdominals", "glutes", "chest"})),
    "hips": (
        frozenset({"standing", "forward-bends", "seated"}),
        frozenset({"hamstrings", "quadriceps", "calves"}),
    ),
    "hamstrings": (frozenset({"standing", "seated", "hip-openers"}), frozenset({"calves", "glutes", "lower-back"})),
    "core": (frozenset({"standing", "backbends"}), frozenset({"lower-back", "glutes"})),
    "shoulders": (frozenset({"inversions", "tabletop", "backbends"}), frozenset({"lats", "traps", "middle-back"})),
    "balance": (frozenset({"core"}), frozenset({"calves", "quadriceps", "abdominals", "glutes"})),
}


@dataclass(frozen=True)
class PoseRecord:
    """What the rules need to know of a published pose."""

    id: int
    slug: str
    name: str
    level: str = "beginner"
    category: str = ""
    muscles: frozenset[str] = frozenset()
    props: frozenset[str] = frozenset()
    both_sides: bool = False
    hold_kind: str = ""
    hold_value: int | None = None
    warm_up: int | None = None
    cool_down: int | None = None


@dataclass(frozen=True)
class Focus:
    """What "the focus" means: a group, a category or a muscle, as sets of slugs."""

    slug: str
    label: str
    categories: frozenset[str] = frozenset()
    muscles: frozenset[str] = frozenset()

    def matches(self, pose: PoseRecord) -> bool:
        if not self.categories and not self.muscles:
            return True
        return pose.category in self.categories or bool(pose.muscles & self.muscles)

    @property
    def calm(self) -> bool:
        """A focus on restful kinds of pose only (relaxation): everything around it is restful too."""
        return bool(self.categories) and not self.muscles and self.categories <= CALM_FOCUS

    def near(self, pose: PoseRecord) -> bool:
        """A pose outside the focus that works next to it (`NEAR_FOCUS`)."""
        categories, muscles = NEAR_FOCUS.get(self.slug, (frozenset(), frozenset()))
        return pose.category in categories or bool(pose.muscles & muscles)


ANY_FOCUS = Focus("any", "The whole body")


@dataclass(frozen=True)
class Request:
    minutes: int
    level: str
    focus: Focus = ANY_FOCUS
    props: frozenset[str] = frozenset()
    leave_out: frozenset[str] = frozenset()
    seed: int = 0


@dataclass(frozen=True)
class PlannedStep:
    """One step of the practice: a pose (or None for the plain rest) and how long to hold it."""

    pose: PoseRecord | None
    hold_kind: str
    hold_value: int
    both_sides: bool
    section: str
    title: str = ""

    @property
    def seconds(self) -> int:
        one = self.hold_value * (BREATH_SECONDS if self.hold_kind == "breaths" else 1)
        return one * (2 if self.both_sides else 1)

    @property
    def stops(self) -> int:
        return 2 if self.both_sides else 1


@dataclass(frozen=True)
class Practice:
    request: Request
    steps: tuple[PlannedStep, ...]
    scale: float

    @property
    def seconds(self) -> int:
        return sum(step.seconds + TRANSITION_SECONDS * step.stops for step in self.steps)


@dataclass(frozen=True)
class Cannot:
    """The library cannot make what was asked: why, and what to change."""

    reason: str
    suggestions: tuple[str, ...] = field(default_factory=tuple)


LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
# Enough candidates to fill the longest practice many times over; drawing them at random keeps a
# library of ten thousand poses as quick to plan from as one of forty.
CANDIDATES = 400


def level_rank(level: str) -> int:
    return LEVEL_RANK.get(level, len(LEVELS))


def usual_hold(pose: PoseRecord) -> tuple[str, int]:
    if pose.hold_value and pose.hold_kind in ("seconds", "breaths"):
        return pose.hold_kind, pose.hold_value
    return DEFAULT_HOLD


def usual_seconds(pose: PoseRecord) -> float:
    kind, value = usual_hold(pose)
    return value * (BREATH_SECONDS if kind == "breaths" else 1) * (2 if pose.both_sides else 1)


def scaled_hold(pose: PoseRecord, scale: float) -> tuple[str, int]:
    kind, value = usual_hold(pose)
    if kind == "breaths":
        return kind, max(1, round(value * scale))
    if value < 5:
        return kind, max(1, round(value * scale))
    # Seconds in fives: nobody is told to hold a pose for 37 seconds.
    return kind, min(3600, max(5, 5 * round(value * scale / 5)))


def fits(pose: PoseRecord, request: Request) -> bool:
    """Rule 1 for one pose: level, props at hand, not left out."""
    return (
        level_rank(pose.level) <= level_rank(request.level)
        and pose.props <= request.props | ALWAYS_AT_HAND
        and pose.slug not in request.leave_out
    )


def _without_loops(pool: dict[int, PoseRecord]) -> dict[int, PoseRecord]:
    """Drop poses on a circle of warm-up links or of cool-down links (inside the pool): no order keeps them.
    Each pose has one link of each kind, so a walk that comes back to a pose of its own walk found a circle."""
    looped: set[int] = set()
    for link in ("warm_up", "cool_down"):
        following = {pk: target for pk, pose in pool.items() if (target := getattr(pose, link)) in pool}
        done: set[int] = set()
        for start in following:
            if start in done:
                continue
            walk: dict[int, int] = {}
            current = start
            while current in following and current not in done and current not in walk:
                walk[current] = len(walk)
                current = following[current]
            if current in walk:
                looped.update(list(walk)[walk[current] :])
            done.update(walk)
    return {pk: pose for pk, pose in pool.items() if pk not in looped} if looped else pool


def eligible(library: Iterable[PoseRecord], request: Request) -> dict[int, PoseRecord]:
    """The poses the practice may use (rule 1), by id, in the library's order."""
    rank = level_rank(request.level)
    at_hand = request.props | ALWAYS_AT_HAND
    left_out = request.leave_out
    pool = {
        pose.id: pose
        for pose in library
        if LEVEL_RANK.get(pose.level, len(LEVELS)) <= rank and pose.props <= at_hand and pose.slug not in left_out
    }
    return _without_loops(pool)


class _Sequence:
    """The practice as it grows: appending a pose brings its warm-up before it and its cool-down after."""

    def __init__(self, pool: dict[int, PoseRecord]):
        self.pool = pool
        self.items: list[tuple[PoseRecord, str]] = []
        self.placed: set[int] = set()

    def unit(self, pose: PoseRecord) -> list[PoseRecord]:
        """The poses appending `pose` would add, in order."""
        out: list[PoseRecord] = []
        placed = set(self.placed)
        self._add(pose, out, placed, last=self.items[-1][0].id if self.items else None)
        return out

    def _add(self, pose: PoseRecord, out: list, placed: set, last: int | None) -> int | None:
        warm = self.pool.get(pose.warm_up) if pose.warm_up is not None else None
        if warm is not None and warm.id not in placed:
            last = self._add(warm, out, placed, last)
        if last == pose.id and self.pool.get(pose.cool_down) is None:
            return last  # the same pose twice in a row is one longer hold, not two steps
        out.append(pose)
        placed.add(pose.id)
        last = pose.id
        cool = self.pool.get(pose.cool_down) if pose.cool_down is not None else None
        if cool is not None:
            last = self._add(cool, out, placed, last)
        return last

    def extend(self, poses: list[PoseRecord], section: str) -> None:
        for pose in poses:
            self.items.append((pose, section))
            self.placed.add(pose.id)


def height(pose: PoseRecord) -> int:
    return HEIGHT.get(pose.category, 2)


def restful(pose: PoseRecord) -> bool:
    """Lying or seated and at rest: what a practice winds down with."""
    return pose.category in CALM_CATEGORIES and height(pose) <= 1


def _by_kind(poses: list[PoseRecord], rng: random.Random) -> list[PoseRecord]:
    """`poses` taking turns by kind (category), the kinds in a random order: no one kind fills the time
    while others wait."""
    kinds: dict[str, list[PoseRecord]] = {}
    for pose in poses:
        kinds.setdefault(pose.category, []).append(pose)
    queues = list(kinds.values())
    rng.shuffle(queues)
    out: list[PoseRecord] = []
    for turn in range(max((len(queue) for queue in queues), default=0)):
        out.extend(queue[turn] for queue in queues if turn < len(queue))
    return out


def arrange(
    parts: list[list[tuple[PoseRecord, str]]], pool: dict[int, PoseRecord], rest_id: int | None, again: set[str]
):
    """The practice's poses in order, from the poses each part chose (pose, section): each pose's warm-up
    before it (unless done earlier), its cool-down after it. A cool-down waits while the poses that follow
    in the same part are of the same kind or share it, so a run of backbends ends with one Child's Pose
    rather than one after each. The same pose never comes twice in a row: that is one hold. A pose already
    done (as another's warm-up, say) is not done again, except once in each section named in `again` (the
    focus, its rounds, winding down). A cool-down that is the final rest's pose is left to the final rest."""
    out: list[tuple[PoseRecord, str]] = []
    placed: set[int] = set()
    waiting: list[int] = []
    by_section: dict[str, set[int]] = {}

    def place(pose: PoseRecord, section: str) -> None:
        warm = pool.get(pose.warm_up) if pose.warm_up is not None else None
        if warm is not None and warm.id not in placed:
            place(warm, section)
        if out and out[-1][0].id == pose.id:
            return
        out.append((pose, section))
        placed.add(pose.id)
        by_section.setdefault(section, set()).add(pose.id)
        if pose.id in waiting:
            waiting.remove(pose.id)
        cool = pose.cool_down
        if cool in pool and cool != pose.id and cool != rest_id and cool not in waiting:
            waiting.append(cool)

    def settle(section: str) -> None:
        while waiting:
            place(pool[waiting.pop(0)], section)

    previous: tuple[PoseRecord, str] | None = None
    for part in parts:
        for pose, section in part:
            if pose.id in placed and (section not in again or pose.id in by_section.get(section, ())):
                continue
            # Winding down does not come back to a pose just done when the practice is already lying or sitting.
            if section == WINDING and pose.id in {done.id for done, _ in out[-3:]} and restful(out[-1][0]):
                continue
            if previous is not None:
                kin = pose.category == previous[0].category or pose.cool_down in waiting
                if not kin or section != previous[1]:
                    settle(previous[1])
            place(pose, section)
            previous = (pose, section)
    if previous is not None:
        settle(previous[1])
    return out


def opens_gently(pose: PoseRecord, warm_ups: set[int]) -> bool:
    return pose.category in GENTLE_CATEGORIES or pose.id in warm_ups


def _suggestions(library: Sequence[PoseRecord], request: Request, enough: int) -> tuple[str, ...]:
    """What would change the answer: a higher level, a prop, a shorter length, another focus."""
    tips = []
    count = len([p for p in eligible(library, request).values() if request.focus.matches(p)])
    rank = level_rank(request.level)
    if rank + 1 < len(LEVELS):
        higher = Request(**{**request.__dict__, "level": LEVELS[-1]})
        more = len([p for p in eligible(library, higher).values() if request.focus.matches(p)]) - count
        if more > 0:
            tips.append(f"Choose a higher level: {more} more pose{'s' if more != 1 else ''} would fit.")
    props = sorted({prop for pose in library for prop in pose.props} - request.props - ALWAYS_AT_HAND)
    gains = []
    for prop in props:
        wider = Request(**{**request.__dict__, "props": request.props | {prop}})
        more = len([p for p in eligible(library, wider).values() if request.focus.matches(p)]) - count
        if more > 0:
            gains.append((more, prop))
    for more, prop in sorted(gains, key=lambda gain: (-gain[0], gain[1]))[:3]:
        tips.append(f"Have a {prop.replace('-', ' ')} at hand: {more} more pose{'s' if more != 1 else ''} would fit.")
    if request.leave_out:
        tips.append("Leave out fewer poses.")
    if request.focus != ANY_FOCUS:
        tips.append("Choose another focus, or the whole body.")
    if MIN_MINUTES <= enough < request.minutes:
        tips.append(f"Choose a shorter practice: up to {enough} minutes can be made now.")
    return tuple(tips)


def generate(library: Sequence[PoseRecord], request: Request) -> Practice | Cannot:
    """A practice for `request` from `library` by the rules above, or why there cannot be one.
    The same library and request always give the same answer."""
    if not MIN_MINUTES <= request.minutes <= MAX_MINUTES or request.level not in LEVELS:
        return Cannot(f"A practice lasts {MIN_MINUTES} to {MAX_MINUTES} minutes, at one of the levels.")
    rng = random.Random(request.seed)
    pool = eligible(library, request)
    # The final rest comes last, so a rest pose that names a cool-down (or a warm-up) the practice would
    # have to fit around it gives way to a plain rest.
    rest_pose = next(
        (
            pose
            for pose in pool.values()
            if pose.slug == REST_POSE
            and not pose.both_sides
            and pool.get(pose.cool_down) is None
            and pool.get(pose.warm_up) is None
        ),
        None,
    )
    poses = [pose for pose in pool.values() if pose is not rest_pose]
    focus_poses = [pose for pose in poses if request.focus.matches(pose)]
    if not focus_poses:
        what = "pose" if request.focus == ANY_FOCUS else f"pose for “{request.focus.label}”"
        return Cannot(
            f"No {what} fits the level and the props at hand.",
            _suggestions(library, request, 0),
        )
    warm_ups = {pose.warm_up for pose in pool.values() if pose.warm_up in pool}
    gentle = [pose for pose in poses if opens_gently(pose, warm_ups)]
    if not gentle:
        return Cannot(
            "No pose to open gently with (seated, kneeling, lying, or another pose's warm-up) fits the level "
            "and the props at hand.",
            _suggestions(library, request, 0),
        )

    total = request.minutes * 60
    rest_target = max(MIN_REST, round(total * REST_SHARE_TARGET))
    focus = request.focus
    rest_max = max(MIN_REST + 60, round(total * (CALM_REST_SHARE_MAX if focus.calm else REST_SHARE_MAX)))
    # Seated, kneeling and lying poses open, outside the focus first (the focus poses are kept for the focus
    # part); another pose's warm-up (a Plank, a Mountain) only when they run out. A calm focus opens calm.
    if focus.calm:
        gentle = [pose for pose in gentle if pose.category in CALM_CATEGORIES]
    count = 1 + total // 1200
    tiers = (
        [p for p in gentle if p.category in GENTLE_CATEGORIES and not focus.matches(p)],
        [p for p in gentle if p.category in GENTLE_CATEGORIES and focus.matches(p)],
        [p for p in gentle if p.category not in GENTLE_CATEGORIES and not focus.matches(p)],
        [p for p in gentle if p.category not in GENTLE_CATEGORIES and focus.matches(p)],
    )
    openers: list[PoseRecord] = []
    for tier in tiers:
        openers += rng.sample(tier, min(len(tier), count - len(openers)))
    opener_ids = {pose.id for pose in openers}
    # Winding down: a restful pose or two, lying or seated, before the final rest (a calm focus already is).
    winding = [] if focus.calm else [pose for pose in poses if restful(pose)]
    winding = [pose for pose in winding if pose.id not in opener_ids]
    winding = [pose for pose in winding if focus == ANY_FOCUS or not focus.matches(pose)] or winding
    winding = rng.sample(winding, min(len(winding), 1 if total < 1800 else 2))
    set_apart = opener_ids | {pose.id for pose in winding}
    focus_poses = [pose for pose in focus_poses if pose.id not in set_apart] or focus_poses
    others = [pose for pose in poses if not focus.matches(pose) and pose.id not in set_apart]
    if focus.calm:
        others = [pose for pose in others if pose.category in CALM_CATEGORIES]
    # Poses near the focus lead up to it first; the rest of the library only when they run out.
    near = [pose for pose in others if focus.near(pose)]
    far = [pose for pose in others if not focus.near(pose)]
    others = _by_kind(rng.sample(near, min(len(near), CANDIDATES)), rng) + _by_kind(
        rng.sample(far, min(len(far), CANDIDATES)), rng
    )
    focus_poses = rng.sample(focus_poses, min(len(focus_poses), CANDIDATES))
    # The poses of the focus's own kind first, then those that only work its muscles; easiest first.
    ordered_focus = sorted(
        focus_poses, key=lambda pose: (pose.category not in focus.categories, LEVEL_RANK.get(pose.level, 3))
    )
    main_title = "Toward the whole body" if focus == ANY_FOCUS else f"Focus: {focus.label}"

    def need(poses_: list[PoseRecord]) -> float:
        """The scale the usual holds of `poses_` would need to fill the practice."""
        stops = sum(2 if pose.both_sides else 1 for pose in poses_) + 1
        holds = sum(usual_seconds(pose) for pose in poses_)
        return (total - rest_target - TRANSITION_SECONDS * stops) / holds if holds else float("inf")

    def grow(sequence: _Sequence, plan, after: list[PoseRecord] = ()) -> list[tuple[PoseRecord, str]]:
        """Append the units of `plan` in order while they fit, until the usual holds fill the practice.
        `after` is what will follow these units, counted in the length. Returns the poses chosen.
        A round that repeats stops as soon as holds up to `ROUND_SCALE` times the usual fill the practice:
        longer holds are better than the same poses once more."""
        chosen = []
        for pose, section, again in plan:
            enough = ROUND_SCALE if section in ROUNDS else 1.0
            # A pose already done (as another's warm-up, say) waits for the second round.
            if pose.id in sequence.placed and not again:
                continue
            current = [item for item, _ in sequence.items]
            if current and need(current + list(after)) <= enough:
                break
            unit = sequence.unit(pose)
            if not unit:
                continue
            if not current:
                # Rule 2 is about the first pose of the first unit: a warm-up chain may come before the opener.
                if not opens_gently(unit[0], warm_ups):
                    continue
            elif need(current + unit + list(after)) < MIN_SCALE + 0.1:
                continue
            sequence.extend(unit, section)
            chosen.append((pose, section))
            if need(current + unit + list(after)) <= enough:
                break
        return chosen

    def fill(openers_: list[PoseRecord], with_support: bool, winding_: list[PoseRecord], once_more: bool = False):
        opening = _Sequence(pool)
        opened = grow(opening, [(pose, "Arriving", False) for pose in openers_])
        ending = _Sequence(pool)
        ending.placed = set(opening.placed)
        ending.extend([], "")
        wound = [(pose, WINDING) for pose in winding_]
        for pose, _ in wound:
            ending.extend(ending.unit(pose), WINDING)
        after = [pose for pose, _ in ending.items]
        # The focus part first, so that the poses leading up to it only take the time it leaves.
        focused = _Sequence(pool)
        focused.extend([pose for pose, _ in opening.items], "Arriving")
        # When the library runs short, the focus poses come round again: a second time before the poses
        # leading up to them are chosen, a third time after. A calm focus takes its restful poses around it
        # first, and only then comes round again.
        first = [(pose, main_title, False) for pose in ordered_focus]
        early, late = (ROUNDS[:0], ROUNDS) if focus.calm else (ROUNDS[:1], ROUNDS[1:])
        focus_part = grow(
            focused, first + [(pose, name, True) for name in early for pose in ordered_focus], after=after
        )
        late_rounds = [(pose, name, True) for name in late for pose in ordered_focus]
        leading: list[tuple[PoseRecord, str]] = []
        again: list[tuple[PoseRecord, str]] = []
        if with_support:
            support = _Sequence(pool)
            support.extend([pose for pose, _ in opening.items], "Arriving")
            leading = grow(
                support,
                [(pose, "Building up", False) for pose in others],
                after=[pose for pose, _ in focused.items[len(opening.items) :]] + after,
            )
            support.extend([pose for pose, _ in focused.items[len(opening.items) :]], main_title)
            focus_part += grow(support, late_rounds, after=after)
            if once_more:
                again = grow(support, [(pose, ONCE_MORE, True) for pose, _ in leading], after=after)
        else:
            focus_part += grow(focused, late_rounds, after=after)
        # From the floor up to standing before the focus, then down again to the floor.
        # Poses of one kind stay together (in the focus, easiest first); one some other pose warms up for goes
        # first among equals.
        leading.sort(key=lambda item: (height(item[0]), item[0].category, item[0].id not in warm_ups))
        again.sort(key=lambda item: (height(item[0]), item[0].category, item[0].id not in warm_ups))
        focus_part.sort(
            key=lambda item: (
                ROUNDS.index(item[1]) + 1 if item[1] in ROUNDS else 0,
                -height(item[0]),
                item[0].category,
                level_rank(item[0].level),
                item[0].id not in warm_ups,
            )
        )
        wound.sort(key=lambda item: (-height(item[0]), item[0].id not in warm_ups))
        return arrange(
            [opened, leading, again, focus_part, wound],
            pool,
            rest_pose.id if rest_pose else None,
            {main_title, *ROUNDS, WINDING, ONCE_MORE},
        )

    # A short practice may have no room for the poses outside the focus, for winding down, or for a second opener.
    attempts = (
        (openers, True, winding),
        (openers, False, winding),
        (openers[:1], False, winding),
        (openers, True, []),
        (openers, False, []),
        (openers[:1], False, []),
    )
    for openers_, with_support, winding_ in attempts:
        items = fill(openers_, with_support, winding_)
        if items and (
            focus == ANY_FOCUS or any(focus.matches(pose) and section != "Arriving" for pose, section in items)
        ):
            break
    else:
        return Cannot(
            f"The poses for “{focus.label}” that fit are too long for a practice this short.",
            _suggestions(library, request, 0),
        )

    def planned(scale_: float) -> tuple[list[PlannedStep], int]:
        steps_ = [
            PlannedStep(pose, *scaled_hold(pose, min(scale_, cap(pose))), both_sides=pose.both_sides, section=section)
            for pose, section in items
        ]
        used_ = sum(step.seconds + TRANSITION_SECONDS * step.stops for step in steps_) + TRANSITION_SECONDS
        return steps_, total - used_

    def cap(pose: PoseRecord) -> float:
        """How far a pose's hold may grow: restful poses in a calm practice are there to be stayed in."""
        return CALM_MAX_SCALE if focus.calm and pose.category in RESTFUL_HOLDS else MAX_SCALE

    def largest_scale(rest_at_least: int) -> float:
        """The longest holds that leave `rest_at_least` for the rest (holds round, so the rest only shrinks
        as the scale grows)."""
        low, high = MIN_SCALE, CALM_MAX_SCALE if focus.calm else MAX_SCALE
        if planned(high)[1] >= rest_at_least:
            return high
        for _ in range(20):
            middle = (low + high) / 2
            low, high = (middle, high) if planned(middle)[1] >= rest_at_least else (low, middle)
        return low

    def fitted() -> tuple[float, list[PlannedStep], int]:
        scale_ = largest_scale(rest_target)
        steps_, rest_ = planned(scale_)
        if rest_ < rest_target:
            scale_ = largest_scale(MIN_REST)
            steps_, rest_ = planned(scale_)
        return scale_, steps_, rest_

    scale, steps, rest = fitted()
    if rest > rest_max:
        items = fill(openers, True, winding, once_more=True)
        scale, steps, rest = fitted()
    used = total - rest
    if rest < MIN_REST:
        return Cannot(
            "The poses that fit do not leave room for a three-minute rest at this length.",
            _suggestions(library, request, 0),
        )
    if rest > rest_max:
        seconds_made = used + rest_max
        return Cannot(
            "There are too few poses that fit to fill a practice this long.",
            _suggestions(library, request, max(0, int(seconds_made // 60))),
        )
    if rest_pose is not None:
        final = PlannedStep(rest_pose, "seconds", rest, both_sides=False, section="Rest")
    else:
        final = PlannedStep(None, "seconds", rest, both_sides=False, section="Rest", title="Rest")
    return Practice(request=request, steps=(*steps, final), scale=scale)
