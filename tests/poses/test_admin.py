import os
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from poses import services
from poses.models import Equipment, Pose, PoseImage, Status
from tests.factories import (
    CategoryFactory,
    EquipmentFactory,
    MuscleFactory,
    PoseFactory,
    PoseImageFactory,
    image_bytes,
    noisy_png,
    photo_with_exif,
    png_bomb,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:poses_pose_add")
LIST_URL = reverse("admin:poses_pose_changelist")


def change_url(pose) -> str:
    return reverse("admin:poses_pose_change", args=[pose.pk])


class FormReader(HTMLParser):
    """Collects what a browser would submit from the admin's pose form, as the test client's data."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.data: dict[str, object] = {}
        self.select: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside or "name" not in attrs and tag in ("input", "select", "textarea"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(attrs["name"], []).append(attrs.get("value", "on"))
                return
            self.data[attrs["name"]] = attrs.get("value", "")
        elif tag == "select":
            self.select = {"name": attrs["name"], "multiple": "multiple" in attrs, "options": [], "chosen": []}
        elif tag == "option" and self.select is not None:
            self.select["options"].append(attrs.get("value", ""))
            if "selected" in attrs:
                self.select["chosen"].append(attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = {"name": attrs["name"], "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"] or ([] if self.select["multiple"] else self.select["options"][:1])
            self.data[self.select["name"]] = chosen if self.select["multiple"] else (chosen or [""])[0]
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            # Browsers drop the newline that follows <textarea>.
            self.data[self.textarea["name"]] = self.textarea["text"].removeprefix("\n")
            self.textarea = None


def form_data(client, url: str) -> dict:
    """What the pose form at `url` posts if an editor saves it without changing anything."""
    response = client.get(url)
    assert response.status_code == 200
    reader = FormReader("pose_form")
    reader.feed(response.content.decode())
    assert reader.data, "the pose form was not found"
    return reader.data


def add_rows(data: dict, prefix: str, *rows: dict) -> dict:
    """Append inline rows after the ones the form already has, as "Add another" does."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for offset, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{start + offset}-{key}"] = value
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def new_pose_data(client, **fields) -> dict:
    data = form_data(client, ADD_URL)
    data.update(name="Backbend", slug="backbend", summary="A strong arch.", status="draft", level="intermediate")
    data.update(fields)
    return data


def stored_files(root) -> set[str]:
    return {os.path.relpath(os.path.join(folder, name), root) for folder, _, names in os.walk(root) for name in names}


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- writing a pose on one page -----------------------------------------------


def test_an_editor_writes_a_whole_pose_on_one_page(admin_client, media_root):
    category = CategoryFactory(name="Backbends")
    legs, back = MuscleFactory(name="Quadriceps"), MuscleFactory(name="Lower Back")
    mat = EquipmentFactory(name="Mat")
    data = new_pose_data(admin_client, sanskrit_name="Ūrdhva Dhanurāsana", category=str(category.pk))
    data["equipment"] = [str(mat.pk)]
    add_rows(data, "steps", {"text": "Lift the hips.", "position": "1"}, {"text": "Lie on your back.", "position": "0"})
    add_rows(data, "other_names", {"name": "Wheel Pose", "position": "0"})
    add_rows(
        data,
        "pose_muscles",
        {"muscle": str(back.pk), "role": "primary", "position": "0"},
        {"muscle": str(legs.pk), "role": "secondary", "position": "1"},
    )
    add_rows(data, "tips", {"text": "Press through the feet.", "position": "0"})
    add_rows(data, "benefits", {"text": "Opens the chest.", "position": "0"})
    add_rows(data, "mistakes", {"text": "Splaying the knees.", "position": "0"})
    add_rows(data, "faqs", {"question": "Is it safe?", "answer": "Warm up first.", "position": "0"})
    picture = SimpleUploadedFile("wheel.png", image_bytes())
    add_rows(data, "images", {"file": picture, "alt": "A wheel", "position": "0"})

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302, response.context["errors"] if response.context else response
    pose = Pose.objects.get(slug="backbend")
    assert [s.text for s in pose.steps.all()] == ["Lie on your back.", "Lift the hips."]
    assert [m.name for m in pose.primary_muscles] == ["Lower Back"]
    assert [m.name for m in pose.secondary_muscles] == ["Quadriceps"]
    assert [e.name for e in pose.equipment.all()] == ["Mat"]
    assert (pose.tips.count(), pose.benefits.count(), pose.mistakes.count(), pose.faqs.count()) == (1, 1, 1, 1)
    assert pose.main_image.renditions and pose.main_image.alt == "A wheel"
    # Other names are saved after the pose itself; search must still know them.
    assert "wheel pose" in pose.search_names.split("\n")
    assert LogEntry.objects.filter(object_id=str(pose.pk), action_flag=ADDITION).exists()


