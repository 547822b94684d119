import copy
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from poses.models import Category, Equipment, Muscle, Pose, PoseImage, PoseMuscle
from routines.models import Author, Routine, RoutineStep
from tests.factories import PoseFactory, image_bytes, png_bomb
from yogasite.content import importer

pytestmark = pytest.mark.django_db


# --- helpers shared with test_export_content ----------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A media folder of the test's own, so that "no file was written" can be checked."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def media_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def document(**kinds) -> dict:
    return {"format": "yogasite-content", "version": 1, **kinds}


def write_document(folder: Path, data: dict, name: str = "content.json") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def picture(folder: Path, name: str, *, color: str = "#6a8caf", size=(700, 500), fmt: str = "PNG") -> str:
    """A real picture file at folder/name; returns `name`, as the document refers to it."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(image_bytes(fmt=fmt, size=size, color=color))
    return name


def run_import(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing_import(path: Path) -> tuple[str, list[str]]:
    """The command's final message and the error lines it printed."""
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path), stdout=StringIO(), stderr=err)
    return str(raised.value), err.getvalue().splitlines()


def counts(stdout: str) -> dict[str, tuple[int, int, int]]:
    """The summary table as {kind: (created, updated, unchanged)}."""
    rows = {}
    for line in stdout.splitlines()[1:]:
        parts = line.split()
        if len(parts) == 4 and parts[0] != "Nothing":
            rows[parts[0]] = tuple(int(n) for n in parts[1:])
    return rows


REFERENCES = {
    "muscles": [
        {"slug": "lower-back", "name": "Lower Back", "description": "Steadies the spine."},
        {"slug": "glutes", "name": "Glutes"},
        {"slug": "hamstrings", "name": "Hamstrings"},
    ],
    "equipment": [{"slug": "mat", "name": "Mat"}, {"slug": "block", "name": "Block"}],
    "categories": [{"slug": "backbend", "name": "Backbends", "description": "Poses that arch the spine."}],
}


def full_document(folder: Path) -> dict:
    """Every kind and every part, with a warm-up that names a pose further down."""
    return document(
        **copy.deepcopy(REFERENCES),
        authors=[
            {
                "slug": "mira-sol",
                "name": "Mira Sol",
                "bio": "Teaches slow flows.",
                "image": {"file": picture(folder, "images/mira.png", color="#335577"), "alt": "Mira smiling"},
            },
            {"slug": "ada-lin", "name": "Ada Lin"},
        ],
        poses=[
            {
                "slug": "sphinx-pose",
                "name": "Sphinx Pose",
                "sanskrit_name": "Sālamba Bhujaṅgāsana",
                "other_names": ["Supported Cobra", "Baby Cobra"],
                "summary": "A gentle backbend on the forearms.",
                "category": "backbend",
                "level": "beginner",
                "tags": ["gentle", "back"],
                "equipment": ["mat", "block"],
                "steps": ["Lie on your front.", "Set your elbows under your shoulders.", "Lift your chest."],
                "muscles": {"primary": ["lower-back", "glutes"], "secondary": ["hamstrings"]},
                "tips": ["Press the pubic bone down."],
                "benefits": ["Strengthens the back.", "Opens the chest."],
                "mistakes": ["Shrugging the shoulders."],
                "warm_up": {"pose": "childs-pose", "note": "Lengthens the back first."},
                "cool_down": {"pose": "childs-pose"},
                "cautions": ["Skip it with a recent back injury.", "Keep it low in late pregnancy."],
                "sides": "none",
                "hold": {"breaths": 8},
                "faqs": [{"question": "Is it safe for a sore back?", "answer": "Go gently."}],
                "images": [
                    {"file": picture(folder, "images/sphinx.png"), "alt": "A person propped on the forearms"},
                    {
                        "file": picture(folder, "images/sphinx-side.jpg", color="#aa5533", fmt="JPEG"),
                        "alt": "The same from the side",
                        "caption": "Side view",
                        "credit": "Photo: A. Rao, CC BY 4.0",
                        "side": "left",
                    },
                ],
                "video_url": "https://www.youtube.com/watch?v=abc",
                "status": "published",
                "published_at": "2025-03-01T09:00:00+01:00",
            },
            {
                "slug": "childs-pose",
                "name": "Child's Pose",
                "steps": ["Kneel and fold forward."],
                "sides": "both",
                "hold": {"seconds": 60},
            },
        ],
        routines=[
            {
                "slug": "back-break",
                "title": "Back Break",
                "summary": "Five minutes for the back.",
                "body": "An *easy* start.",
                "safety_note": "Skip it with a **recent** injury.",
                "level": "intermediate",
                "tags": ["short"],
                "images": [{"file": "images/sphinx.png", "alt": "A person in Sphinx Pose"}],
                "video_url": "https://vimeo.com/123",
                "breath_seconds": 4.5,
                "transition_seconds": 0,
                "author": "mira-sol",
                "related": ["short-break"],
                "sections": [
                    {
                        "title": "Arrive",
                        "steps": [
                            {"pose": "childs-pose", "hold": {"breaths": 10}, "instructions": "Rest here.\n\nBreathe."},
                            {"title": "Come onto your front", "hold": {"seconds": 15}, "advance": "manual"},
                        ],
                    },
                    {
                        "steps": [
                            {
                                "pose": "sphinx-pose",
                                "title": "Sphinx with a twist",
                                "hold": {"seconds": 30},
                                "repetitions": 2,
                                "sides": "both",
                                "first_side": "left",
                                "variations": [
                                    {"level": "advanced", "instructions": "Straighten the arms."},
                                    {"level": "beginner", "instructions": "Stay low."},
                                ],
                            }
                        ]
                    },
                ],
                "status": "draft",
            },
            {
                "slug": "short-break",
                "title": "Short Break",
                "author": "ada-lin",
                "related": ["back-break"],
                "transition_seconds": 10,
                "sections": [{"steps": [{"pose": "childs-pose", "hold": {"seconds": 30}}]}],
            },
        ],
    )


