"""Factories for test data. Each app's block builds on the ones above it."""

import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

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
