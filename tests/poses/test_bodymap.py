import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template

from poses import bodymap
from poses.bodymap import MUSCLES, VIEW_HEIGHT, VIEW_WIDTH, mirror, render_body_map, render_legend
from tests.factories import MuscleFactory, PoseFactory

SVG = "{http://www.w3.org/2000/svg}"
VOCABULARY = [
    "abdominals", "abductors", "adductors", "biceps", "calves", "chest", "forearms", "glutes", "hamstrings",
    "lats", "lower-back", "middle-back", "neck", "quadriceps", "shoulders", "traps", "triceps",
]  # fmt: skip


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def muscle_paths(root: ET.Element, slug: str) -> list[ET.Element]:
    return [p for p in root.iter(f"{SVG}path") if p.get("data-muscle") == slug]


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def title_text(root: ET.Element) -> str:
    return root.find(f"{SVG}title").text


def test_every_vocabulary_muscle_is_drawn_on_at_least_one_view():
    root = parse(render_body_map(primary=[], secondary=[]))
    assert sorted(MUSCLES) == VOCABULARY
    for slug in VOCABULARY:
        paths = muscle_paths(root, slug)
        assert paths, slug
        assert all(p.get("d").startswith("M") for p in paths)


def test_primary_and_secondary_classes_go_to_the_named_muscles_only():
    root = parse(render_body_map(primary=["lower-back", "middle-back"], secondary=["calves", "glutes"]))
    role = {"lower-back": "bm-primary", "middle-back": "bm-primary", "calves": "bm-secondary", "glutes": "bm-secondary"}
    for slug in VOCABULARY:
        for path in muscle_paths(root, slug):
            assert classes(path) == {"bm-muscle", role[slug]} if slug in role else {"bm-muscle"}, slug


def test_muscle_titles_name_the_role():
    root = parse(render_body_map(primary=["chest"], secondary=["biceps"], id_prefix="m"))
    assert muscle_paths(root, "chest")[0].find(f"{SVG}title").text == "Chest (primary)"
    assert muscle_paths(root, "biceps")[0].find(f"{SVG}title").text == "Biceps (secondary)"
    assert muscle_paths(root, "triceps")[0].find(f"{SVG}title").text == "Triceps"


def test_secondary_muscles_are_hatched_with_a_pattern_of_the_same_map():
    root = parse(render_body_map(primary=[], secondary=["glutes"], id_prefix="pose-7"))
    pattern_ids = {p.get("id") for p in root.iter(f"{SVG}pattern")}
    (glutes,) = muscle_paths(root, "glutes")
    assert glutes.get("fill") == "url(#pose-7-hatch)"
    assert "pose-7-hatch" in pattern_ids


def test_a_muscle_in_both_lists_counts_as_primary():
    root = parse(render_body_map(primary=["glutes"], secondary=["glutes", "calves"]))
    assert classes(muscle_paths(root, "glutes")[0]) == {"bm-muscle", "bm-primary"}
    assert title_text(root) == "Primary: glutes. Secondary: calves."


def test_unknown_muscles_are_ignored():
    root = parse(render_body_map(primary=["psoas", "chest"], secondary=["lower-bak"]))
    drawn = {p.get("data-muscle") for p in root.iter(f"{SVG}path")}
    assert "psoas" not in drawn and "lower-bak" not in drawn
    assert title_text(root) == "Primary: chest."


def test_aria_title_lists_primary_then_secondary_muscles_in_words():
    svg = render_body_map(
        primary=["lower-back", "middle-back"], secondary=["calves", "forearms", "glutes"], id_prefix="x"
    )
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "x-title"
    assert root.find(f"{SVG}title").get("id") == "x-title"
    assert title_text(root) == "Primary: lower back, middle back. Secondary: calves, forearms, glutes."


def test_map_without_muscles_says_so():
    assert title_text(parse(render_body_map(primary=[], secondary=[]))) == "Body map with no muscles highlighted."


def test_label_replaces_the_title_and_is_escaped():
    svg = render_body_map(primary=["chest"], secondary=[], label='<script>alert("x")</script> & more')
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert title_text(parse(svg)) == '<script>alert("x")</script> & more'