def base_document() -> dict:
    """A small valid document that each error case breaks in one place."""
    return document(
        muscles=[{"slug": "lower-back", "name": "Lower Back"}, {"slug": "glutes", "name": "Glutes"}],
        categories=[{"slug": "backbend", "name": "Backbends"}],
        poses=[
            {
                "slug": "sphinx-pose",
                "name": "Sphinx Pose",
                "category": "backbend",
                "steps": ["Lie on your front."],
                "muscles": {"primary": ["lower-back"]},
                "status": "published",
            }
        ],
        routines=[
            {
                "slug": "back-break",
                "title": "Back Break",
                "sections": [{"steps": [{"pose": "sphinx-pose", "hold": {"breaths": 5}}]}],
                "status": "published",
            }
        ],
    )


# --- success -----------------------------------------------------------------------------


def test_import_creates_every_record_with_its_parts(tmp_path, media):
    out, _ = run_import(write_document(tmp_path, full_document(tmp_path)))

    assert counts(out) == {
        "muscles": (3, 0, 0),
        "equipment": (2, 0, 0),
        "categories": (1, 0, 0),
        "authors": (2, 0, 0),
        "poses": (2, 0, 0),
        "routines": (2, 0, 0),
    }
    assert Muscle.objects.get(slug="lower-back").description == "Steadies the spine."
    assert Category.objects.get(slug="backbend").name == "Backbends"
    pose = Pose.objects.for_detail().get(slug="sphinx-pose")
    assert (pose.name, pose.sanskrit_name, pose.level, pose.category.slug) == (
        "Sphinx Pose",
        "Sālamba Bhujaṅgāsana",
        "beginner",
        "backbend",
    )
    assert [o.name for o in pose.other_names.all()] == ["Supported Cobra", "Baby Cobra"]
    assert [s.text for s in pose.steps.all()] == [
        "Lie on your front.",
        "Set your elbows under your shoulders.",
        "Lift your chest.",
    ]
    assert [m.slug for m in pose.primary_muscles] == ["lower-back", "glutes"]
    assert [m.slug for m in pose.secondary_muscles] == ["hamstrings"]
    assert [t.text for t in pose.tips.all()] == ["Press the pubic bone down."]
    assert [b.text for b in pose.benefits.all()] == ["Strengthens the back.", "Opens the chest."]
    assert [m.text for m in pose.mistakes.all()] == ["Shrugging the shoulders."]
    assert [(f.question, f.answer) for f in pose.faqs.all()] == [("Is it safe for a sore back?", "Go gently.")]
    assert [c.text for c in pose.cautions.all()] == [
        "Skip it with a recent back injury.",
        "Keep it low in late pregnancy.",
    ]
    assert (pose.sides, pose.hold_kind, pose.hold_value, pose.hold_label) == ("none", "breaths", 8, "8 breaths")
    assert sorted(t.name for t in pose.tags.all()) == ["back", "gentle"]
    assert sorted(e.slug for e in pose.equipment.all()) == ["block", "mat"]
    assert (pose.warm_up.slug, pose.warm_up_note) == ("childs-pose", "Lengthens the back first.")
    assert (pose.cool_down.slug, pose.cool_down_note) == ("childs-pose", "")
    assert pose.video_url == "https://www.youtube.com/watch?v=abc"
    assert pose.published_at == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert pose.is_public
    assert "salamba bhujangasana" in pose.search_names and "baby cobra" in pose.search_names

    first, second = pose.images.all()
    assert (first.alt, first.caption, first.width, first.height) == ("A person propped on the forearms", "", 700, 500)
    assert (second.caption, second.file.name.endswith("/original.jpg")) == ("Side view", True)
    assert (first.credit, first.side, second.credit, second.side) == ("", "", "Photo: A. Rao, CC BY 4.0", "left")
    assert [r["width"] for r in first.renditions] == [320, 640, 700]
    assert all((media / r["name"]).is_file() for r in first.renditions)
    assert (media / first.file.name).is_file()
    assert first.src and "700w" in first.srcset

    child = Pose.objects.get(slug="childs-pose")
    assert child.status == "draft" and child.published_at is None and child.level == "beginner"
    assert (child.sides, child.hold_label, child.cautions.count()) == ("both", "60 seconds", 0)

    mira = Author.objects.get(slug="mira-sol")
    assert (mira.name, mira.bio, mira.portrait.alt, mira.portrait.width) == (
        "Mira Sol",
        "Teaches slow flows.",
        "Mira smiling",
        700,
    )
    assert Author.objects.get(slug="ada-lin").portrait is None