def test_the_form_loads_the_reordering_script_and_marks_every_position_field(admin_client):
    response = admin_client.get(ADD_URL)
    html = response.content.decode()
    assert 'src="/static/admin/yogasite/sortable-inlines.js" defer' in html
    position_inputs = re.findall(r"<input[^>]*name=\"[\w-]+-position\"[^>]*>", html)
    templates = [tag for tag in position_inputs if "__prefix__" in tag]
    prefixes = {re.search(r'name="(\w+)-__prefix__-position"', tag).group(1) for tag in templates}
    assert prefixes == {
        "steps",
        "tips",
        "benefits",
        "mistakes",
        "cautions",
        "faqs",
        "other_names",
        "images",
        "pose_muscles",
    }
    assert all('data-sortable-position="hidden"' in tag for tag in position_inputs)


def test_the_slug_is_prepopulated_from_the_name_and_lookups_use_autocomplete(admin_client):
    html = unescape(admin_client.get(ADD_URL).content.decode())
    assert '"id": "#id_slug", "name": "slug", "dependency_ids": ["#id_name"]' in html
    for field in ["category", "warm_up", "cool_down", "pose_muscles-0-muscle"]:
        assert f'id="id_{field}"' in html
    assert html.count("admin-autocomplete") >= 4


def test_reordering_rows_and_saving_stores_the_new_order(admin_client):
    pose = PoseFactory(steps=["First", "Second", "Third"])
    data = form_data(admin_client, change_url(pose))
    data.update({"steps-0-position": "2", "steps-1-position": "0", "steps-2-position": "1"})

    response = admin_client.post(change_url(pose), data)

    assert response.status_code == 302
    assert [s.text for s in pose.steps.all()] == ["Second", "Third", "First"]


def test_a_published_pose_needs_a_step(admin_client):
    data = new_pose_data(admin_client, status="published")

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "A published pose needs at least one step." in response.content.decode()
    assert not Pose.objects.exists()

    add_rows(data, "steps", {"text": "Stand tall.", "position": "0"})
    assert admin_client.post(ADD_URL, data).status_code == 302
    assert Pose.objects.get().is_public


def test_a_muscle_cannot_be_both_primary_and_secondary(admin_client):
    muscle = MuscleFactory()
    data = new_pose_data(admin_client)
    add_rows(
        data,
        "pose_muscles",
        {"muscle": str(muscle.pk), "role": "primary", "position": "0"},
        {"muscle": str(muscle.pk), "role": "secondary", "position": "1"},
    )

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert "Please correct the duplicate data for muscle" in response.content.decode()
    assert not Pose.objects.exists()


def test_a_pose_cannot_be_its_own_warm_up(admin_client):
    pose = PoseFactory()
    data = form_data(admin_client, change_url(pose))
    data["warm_up"] = str(pose.pk)

    response = admin_client.post(change_url(pose), data)

    assert response.status_code == 200
    assert "A pose cannot be its own warm-up." in response.content.decode()


def test_editing_is_recorded_in_the_history(admin_client):
    pose = PoseFactory(summary="Old words.")
    data = form_data(admin_client, change_url(pose))
    data["summary"] = "New words."

    admin_client.post(change_url(pose), data)

    entry = LogEntry.objects.get(object_id=str(pose.pk), action_flag=CHANGE)
    assert "Summary" in entry.get_change_message()
    history = admin_client.get(reverse("admin:poses_pose_history", args=[pose.pk])).content.decode()
    assert "Changed Summary." in history


