import json
from io import StringIO

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag

from poses.models import Category, Equipment, Muscle, Pose
from routines.models import Author, AuthorImage, RelatedRoutine, Routine
from tests.factories import (
    CategoryFactory,
    EquipmentFactory,
    MuscleFactory,
    PoseFactory,
    RoutineImageFactory,
    complete_pose,
    complete_routine,
    image_bytes,
    image_upload,
    routine_poses,
)
from tests.yogasite.test_import_content import (  # noqa: F401 (media: a fixture)
    counts,
    full_document,
    media,
    media_files,
    run_import,
    write_document,
)

pytestmark = pytest.mark.django_db


def _texts(parts) -> list[str]:
    return [part.text for part in parts.order_by("position", "pk")]


def _image(i) -> tuple:
    return (i.alt, i.caption, i.credit, i.side, i.width, i.height, [r["width"] for r in i.renditions])


def _images(images) -> list[tuple]:
    return [_image(i) for i in images.order_by("position", "pk")]


def site_dump() -> dict:
    """Everything a visitor or an editor could tell apart, read straight from the models.

    Pictures count by what they show (size, renditions, alt text), not by file name: a site
    rebuilt from an export into empty storage stores them under names of its own."""
    references = {
        model.__name__: sorted(model.objects.values_list("slug", "name", "description"))
        for model in (Muscle, Equipment, Category)
    }
    authors = {
        author.slug: (author.name, author.bio, _image(author.portrait) if author.portrait else None)
        for author in Author.objects.order_by("slug")
    }
    poses = {}
    for pose in Pose.objects.order_by("slug"):
        poses[pose.slug] = {
            "fields": (
                pose.name,
                pose.sanskrit_name,
                pose.summary,
                pose.category.slug if pose.category else None,
                pose.level,
                pose.video_url,
                pose.status,
                pose.published_at,
                pose.search_names,
                pose.sides,
                pose.hold_kind,
                pose.hold_value,
            ),
            "links": (
                pose.warm_up.slug if pose.warm_up else None,
                pose.warm_up_note,
                pose.cool_down.slug if pose.cool_down else None,
                pose.cool_down_note,
            ),
            "steps": _texts(pose.steps),
            "tips": _texts(pose.tips),
            "benefits": _texts(pose.benefits),
            "mistakes": _texts(pose.mistakes),
            "cautions": _texts(pose.cautions),
            "other_names": list(pose.other_names.order_by("position").values_list("name", flat=True)),
            "faqs": list(pose.faqs.order_by("position").values_list("question", "answer")),
            "muscles": list(pose.pose_muscles.order_by("role", "position").values_list("muscle__slug", "role")),
            "equipment": sorted(pose.equipment.values_list("slug", flat=True)),
            "tags": sorted(pose.tags.names()),
            "images": _images(pose.images),
        }
    routines = {}
    for routine in Routine.objects.order_by("slug"):
        steps = []
        for index, step in enumerate(routine.steps.order_by("position", "pk")):
            steps.append(
                (
                    step.starts_section or index == 0,
                    step.section_title,
                    step.pose.slug if step.pose else None,
                    step.title,
                    step.instructions,
                    step.hold_kind,
                    step.hold_value,
                    step.repetitions,
                    step.sides,
                    step.first_side,
                    step.advance,
                    sorted(step.variations.values_list("level", "instructions")),
                )
            )
        routines[routine.slug] = {
            "fields": (
                routine.title,
                routine.summary,
                routine.body,
                routine.safety_note,
                routine.level,
                routine.video_url,
                routine.breath_seconds,
                routine.transition_seconds,
                routine.author.slug if routine.author else None,
                routine.duration_seconds,
                routine.status,
                routine.published_at,
            ),
            "steps": steps,
            "related": list(routine.related_links.order_by("position").values_list("related__slug", flat=True)),
            "tags": sorted(routine.tags.names()),
            "images": _images(routine.images),
        }
    return {"references": references, "authors": authors, "poses": poses, "routines": routines}