def test_import_builds_routine_sections_steps_and_duration(tmp_path):
    run_import(write_document(tmp_path, full_document(tmp_path)))

    routine = Routine.objects.for_detail().get(slug="back-break")
    assert (routine.level, routine.breath_seconds, routine.status) == ("intermediate", Decimal("4.5"), "draft")
    assert (routine.body, routine.safety_note) == ("An *easy* start.", "Skip it with a **recent** injury.")
    assert [t.name for t in routine.tags.all()] == ["short"]
    assert routine.images.get().file.name == Pose.objects.get(slug="sphinx-pose").images.first().file.name
    rest_here, come_onto_front, sphinx = routine.steps.all()
    assert (rest_here.starts_section, rest_here.section_title, rest_here.pose.slug) == (True, "Arrive", "childs-pose")
    assert (rest_here.hold_kind, rest_here.hold_value, rest_here.instructions) == (
        "breaths",
        10,
        "Rest here.\n\nBreathe.",
    )
    assert (come_onto_front.starts_section, come_onto_front.pose, come_onto_front.title) == (
        False,
        None,
        "Come onto your front",
    )
    assert (come_onto_front.hold_kind, come_onto_front.hold_value, come_onto_front.advance) == ("seconds", 15, "manual")
    assert (sphinx.starts_section, sphinx.section_title, sphinx.display_title) == (True, "", "Sphinx with a twist")
    assert (sphinx.sides, sphinx.first_side, sphinx.repetitions, sphinx.advance) == ("both", "left", 2, "auto")
    assert [(v.level, v.instructions) for v in sphinx.variations.all()] == [
        ("beginner", "Stay low."),
        ("advanced", "Straighten the arms."),
    ]
    assert (routine.author.slug, routine.transition_seconds) == ("mira-sol", 0)
    assert [link.related.slug for link in routine.related_links.all()] == ["short-break"]
    # 10 breaths × 4.5 s + 15 s + 30 s × 2 rounds × 2 sides, with no time between stops
    assert routine.duration_seconds == 45 + 15 + 120
    short = Routine.objects.get(slug="short-break")
    # 30 s, and 10 s to move into its one stop
    assert (short.duration_seconds, short.author.slug) == (40, "ada-lin")
    assert [link.related.slug for link in short.related_links.all()] == ["back-break"]


def test_published_pose_without_a_time_is_published_now_and_keeps_that_time(tmp_path):
    data = base_document()
    path = write_document(tmp_path, data)
    run_import(path)
    published_at = Pose.objects.get(slug="sphinx-pose").published_at
    assert published_at is not None

    out, _ = run_import(path)

    assert counts(out)["poses"] == (0, 0, 1)
    assert Pose.objects.get(slug="sphinx-pose").published_at == published_at


def test_references_may_name_records_already_in_the_database(tmp_path):
    Muscle.objects.create(slug="neck", name="Neck")
    PoseFactory(slug="mountain-pose")
    data = document(
        poses=[
            {
                "slug": "neck-roll",
                "name": "Neck Roll",
                "muscles": {"primary": ["neck"]},
                "warm_up": {"pose": "mountain-pose"},
            }
        ]
    )

    out, _ = run_import(write_document(tmp_path, data))

    assert counts(out)["poses"] == (1, 0, 0)
    pose = Pose.objects.get(slug="neck-roll")
    assert pose.warm_up.slug == "mountain-pose" and [m.slug for m in pose.muscles.all()] == ["neck"]


