from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from taggit.managers import TaggableManager

from poses.models import (
    BaseImage,
    Level,
    Pose,
    PoseImage,
    slug_validator,
    validate_video_url,
)
from workflow.models import Publishable, PublishableQuerySet

from . import timing

HOLD_MIN, HOLD_MAX = 1, 3600
REPETITIONS_MIN, REPETITIONS_MAX = 1, 100
BREATH_MIN, BREATH_MAX = Decimal(2), Decimal(15)
TRANSITION_MIN, TRANSITION_MAX = 0, 30

# Levels sort alphabetically as advanced, beginner, intermediate; people expect them easiest first.
LEVEL_ORDER = models.Case(
    *(models.When(level=value, then=index) for index, value in enumerate(Level.values)),
    output_field=models.IntegerField(),
)


def _steps_queryset(*, equipment: bool):
    related = [
        models.Prefetch("pose__images", queryset=PoseImage.objects.order_by("position", "pk")),
        models.Prefetch("variations", queryset=StepVariation.objects.order_by(LEVEL_ORDER)),
    ]
    if equipment:
        related.append("pose__equipment")
    return RoutineStep.objects.select_related("pose").prefetch_related(*related).order_by("position", "pk")


class RoutineQuerySet(PublishableQuerySet):
    def for_listing(self):
        """What a routine card needs: images, tags and the number of steps, in a fixed number of queries."""
        # A subquery per card, not a join grouped over every routine before the page's few are picked.
        steps = RoutineStep.objects.filter(routine=models.OuterRef("pk")).order_by().values("routine")
        step_count = models.Subquery(steps.annotate(n=models.Count("pk")).values("n")[:1])
        return self.annotate(step_count=Coalesce(step_count, 0)).prefetch_related(
            models.Prefetch("images", queryset=RoutineImage.objects.order_by("position", "pk")),
            "tags",
        )

    def for_detail(self):
        """Everything the routine page shows: ordered steps with their pose, the pose's images and props,
        the step's variations, plus the routine's tags and images. The query count does not grow with steps."""
        return self.prefetch_related(
            models.Prefetch("steps", queryset=_steps_queryset(equipment=True)),
            models.Prefetch("images", queryset=RoutineImage.objects.order_by("position", "pk")),
            "tags",
        )

    def related_to(self, routine: "Routine", *, exclude=(), limit: int = 3):
        """Routines that share tags or poses with `routine`, most in common first (a shared tag or pose
        counts one each), then by title. Leaves out `routine` itself and the routines (or ids) in `exclude`."""
        from django.contrib.contenttypes.models import ContentType
        from django.db.models.functions import Coalesce

        tag_ids = [tag.pk for tag in routine.tags.all()]
        pose_ids = {step.pose_id for step in routine.steps.all() if step.pose_id}
        through = Routine.tags.through
        shared_tags = (
            through.objects.filter(
                content_type=ContentType.objects.get_for_model(Routine),
                object_id=models.OuterRef("pk"),
                tag_id__in=tag_ids,
            )
            .values("object_id")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        shared_poses = (
            RoutineStep.objects.filter(routine=models.OuterRef("pk"), pose_id__in=pose_ids)
            .values("routine")
            .annotate(n=models.Count("pose", distinct=True))
            .values("n")
        )
        zero = models.Value(0)
        return (
            self.exclude(pk=routine.pk)
            .exclude(pk__in=[getattr(other, "pk", other) for other in exclude])
            .annotate(
                shared=Coalesce(models.Subquery(shared_tags, output_field=models.IntegerField()), zero)
                + Coalesce(models.Subquery(shared_poses, output_field=models.IntegerField()), zero)
            )
            .filter(shared__gt=0)
            .order_by("-shared", "title", "pk")[:limit]
        )

    def for_player(self):
        """What the player needs: ordered steps with pose, pose images and variations, and the routine's images."""
        return self.prefetch_related(
            models.Prefetch("steps", queryset=_steps_queryset(equipment=False)),
            models.Prefetch("images", queryset=RoutineImage.objects.order_by("position", "pk")),
        )


class Author(models.Model):
    """The public face of a person who writes routines: a byline with a portrait and a short bio. It
    need not be an account of the site; an account may be linked to it."""

    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="The end of the author's address, after /authors/.",
    )
    name = models.CharField(max_length=120, help_text="The name shown in a byline: “Mira Sol”.")
    bio = models.TextField(blank=True, help_text="One or two plain sentences, shown under the byline.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
        verbose_name="account",
        help_text="Optional: the site account of this author, if they edit here.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("authors:author_detail", args=[self.slug])

    @property
    def portrait(self):
        """The author's picture, or None (a missing one-to-one row raises otherwise)."""
        try:
            return self.image
        except AuthorImage.DoesNotExist:
            return None


class AuthorImage(BaseImage):
    author = models.OneToOneField(Author, on_delete=models.CASCADE, related_name="image")

    class Meta:
        verbose_name = "portrait"


class Routine(Publishable):
    title = models.CharField(max_length=160, help_text="What practitioners see first: “Back Strengthening Flow”.")
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="The end of the routine's address, after /routines/. Changing it breaks links to the old address.",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="Shown in lists and as the search snippet; one or two plain sentences."
    )
    body = models.TextField(
        "introduction",
        blank=True,
        help_text="Shown above the steps. Markdown: *italic*, **bold**, [link](https://…), lists, ## headings.",
    )
    safety_note = models.TextField(
        blank=True,
        help_text="Shown before the practice starts: who should take care or skip it. Markdown, like the introduction.",
    )
    level = models.CharField(max_length=12, choices=Level.choices, default=Level.BEGINNER)
    tags = TaggableManager(blank=True, help_text="Free tags, separated by commas.")
    video_url = models.URLField(
        "video link", blank=True, validators=[validate_video_url], help_text="An https link to a YouTube or Vimeo page."
    )
    breath_seconds = models.DecimalField(
        "length of one breath",
        max_digits=4,
        decimal_places=2,
        default=Decimal(5),
        validators=[MinValueValidator(BREATH_MIN), MaxValueValidator(BREATH_MAX)],
        help_text="In seconds, from 2 to 15. Times the steps held for a number of breaths.",
    )
    transition_seconds = models.PositiveSmallIntegerField(
        "time to move into each stop",
        default=5,
        validators=[MinValueValidator(TRANSITION_MIN), MaxValueValidator(TRANSITION_MAX)],
        help_text="In seconds, from 0 to 30: the player's get-ready time before each stop and at each change of "
        "side. Counted in the duration.",
    )
    author = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routines",
        help_text="Shown as the routine's byline.",
    )
    duration_seconds = models.PositiveIntegerField(
        "duration",
        default=0,
        editable=False,
        help_text="Computed from the steps whenever the routine is saved; nobody types it.",
    )

    objects = RoutineQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        permissions = [("publish_routine", "Can publish, unpublish and schedule routines")]
        indexes = [
            models.Index(fields=["status", "published_at"], name="routine_visibility"),
            models.Index(fields=["title"], name="routine_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(breath_seconds__gte=BREATH_MIN, breath_seconds__lte=BREATH_MAX),
                name="routine_breath_seconds_range",
            ),
            models.CheckConstraint(
                condition=Q(transition_seconds__gte=TRANSITION_MIN, transition_seconds__lte=TRANSITION_MAX),
                name="routine_transition_seconds_range",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("routines:routine_detail", args=[self.slug])

    @property
    def main_image(self):
        images_ = list(self.images.all())
        return images_[0] if images_ else None

    @property
    def sections(self) -> list[timing.Section]:
        """The steps grouped into sections, from the (prefetched) steps."""
        return timing.sections(list(self.steps.all()))


class RelatedRoutine(models.Model):
    """A routine an editor chose to suggest after another, in the editor's order."""

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="related_links")
    related = models.ForeignKey(
        Routine,
        on_delete=models.CASCADE,
        related_name="related_from",
        verbose_name="related routine",
        help_text="Start typing a routine's title.",
    )
    # A sort key, not an identity: no unique constraint, so reordering never collides.
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "related routine"
        constraints = [
            models.UniqueConstraint(fields=["routine", "related"], name="unique_related_routine"),
            models.CheckConstraint(condition=~Q(related=models.F("routine")), name="related_routine_not_self"),
        ]

    def __str__(self):
        return str(self.related)

    def clean(self):
        if self.routine_id and self.routine_id == self.related_id:
            raise ValidationError({"related": "A routine cannot be related to itself."})


class RoutineImage(BaseImage):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="images")
    position = models.PositiveIntegerField(default=0, help_text="Order on the page; the first image is the main one.")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "image"