# --- the list of poses --------------------------------------------------------


def test_the_list_shows_thumbnail_names_category_level_status_and_last_change(admin_client):
    pose = PoseFactory(name="Backbend", sanskrit_name="Ūrdhva Dhanurāsana", category=CategoryFactory(name="Arches"))
    image = PoseImageFactory(pose=pose)
    PoseFactory(name="Crow", published_at=timezone.now() + timezone.timedelta(days=3))
    PoseFactory(name="Sketch", status=Status.DRAFT)

    html = admin_client.get(LIST_URL).content.decode()

    assert f'src="{image.thumbnail_url}"' in html
    for text in ["Ūrdhva Dhanurāsana", "Arches", "Beginner", "Scheduled for", "Draft", "Published", "Last change"]:
        assert text in html


def test_the_list_does_not_query_per_pose(admin_client, django_assert_max_num_queries):
    muscles = MuscleFactory.create_batch(3)
    props = EquipmentFactory.create_batch(2)
    for n in range(30):
        pose = PoseFactory(primary=muscles[:2], secondary=muscles[2:])
        pose.equipment.set(props)
        PoseImageFactory(pose=pose, position=0, file=SimpleUploadedFile(f"p{n}.png", image_bytes(size=(40, 30))))
        PoseImageFactory(pose=pose, position=1, file=SimpleUploadedFile(f"q{n}.png", image_bytes(size=(40, 30))))

    with django_assert_max_num_queries(10):
        response = admin_client.get(LIST_URL)

    assert response.content.decode().count('class="yogasite-thumbnail"') == 30


def test_the_list_escapes_names(admin_client):
    PoseFactory(name="<script>alert('x')</script>")

    html = admin_client.get(LIST_URL).content.decode()

    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(" in html


@pytest.mark.parametrize("term", ["urdhva", "Ūrdhva", "URDHVA dhanu", "wheel", "backbend"])
def test_search_finds_a_pose_by_any_name_with_or_without_diacritics(admin_client, term):
    pose = PoseFactory(name="Backbend", sanskrit_name="Ūrdhva Dhanurāsana")
    pose.other_names.create(name="Wheel Pose", position=0)
    pose.save()
    PoseFactory(name="Crow")

    response = admin_client.get(LIST_URL, {"q": term})

    assert list(response.context["cl"].result_list) == [pose]


def test_search_typed_with_diacritics_finds_a_name_stored_without_them(admin_client):
    pose = PoseFactory(name="Backbend", sanskrit_name="Urdhva Dhanurasana")

    response = admin_client.get(LIST_URL, {"q": "Ūrdhva Dhanurāsana"})

    assert list(response.context["cl"].result_list) == [pose]


def test_filters_by_category_level_status_muscle_and_prop(admin_client):
    arches, legs, block = CategoryFactory(), MuscleFactory(), EquipmentFactory()
    wanted = PoseFactory(category=arches, level="advanced", primary=[legs])
    wanted.equipment.add(block)
    PoseFactory(category=arches, level="advanced")
    PoseFactory(status=Status.DRAFT, primary=[legs])
    scheduled = PoseFactory(published_at=timezone.now() + timezone.timedelta(days=1))

    def listed(**params):
        return set(admin_client.get(LIST_URL, params).context["cl"].result_list)

    assert listed(category__id__exact=arches.pk, level__exact="advanced", muscles__id__exact=legs.pk) == {wanted}
    assert listed(equipment__id__exact=block.pk) == {wanted}
    assert listed(publication="scheduled") == {scheduled}
    assert len(listed(publication="draft")) == 1


# --- view on site -------------------------------------------------------------


def test_view_on_site_opens_a_draft_for_editors_only(admin_client):
    pose = PoseFactory(status=Status.DRAFT, slug="secret-pose")
    html = admin_client.get(change_url(pose)).content.decode()
    link = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Pose).pk, pose.pk])
    assert f'href="{link}"' in html

    redirect = admin_client.get(link)
    assert redirect.status_code == 302 and redirect["Location"].endswith("/poses/secret-pose/")

    assert admin_client.get(pose.get_absolute_url()).status_code == 200
    assert Client().get(pose.get_absolute_url()).status_code == 404