def test_the_same_picture_used_twice_is_stored_once(tmp_path, media):
    name = picture(tmp_path, "images/one.png")
    data = document(
        poses=[
            {"slug": f"pose-{n}", "name": f"Pose {n}", "images": [{"file": name, "alt": "A person"}]} for n in range(3)
        ]
    )

    run_import(write_document(tmp_path, data))

    assert len({image.file.name for image in PoseImage.objects.all()}) == 1
    assert len([p for p in media.rglob("original.*")]) == 1


# --- errors ------------------------------------------------------------------------------


def _pose(data):
    return data["poses"][0]


def _step(data):
    return data["routines"][0]["sections"][0]["steps"][0]


def _set(getter, key, value):
    def change(data, folder):
        getter(data)[key] = value

    return change


def _delete(getter, key):
    def change(data, folder):
        del getter(data)[key]

    return change


def _add_pose_image(file_name: str, content: bytes | None = None, **extra):
    def change(data, folder):
        if content is not None:
            path = folder / file_name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        _pose(data)["images"] = [{"file": file_name, "alt": "A person", **extra}]

    return change


def _truncated_png() -> bytes:
    data = image_bytes(fmt="PNG", size=(300, 300))
    return data[: len(data) // 2]


def _duplicate_pose(data, folder):
    data["poses"].append(copy.deepcopy(_pose(data)))


def _second_section_without_steps(data, folder):
    data["routines"][0]["sections"].append({"title": "Empty", "steps": []})


def _pose_named_twice_in_a_list(data, folder):
    _pose(data)["muscles"]["primary"] = ["lower-back", "glutes", "lower-back"]


ERROR_CASES = {
    "unknown key": (_set(_pose, "colour", "red"), "poses[0].colour: unknown key"),
    "unknown top-level key": (
        lambda data, folder: data.update(pose=[]),
        "pose: unknown key",
    ),
    "missing required": (_delete(_pose, "name"), "poses[0].name: required"),
    "wrong type": (_set(_pose, "steps", "Lie on your front."), "poses[0].steps: must be a list"),
    "wrong type in a list": (_set(_pose, "tips", [42]), "poses[0].tips[0]: must be a string"),
    "not an object": (lambda data, folder: data["muscles"].append("neck"), "muscles[2]: must be an object"),
    "bad slug": (
        lambda data, folder: data["muscles"][1].update(slug="Glutes"),
        'muscles[1].slug: "Glutes" is not a slug: use 1 to 80 lower-case letters, digits and hyphens, '
        "starting with a letter or digit.",
    ),
    "unknown muscle": (
        _set(_pose, "muscles", {"primary": ["lower-bak"]}),
        'poses[0].muscles.primary[0]: unknown muscle "lower-bak"',
    ),
    "unknown category": (_set(_pose, "category", "backbends"), 'poses[0].category: unknown category "backbends"'),
    "unknown equipment": (_set(_pose, "equipment", ["strap"]), 'poses[0].equipment[0]: unknown equipment "strap"'),
    "unknown warm-up pose": (
        _set(_pose, "warm_up", {"pose": "childs-pose"}),
        'poses[0].warm_up.pose: unknown pose "childs-pose"',
    ),
    "own warm-up": (
        _set(_pose, "cool_down", {"pose": "sphinx-pose"}),
        "poses[0].cool_down.pose: a pose cannot be its own cool-down",
    ),
    "muscle in both lists": (
        _set(_pose, "muscles", {"primary": ["lower-back"], "secondary": ["glutes", "lower-back"]}),
        'poses[0].muscles.secondary[1]: "lower-back" is also a primary muscle; a muscle has one role',
    ),
    "slug listed twice": (
        _pose_named_twice_in_a_list,
        'poses[0].muscles.primary[2]: "lower-back" is already listed at poses[0].muscles.primary[0]',
    ),
    "empty string in a list": (
        _set(_pose, "steps", ["Lie on your front.", "  "]),
        "poses[0].steps[1]: must not be empty",
    ),
    "empty required string": (_set(_pose, "name", ""), "poses[0].name: must not be empty"),
    "too long name": (_set(_pose, "name", "x" * 121), "poses[0].name: too long: 121 characters, at most 120"),
    "too long summary": (_set(_pose, "summary", "x" * 301), "poses[0].summary: too long: 301 characters, at most 300"),
    "too long muscle name": (
        lambda data, folder: data["muscles"][0].update(name="x" * 81),
        "muscles[0].name: too long: 81 characters, at most 80",
    ),
    "bad enum": (
        _set(_pose, "level", "expert"),
        'poses[0].level: must be one of "beginner", "intermediate", "advanced", not "expert"',
    ),
    "bad status": (_set(_pose, "status", "live"), 'poses[0].status: must be one of "draft", "published", not "live"'),
    "date without a time": (
        _set(_pose, "published_at", "2025-03-01"),
        "poses[0].published_at: must be an ISO 8601 date-time with an offset, such as 2025-03-01T09:00:00+01:00, "
        'not "2025-03-01"',
    ),
    "date without an offset": (
        _set(_pose, "published_at", "2025-03-01T09:00:00"),
        "poses[0].published_at: must be an ISO 8601 date-time with an offset, such as 2025-03-01T09:00:00+01:00, "
        'not "2025-03-01T09:00:00"',
    ),
    "video link that is not https": (
        _set(_pose, "video_url", "http://www.youtube.com/watch?v=abc"),
        'poses[0].video_url: Give an https link to a YouTube or Vimeo page. Not "http://www.youtube.com/watch?v=abc".',
    ),
    "video link to another host": (
        _set(_pose, "video_url", "https://example.com/video"),
        'poses[0].video_url: Give an https link to a YouTube or Vimeo page. Not "https://example.com/video".',
    ),
    "duplicate slug": (_duplicate_pose, 'poses[1].slug: "sphinx-pose" is already used by poses[0]'),
    "published pose without steps": (_delete(_pose, "steps"), "poses[0].steps: required for a published pose"),
    "question without answer": (
        _set(_pose, "faqs", [{"question": "Why?"}]),
        "poses[0].faqs[0].answer: required",
    ),
    "wrong format": (
        lambda data, folder: data.update(format="yoga"),
        'format: must be "yogasite-content", not "yoga"',
    ),
    "wrong version": (lambda data, folder: data.update(version=2), "version: this site reads version 1, not 2"),
    "missing format": (lambda data, folder: data.pop("format"), "format: required"),
    "missing image file": (
        _add_pose_image("images/missing.png"),
        'poses[0].images[0].file: no such file "images/missing.png"',
    ),
    "image without alt": (
        lambda data, folder: _pose(data).update(images=[{"file": picture(folder, "a.png")}]),
        "poses[0].images[0].alt: required",
    ),
    "too long alt": (
        lambda data, folder: _pose(data).update(images=[{"file": picture(folder, "a.png"), "alt": "x" * 251}]),
        "poses[0].images[0].alt: too long: 251 characters, at most 250",
    ),
    "text file named .jpg": (
        _add_pose_image("images/evil.jpg", b"<script>alert(1)</script>"),
        'poses[0].images[0].file: "images/evil.jpg": This file is not an image we can read; '
        "upload a JPEG, PNG or WebP image.",
    ),
    "truncated image": (
        _add_pose_image("images/cut.png", _truncated_png()),
        'poses[0].images[0].file: "images/cut.png": The image is damaged or incomplete',
    ),
    "decompression bomb": (
        _add_pose_image("images/bomb.png", png_bomb()),
        'poses[0].images[0].file: "images/bomb.png": The image is',
    ),
    "path out of the folder": (
        _add_pose_image("../secret.png"),
        "poses[0].images[0].file: must be a path inside the document's folder, such as images/pose.jpg, "
        'not "../secret.png"',
    ),
    "absolute path": (
        _add_pose_image("/etc/passwd"),
        "poses[0].images[0].file: must be a path inside the document's folder, such as images/pose.jpg, "
        'not "/etc/passwd"',
    ),
    # Routines
    "routine unknown pose": (
        _set(_step, "pose", "sphinx"),
        'routines[0].sections[0].steps[0].pose: unknown pose "sphinx"',
    ),
    "hold missing": (_delete(_step, "hold"), "routines[0].sections[0].steps[0].hold: required"),
    "hold in seconds and breaths": (
        _set(_step, "hold", {"seconds": 30, "breaths": 5}),
        'routines[0].sections[0].steps[0].hold: give {"seconds": n} or {"breaths": n}, not both',
    ),
    "hold with neither": (
        _set(_step, "hold", {}),
        'routines[0].sections[0].steps[0].hold: give {"seconds": n} or {"breaths": n}, one of them',
    ),
    "hold with an unknown unit": (
        _set(_step, "hold", {"minutes": 1}),
        "routines[0].sections[0].steps[0].hold.minutes: unknown key",
    ),
    "hold too long": (
        _set(_step, "hold", {"seconds": 3601}),
        "routines[0].sections[0].steps[0].hold.seconds: must be from 1 to 3600, not 3601",
    ),
    "hold not a whole number": (
        _set(_step, "hold", {"breaths": 2.5}),
        "routines[0].sections[0].steps[0].hold.breaths: must be a whole number",
    ),
    "repetitions out of range": (
        _set(_step, "repetitions", 0),
        "routines[0].sections[0].steps[0].repetitions: must be from 1 to 100, not 0",
    ),
    "bad sides": (
        _set(_step, "sides", "left"),
        'routines[0].sections[0].steps[0].sides: must be one of "none", "both", not "left"',
    ),
    "first side on a one-sided step": (
        _set(_step, "first_side", "left"),
        'routines[0].sections[0].steps[0].first_side: only a step with "sides": "both" has a first side',
    ),
    "bad advance": (
        _set(_step, "advance", "wait"),
        'routines[0].sections[0].steps[0].advance: must be one of "auto", "manual", not "wait"',
    ),
    "step without pose or title": (
        _set(_step, "pose", None),
        "routines[0].sections[0].steps[0].title: required for a step without a pose",
    ),
    "two variations for one level": (
        _set(
            _step,
            "variations",
            [{"level": "beginner", "instructions": "A"}, {"level": "beginner", "instructions": "B"}],
        ),
        "routines[0].sections[0].steps[0].variations[1].level: a step has one variation per level; "
        '"beginner" is already given',
    ),
    "section without steps": (
        _second_section_without_steps,
        "routines[0].sections[1].steps: must have at least one step",
    ),
    "published routine without sections": (
        _delete(lambda data: data["routines"][0], "sections"),
        "routines[0].sections: required for a published routine",
    ),
    "breath too long": (
        _set(lambda data: data["routines"][0], "breath_seconds", 20),
        "routines[0].breath_seconds: must be from 2 to 15, not 20",
    ),
    "breath too precise": (
        _set(lambda data: data["routines"][0], "breath_seconds", 4.125),
        "routines[0].breath_seconds: may have at most 2 decimal places, not 4.125",
    ),
    "routine title too long": (
        _set(lambda data: data["routines"][0], "title", "x" * 161),
        "routines[0].title: too long: 161 characters, at most 160",
    ),
}


@pytest.mark.parametrize("change, expected", list(ERROR_CASES.values()), ids=list(ERROR_CASES))
def test_each_error_is_reported_with_its_path_and_nothing_is_imported(tmp_path, media, change, expected):
    data = base_document()
    change(data, tmp_path)

    message, lines = failing_import(write_document(tmp_path, data))

    assert len(lines) == 1 and lines[0].startswith(expected), lines
    assert message == "Nothing was imported: 1 error."
    assert not Pose.objects.exists() and not Muscle.objects.exists() and not Routine.objects.exists()
    assert media_files(media) == {}


def test_several_errors_are_reported_at_once_in_document_order(tmp_path):
    data = base_document()
    data["routines"][0]["title"] = ""
    _pose(data)["muscles"]["primary"] = ["lower-bak"]
    _pose(data)["level"] = "expert"
    data["muscles"][1]["slug"] = "Glutes"

    message, lines = failing_import(write_document(tmp_path, data))

    assert lines == [
        'muscles[1].slug: "Glutes" is not a slug: use 1 to 80 lower-case letters, digits and hyphens, '
        "starting with a letter or digit.",
        'poses[0].level: must be one of "beginner", "intermediate", "advanced", not "expert"',
        'poses[0].muscles.primary[0]: unknown muscle "lower-bak"',
        "routines[0].title: must not be empty",
    ]
    assert message == "Nothing was imported: 4 errors."


def test_a_document_that_is_not_an_object_is_refused(tmp_path):
    path = tmp_path / "content.json"
    path.write_text("[]")

    message, lines = failing_import(path)

    assert lines == ["document: must be an object"] and message == "Nothing was imported: 1 error."


def test_an_image_path_may_not_leave_the_folder_through_a_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    picture(outside, "real.png")
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "linked.png").symlink_to(outside / "real.png")
    data = base_document()
    _pose(data)["images"] = [{"file": "linked.png", "alt": "A person"}]

    _, lines = failing_import(write_document(folder, data))

    assert lines == ['poses[0].images[0].file: "linked.png" leads outside the document\'s folder']