class RoutineStep(models.Model):
    class HoldKind(models.TextChoices):
        SECONDS = "seconds", "seconds"
        BREATHS = "breaths", "breaths"

    class Sides(models.TextChoices):
        NONE = "none", "Once (no sides)"
        BOTH = "both", "Both sides, one after the other"

    class Side(models.TextChoices):
        RIGHT = "right", "Right"
        LEFT = "left", "Left"

    class Advance(models.TextChoices):
        AUTO = "auto", "Moves on by itself"
        MANUAL = "manual", "Waits for the practitioner"

    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    # A sort key, not an identity: no unique constraint, so reordering never collides.
    position = models.PositiveIntegerField(default=0, help_text="Order in the routine; lower numbers come first.")
    starts_section = models.BooleanField(
        "starts a new section",
        default=False,
        help_text="Begins a new part of the routine here. The first step always does.",
    )
    section_title = models.CharField(
        max_length=160,
        blank=True,
        help_text="Optional: “Easy Pose and Twist”.",
    )
    pose = models.ForeignKey(
        Pose,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="routine_steps",
        help_text="Start typing a pose's name. Leave empty for a rest or a transition.",
    )
    title = models.CharField(
        max_length=160,
        blank=True,
        help_text="Leave empty to use the pose's name. Needed for a rest or a transition: “Rest”.",
    )
    instructions = models.TextField(
        blank=True, help_text="What to do in this step, in plain text. A blank line starts a new paragraph."
    )
    hold_kind = models.CharField("counted in", max_length=10, choices=HoldKind.choices, default=HoldKind.SECONDS)
    hold_value = models.PositiveIntegerField(
        "hold",
        default=30,
        validators=[MinValueValidator(HOLD_MIN), MaxValueValidator(HOLD_MAX)],
        help_text="One repetition on one side: 1 to 3600.",
    )
    repetitions = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(REPETITIONS_MIN), MaxValueValidator(REPETITIONS_MAX)],
        help_text="1 to 100.",
    )
    sides = models.CharField(max_length=4, choices=Sides.choices, default=Sides.NONE)
    first_side = models.CharField(
        "first side",
        max_length=5,
        choices=Side.choices,
        default=Side.RIGHT,
        help_text="Only for steps done on both sides.",
    )
    advance = models.CharField(
        "when the time is up",
        max_length=6,
        choices=Advance.choices,
        default=Advance.AUTO,
        help_text="“Waits” suits steps that need setting up, such as fetching a prop.",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "routine step"
        constraints = [
            models.CheckConstraint(
                condition=Q(hold_value__gte=HOLD_MIN, hold_value__lte=HOLD_MAX), name="step_hold_value_range"
            ),
            models.CheckConstraint(
                condition=Q(repetitions__gte=REPETITIONS_MIN, repetitions__lte=REPETITIONS_MAX),
                name="step_repetitions_range",
            ),
            # A rest or transition has no pose to borrow a name from.
            models.CheckConstraint(condition=Q(pose__isnull=False) | ~Q(title=""), name="step_needs_pose_or_title"),
            # The first side is only stored for both-sided steps, so "left" never hides on a one-sided step.
            models.CheckConstraint(
                condition=Q(sides="both") | Q(first_side="right"), name="step_first_side_only_with_both_sides"
            ),
            models.CheckConstraint(
                condition=Q(starts_section=True) | Q(section_title=""), name="step_section_title_needs_section_start"
            ),
        ]

    def __str__(self):
        return f"Step {self.number} of {self.routine.title}: {self.display_title}"

    def save(self, *args, **kwargs):
        if self.sides != self.Sides.BOTH:
            self.first_side = self.Side.RIGHT
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.routine.get_absolute_url()

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        return self.pose.name if self.pose_id else ""

    @property
    def number(self) -> int:
        """1-based place of the step in its routine (set by timing when it walks the steps)."""
        if getattr(self, "_number", None) is None:
            if self.pk is None:
                return self.routine.steps.count() + 1
            before = Q(position__lt=self.position) | Q(position=self.position, pk__lt=self.pk)
            self._number = RoutineStep.objects.filter(before, routine_id=self.routine_id).count() + 1
        return self._number

    @property
    def is_both_sides(self) -> bool:
        return self.sides == self.Sides.BOTH

    def variation_for(self, level: str):
        return next((v for v in self.variations.all() if v.level == level), None)

    def clean(self):
        # A first side chosen before switching the step back to one side means nothing; drop it.
        if self.sides != self.Sides.BOTH:
            self.first_side = self.Side.RIGHT
        errors = {}
        if self.pose_id is None and not self.title.strip():
            errors["title"] = "A step without a pose needs a title, such as “Rest” or “Come to standing”."
        if self.section_title and not self.starts_section:
            errors["section_title"] = "Tick “starts a new section” to use this heading, or clear it."
        if errors:
            raise ValidationError(errors)


class StepVariation(models.Model):
    step = models.ForeignKey(RoutineStep, on_delete=models.CASCADE, related_name="variations")
    level = models.CharField(max_length=12, choices=Level.choices)
    instructions = models.TextField(help_text="How to make the step easier or harder at this level. Plain text.")

    class Meta:
        ordering = [LEVEL_ORDER, "pk"]
        verbose_name = "variation"
        constraints = [
            models.UniqueConstraint(fields=["step", "level"], name="unique_step_variation_level"),
        ]

    def __str__(self):
        return f"{self.get_level_display()}: {self.instructions[:60]}"
