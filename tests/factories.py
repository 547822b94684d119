"""Factories for test data. Each app's block builds on the ones above it."""

import io
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