def test_a_picture_over_the_pixel_limit_is_refused_like_an_upload(tmp_path, settings):
    settings.YOGASITE_IMAGE_MAX_PIXELS = 100 * 100
    data = base_document()
    _pose(data)["images"] = [{"file": picture(tmp_path, "big.png", size=(200, 200)), "alt": "A person"}]

    _, lines = failing_import(write_document(tmp_path, data))

    assert len(lines) == 1 and lines[0].startswith('poses[0].images[0].file: "big.png": The image is 200 × 200 pixels')


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read(tmp_path, settings):
    settings.YOGASITE_IMAGE_MAX_BYTES = 1024
    data = base_document()
    _pose(data)["images"] = [{"file": picture(tmp_path, "big.jpg", fmt="JPEG"), "alt": "A person"}]

    _, lines = failing_import(write_document(tmp_path, data))

    assert len(lines) == 1 and lines[0].startswith('poses[0].images[0].file: "big.jpg": The file is')
    assert "images may be at most 1 KB" in lines[0]


# --- all or nothing ------------------------------------------------------------------------


def _database_state() -> dict:
    return {
        "poses": sorted(Pose.objects.values_list("slug", "name", "updated_at")),
        "images": sorted(PoseImage.objects.values_list("pose__slug", "file")),
        "muscles": sorted(PoseMuscle.objects.values_list("pose__slug", "muscle__slug", "role")),
        "muscle names": sorted(Muscle.objects.values_list("slug", "name")),
        "routines": sorted(Routine.objects.values_list("slug", "title")),
        "steps": RoutineStep.objects.count(),
    }