def build_site():
    """A site as editors build it in the admin, with every kind of record and part."""
    author = Author.objects.create(slug="mira-sol", name="Mira Sol", bio="Teaches slow flows.")
    AuthorImage.objects.create(author=author, file=image_upload("mira.png", color="#335577"), alt="Mira", credit="Self")
    Author.objects.create(slug="no-portrait", name="No Portrait")
    back, hips = MuscleFactory(slug="lower-back", name="Lower Back"), MuscleFactory(slug="glutes", name="Glutes")
    MuscleFactory(slug="unused", name="Unused", description="")
    strap = EquipmentFactory(slug="strap", name="Strap")
    CategoryFactory(slug="empty-category", name="Nothing here yet")
    child = complete_pose(name="Child's Pose", slug="childs-pose", images=0, tips=0, faqs=0)
    complete_pose(
        name="Backbend",
        slug="backbend",
        sanskrit_name="Ūrdhva Dhanurāsana",
        primary=[back],
        secondary=[hips],
        equipment=[strap],
        tags=["strong", "Back bends"],
        other_names=["Wheel Pose"],
        images=2,
        warm_up=child,
        cool_down=child,
        video_url="https://youtu.be/abc",
    )
    backbend = Pose.objects.get(slug="backbend")
    backbend.sides, backbend.hold_kind, backbend.hold_value = "both", "breaths", 5
    backbend.save()
    backbend.cautions.create(text="Skip it with a wrist injury.", position=0)
    backbend.cautions.create(text="Go gently with a stiff back.", position=1)
    backbend.images.filter(position=0).update(credit="Drawing: the studio, CC0", side="right")
    PoseFactory(
        slug="scheduled",
        name="Scheduled",
        status="published",
        published_at=timezone.now() + timezone.timedelta(days=3),
        category=None,
    )
    PoseFactory(slug="draft-pose", name="Draft", status="draft", published_at=None)
    flow_poses = routine_poses()
    routine = complete_routine(
        steps=7,
        poses=flow_poses,
        slug="flow",
        title="Flow",
        breath_seconds="4.5",
        tags=["morning"],
        transition_seconds=8,
        author=author,
    )
    RoutineImageFactory(routine=routine, position=0, file=image_upload("routine.png", color="#224466"), side="left")
    draft = complete_routine(
        steps=2, poses=flow_poses, slug="draft-flow", title="Draft Flow", status="draft", published_at=None
    )
    RelatedRoutine.objects.create(routine=routine, related=draft, position=0)
    RelatedRoutine.objects.create(routine=draft, related=routine, position=0)


def empty_site():
    Routine.objects.all().delete()
    Author.objects.all().delete()
    Pose.objects.update(warm_up=None, cool_down=None)
    Pose.objects.all().delete()
    for model in (Muscle, Equipment, Category, Tag):
        model.objects.all().delete()


def export(directory) -> str:
    out = StringIO()
    call_command("export_content", str(directory), stdout=out)
    return out.getvalue()


def test_export_then_import_into_an_empty_site_gives_the_same_site_back(tmp_path, settings):
    build_site()
    before = site_dump()
    export(tmp_path / "backup")

    empty_site()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    assert site_dump()["poses"] == {}
    out, _ = run_import(tmp_path / "backup" / "content.json")

    assert counts(out)["poses"] == (7, 0, 0) and counts(out)["routines"] == (2, 0, 0)
    assert site_dump() == before
    assert all(
        (settings.MEDIA_ROOT / r["name"]).is_file()
        for i in Pose.objects.get(slug="backbend").images.all()
        for r in i.renditions
    )


def test_an_imported_document_survives_export_and_import_unchanged(tmp_path, settings):
    run_import(write_document(tmp_path / "source", full_document(tmp_path / "source")))
    before = site_dump()
    export(tmp_path / "backup")

    empty_site()
    settings.MEDIA_ROOT = tmp_path / "new-media"
    run_import(tmp_path / "backup" / "content.json")

    assert site_dump() == before