# --- actions ------------------------------------------------------------------


def run_action(client, action: str, poses):
    return client.post(
        LIST_URL, {"action": action, "_selected_action": [str(p.pk) for p in poses], "index": "0"}, follow=True
    )


def test_publish_action_publishes_poses_with_steps_and_says_which_it_skipped(admin_client):
    ready = PoseFactory(status=Status.DRAFT, published_at=None, name="Ready")
    empty = PoseFactory(status=Status.DRAFT, published_at=None, name="Empty", steps=[])
    empty.steps.all().delete()

    response = run_action(admin_client, "publish", [ready, empty])

    ready.refresh_from_db()
    empty.refresh_from_db()
    assert ready.is_public and empty.status == Status.DRAFT
    assert messages_of(response) == ["Published 1 pose.", "Not published, because they have no steps yet: Empty."]
    assert LogEntry.objects.filter(object_id=str(ready.pk), action_flag=CHANGE).exists()


def test_publish_action_keeps_a_scheduled_time(admin_client):
    later = timezone.now() + timezone.timedelta(days=5)
    pose = PoseFactory(status=Status.DRAFT, published_at=later)

    response = run_action(admin_client, "publish", [pose])

    pose.refresh_from_db()
    assert pose.status == Status.PUBLISHED and pose.published_at == later and not pose.is_public
    assert messages_of(response) == ["Published 1 pose (1 of them scheduled for later)."]


def test_unpublish_action_takes_poses_back_to_draft(admin_client):
    poses = PoseFactory.create_batch(2)

    response = run_action(admin_client, "unpublish", poses)

    assert set(Pose.objects.values_list("status", flat=True)) == {Status.DRAFT}
    assert messages_of(response) == ["Moved 2 poses back to draft; visitors no longer see them."]


def test_duplicate_action_opens_the_draft_copy(admin_client):
    pose = PoseFactory(name="Crow", slug="crow", steps=["Squat.", "Lean."])

    response = run_action(admin_client, "duplicate", [pose])

    copy = Pose.objects.get(slug="crow-copy")
    assert response.redirect_chain[-1][0] == change_url(copy)
    assert copy.status == Status.DRAFT and copy.name == "Crow (copy)"
    assert [s.text for s in copy.steps.all()] == ["Squat.", "Lean."]
    assert messages_of(response) == ["Made a draft copy: “Crow (copy)”. Edit it below."]


def test_duplicating_copies_every_part_and_shares_the_stored_pictures():
    legs, strap = MuscleFactory(), EquipmentFactory()
    warm_up = PoseFactory()
    pose = PoseFactory(slug="bow", name="Bow", steps=["Hold the ankles.", "Lift."], primary=[legs], warm_up=warm_up)
    for related in ["tips", "benefits", "mistakes"]:
        getattr(pose, related).create(text=f"One of the {related}.", position=0)
    pose.other_names.create(name="Dhanurasana", position=0)
    pose.faqs.create(question="Why?", answer="Because.", position=0)
    pose.equipment.add(strap)
    pose.tags.add("backbend", "energising")
    image = PoseImageFactory(pose=pose, file=SimpleUploadedFile("bow.png", image_bytes(size=(60, 40))))

    copy = services.duplicate_pose(pose=pose)
    second = services.duplicate_pose(pose=pose)

    assert (copy.slug, second.slug) == ("bow-copy", "bow-copy-2")
    assert copy.status == Status.DRAFT and copy.published_at is None and copy.warm_up == warm_up
    assert [s.text for s in copy.steps.all()] == ["Hold the ankles.", "Lift."]
    for related in ["tips", "benefits", "mistakes", "other_names", "faqs"]:
        assert getattr(copy, related).count() == 1
    assert copy.primary_muscles == [legs] and list(copy.equipment.all()) == [strap]
    assert sorted(copy.tags.names()) == ["backbend", "energising"]
    copied_image = copy.images.get()
    assert copied_image.pk != image.pk and copied_image.file.name == image.file.name
    assert copied_image.renditions == image.renditions
    assert "dhanurasana" in Pose.objects.get(pk=copy.pk).search_names
    assert pose.steps.count() == 2 and pose.images.count() == 1