def test_a_failed_import_leaves_database_and_media_as_they_were(tmp_path, media):
    run_import(write_document(tmp_path, base_document()))
    before, files_before = _database_state(), media_files(media)
    data = full_document(tmp_path)
    data["poses"][1]["level"] = "guru"

    failing_import(write_document(tmp_path, data))

    assert _database_state() == before
    assert media_files(media) == files_before


def test_a_failure_after_pictures_were_stored_removes_them_and_rolls_back(tmp_path, media, monkeypatch):
    run_import(write_document(tmp_path, base_document()))
    before, files_before = _database_state(), media_files(media)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importer, "_write_routines", broken)
    data = full_document(tmp_path)
    data["poses"][0]["name"] = "Renamed"

    with pytest.raises(RuntimeError, match="disk full"):
        run_import(write_document(tmp_path, data))

    assert _database_state() == before
    assert media_files(media) == files_before


# --- idempotence and updates ---------------------------------------------------------------


def test_importing_the_same_document_again_changes_nothing(tmp_path, media):
    path = write_document(tmp_path, full_document(tmp_path))
    run_import(path)
    before, files_before = _database_state(), media_files(media)
    routine_changed = Routine.objects.get(slug="back-break").updated_at

    with CaptureQueriesContext(connection) as queries:
        out, _ = run_import(path)

    assert counts(out) == {
        "muscles": (0, 0, 3),
        "equipment": (0, 0, 2),
        "categories": (0, 0, 1),
        "authors": (0, 0, 2),
        "poses": (0, 0, 2),
        "routines": (0, 0, 2),
    }
    assert "Nothing changed." in out
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert _database_state() == before and Routine.objects.get(slug="back-break").updated_at == routine_changed
    assert media_files(media) == files_before


