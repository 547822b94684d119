"""The body map: a front and a back view of a figure on which a pose's muscles are shaded.

Shapes are drawn for the figure's left half only (x < 100 in a 200 × 400 box per view)
and mirrored, so the figure is symmetric by construction. Path data uses absolute
M, L, C, Q and Z commands only, which is what the mirroring understands.
"""

import itertools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

VIEW_WIDTH = 200
VIEW_HEIGHT = 400
LABEL_SPACE = 24
FRONT, BACK = "front", "back"
VIEWS = {FRONT: "Front", BACK: "Back"}

_TOKEN = re.compile(r"[MLCQZ]|-?\d+(?:\.\d+)?")


def mirror(path: str) -> str:
    """The same path reflected about the vertical centre line of a view."""
    out, pair = [], []
    for token in _TOKEN.findall(path):
        if token.isalpha():
            out.append(token)
            continue
        pair.append(float(token))
        if len(pair) == 2:
            x, y = pair
            out.append(f"{VIEW_WIDTH - x:g},{y:g}")
            pair = []
    if pair:
        raise ValueError(f"odd number of coordinates in {path!r}")
    return re.sub(r"([MLCQ]) ", r"\1", " ".join(out)).replace(" Z", "Z")


@dataclass(frozen=True)
class Shape:
    """One region drawn on both sides of the body; `left` is the data, `right` its mirror."""

    left: tuple[str, ...]

    @property
    def right(self) -> tuple[str, ...]:
        return tuple(mirror(part) for part in self.left)

    @property
    def d(self) -> str:
        return " ".join(self.left + self.right)


@dataclass(frozen=True)
class MuscleShape:
    slug: str
    name: str
    views: dict[str, Shape]


def _shape(*parts: str) -> Shape:
    return Shape(left=tuple(" ".join(part.split()) for part in parts))


# The silhouette, shared by both views: a symmetric figure looks the same from behind.
# Each part is a closed shape; they overlap and are outlined as one (see _view).
HEAD = "M100,7 C110,7 116,16 116,29 C116,42 109,53 100,53 C91,53 84,42 84,29 C84,16 90,7 100,7Z"
NECK = "M91,40 L109,40 L110,66 L90,66Z"
TORSO = (
    "M100,58 L90,60 C84,65 75,68 66,70 C57,73 52,82 52,94 L56,112 L72,104 "
    "C74,122 76,142 75,160 C73,172 68,182 66,196 L66,206 L100,216 "
    "L134,206 L134,196 C132,182 127,172 125,160 C124,142 126,122 128,104 "
    "L144,112 L148,94 C148,82 143,73 134,70 C125,68 116,65 110,60Z"
)
ARM = _shape(
    "M58,76 C52,84 50,100 49,114 C48,128 46,140 44,150 C41,160 39,172 38,184 C37,194 36,202 35,210 "
    "C32,220 31,232 34,246 C36,251 43,252 45,248 C48,240 50,228 49,213 "
    "C52,196 57,178 60,156 C63,142 67,126 72,104 C72,90 68,80 58,76Z"
)
LEG = _shape(
    "M68,186 C64,200 63,222 64,244 C65,262 68,280 70,292 C71,300 67,310 67,322 "
    "C67,336 72,348 76,354 C78,358 80,361 80,364 C79,370 77,378 77,384 C80,389 92,389 95,386 "
    "C95,378 93,370 92,364 C94,350 97,334 97,318 C97,306 95,298 95,292 "
    "C98,270 100,244 100,214 L96,186Z"
)
# Separate paths, not one compound path: a mirrored part winds the other way, and
# overlapping opposite windings would cut holes in a single nonzero-filled path.
BODY_PATHS = (HEAD, NECK, TORSO, *ARM.left, *ARM.right, *LEG.left, *LEG.right)

# Kneecaps, on the front view only, help the eye tell the front from the back.
DETAILS = {
    FRONT: _shape(
        "M76,286 C78,280 90,280 92,286 C92,294 88,298 84,298 C80,298 76,294 76,286Z",
    ),
}

# Flexors in front, extensors behind: the same outline seen from either side.
FOREARM = _shape("M59,156 C58,170 54,190 48,208 L38,207 C38,190 40,172 44,158 C49,153 55,153 59,156Z")