def test_a_copy_slug_fits_the_slug_length():
    pose = PoseFactory(slug="a" * 80)

    copy = services.duplicate_pose(pose=pose)

    assert len(copy.slug) <= 80 and copy.slug.endswith("-copy")


# --- deleting -----------------------------------------------------------------


def test_a_pose_used_as_a_warm_up_cannot_be_deleted(admin_client):
    warm_up = PoseFactory(name="Cat")
    PoseFactory(name="Cow", warm_up=warm_up)
    delete_url = reverse("admin:poses_pose_delete", args=[warm_up.pk])

    response = admin_client.post(delete_url, {"post": "yes"})

    html = response.content.decode()
    assert "would require deleting the following protected related objects" in html
    assert "Cow" in html
    assert Pose.objects.filter(pk=warm_up.pk).exists()


def test_bulk_delete_also_refuses_a_pose_in_use(admin_client):
    warm_up = PoseFactory(name="Cat")
    PoseFactory(name="Cow", cool_down=warm_up)

    response = run_action(admin_client, "delete_selected", [warm_up])

    assert "protected related objects" in response.content.decode()
    assert Pose.objects.filter(pk=warm_up.pk).exists()


# --- reference lists ----------------------------------------------------------


@pytest.mark.parametrize("model", ["muscle", "equipment", "category"])
def test_reference_lists_have_pages_with_pose_counts(admin_client, model):
    item = {"muscle": MuscleFactory, "equipment": EquipmentFactory, "category": CategoryFactory}[model](name="Alpha")
    for _ in range(3):
        pose = PoseFactory()
        if model == "muscle":
            pose.pose_muscles.create(muscle=item)
        elif model == "equipment":
            pose.equipment.add(item)
        else:
            pose.category = item
            pose.save()

    response = admin_client.get(reverse(f"admin:poses_{model}_changelist"))

    row = response.content.decode().split("Alpha", 1)[1].split("</tr>", 1)[0]
    assert '<td class="field-pose_count">3</td>' in row
    assert admin_client.get(reverse(f"admin:poses_{model}_add")).status_code == 200


def test_muscle_autocomplete_answers_by_name(admin_client):
    MuscleFactory(name="Hamstrings")
    MuscleFactory(name="Chest")

    response = admin_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "poses", "model_name": "posemuscle", "field_name": "muscle", "term": "ham"},
    )

    assert [r["text"] for r in response.json()["results"]] == ["Hamstrings"]


# --- pictures -----------------------------------------------------------------

TEXT_AS_JPEG = b"Mountain pose notes: stand tall, breathe.\n" * 20
TRUNCATED_JPEG = image_bytes(fmt="JPEG", size=(300, 200))[:700]
TRUNCATED_PNG = noisy_png(size=(60, 40))[:-200]


@pytest.mark.parametrize(
    ("filename", "content", "limits", "message"),
    [
        ("pose.jpg", TEXT_AS_JPEG, {}, "This file is not an image we can read; upload a JPEG, PNG or WebP image."),
        ("pose.jpg", TRUNCATED_JPEG, {}, "The image is damaged or incomplete and cannot be read"),
        ("pose.png", TRUNCATED_PNG, {}, "The image is damaged or incomplete and cannot be read"),
        ("pose.gif", image_bytes(fmt="GIF", size=(40, 30)), {}, "This is a GIF file; upload a JPEG, PNG or WebP"),
        ("pose.png", image_bytes(fmt="BMP", size=(40, 30)), {}, "This is a BMP file; upload a JPEG, PNG or WebP"),
        (
            "pose.png",
            image_bytes(size=(120, 100)),
            {"YOGASITE_IMAGE_MAX_PIXELS": 10_000},
            "The image is 120 × 100 pixels; images may have at most 10,000 pixels.",
        ),
        ("bomb.png", png_bomb(width=10_000, height=10_000), {}, "The image is too large in pixels"),
        (
            "big.png",
            noisy_png(size=(100, 100)),
            {"YOGASITE_IMAGE_MAX_BYTES": 10 * 1024},
            "images may be at most 10 KB. Export a smaller version and upload that.",
        ),
    ],
    ids=["text-named-jpg", "truncated-jpeg", "truncated-png", "gif", "bmp", "too-many-pixels", "bomb", "too-big"],
)
def test_a_refused_picture_is_explained_and_nothing_is_saved(
    admin_client, media_root, settings, filename, content, limits, message
):
    for name, value in limits.items():
        setattr(settings, name, value)
    data = new_pose_data(admin_client)
    add_rows(data, "steps", {"text": "Stand tall.", "position": "0"})
    add_rows(data, "images", {"file": SimpleUploadedFile(filename, content), "alt": "A person", "position": "0"})
    before = stored_files(media_root)

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 200
    html = response.content.decode()
    assert escape(message) in html
    assert "Please correct the error below." in html
    assert not Pose.objects.exists() and not PoseImage.objects.exists()
    assert stored_files(media_root) == before