def test_importing_an_export_into_the_same_site_changes_nothing(tmp_path, settings):
    build_site()
    before, files_before = site_dump(), media_files(settings.MEDIA_ROOT)
    export(tmp_path / "backup")

    out, _ = run_import(tmp_path / "backup" / "content.json")

    assert counts(out) == {
        "muscles": (0, 0, 3),
        "equipment": (0, 0, Equipment.objects.count()),
        "categories": (0, 0, Category.objects.count()),
        "authors": (0, 0, 2),
        "poses": (0, 0, 7),
        "routines": (0, 0, 2),
    }
    assert site_dump() == before
    assert media_files(settings.MEDIA_ROOT) == files_before


def test_export_writes_the_document_and_each_picture_under_media(tmp_path):
    build_site()

    message = export(tmp_path / "backup")

    data = json.loads((tmp_path / "backup" / "content.json").read_text(encoding="utf-8"))
    assert (data["format"], data["version"]) == ("yogasite-content", 1)
    backbend = next(p for p in data["poses"] if p["slug"] == "backbend")
    names = [image["file"] for image in backbend["images"]]
    stored = [image.file.name for image in Pose.objects.get(slug="backbend").images.order_by("position")]
    assert names == [f"media/{name}" for name in stored]
    for name in stored:
        with default_storage.open(name, "rb") as original:
            assert (tmp_path / "backup" / "media" / name).read_bytes() == original.read()
    assert "7 poses" in message and "2 routines" in message


def test_export_leaves_out_default_values_and_groups_steps_into_sections(tmp_path):
    draft = PoseFactory(slug="draft-pose", name="Draft", status="draft", published_at=None, category=None, summary="")
    draft.steps.all().delete()
    complete_routine(steps=5, slug="flow", title="Flow")

    export(tmp_path / "backup")

    data = json.loads((tmp_path / "backup" / "content.json").read_text(encoding="utf-8"))
    draft = next(p for p in data["poses"] if p["slug"] == "draft-pose")
    assert draft == {"slug": "draft-pose", "name": "Draft", "level": "beginner", "status": "draft"}
    (routine,) = data["routines"]
    assert [(s.get("title"), len(s["steps"])) for s in routine["sections"]] == [("Part 1", 3), ("Part 2", 2)]
    rest = routine["sections"][1]["steps"][1]
    assert rest["title"] == "Rest" and "pose" not in rest and rest["advance"] == "manual"


def test_an_exported_file_with_other_bytes_is_a_new_picture(tmp_path, settings):
    build_site()
    export(tmp_path / "backup")
    pose = Pose.objects.get(slug="backbend")
    old_name = pose.images.order_by("position").first().file.name
    sharing = Pose.objects.filter(images__file=old_name).distinct().count()
    # Same place in the export, other picture: the name must not make it pass for the stored one.
    (tmp_path / "backup" / "media" / old_name).write_bytes(image_bytes(color="#ff0000", size=(300, 200)))

    out, _ = run_import(tmp_path / "backup" / "content.json")

    assert counts(out)["poses"] == (0, sharing, 7 - sharing)
    first = pose.images.order_by("position").first()
    assert first.file.name != old_name and (first.width, first.height) == (300, 200)
    assert (settings.MEDIA_ROOT / old_name).is_file()


def test_export_fails_clearly_when_a_picture_is_missing(tmp_path, settings):
    build_site()
    name = Pose.objects.get(slug="backbend").images.first().file.name
    (settings.MEDIA_ROOT / name).unlink()

    with pytest.raises(CommandError, match="missing from the media storage"):
        export(tmp_path / "backup")


def test_export_into_a_path_that_is_a_file_fails_clearly(tmp_path):
    (tmp_path / "taken").write_text("not a folder")

    with pytest.raises(CommandError, match="^Cannot write to .*taken"):
        export(tmp_path / "taken")
