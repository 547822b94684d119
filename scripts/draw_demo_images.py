#!/usr/bin/env python3
"""Draw the illustrations of the demo content (demo/images/).

Every picture is a stylised person on a mat: the figure is built from a few joint
positions per pose (hip, torso angle, where the hands and feet go) and the limbs are
solved with two-bone inverse kinematics, so the body keeps the same proportions in
every pose. Drawn at twice the size and scaled down for smooth edges, then saved as
a small palette PNG.

    .venv/bin/python scripts/draw_demo_images.py            # all pictures
    .venv/bin/python scripts/draw_demo_images.py cobra bow  # only these
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, ImageDraw, ImageOps

OUT = Path(__file__).resolve().parent.parent / "demo" / "images"
WIDTH, HEIGHT = 1200, 800
SUPERSAMPLE = 2
FIGURE_WIDTH = 900
FLOOR_Y = 700  # pixels from the top of the picture

# Body proportions, in picture pixels at scale 1.
TORSO, NECK, HEAD_R = 150, 40, 30
UPPER_ARM, FOREARM = 80, 76
THIGH, SHIN, FOOT = 115, 110, 34
SEAT_TOP, CHAIR_DEPTH, CHAIR_HALF_WIDTH = 112, 150, 118

SKIN = (201, 146, 112)
HAIR = (61, 43, 38)
SHIRT = (44, 124, 120)
LEGGINGS = (52, 63, 92)
MAT = (126, 166, 142)
WOOD = (156, 112, 74)
CORK = (214, 182, 135)
BOLSTER = (96, 124, 160)
BLANKET = (214, 128, 96)
CUSHION = (190, 98, 76)

Vec = tuple[float, float]


def polar(angle: float, length: float) -> Vec:
    return length * math.cos(math.radians(angle)), length * math.sin(math.radians(angle))


def add(a: Vec, b: Vec) -> Vec:
    return a[0] + b[0], a[1] + b[1]


def angle_of(a: Vec, b: Vec) -> float:
    return math.degrees(math.atan2(b[1] - a[1], b[0] - a[0]))


def shade(color, factor: float):
    return tuple(max(0, min(255, round(c * factor))) for c in color)


def mix(color, other, amount: float):
    return tuple(round(c + (o - c) * amount) for c, o in zip(color, other, strict=True))


def two_bone(root: Vec, target: Vec, first: float, second: float, bend: int) -> tuple[Vec, Vec]:
    """Middle and end joint of a two-bone limb reaching from root toward target.

    bend=+1 puts the middle joint on the left of the root-to-target line (counter-clockwise).
    A target out of reach is approached as far as the limb allows.
    """
    dx, dy = target[0] - root[0], target[1] - root[1]
    distance = math.hypot(dx, dy)
    reach = max(abs(first - second) + 0.01, min(first + second - 0.01, distance))
    base = math.degrees(math.atan2(dy, dx))
    cosine = (first * first + reach * reach - second * second) / (2 * first * reach)
    opening = math.degrees(math.acos(max(-1.0, min(1.0, cosine))))
    middle = add(root, polar(base + bend * opening, first))
    return middle, add(root, polar(base, reach))


@dataclass
class Limb:
    """Where an arm or a leg goes: a target for the hand or ankle, or two bone angles."""

    target: Vec | None = None
    angles: tuple[float, float] | None = None
    bend: int = 1
    end: float | None = None  # direction of the hand or foot
    scale: tuple[float, float] = (1.0, 1.0)  # foreshortening of the two bones


def to(x: float, y: float, bend: int = 1, end: float | None = None, scale=(1.0, 1.0)) -> Limb:
    return Limb(target=(x, y), bend=bend, end=end, scale=scale)


def ang(first: float, second: float | None = None, end: float | None = None, scale=(1.0, 1.0)) -> Limb:
    return Limb(angles=(first, first if second is None else second), end=end, scale=scale)


@dataclass
class Body:
    """A person: pelvis position, spine angle and curve, head, two arms and two legs.

    Side view: arms[0] and legs[0] are the far limbs (drawn behind, darker).
    Front view: index 0 is the limb on the picture's left.
    """

    hip: Vec
    torso: float
    arms: tuple[Limb, Limb]
    legs: tuple[Limb, Limb]
    curve: float = 0.0  # how far the middle of the spine bows out, to the left of hip-to-neck
    head: float | None = None
    face: float | None = None
    front: bool = False
    hips_apart: float = 0.0
    ghost: bool = False


def bezier(p0: Vec, p1: Vec, p2: Vec, t: float) -> Vec:
    u = 1 - t
    return (u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0], u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1])


def profile(points: list[tuple[float, float]], t: float) -> float:
    for (t0, r0), (t1, r1) in zip(points, points[1:], strict=False):
        if t <= t1:
            return r0 + (r1 - r0) * (t - t0) / (t1 - t0)
    return points[-1][1]


SIDE_TORSO = [(0, 27), (0.4, 23), (0.75, 27), (0.9, 23), (1.0, 12)]
FRONT_TORSO = [(0, 30), (0.4, 28), (0.75, 34), (0.88, 37), (1.0, 12)]


@dataclass
class Solved:
    spine: list[Vec]
    radii: list[float]
    neck: Vec
    head: Vec
    face: float
    head_angle: float
    arms: list[list[Vec]] = field(default_factory=list)  # shoulder, elbow, wrist, hand tip
    legs: list[list[Vec]] = field(default_factory=list)  # hip, knee, ankle, toe


def solve_limb(root: Vec, limb: Limb, first: float, second: float, tip: float, default_end) -> list[Vec]:
    first, second = first * limb.scale[0], second * limb.scale[1]
    if limb.angles is not None:
        middle = add(root, polar(limb.angles[0], first))
        end = add(middle, polar(limb.angles[1], second))
    else:
        middle, end = two_bone(root, limb.target, first, second, limb.bend)
    direction = limb.end if limb.end is not None else default_end(angle_of(middle, end))
    return [root, middle, end, add(end, polar(direction, tip))]


def solve(body: Body) -> Solved:
    neck = add(body.hip, polar(body.torso, TORSO))
    mid = add(add(body.hip, polar(body.torso, TORSO / 2)), polar(body.torso + 90, 2 * body.curve))
    steps = 24
    spine = [bezier(body.hip, mid, neck, i / steps) for i in range(steps + 1)]
    shape = FRONT_TORSO if body.front else SIDE_TORSO
    radii = [profile(shape, i / steps) for i in range(steps + 1)]
    head_angle = body.torso if body.head is None else body.head
    head = add(neck, polar(head_angle, NECK))
    if body.face is not None:
        face = body.face
    else:
        face = head_angle + 180 if body.front else head_angle - 90
    shoulder_at = spine[round(steps * 0.9)]
    spine_dir = angle_of(spine[round(steps * 0.85)], spine[round(steps * 0.95)])
    if body.front:
        shoulders = [add(shoulder_at, polar(spine_dir + 90, 37)), add(shoulder_at, polar(spine_dir - 90, 37))]
        hip_dir = body.torso
        hips = [
            add(body.hip, polar(hip_dir + 90, body.hips_apart)),
            add(body.hip, polar(hip_dir - 90, body.hips_apart)),
        ]
    else:
        shoulders = [shoulder_at, shoulder_at]
        hips = [body.hip, body.hip]
    solved = Solved(spine, radii, neck, head, face, head_angle)
    for root, limb in zip(shoulders, body.arms, strict=True):
        solved.arms.append(solve_limb(root, limb, UPPER_ARM, FOREARM, 14, lambda a: a))
    for root, limb in zip(hips, body.legs, strict=True):
        solved.legs.append(solve_limb(root, limb, THIGH, SHIN, FOOT, lambda a: a + 90))
    return solved


class Canvas:
    """World coordinates: x to the right, y up from the floor, in picture pixels at scale 1."""

    def __init__(self, image: Image.Image, origin_x: float, scale: float = 1.0, floor_y: float = FLOOR_Y):
        self.image = image
        self.draw = ImageDraw.Draw(image)
        self.origin_x = origin_x
        self.scale = scale
        self.floor_y = floor_y

    def px(self, p: Vec) -> Vec:
        return (
            (self.origin_x + p[0] * self.scale) * SUPERSAMPLE,
            (self.floor_y - p[1] * self.scale) * SUPERSAMPLE,
        )

    def r(self, radius: float) -> float:
        return radius * self.scale * SUPERSAMPLE

    def circle(self, center: Vec, radius: float, color) -> None:
        x, y = self.px(center)
        rr = self.r(radius)
        self.draw.ellipse((x - rr, y - rr, x + rr, y + rr), fill=color)

    def tube(self, points: list[Vec], radii: list[float], color) -> None:
        """A limb or a spine: circles joined by tangent quads, so every joint is rounded."""
        for (a, ra), (b, rb) in zip(
            zip(points, radii, strict=True), zip(points[1:], radii[1:], strict=True), strict=False
        ):
            direction = angle_of(a, b)
            quad = [
                add(a, polar(direction + 90, ra)),
                add(b, polar(direction + 90, rb)),
                add(b, polar(direction - 90, rb)),
                add(a, polar(direction - 90, ra)),
            ]
            self.draw.polygon([self.px(q) for q in quad], fill=color)
        for p, radius in zip(points, radii, strict=True):
            self.circle(p, radius, color)

    def rounded_rect(self, x0: float, y0: float, x1: float, y1: float, radius: float, color) -> None:
        a, b = self.px((x0, y1)), self.px((x1, y0))
        self.draw.rounded_rectangle((a[0], a[1], b[0], b[1]), radius=self.r(radius), fill=color)

    def line(self, points: list[Vec], width: float, color) -> None:
        self.draw.line([self.px(p) for p in points], fill=color, width=max(1, round(self.r(width))), joint="curve")
        for p in (points[0], points[-1]):
            self.circle(p, width / 2, color)


def draw_arm(canvas: Canvas, joints: list[Vec], palette: dict, far: bool) -> None:
    f = 0.82 if far else 1.0
    # Short sleeves: the shirt covers the top of the upper arm.
    sleeve_end = add(joints[0], polar(angle_of(joints[0], joints[1]), UPPER_ARM * 0.45))
    canvas.tube(joints[0:3], [12, 10, 9], shade(palette["skin"], f))
    canvas.tube(joints[2:4], [9.5, 8.5], shade(palette["skin"], f))
    canvas.tube([joints[0], sleeve_end], [14, 13], shade(palette["shirt"], f))


def draw_leg(canvas: Canvas, joints: list[Vec], palette: dict, far: bool) -> None:
    f = 0.78 if far else 1.0
    canvas.tube(joints[2:4], [9.5, 7.5], shade(palette["skin"], f))
    canvas.tube(joints[0:3], [20, 15, 11], shade(palette["legs"], f))


def draw_head(canvas: Canvas, solved: Solved, palette: dict) -> None:
    canvas.tube([solved.neck, solved.head], [11, 11], palette["skin"])
    back = polar(solved.face + 180, 1)
    top = polar(solved.head_angle, 1)
    bun_dir = math.degrees(math.atan2(back[1] + 0.9 * top[1], back[0] + 0.9 * top[0]))
    canvas.circle(add(solved.head, polar(bun_dir, HEAD_R + 4)), 13, palette["hair"])
    canvas.circle(add(solved.head, polar(solved.face + 180, 4)), HEAD_R + 1, palette["hair"])
    canvas.circle(add(solved.head, polar(solved.face, 4)), HEAD_R - 3, palette["skin"])


def draw_body(canvas: Canvas, body: Body, background) -> None:
    solved = solve(body)
    palette = {"skin": SKIN, "hair": HAIR, "shirt": SHIRT, "legs": LEGGINGS}
    if body.ghost:
        palette = {k: mix(c, background, 0.62) for k, c in palette.items()}
    if body.front:
        # Legs seen in profile under a torso turned to face us (a seated twist) keep their depth.
        for i, leg in enumerate(solved.legs):
            draw_leg(canvas, leg, palette, far=i == 0 and body.hips_apart == 0)
        canvas.tube(solved.spine, solved.radii, palette["shirt"])
        draw_head(canvas, solved, palette)
        for arm in solved.arms:
            draw_arm(canvas, arm, palette, far=False)
        return
    draw_leg(canvas, solved.legs[0], palette, far=True)
    draw_arm(canvas, solved.arms[0], palette, far=True)
    canvas.tube(solved.spine, solved.radii, palette["shirt"])
    draw_head(canvas, solved, palette)
    draw_leg(canvas, solved.legs[1], palette, far=False)
    draw_arm(canvas, solved.arms[1], palette, far=False)


def body_extent(body: Body) -> tuple[float, float, float]:
    solved = solve(body)
    points = solved.spine + [solved.head] + [p for limb in solved.arms + solved.legs for p in limb]
    xs = [p[0] for p in points]
    return min(xs) - 45, max(xs) + 45, max(p[1] for p in points) + 45


# Props ---------------------------------------------------------------------------------------


@dataclass
class Prop:
    kind: str
    x: float
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0

    def extent(self) -> tuple[float, float, float]:
        if self.kind == "wall":
            return self.x - 10, self.x + 10, 0
        if self.kind == "chair":
            return self.x - 20, self.x + CHAIR_DEPTH, SEAT_TOP + 240
        if self.kind in ("chair-front", "chair-back"):
            return self.x - CHAIR_HALF_WIDTH, self.x + CHAIR_HALF_WIDTH, SEAT_TOP + 240
        return self.x, self.x + self.w, self.y + self.h

    def draw(self, canvas: Canvas, background) -> None:
        x, y, w, h = self.x, self.y, self.w, self.h
        if self.kind == "block":
            canvas.rounded_rect(x, y, x + w, y + h, 5, CORK)
            canvas.rounded_rect(x + 4, y + h - 8, x + w - 4, y + h - 4, 2, shade(CORK, 1.08))
        elif self.kind == "bolster":
            canvas.rounded_rect(x, y, x + w, y + h, h / 2, BOLSTER)
            for i in range(1, 4):
                sx = x + w * i / 4
                canvas.rounded_rect(sx - 3, y + 4, sx + 3, y + h - 4, 3, shade(BOLSTER, 1.15))
        elif self.kind == "blanket":
            canvas.rounded_rect(x, y, x + w, y + h, 6, BLANKET)
            for i in range(1, int(h // 9)):
                ly = y + i * 9
                canvas.line([(x + 8, ly), (x + w - 8, ly)], 2, shade(BLANKET, 0.86))
        elif self.kind == "cushion":
            canvas.rounded_rect(x, y, x + w, y + h, h / 2.2, CUSHION)
            canvas.line([(x + 14, y + h / 2), (x + w - 14, y + h / 2)], 3, shade(CUSHION, 0.85))
        elif self.kind == "wall":
            wall = mix(background, (120, 110, 100), 0.18)
            canvas.rounded_rect(x - 600, -12, x, 900, 0, wall)
            canvas.rounded_rect(x - 600, 0, x, 22, 0, shade(wall, 0.85))
        elif self.kind == "chair":
            draw_chair_side(canvas, x)
        elif self.kind == "chair-front":
            draw_chair_front(canvas, x, back_only=False)
        elif self.kind == "chair-back":
            draw_chair_front(canvas, x, back_only=True)


def draw_chair_side(canvas: Canvas, x: float) -> None:
    """A chair seen from the side, facing right; x is the back edge of the seat."""
    dark = shade(WOOD, 0.8)
    front = x + CHAIR_DEPTH
    canvas.rounded_rect(front - 15, 0, front - 1, SEAT_TOP, 3, dark)
    canvas.rounded_rect(x + 1, 0, x + 15, SEAT_TOP, 3, dark)
    canvas.rounded_rect(x, SEAT_TOP - 14, front, SEAT_TOP, 5, WOOD)
    canvas.line([(x - 2, SEAT_TOP - 8), (x - 16, SEAT_TOP + 230)], 14, WOOD)
    canvas.line([(x - 6, SEAT_TOP + 120), (x - 14, SEAT_TOP + 210)], 26, WOOD)


def draw_chair_front(canvas: Canvas, x: float, back_only: bool) -> None:
    """A chair seen from the front, centred on x."""
    dark = shade(WOOD, 0.8)
    if back_only:
        canvas.rounded_rect(x - 105, SEAT_TOP, x - 91, SEAT_TOP + 240, 5, dark)
        canvas.rounded_rect(x + 91, SEAT_TOP, x + 105, SEAT_TOP + 240, 5, dark)
        canvas.rounded_rect(x - 105, SEAT_TOP + 150, x + 105, SEAT_TOP + 230, 8, dark)
        return
    canvas.rounded_rect(x - 110, 0, x - 96, SEAT_TOP, 3, WOOD)
    canvas.rounded_rect(x + 96, 0, x + 110, SEAT_TOP, 3, WOOD)
    canvas.rounded_rect(x - CHAIR_HALF_WIDTH, SEAT_TOP - 16, x + CHAIR_HALF_WIDTH, SEAT_TOP, 5, shade(WOOD, 1.08))


# Scenes --------------------------------------------------------------------------------------


@dataclass
class Scene:
    bodies: list[Body]
    props: list[Prop] = field(default_factory=list)
    mat: bool = True
    background: tuple[int, int, int] = (236, 230, 220)

    def extent(self) -> tuple[float, float, float]:
        parts = [body_extent(b) for b in self.bodies] + [p.extent() for p in self.props if p.kind != "wall"]
        return min(p[0] for p in parts), max(p[1] for p in parts), max(p[2] for p in parts)


def paint_background(image: Image.Image, background) -> None:
    draw = ImageDraw.Draw(image)
    s = SUPERSAMPLE
    draw.rectangle((0, 0, WIDTH * s, HEIGHT * s), fill=background)
    glow = mix(background, (255, 255, 255), 0.35)
    draw.ellipse(
        ((WIDTH / 2 + 120 - 300) * s, (330 - 300) * s, (WIDTH / 2 + 120 + 300) * s, (330 + 300) * s), fill=glow
    )
    draw.rectangle((0, (FLOOR_Y + 8) * s, WIDTH * s, HEIGHT * s), fill=mix(background, (90, 80, 70), 0.10))


def draw_scene(canvas: Canvas, scene: Scene, mat_span: tuple[float, float]) -> None:
    for prop in scene.props:
        if prop.kind == "wall":
            prop.draw(canvas, scene.background)
    if scene.mat:
        x0, x1 = mat_span
        canvas.rounded_rect(x0, -12, x1, 0, 5, MAT)
        canvas.rounded_rect(x0 + 3, -4, x1 - 3, 0, 2, shade(MAT, 1.1))
    for prop in scene.props:
        if prop.kind != "wall":
            prop.draw(canvas, scene.background)
    for body in scene.bodies:
        draw_body(canvas, body, scene.background)


def render(scene: Scene) -> Image.Image:
    image = Image.new("RGB", (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE))
    paint_background(image, scene.background)
    left, right, top = scene.extent()
    # The figure fills the frame: as wide as the cards' 4:3 crop of this 3:2 picture allows
    # (about 1060 of its 1200 pixels), or as tall as the space above the floor.
    scale = min(3.0, FIGURE_WIDTH / (right - left), (FLOOR_Y - 75) / top)
    origin_x = WIDTH / 2 - (left + right) / 2 * scale
    canvas = Canvas(image, origin_x, scale)
    mat_span = (min(left, -330), max(right, 330)) if scene.mat else (0, 0)
    for wall in (p for p in scene.props if p.kind == "wall"):
        mat_span = (max(mat_span[0], wall.x), mat_span[1])
    mat_span = (max(mat_span[0], (70 - origin_x) / scale), min(mat_span[1], (WIDTH - 70 - origin_x) / scale))
    draw_scene(canvas, scene, mat_span)
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def render_routine(scenes: list[Scene], background, mat: bool) -> Image.Image:
    """A routine's picture, or a movement between poses: the poses as large as the cards' 4:3 crop
    allows, on one row or (for long, low poses) on two, each row on its own mat, all at one scale."""
    extents = [scene.extent() for scene in scenes]
    # The cards' 4:3 crop keeps the middle 1066 of the 1200 pixels.
    span, gap, row_gap, sky = 1010, 16, 50, 50
    count = len(scenes)
    layouts = [[list(range(count))]] + [[list(range(cut)), list(range(cut, count))] for cut in range(1, count)]
    best = None
    for rows in layouts:
        row_height = (FLOOR_Y - sky - row_gap * (len(rows) - 1)) / len(rows)
        scale = 3.0
        for row in rows:
            width = sum(extents[i][1] - extents[i][0] for i in row)
            scale = min(scale, (span - gap * (len(row) - 1)) / width, row_height / max(extents[i][2] for i in row))
        if best is None or scale > best[0] * 1.05:
            best = (scale, rows, row_height)
    scale, rows, row_height = best
    image = Image.new("RGB", (WIDTH * SUPERSAMPLE, HEIGHT * SUPERSAMPLE))
    paint_background(image, background)
    for number, row in enumerate(reversed(rows)):
        floor_y = FLOOR_Y - number * (row_height + row_gap)
        widths = [(extents[i][1] - extents[i][0]) * scale for i in row]
        x = WIDTH / 2 - (sum(widths) + gap * (len(row) - 1)) / 2
        if mat:
            floor = Canvas(image, 0, 1.0, floor_y)
            floor.rounded_rect(x - 30, -12, x + sum(widths) + gap * (len(row) - 1) + 30, 0, 5, MAT)
            floor.rounded_rect(x - 27, -4, x + sum(widths) + gap * (len(row) - 1) + 27, 0, 2, shade(MAT, 1.1))
        for i, width in zip(row, widths, strict=True):
            left = extents[i][0]
            canvas = Canvas(image, x - left * scale, scale, floor_y)
            draw_scene(canvas, Scene(scenes[i].bodies, scenes[i].props, mat=False, background=background), (0, 0))
            x += width + gap
    return image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)


def save(image: Image.Image, path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(path, optimize=True)
    return path.stat().st_size


# The poses -----------------------------------------------------------------------------------

BACKGROUNDS = {
    "backbends": (246, 226, 210),
    "forward-bends": (224, 236, 242),
    "twists": (236, 228, 244),
    "standing": (228, 240, 224),
    "seated": (245, 238, 218),
    "tabletop": (244, 228, 226),
    "core": (226, 234, 246),
    "inversions": (232, 228, 242),
    "hip-openers": (247, 232, 218),
    "restorative": (224, 238, 234),
    "chair-yoga": (238, 233, 222),
}


def scene(category: str, *bodies: Body, props=(), mat: bool = True) -> Scene:
    return Scene(list(bodies), list(props), mat=mat, background=BACKGROUNDS[category])


# Shared stances, so related poses line up. Index 0 is the far (or picture-left) limb.
TABLE_HIP = (-45.0, 131.0)
TABLE_LEGS = (to(-152, 16, end=180), to(-155, 14, end=180))
TABLE_HANDS = (to(84, 10, bend=-1, end=0), to(88, 10, bend=-1, end=0))
PRONE_LEGS = (to(-290, 16, end=180), to(-294, 14, end=180))
KNEEL_LEGS = (to(-38, 16, bend=1, end=180), to(-42, 14, bend=1, end=180))
SIDE_SEAT_HIP = (-45.0, SEAT_TOP + 22)
SIDE_SEAT_LEGS = (to(76, 12, bend=1, end=0), to(80, 10, bend=1, end=0))
SIDE_CHAIR = Prop("chair", -95)
FRONT_SEAT_LEGS = (ang(-100, -90, end=-155, scale=(0.1, 1.0)), ang(-80, -90, end=-25, scale=(0.1, 1.0)))
FRONT_CHAIR = (Prop("chair-back", 0), Prop("chair-front", 0))


def pair(x: float, y: float, **kwargs) -> tuple[Limb, Limb]:
    """Two limbs reaching for nearly the same spot, the far one a little behind."""
    return to(x - 4, y + 2, **kwargs), to(x, y, **kwargs)


def cross_legged(lift: float = 0.0) -> tuple[Limb, Limb]:
    """Knees wide and low, shins crossed in front: the seated poses seen from the front.

    The thighs come toward us, so they are drawn shorter. `lift` tips the knees up when the
    hips sit on a cushion.
    """
    return ang(200 + lift, -4, end=-20, scale=(0.85, 1.0)), ang(-20 - lift, 184, end=200, scale=(0.85, 1.0))


def table(**kwargs) -> Body:
    """On hands and knees, head to the right."""
    options = {"arms": TABLE_HANDS, "legs": TABLE_LEGS, "torso": 15, "head": 10, "face": -60}
    return Body(hip=TABLE_HIP, **(options | kwargs))


def prone(torso: float, curve: float, head: float, face: float, arms, legs=PRONE_LEGS, hip: Vec = (-40, 27)) -> Body:
    """Lying on the belly, head to the right."""
    return Body(hip=hip, torso=torso, curve=curve, head=head, face=face, arms=arms, legs=legs)


def supine(hip: Vec, arms, legs, torso: float = 0, head: float = 3, curve: float = 0) -> Body:
    """Lying on the back, head to the right, face up."""
    return Body(hip=hip, torso=torso, curve=curve, head=head, face=90, arms=arms, legs=legs)


def kneeling(torso: float, curve: float, head: float, face: float | None, arms) -> Body:
    """Sitting on the heels, facing right."""
    return Body(hip=(-30, 64), torso=torso, curve=curve, head=head, face=face, arms=arms, legs=KNEEL_LEGS)


def front(hip: Vec, torso: float, arms, legs, **kwargs) -> Body:
    """Seen from the front, hips apart."""
    return Body(hip=hip, torso=torso, arms=arms, legs=legs, front=True, hips_apart=18, **kwargs)


def on_chair(*bodies: Body, category: str = "chair-yoga", side: bool = True) -> Scene:
    return scene(category, *bodies, props=[SIDE_CHAIR] if side else FRONT_CHAIR, mat=False)


def downward_dog(near_leg: Limb | None = None) -> Body:
    legs = (to(-140, 22, end=-15), near_leg or to(-148, 22, end=-15))
    return Body(hip=(-40, 232), torso=-45, head=-62, arms=pair(150, 10, end=0), legs=legs)


def plank(near_leg: Limb | None = None) -> Body:
    legs = (to(-236, 34, end=-78), near_leg or to(-240, 34, end=-78))
    return Body(hip=(-30, 118), torso=20, head=22, arms=(to(94, 10, bend=-1), to(97, 10, bend=-1)), legs=legs)


def bridge(hip: Vec, torso: float) -> Body:
    arms, legs = pair(-120, 12, end=180), pair(-152, 10, bend=-1, end=180)
    return supine(hip, arms, legs, torso=torso, head=-2, curve=10)


def chair_cat_cow(rounded: bool) -> Body:
    hands = pair(62, 136, bend=-1, end=-10)
    if rounded:
        return Body(SIDE_SEAT_HIP, 102, hands, SIDE_SEAT_LEGS, curve=22, head=55, face=-35, ghost=True)
    return Body(SIDE_SEAT_HIP, 86, hands, SIDE_SEAT_LEGS, curve=-16, head=100, face=22)


CAT = table(curve=48, head=-88, face=-175, torso=18)
COW = table(curve=-34, head=62, face=40, torso=10)

STANDING_HIP = (0, 245)
STANDING_LEG = to(-18, 22, bend=-1, end=-160)

POSES: dict[str, Scene] = {
    "mountain": scene(
        "standing",
        front(STANDING_HIP, 90, (ang(-97, -92), ang(-83, -88)), (STANDING_LEG, to(18, 22, bend=1, end=-20))),
    ),
    "tree": scene(
        "standing",
        front(
            STANDING_HIP,
            90,
            (to(-4, 520, bend=1, end=90), to(4, 520, bend=-1, end=90)),
            (STANDING_LEG, to(-6, 128, bend=1, end=-100)),
        ),
    ),
    "warrior-ii": scene(
        "standing",
        front(
            (0, 170),
            90,
            (ang(180), ang(0)),
            (to(-200, 22, bend=-1, end=-165), to(150, 22, bend=1, end=-5)),
            face=0,
        ),
    ),
    # Hips high over the heels, the torso hanging in front of straight legs, head low, hands on the
    # floor ahead of the toes: an upside-down V with the head at the bottom.
    "standing-forward-fold": scene(
        "forward-bends",
        Body((-38, 236), -58, pair(82, 10, bend=-1, end=0), pair(4, 10, end=0), curve=20, head=-84, face=-175),
    ),
    "downward-facing-dog": scene("inversions", downward_dog()),
    "three-legged-dog": scene("inversions", downward_dog(ang(140, 140, end=230))),
    "dolphin": scene(
        "inversions",
        Body((-40, 215), -58, pair(115, 12, bend=-1, end=0), pair(-160, 22, bend=-1, end=-15), head=-68),
    ),
    "plank": scene("core", plank()),
    "one-legged-plank": scene("core", plank(ang(187, 187, end=277))),
    # Cat and Cow are told apart at a glance: a high round back with the head tucked down, against a
    # deep sag with the head lifted. Cat-Cow shows both, side by side (see SEQUENCES).
    "cat": scene("tabletop", CAT),
    "cow": scene("tabletop", COW),
    "balancing-table": scene(
        "core",
        table(head=14, face=-45, arms=(TABLE_HANDS[0], ang(12)), legs=(ang(190, 190, end=280), TABLE_LEGS[1])),
    ),
    "childs-pose": scene(
        "restorative",
        Body((-40, 62), -6, pair(300, 12, end=0), pair(-45, 14, bend=1, end=180), curve=20, head=-15, face=-100),
    ),
    "thread-the-needle": scene(
        "twists",
        table(torso=-34, head=-25, face=60, arms=(to(232, 14, end=0), to(44, 14, end=200, scale=(0.35, 0.35)))),
    ),
    "kneeling-triceps-stretch": scene(
        "tabletop", kneeling(90, 0, 95, None, (to(-38, 272, bend=-1, end=0), ang(98, -100)))
    ),
    "kneeling-chest-stretch": scene("tabletop", kneeling(97, -10, 108, 35, (ang(-116, -120), ang(-118, -122)))),
    "cobra": scene("backbends", prone(36, -12, 70, 0, pair(78, 10, bend=-1, end=0))),
    "sphinx": scene("backbends", prone(28, -8, 80, -5, pair(160, 10, bend=-1, end=0))),
    "alternating-superman": scene(
        "core", prone(6, -4, 14, -40, (to(255, 12, end=0), ang(14)), legs=(ang(172, end=172), PRONE_LEGS[1]))
    ),
    "locust": scene(
        "backbends", prone(14, -8, 25, -10, (ang(187, 183), ang(189, 185)), legs=(ang(172, end=172), ang(170, end=170)))
    ),
    "bow": scene(
        "backbends", prone(25, -14, 62, 5, pair(-40, 148), legs=pair(-40, 150, bend=1, end=90), hip=(-20, 32))
    ),
    "backbend": scene(
        "backbends",
        Body((-62, 190), -20, pair(120, 10, end=180), pair(-150, 10, bend=-1, end=180), curve=45, head=-75, face=15),
    ),
    "camel": scene(
        "backbends",
        Body((48, 131), 150, pair(-68, 72, bend=-1, end=-90), pair(-62, 20, end=180), curve=-60, head=230, face=140),
        props=[Prop("block", -100, w=52, h=70)],
    ),
    "bridge": scene("backbends", bridge((-60, 140), -47)),
    "supported-bridge": scene("restorative", bridge((-60, 72), -16), props=[Prop("block", -98, w=76, h=45)]),
    "supported-fish": scene(
        "restorative",
        supine((-55, 27), pair(-12, 14, end=-60), (to(-300, 18, end=80), to(-304, 16, end=100)), torso=28, head=8),
        props=[Prop("bolster", -22, w=250, h=58), Prop("blanket", 112, y=58, w=118, h=16)],
    ),
    "legs-up-the-wall": scene(
        "restorative",
        supine((-70, 47), pair(-10, 12, bend=-1, end=180), (ang(91, 90, end=0), ang(93, 90, end=0)), torso=-8),
        props=[Prop("wall", -100), Prop("blanket", -96, w=118, h=20)],
    ),
    "knees-to-chest": scene(
        "restorative", supine((-60, 27), pair(-10, 118, bend=-1), pair(-100, 95, bend=-1, end=170), head=4)
    ),
    "corpse-pose": scene(
        "restorative", supine((-40, 27), pair(-52, 12, end=180), (to(-290, 16, end=70), to(-294, 14, end=115)))
    ),
    "reclining-figure-four": scene(
        "hip-openers",
        supine((-50, 27), pair(-25, 95, bend=-1), (ang(70, 180, end=90), to(-4, 146, bend=1, end=60))),
    ),
    # Knees drawn down beside the chest, each ankle stacked over its knee with the sole to the ceiling,
    # the hands holding the feet from inside the knees.
    "happy-baby": scene(
        "hip-openers",
        supine(
            (-40, 27),
            (to(66, 186, bend=-1, end=90), to(70, 190, bend=-1, end=90)),
            (ang(24, 90, end=0), ang(20, 88, end=0)),
            head=6,
        ),
    ),
    "easy-pose": scene(
        "seated",
        front((0, 70), 90, (to(-118, 62, bend=-1, end=-90), to(118, 62, bend=1, end=-90)), cross_legged(lift=8)),
        props=[Prop("cushion", -92, w=184, h=40)],
    ),
    "seated-side-bend": scene(
        "seated",
        front((0, 42), 74, (ang(78, 28, end=20), to(112, 14, bend=1, end=0)), cross_legged(lift=-8), curve=10, head=62),
    ),
    "seated-twist": scene(
        "twists",
        front((0, 42), 90, (to(112, 44, bend=-1, end=-30), to(84, 14, bend=1, end=-60)), cross_legged(lift=-8), face=0),
    ),
    "chair-cat-cow": on_chair(chair_cat_cow(rounded=True), chair_cat_cow(rounded=False)),
    "chair-forward-fold": on_chair(
        Body(SIDE_SEAT_HIP, 10, pair(110, 12, end=-80), SIDE_SEAT_LEGS, curve=35, head=-50, face=-140)
    ),
    "chair-backbend": on_chair(
        Body(
            (5, SEAT_TOP + 22), 97, pair(-62, 114, bend=-1, end=-90), pair(122, 10, end=0), curve=-22, head=122, face=32
        ),
        category="backbends",
    ),
    "chair-twist": on_chair(
        Body(
            SIDE_SEAT_HIP,
            90,
            (to(-104, 300, bend=1, end=90), to(60, 138, bend=-1, end=-20)),
            SIDE_SEAT_LEGS,
            face=180,
            front=True,
        )
    ),
    "chair-side-bend": on_chair(
        front((0, SEAT_TOP + 22), 74, (ang(78, 28, end=20), to(110, 108, end=-90)), FRONT_SEAT_LEGS, curve=10, head=62),
        side=False,
    ),
    "seated-neck-stretch": on_chair(
        front((0, SEAT_TOP + 22), 90, (to(-84, 108, end=-90), to(2, 338, bend=-1, end=180)), FRONT_SEAT_LEGS, head=55),
        side=False,
    ),
    "chair-figure-four": on_chair(
        front(
            (0, SEAT_TOP + 22),
            90,
            (to(8, 150, bend=-1, end=0), to(108, 160, end=-90)),
            (FRONT_SEAT_LEGS[0], ang(12, 183, end=95, scale=(0.85, 1.0))),
        ),
        side=False,
    ),
}

# One-sided poses are drawn on the side their steps describe first (the right): these scenes are
# built on the left and shown mirrored.
MIRRORED = {
    "tree",
    "warrior-ii",
    "seated-side-bend",
    "seated-twist",
    "seated-neck-stretch",
    "chair-side-bend",
    "chair-figure-four",
}

# Pictures of a movement between two poses: the poses side by side.
SEQUENCES: dict[str, tuple[list[Scene], str, bool]] = {
    "cat-cow": ([scene("tabletop", CAT), scene("tabletop", COW)], "tabletop", True),
}

ROUTINES: dict[str, tuple[list[str], str, bool]] = {
    "back-strengthening-flow": (["cat", "bow", "childs-pose"], "backbends", True),
    "morning-wake-up": (["downward-facing-dog", "warrior-ii", "tree"], "standing", True),
    "desk-break": (["seated-neck-stretch", "chair-twist", "chair-side-bend"], "chair-yoga", False),
}


# Authors' portraits -------------------------------------------------------------------------

PORTRAIT = 600


@dataclass
class Portrait:
    background: tuple[int, int, int]
    skin: tuple[int, int, int]
    hair: tuple[int, int, int]
    shirt: tuple[int, int, int]
    long_hair: bool = False
    beard: bool = False


PORTRAITS = {
    "mira-sol": Portrait((236, 226, 244), (176, 120, 90), (44, 32, 30), (44, 124, 120), long_hair=True),
    "tomas-reed": Portrait((224, 238, 234), (222, 178, 146), (120, 84, 56), (190, 98, 76), beard=True),
}


def render_portrait(p: Portrait) -> Image.Image:
    """Head and shoulders, facing us: a byline picture that reads at 64 pixels."""
    s = SUPERSAMPLE
    size = PORTRAIT * s
    image = Image.new("RGB", (size, size), p.background)
    draw = ImageDraw.Draw(image)

    def box(x0, y0, x1, y1):
        return (x0 * s, y0 * s, x1 * s, y1 * s)

    draw.ellipse(box(60, 60, 540, 540), fill=mix(p.background, (255, 255, 255), 0.4))
    if p.long_hair:
        draw.rounded_rectangle(box(190, 170, 410, 470), radius=90 * s, fill=p.hair)
    draw.rounded_rectangle(box(110, 430, 490, 700), radius=150 * s, fill=p.shirt)
    draw.rounded_rectangle(box(265, 340, 335, 450), radius=30 * s, fill=shade(p.skin, 0.92))
    draw.ellipse(box(200, 150, 400, 390), fill=p.skin)
    if p.beard:
        draw.chord(box(205, 230, 395, 395), 0, 180, fill=p.hair)
        draw.ellipse(box(255, 300, 345, 345), fill=p.skin)
    # Hair on top, and a little fringe.
    draw.chord(box(192, 135, 408, 330), 180, 360, fill=p.hair)
    if p.long_hair:
        draw.ellipse(box(262, 100, 338, 170), fill=p.hair)
    # Eyes closed in a calm curve, and a small smile.
    for x in (262, 338):
        draw.arc(box(x - 20, 255, x + 20, 280), 20, 160, fill=shade(p.skin, 0.45), width=5 * s)
    draw.arc(box(272, 300, 328, 340), 20, 160, fill=shade(p.skin, 0.55), width=5 * s)
    return image.resize((PORTRAIT, PORTRAIT), Image.Resampling.LANCZOS)


def main(only: list[str]) -> None:
    for slug, portrait in PORTRAITS.items():
        if only and slug not in only:
            continue
        size = save(render_portrait(portrait), OUT / "authors" / f"{slug}.png")
        print(f"authors/{slug}.png {size // 1024} KB")
    for slug, pose in POSES.items():
        if only and slug not in only:
            continue
        image = render(pose)
        if slug in MIRRORED:
            image = ImageOps.mirror(image)
        size = save(image, OUT / f"{slug}.png")
        print(f"{slug}.png {size // 1024} KB")
    for slug, (scenes, category, mat) in SEQUENCES.items():
        if only and slug not in only:
            continue
        size = save(render_routine(scenes, BACKGROUNDS[category], mat), OUT / f"{slug}.png")
        print(f"{slug}.png {size // 1024} KB")
    for slug, (poses, category, mat) in ROUTINES.items():
        if only and slug not in only:
            continue
        scenes = [Scene(POSES[p].bodies, POSES[p].props, mat=False) for p in poses]
        image = render_routine(scenes, BACKGROUNDS[category], mat)
        size = save(image, OUT / f"{slug}.png")
        print(f"{slug}.png {size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