def test_a_document_with_another_order_of_tags_and_props_is_unchanged(tmp_path):
    data = full_document(tmp_path)
    run_import(write_document(tmp_path, data))
    data["poses"][0]["tags"].reverse()
    data["poses"][0]["equipment"].reverse()
    data["routines"][0]["sections"][1]["steps"][0]["variations"].reverse()

    out, _ = run_import(write_document(tmp_path, data))

    assert counts(out)["poses"] == (0, 0, 2) and counts(out)["routines"] == (0, 0, 2)


def test_update_by_slug_replaces_the_parts_and_keeps_records_not_mentioned(tmp_path, media):
    untouched = PoseFactory(slug="mountain-pose", name="Mountain Pose")
    first = full_document(tmp_path)
    run_import(write_document(tmp_path, first))
    old_image = Pose.objects.get(slug="sphinx-pose").images.first().file.name
    changed_before = Pose.objects.get(slug="childs-pose").updated_at

    second = document(
        muscles=[{"slug": "glutes", "name": "Gluteal Muscles"}],
        poses=[
            {
                "slug": "sphinx-pose",
                "name": "Sphinx",
                "steps": ["Lie down.", "Lift."],
                "muscles": {"primary": ["hamstrings"], "secondary": ["glutes"]},
                "images": [{"file": picture(tmp_path, "images/new.png", color="#118844"), "alt": "New picture"}],
                "tags": ["strong"],
                "status": "published",
                "published_at": "2025-04-01T09:00:00+00:00",
            }
        ],
        routines=[
            {
                "slug": "back-break",
                "title": "Back Break",
                "sections": [{"steps": [{"title": "Rest", "hold": {"seconds": 60}}]}],
            }
        ],
    )
    out, _ = run_import(write_document(tmp_path, second, "second.json"))

    assert counts(out) == {
        "muscles": (0, 1, 0),
        "equipment": (0, 0, 0),
        "categories": (0, 0, 0),
        "authors": (0, 0, 0),
        "poses": (0, 1, 0),
        "routines": (0, 1, 0),
    }
    assert Muscle.objects.get(slug="glutes").name == "Gluteal Muscles"
    pose = Pose.objects.for_detail().get(slug="sphinx-pose")
    assert pose.name == "Sphinx" and pose.sanskrit_name == "" and pose.category is None
    assert [s.text for s in pose.steps.all()] == ["Lie down.", "Lift."]
    assert [m.slug for m in pose.primary_muscles] == ["hamstrings"]
    assert [m.slug for m in pose.secondary_muscles] == ["glutes"]
    # Keys left out mean their default: the tips, warm-up and other parts are gone.
    assert not pose.tips.exists() and not pose.other_names.exists() and not pose.faqs.exists()
    assert pose.warm_up is None and pose.video_url == "" and not pose.equipment.exists()
    assert [t.name for t in pose.tags.all()] == ["strong"]
    assert [i.alt for i in pose.images.all()] == ["New picture"]
    assert pose.images.get().file.name != old_image
    assert "baby cobra" not in pose.search_names
    routine = Routine.objects.get(slug="back-break")
    assert [s.display_title for s in routine.steps.all()] == ["Rest"]
    # 60 s and the default 5 s to move into the stop
    assert routine.duration_seconds == 65 and routine.level == "beginner" and routine.breath_seconds == 5
    assert routine.transition_seconds == 5 and routine.author is None and not routine.related_links.exists()
    # Records the document does not mention are kept as they were.
    assert Pose.objects.get(pk=untouched.pk).name == "Mountain Pose"
    assert Pose.objects.get(slug="childs-pose").updated_at == changed_before
    assert Category.objects.filter(slug="backbend").exists() and Equipment.objects.count() == 2