MUSCLES: dict[str, MuscleShape] = {
    m.slug: m
    for m in (
        MuscleShape(
            "neck",
            "Neck",
            {
                FRONT: _shape("M90,51 C93,56 96,61 99,65 L96,67 C93,63 90,59 88,55Z"),
                BACK: _shape("M92,50 C94,51 96,52 98,52 L98,61 L90,60 C91,57 92,54 92,50Z"),
            },
        ),
        MuscleShape(
            "traps",
            "Traps",
            {
                FRONT: _shape("M88,52 C87,58 80,64 68,69 C76,69 84,67 89,64Z"),
                BACK: _shape("M98,63 L98,104 C92,100 86,92 80,84 C76,79 72,75 66,71 C76,68 84,65 89,62Z"),
            },
        ),
        MuscleShape(
            "shoulders",
            "Shoulders",
            {
                FRONT: _shape("M67,71 C59,72 53,79 53,89 C53,99 55,106 58,112 C62,104 66,96 70,90 C73,84 74,78 72,72Z"),
                BACK: _shape("M66,72 C58,73 53,80 53,90 C53,100 55,107 58,112 C63,104 68,96 72,89 C75,83 73,76 66,72Z"),
            },
        ),
        MuscleShape(
            "chest",
            "Chest",
            {
                FRONT: _shape(
                    "M98,70 L98,113 C91,118 82,119 77,114 C74,110 73,103 73,96 C73,88 74,80 75,75 C82,72 90,70 98,70Z"
                ),
            },
        ),
        MuscleShape(
            "biceps",
            "Biceps",
            {
                FRONT: _shape(
                    "M70,106 C70,118 67,134 61,148 C57,147 53,144 51,139 C51,127 53,116 57,110 C61,105 66,104 70,106Z"
                ),
            },
        ),
        MuscleShape(
            "triceps",
            "Triceps",
            {
                BACK: _shape(
                    "M57,113 C53,122 51,134 50,146 C55,149 60,149 62,147 C65,136 68,120 70,106 C66,104 61,107 57,113Z"
                ),
            },
        ),
        MuscleShape(
            "forearms",
            "Forearms",
            {
                FRONT: FOREARM,
                BACK: FOREARM,
            },
        ),
        MuscleShape(
            "abdominals",
            "Abdominals",
            {
                FRONT: _shape(
                    "M98,120 L98,136 L86,136 L85,123 C90,121 94,120 98,120Z",
                    "M98,139 L98,154 L86,154 L86,139Z",
                    "M98,157 L98,172 L86,172 L86,157Z",
                    "M98,175 L98,198 C93,196 89,190 87,184 L86,175Z",
                    "M82,121 L83,186 C80,184 76,180 72,176 C74,166 75,148 74,132 C76,126 79,122 82,121Z",
                ),
            },
        ),
        MuscleShape(
            "lats",
            "Lats",
            {
                FRONT: _shape("M73,104 C74,112 75,120 76,126 C78,124 79,121 79,117 C77,114 75,110 73,104Z"),
                BACK: _shape(
                    "M73,108 C75,122 76,144 75,160 C78,168 83,174 88,178 L88,146 L80,142 C77,132 75,120 73,108Z"
                ),
            },
        ),
        MuscleShape(
            "middle-back",
            "Middle Back",
            {
                BACK: _shape("M98,107 L98,142 L82,140 C78,130 75,118 73,106 C75,96 76,90 78,87 C84,96 91,103 98,107Z"),
            },
        ),
        MuscleShape(
            "lower-back",
            "Lower Back",
            {
                BACK: _shape("M91,145 L98,145 L98,192 C95,193 92,191 90,188Z"),
            },
        ),
        MuscleShape(
            "glutes",
            "Glutes",
            {
                BACK: _shape(
                    "M98,197 C98,214 96,230 88,236 C79,239 71,233 68,223 C67,213 71,203 79,198 C86,194 93,194 98,197Z"
                ),
            },
        ),
        MuscleShape(
            "abductors",
            "Abductors",
            {
                FRONT: _shape("M71,188 C67,196 66,208 67,220 C69,212 73,204 77,198 C76,194 74,190 71,188Z"),
                BACK: _shape("M71,186 C68,192 67,200 67,210 C71,202 78,196 87,193 C83,188 77,185 71,186Z"),
            },
        ),
        MuscleShape(
            "adductors",
            "Adductors",
            {
                FRONT: _shape("M98,218 C95,220 92,226 92,234 C92,242 93,248 95,252 C97,240 98,230 98,218Z"),
                BACK: _shape("M98,238 C95,246 94,256 95,266 C97,260 99,250 98,238Z"),
            },
        ),
        MuscleShape(
            "quadriceps",
            "Quadriceps",
            {
                FRONT: _shape(
                    "M67,212 C64,232 65,258 71,280 C73,284 76,284 77,280 C76,262 76,240 79,222 C78,214 72,208 67,212Z",
                    "M82,208 C79,226 79,252 82,272 C83,278 86,280 88,276 C90,256 90,232 88,214 C87,208 84,206 82,208Z",
                    "M92,250 C89,258 88,270 90,282 C94,282 97,278 97,268 C97,260 95,254 92,250Z",
                ),
            },
        ),
        MuscleShape(
            "hamstrings",
            "Hamstrings",
            {
                BACK: _shape(
                    "M70,240 C68,256 70,274 78,290 C81,286 83,276 84,266 L84,242 C80,240 75,239 70,240Z",
                    "M86,242 L86,266 C87,276 89,284 92,290 C94,280 94,262 93,240 C91,239 88,240 86,242Z",
                ),
            },
        ),
        MuscleShape(
            "calves",
            "Calves",
            {
                FRONT: _shape(
                    "M93,298 C97,306 97,322 94,338 C91,328 90,312 93,298Z",
                    "M71,302 C68,314 68,330 73,346 C75,332 75,316 71,302Z",
                ),
                BACK: _shape(
                    "M72,298 C68,308 68,322 72,334 C76,340 82,340 84,334 L84,300 C80,294 76,294 72,298Z",
                    "M86,300 L86,334 C90,340 94,336 96,326 C97,314 96,302 92,297 C89,295 87,296 86,300Z",
                ),
            },
        ),
    )
}

