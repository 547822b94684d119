"""Factories for test data. Each app's block builds on the ones above it."""

import io
import itertools
import os
import struct
import zlib

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import ExifTags, Image

from poses import models as pm

# --- poses ---------------------------------------------------------------


def image_bytes(*, fmt: str = "PNG", size: tuple[int, int] = (800, 600), color: str = "#6a8caf") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


def image_upload(name: str = "pose.png", **kwargs) -> SimpleUploadedFile:
    fmt = kwargs.setdefault("fmt", "PNG")
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type=f"image/{fmt.lower()}")


class MuscleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Muscle
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Muscle {n}")
    slug = factory.Sequence(lambda n: f"muscle-{n}")
    description = factory.LazyAttribute(lambda o: f"What the {o.name.lower()} does.")


class EquipmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Equipment
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Prop {n}")
    slug = factory.Sequence(lambda n: f"prop-{n}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Category
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")


class PoseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Pose
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Pose {n}")
    slug = factory.Sequence(lambda n: f"pose-{n}")
    sanskrit_name = ""
    summary = factory.LazyAttribute(lambda o: f"A short summary of {o.name}.")
    category = factory.SubFactory(CategoryFactory)
    status = pm.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def steps(self, create, extracted, **kwargs):
        if create:
            for position, text in enumerate(extracted or [f"Do the first thing for {self.name}."]):
                pm.PoseStep.objects.create(pose=self, position=position, text=text)

    @factory.post_generation
    def primary(self, create, extracted, **kwargs):
        if create and extracted:
            for position, muscle in enumerate(extracted):
                pm.PoseMuscle.objects.create(pose=self, muscle=muscle, role="primary", position=position)

    @factory.post_generation
    def secondary(self, create, extracted, **kwargs):
        if create and extracted:
            for position, muscle in enumerate(extracted):
                pm.PoseMuscle.objects.create(pose=self, muscle=muscle, role="secondary", position=position)


class PoseImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.PoseImage

    pose = factory.SubFactory(PoseFactory)
    alt = factory.LazyAttribute(lambda o: f"A person in {o.pose.name}")
    file = factory.LazyFunction(image_upload)
    position = factory.Sequence(lambda n: n)


# --- complete poses, as the public pages show them --------------------------

_complete_poses = itertools.count(1)


def add_pose_image(pose, *, position: int = 0, size: tuple[int, int] = (480, 360), alt: str = ""):
    """A small real picture (renditions included) for `pose`."""
    return PoseImageFactory(
        pose=pose, position=position, file=image_upload(size=size), alt=alt or f"A person in {pose.name}"
    )


def complete_pose(
    *,
    steps: int = 3,
    images: int = 1,
    primary=(),
    secondary=(),
    equipment=(),
    tags=(),
    other_names=(),
    tips: int = 2,
    benefits: int = 2,
    mistakes: int = 2,
    faqs: int = 1,
    warm_up=None,
    cool_down=None,
    **fields,
):
    """A pose with every part the pose page shows, in the numbers asked for."""
    name = fields.setdefault("name", f"Complete Pose {next(_complete_poses):03d}")
    pose = PoseFactory(
        steps=[f"{name} step {n}." for n in range(1, steps + 1)],
        primary=list(primary),
        secondary=list(secondary),
        warm_up=warm_up,
        warm_up_note="Warm the spine first." if warm_up else "",
        cool_down=cool_down,
        cool_down_note="Undo the arch afterwards." if cool_down else "",
        **fields,
    )
    pose.equipment.set(equipment)
    if tags:
        pose.tags.add(*tags)
    for position, other in enumerate(other_names):
        pose.other_names.create(name=other, position=position)
    for model, count, label in (
        (pm.PoseTip, tips, "Tip"),
        (pm.PoseBenefit, benefits, "Benefit"),
        (pm.PoseMistake, mistakes, "Mistake"),
    ):
        model.objects.bulk_create(
            model(pose=pose, position=n, text=f"{label} {n + 1} for {name}.") for n in range(count)
        )
    pm.PoseFAQ.objects.bulk_create(
        pm.PoseFAQ(pose=pose, position=n, question=f"Question {n + 1} about {name}?", answer=f"Answer {n + 1}.")
        for n in range(faqs)
    )
    for position in range(images):
        add_pose_image(pose, position=position)
    if other_names:
        pose.save()
    return pose


# --- routines ------------------------------------------------------------

from routines import models as rm  # noqa: E402


class RoutineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.Routine
        django_get_or_create = ("slug",)

    title = factory.Sequence(lambda n: f"Routine {n}")
    slug = factory.Sequence(lambda n: f"routine-{n}")
    summary = factory.LazyAttribute(lambda o: f"A short summary of {o.title}.")
    status = pm.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))


class RoutineStepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.RoutineStep

    routine = factory.SubFactory(RoutineFactory)
    pose = factory.SubFactory(PoseFactory)
    position = factory.Sequence(lambda n: n)
    hold_kind = "seconds"
    hold_value = 30


class StepVariationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.StepVariation

    step = factory.SubFactory(RoutineStepFactory)
    level = "beginner"
    instructions = factory.LazyAttribute(lambda o: f"An easier way to do {o.step.display_title}.")


class RoutineImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = rm.RoutineImage

    routine = factory.SubFactory(RoutineFactory)
    alt = factory.LazyAttribute(lambda o: f"People practising {o.routine.title}")
    file = factory.LazyFunction(lambda: image_upload("routine.png"))
    position = factory.Sequence(lambda n: n)


def backbend_pose():
    """The product's model page: a Backbend with every section filled, its warm-up and cool-down."""
    lower_back = MuscleFactory(slug="lower-back", name="Lower Back", description="Steadies the spine.")
    middle_back = MuscleFactory(slug="middle-back", name="Middle Back", description="Helps you turn the torso.")
    calves = MuscleFactory(slug="calves", name="Calves", description="Point and steady the feet.")
    glutes = MuscleFactory(slug="glutes", name="Glutes", description="Extend the hips.")
    backbends = CategoryFactory(slug="backbends", name="Backbends", description="Poses that arch the spine.")
    cobra = complete_pose(name="Cobra Pose", slug="cobra", sanskrit_name="Bhujaṅgāsana", category=backbends)
    hug = complete_pose(name="Knees to Chest", slug="knees-to-chest", sanskrit_name="Apānāsana")
    return complete_pose(
        name="Backbend",
        slug="backbend",
        sanskrit_name="Ūrdhva Dhanurāsana",
        summary="A full arch of the spine, lifted from the hands and feet.",
        level="advanced",
        category=backbends,
        other_names=["Wheel Pose"],
        equipment=[EquipmentFactory(slug="mat", name="Mat")],
        tags=["heart opener"],
        primary=[lower_back, middle_back],
        secondary=[calves, glutes],
        steps=4,
        tips=5,
        benefits=4,
        mistakes=3,
        faqs=3,
        images=2,
        warm_up=cobra,
        cool_down=hug,
        video_url="https://www.youtube.com/watch?v=abc",
    )


# --- complete routines, as the routine pages and the player show them ------


def routine_poses(count: int = 3):
    """Poses for routine steps, each with a Sanskrit name, a small picture and props; the props overlap
    (Mat in all) so that a routine's list of props has something to deduplicate."""
    mat = EquipmentFactory(slug="mat", name="Mat")
    extras = [EquipmentFactory(slug="block", name="Block"), EquipmentFactory(slug="strap", name="Strap")]
    poses = []
    for n in range(count):
        pose = PoseFactory(name=f"Flow Pose {n + 1}", sanskrit_name=f"Āsana {n + 1}")
        pose.equipment.set([mat, extras[n % 2]])
        PoseImageFactory(pose=pose, position=0, file=image_upload(size=(480, 360)), alt=f"A person in {pose.name}")
        poses.append(pose)
    return poses


def complete_routine(*, steps: int = 6, poses=None, **fields):
    """A routine with every part its pages show, built to a fixed pattern (n counts steps from 0):
    a new titled section every three steps; step n is a rest without a pose when n % 5 == 4, both-sided
    when n % 3 == 1, held for 6 breaths × 3 rounds when n % 4 == 2 (30 s once otherwise); the last
    step waits for the practitioner. Every step with a pose has a beginner and an advanced variation.
    The stored duration is current."""
    from routines.services import refresh_duration

    poses = poses or routine_poses()
    fields.setdefault("breath_seconds", 5)
    routine = RoutineFactory(**fields)
    for n in range(steps):
        rest = n % 5 == 4
        breaths = n % 4 == 2
        step = RoutineStepFactory(
            routine=routine,
            position=n,
            starts_section=n % 3 == 0,
            section_title=f"Part {n // 3 + 1}" if n % 3 == 0 else "",
            pose=None if rest else poses[n % len(poses)],
            title="Rest" if rest else "",
            instructions=f"Settle into step {n + 1}.\n\nBreathe slowly and stay steady.",
            hold_kind="breaths" if breaths else "seconds",
            hold_value=6 if breaths else 30 if not rest else 20,
            repetitions=3 if breaths else 1,
            sides="both" if n % 3 == 1 else "none",
            advance="manual" if n == steps - 1 else "auto",
        )
        if not rest:
            StepVariationFactory(step=step, level="beginner", instructions=f"Easier: bend the knees in step {n + 1}.")
            StepVariationFactory(step=step, level="advanced", instructions=f"Harder: lift higher in step {n + 1}.")
    refresh_duration(routine=routine)
    return routine


# --- image files for the intake checks -----------------------------------


def photo_with_exif(*, size: tuple[int, int] = (400, 200), orientation: int = 6) -> bytes:
    """A JPEG as a phone writes it: pixels stored sideways, an EXIF orientation tag saying how to turn
    them, a camera make and GPS coordinates. The left quarter is blue, the rest red."""
    picture = Image.new("RGB", size, "#d03030")
    picture.paste((30, 60, 200), (0, 0, size[0] // 4, size[1]))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PocketCam"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 30.0, 12.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "W"
    gps[ExifTags.GPS.GPSLongitude] = (0.0, 7.0, 40.0)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def png_bomb(*, width: int = 10_000, height: int = 10_000) -> bytes:
    """A valid PNG that declares `width` x `height` one-bit pixels and compresses to a few kilobytes:
    decoding it would take far more memory than the file's size suggests."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    pixels = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def noisy_png(*, size: tuple[int, int] = (200, 200)) -> bytes:
    """A PNG of random pixels, which does not compress: its byte size is about 3 bytes per pixel."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buffer, "PNG")
    return buffer.getvalue()