def test_id_prefix_is_escaped():
    svg = render_body_map(primary=[], secondary=[], id_prefix='a"><script>')
    assert "<script>" not in svg
    parse(svg)


def test_two_maps_on_a_page_have_distinct_ids():
    first, second = (parse(render_body_map(primary=["chest"], secondary=["neck"])) for _ in range(2))
    ids_first = {e.get("id") for e in first.iter() if e.get("id")}
    ids_second = {e.get("id") for e in second.iter() if e.get("id")}
    assert ids_first and ids_second
    assert not ids_first & ids_second
    for root in (first, second):
        assert root.get("aria-labelledby") in {e.get("id") for e in root.iter()}


def test_views_are_labelled_front_and_back():
    root = parse(render_body_map(primary=[], secondary=[]))
    assert [t.text for t in root.iter(f"{SVG}text")] == ["Front", "Back"]


def test_the_map_has_no_inline_style():
    svg = render_body_map(primary=["chest"], secondary=["glutes"])
    assert "style" not in svg


def test_shapes_are_symmetric_and_inside_their_view():
    paths = [*bodymap.BODY_PATHS]
    for muscle in MUSCLES.values():
        for shape in muscle.views.values():
            paths.extend(shape.left + shape.right)
            for part in shape.left:
                assert mirror(mirror(part)) == part
    for d in paths:
        numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert 0 <= min(xs) and max(xs) <= VIEW_WIDTH, d
        assert 0 <= min(ys) and max(ys) <= VIEW_HEIGHT, d
        assert d.endswith("Z"), d


def test_symmetric_body_parts_are_their_own_mirror():
    for d in (bodymap.HEAD, bodymap.NECK, bodymap.TORSO):
        points = set(re.findall(r"-?\d+(?:\.\d+)?,-?\d+(?:\.\d+)?", mirror(d)))
        assert points == {f"{float(x):g},{float(y):g}" for x, y in re.findall(r"(-?[\d.]+),(-?[\d.]+)", d)}, d


def test_mirror_reflects_x_about_the_centre_line():
    assert mirror("M10,20 L30,40 C50,60 70,80 90.5,100Z") == "M190,20 L170,40 C150,60 130,80 109.5,100Z"


def test_legend_shows_both_roles():
    legend = str(render_legend())
    assert 'class="bm-legend"' in legend
    assert "bm-swatch-primary" in legend and "bm-swatch-secondary" in legend
    assert ">Primary<" in legend and ">Secondary<" in legend


@pytest.mark.django_db
def test_template_tag_takes_muscle_objects_links_and_slugs():
    back = MuscleFactory(slug="lower-back", name="Lower Back")
    calves = MuscleFactory(slug="calves", name="Calves")
    pose = PoseFactory(primary=[back], secondary=[calves])
    template = Template(
        "{% load bodymap %}"
        "{% body_map primary=primary secondary=links id_prefix='a' %}"
        "{% body_map primary=slugs id_prefix='b' %}"
        "{% body_map_legend %}"
    )
    html = template.render(
        Context(
            {
                "primary": [back],
                "links": pose.pose_muscles.filter(role="secondary").select_related("muscle"),
                "slugs": ["chest"],
            }
        )
    )
    first, second = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert classes(muscle_paths(parse(first), "lower-back")[0]) == {"bm-muscle", "bm-primary"}
    assert classes(muscle_paths(parse(first), "calves")[0]) == {"bm-muscle", "bm-secondary"}
    assert title_text(parse(second)) == "Primary: chest."
    assert 'class="bm-legend"' in html


def _colours(block: str) -> dict[str, str]:
    return dict(re.findall(r"--(bm-[a-z]+):\s*(#[0-9a-f]{6})", block))


def _contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_primary_shading_contrasts_three_to_one_with_the_unworked_muscles_in_both_schemes():
    css = (Path(settings.BASE_DIR) / "static/css/bodymap.css").read_text()
    light_block, dark_block = css.split("@media (prefers-color-scheme: dark)", 1)
    light = _colours(light_block)
    dark = light | _colours(dark_block.split("}", 2)[0])
    assert dark != light
    for scheme in (light, dark):
        assert _contrast(scheme["bm-primary"], scheme["bm-base"]) >= 3
        assert _contrast(scheme["bm-primary"], scheme["bm-skin"]) >= 3