_ids = itertools.count(1)


def _names(slugs: Iterable[str]) -> list[str]:
    return [MUSCLES[slug].name.lower() for slug in slugs]


def describe(primary: list[str], secondary: list[str]) -> str:
    """The map in words: "Primary: lower back. Secondary: calves, glutes."."""
    parts = []
    if primary:
        parts.append(f"Primary: {', '.join(_names(primary))}.")
    if secondary:
        parts.append(f"Secondary: {', '.join(_names(secondary))}.")
    return " ".join(parts) or "Body map with no muscles highlighted."


def _known(slugs: Iterable[str], exclude: Iterable[str] = ()) -> list[str]:
    seen = set(exclude)
    result = []
    for slug in slugs:
        if slug in MUSCLES and slug not in seen:
            seen.add(slug)
            result.append(slug)
    return result


def _muscle_link(
    muscle: MuscleShape, shape: Shape, role: str | None, hatch_id: str, href: str, *, current: bool, focusable: bool
) -> SafeString:
    """A muscle as a link to its page, named by its <title> (hover) and by a label under the figure that
    CSS shows on hover and focus, where no later drawing covers it. A muscle drawn on both views is one
    tab stop: the second drawing is for the mouse."""
    classes = "bm-muscle" + (f" bm-{role}" if role else "")
    fill = format_html(' fill="url(#{})"', hatch_id) if role == "secondary" else ""
    name = f"{muscle.name} ({role})" if role else muscle.name
    return format_html(
        '<a class="bm-link" href="{}" data-muscle="{}"{}{}><title>{}</title>'
        '<path class="{}" data-muscle="{}" d="{}"{}/>'
        '<text class="bm-name" x="{}" y="{}" text-anchor="middle" aria-hidden="true">{}</text></a>',
        href,
        muscle.slug,
        mark_safe(' aria-current="page"') if current else "",
        mark_safe("") if focusable else mark_safe(' tabindex="-1"'),
        name,
        classes,
        muscle.slug,
        shape.d,
        fill,
        VIEW_WIDTH // 2,
        VIEW_HEIGHT + LABEL_SPACE - 6,
        muscle.name,
    )