# --- the command ---------------------------------------------------------------------------


def test_invalid_json_gets_one_line_with_line_and_column(tmp_path):
    path = tmp_path / "content.json"
    path.write_text('{\n  "format": "yogasite-content",\n  "version": 1,,\n}')

    with pytest.raises(CommandError) as raised:
        call_command("import_content", str(path), stdout=StringIO(), stderr=StringIO())

    assert (
        str(raised.value)
        == f"{path} is not valid JSON: Expecting property name enclosed in double quotes (line 3, column 16)."
    )


def test_a_missing_file_gets_a_clear_message(tmp_path):
    with pytest.raises(CommandError, match=f"^No such file: {tmp_path / 'nope.json'}$"):
        call_command("import_content", str(tmp_path / "nope.json"), stdout=StringIO(), stderr=StringIO())


def _manage(*args, var_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "YOGASITE_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "yogasite.settings.dev"}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_command_exits_with_status_1_and_no_traceback_on_errors(tmp_path):
    bad = write_document(tmp_path, {"format": "yogasite-content", "version": 3, "colour": "red"})
    invalid = tmp_path / "invalid.json"
    invalid.write_text("{")

    results = [_manage("import_content", str(p), var_dir=tmp_path / "var") for p in (bad, invalid, tmp_path / "no")]

    assert [r.returncode for r in results] == [1, 1, 1]
    assert results[0].stderr.splitlines() == [
        "colour: unknown key",
        "version: this site reads version 1, not 3",
        "CommandError: Nothing was imported: 2 errors.",
    ]
    assert "not valid JSON" in results[1].stderr and "line 1, column 2" in results[1].stderr
    assert "No such file" in results[2].stderr
    assert not any("Traceback" in r.stderr for r in results)


def test_long_documents_show_progress_on_stderr(tmp_path):
    data = document(
        muscles=[{"slug": f"muscle-{n}", "name": f"Muscle {n}"} for n in range(5)],
        poses=[{"slug": f"pose-{n}", "name": f"Pose {n}", "muscles": {"primary": ["muscle-1"]}} for n in range(120)],
    )

    out, err = run_import(write_document(tmp_path, data))

    assert counts(out)["poses"] == (120, 0, 0)
    lines = err.splitlines()
    assert "checking poses: 12/120" in lines and "saving poses: 120/120" in lines
    assert not any(line.startswith("checking muscles") for line in lines)
    assert Pose.objects.filter(muscles__slug="muscle-1").count() == 120


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the query plan checked is SQLite's")
def test_after_an_import_poses_listed_by_id_are_read_by_their_primary_key(tmp_path):
    poses = [
        {"slug": f"pose-{number}", "name": f"Pose {number}", "status": "published", "steps": ["Breathe."]}
        for number in range(60)
    ]
    run_import(write_document(tmp_path, document(poses=poses)))
    ids = list(Pose.objects.values_list("pk", flat=True)[:48])
    sql, params = Pose.objects.published().for_listing().filter(pk__in=ids).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(row[-1] for row in cursor.fetchall())
    # Not through the index on publication, which every published pose is in.
    assert "INTEGER PRIMARY KEY" in plan and "pose_visibility" not in plan