def test_an_uploaded_photo_is_stored_upright_without_its_metadata(admin_client, media_root, settings):
    settings.YOGASITE_IMAGE_WIDTHS = (100, 160, 1600)
    data = new_pose_data(admin_client)
    photo = SimpleUploadedFile("IMG_0001.JPG", photo_with_exif(size=(400, 200), orientation=6), "image/jpeg")
    add_rows(data, "images", {"file": photo, "alt": "A person arched up", "position": "0"})

    response = admin_client.post(ADD_URL, data)

    assert response.status_code == 302
    image = Pose.objects.get().main_image
    assert (image.width, image.height) == (200, 400)
    with Image.open(media_root / image.file.name) as original:
        assert original.size == (200, 400)
        assert not original.getexif()
    assert b"PocketCam" not in (media_root / image.file.name).read_bytes()
    assert [(r["width"], r["height"]) for r in image.renditions] == [(100, 200), (160, 320), (200, 400)]
    for rendition in image.renditions:
        with Image.open(media_root / rendition["name"]) as stored:
            assert stored.format == "WEBP" and stored.width == rendition["width"]
    assert stored_files(media_root) == {image.file.name, *(r["name"] for r in image.renditions)}


def test_saved_pictures_show_a_preview_in_the_form(admin_client):
    image = PoseImageFactory(file=SimpleUploadedFile("p.png", image_bytes(size=(640, 480))))

    html = admin_client.get(change_url(image.pose)).content.decode()

    assert f'src="{image.thumbnail_url}"' in html
    assert "640 × 480 px" in html


def test_an_unchanged_picture_is_kept_when_the_pose_is_saved_again(admin_client, media_root):
    image = PoseImageFactory(file=SimpleUploadedFile("p.png", image_bytes(size=(300, 200))))
    before = stored_files(media_root)
    data = form_data(admin_client, change_url(image.pose))
    data["images-0-alt"] = "Better words"

    response = admin_client.post(change_url(image.pose), data)

    assert response.status_code == 302
    image.refresh_from_db()
    assert image.alt == "Better words" and (media_root / image.file.name).exists()
    assert stored_files(media_root) == before


def test_deleting_a_prop_that_poses_use_is_refused_and_names_the_poses(admin_client):
    block = EquipmentFactory(slug="block", name="Block")
    PoseFactory(name="Supported Bridge").equipment.add(block)
    url = reverse("admin:poses_equipment_delete", args=[block.pk])

    page = admin_client.get(url).content.decode()
    assert "would require deleting the following protected related objects" in page
    assert "Supported Bridge" in page

    admin_client.post(url, {"post": "yes"})
    assert Equipment.objects.filter(pk=block.pk).exists()
    assert list(block.poses.values_list("name", flat=True)) == ["Supported Bridge"]


def test_an_unused_prop_can_be_deleted(admin_client):
    strap = EquipmentFactory(slug="strap", name="Strap")
    admin_client.post(reverse("admin:poses_equipment_delete", args=[strap.pk]), {"post": "yes"})
    assert not Equipment.objects.filter(pk=strap.pk).exists()