def _muscle_path(muscle: MuscleShape, shape: Shape, role: str | None, hatch_id: str) -> SafeString:
    if role is None:
        return format_html(
            '<path class="bm-muscle" data-muscle="{}" d="{}"><title>{}</title></path>',
            muscle.slug,
            shape.d,
            muscle.name,
        )
    fill = format_html(' fill="url(#{})"', hatch_id) if role == "secondary" else ""
    return format_html(
        '<path class="bm-muscle bm-{}" data-muscle="{}" d="{}"{}><title>{} ({})</title></path>',
        role,
        muscle.slug,
        shape.d,
        fill,
        muscle.name,
        role,
    )


def _view(
    view: str, roles: dict[str, str], hatch_id: str, links: Mapping[str, str], current: str, linked: set[str]
) -> SafeString:
    body = format_html_join("", '<path d="{}"/>', ((d,) for d in BODY_PATHS))
    drawn = []
    for muscle in (muscle for muscle in MUSCLES.values() if view in muscle.views):
        shape, role = muscle.views[view], roles.get(muscle.slug)
        if muscle.slug in links:
            drawn.append(
                _muscle_link(
                    muscle,
                    shape,
                    role,
                    hatch_id,
                    links[muscle.slug],
                    current=muscle.slug == current,
                    focusable=muscle.slug not in linked,
                )
            )
            linked.add(muscle.slug)
        else:
            drawn.append(_muscle_path(muscle, shape, role, hatch_id))
    muscles = format_html_join("", "{}", ((item,) for item in drawn))
    offset = 0 if view == FRONT else VIEW_WIDTH
    details = DETAILS.get(view)
    return format_html(
        '<g class="bm-view bm-view-{}" transform="translate({} 0)">'
        '<g class="bm-outline">{}</g><g class="bm-skin">{}</g>'
        '{}<g class="bm-muscles">{}</g>'
        '<text class="bm-view-label" x="{}" y="{}" text-anchor="middle">{}</text></g>',
        view,
        offset,
        body,
        body,
        format_html('<path class="bm-detail" d="{}"/>', details.d) if details else "",
        muscles,
        VIEW_WIDTH // 2,
        VIEW_HEIGHT + LABEL_SPACE - 6,
        VIEWS[view],
    )


def render_body_map(
    *,
    primary: Iterable[str],
    secondary: Iterable[str],
    label: str | None = None,
    id_prefix: str | None = None,
    links: Mapping[str, str] | None = None,
    current: str = "",
) -> SafeString:
    """The body map as an inline <svg>: primary muscles shaded strongly, secondary ones hatched.

    Slugs outside the drawn vocabulary are left out. `id_prefix` keeps the ids unique on a
    page; without it each call takes a fresh one. With `links` (slug → URL) each drawn muscle
    that has one is a link; `current` marks the muscle whose page this is.
    """
    primary = _known(primary)
    secondary = _known(secondary, exclude=primary)
    roles = {slug: "primary" for slug in primary} | {slug: "secondary" for slug in secondary}
    prefix = id_prefix or f"bodymap-{next(_ids)}"
    title = label if label is not None else describe(primary, secondary)
    links = links or {}
    linked: set[str] = set()
    views = format_html_join(
        "", "{}", ((_view(view, roles, f"{prefix}-hatch", links, current, linked),) for view in VIEWS)
    )
    # A map of links is a group whose links screen readers reach; a map without is one image.
    role = "group" if linked else "img"
    return format_html(
        '<svg class="bm-figure{}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="{}" aria-labelledby="{}-title">'
        '<title id="{}-title">{}</title>'
        '<defs><pattern id="{}-hatch" width="5" height="5" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect class="bm-hatch-bg" width="5" height="5"/>'
        '<path class="bm-hatch-line" d="M0,0 L0,5"/></pattern></defs>'
        "{}</svg>",
        " bm-figure--linked" if linked else "",
        VIEW_WIDTH * len(VIEWS),
        VIEW_HEIGHT + LABEL_SPACE,
        role,
        prefix,
        prefix,
        title,
        prefix,
        views,
    )


def render_legend() -> SafeString:
    """The key to the map's shading, as a list to show next to it."""
    return mark_safe(
        '<ul class="bm-legend">'
        '<li><span class="bm-swatch bm-swatch-primary" aria-hidden="true"></span>Primary</li>'
        '<li><span class="bm-swatch bm-swatch-secondary" aria-hidden="true"></span>Secondary</li>'
        "</ul>"
    )
