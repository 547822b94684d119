from functools import lru_cache

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models, router
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import TaggedItem

import searchindex.query

# Status is imported from here by the rest of the site.
from workflow.models import Publishable, PublishableQuerySet, Status, public_now  # noqa: F401

from . import images
from .text import fold

slug_validator = RegexValidator(
    r"^[a-z0-9][a-z0-9-]{0,79}$",
    "Use 1 to 80 lower-case letters, digits and hyphens, starting with a letter or digit.",
)


def validate_video_url(value: str) -> None:
    from urllib.parse import urlparse

    parts = urlparse(value)
    host = (parts.hostname or "").lower()
    allowed = ("youtube.com", "youtu.be", "vimeo.com")
    if parts.scheme != "https" or not any(host == h or host.endswith("." + h) for h in allowed):
        raise ValidationError("Give an https link to a YouTube or Vimeo page.", code="video_url")


def address(view: str, *args: str) -> str:
    """`reverse(view, args=args)`, worked out once per process for each address: a page links to
    dozens of poses and muscles."""
    return _address(get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF, view, args)


@lru_cache(maxsize=8192)
def _address(prefix: str, urlconf: str, view: str, args: tuple) -> str:
    return reverse(view, urlconf=urlconf, args=args)


class Level(models.TextChoices):
    BEGINNER = "beginner", "Beginner"
    INTERMEDIATE = "intermediate", "Intermediate"
    ADVANCED = "advanced", "Advanced"


class Sides(models.TextChoices):
    NONE = "none", "Once (no sides)"
    BOTH = "both", "Both sides, one after the other"


class HoldKind(models.TextChoices):
    SECONDS = "seconds", "seconds"
    BREATHS = "breaths", "breaths"


HOLD_MIN, HOLD_MAX = 1, 3600


class ReferenceItem(models.Model):
    slug = models.SlugField(max_length=80, unique=True, validators=[slug_validator])
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True, help_text="One or two plain sentences, shown to visitors.")

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Muscle(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        pass

    def get_absolute_url(self):
        return address("poses:muscle_detail", self.slug)


class Equipment(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = "prop"
        verbose_name_plural = "props"


class Category(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "categories"

    def get_absolute_url(self):
        return address("poses:pose_list") + f"?category={self.slug}"


# How many poses "related" and "same primary muscles" consider at most, newest first.
RELATED_CANDIDATES = 300


# What a candidate row carries: its id and what says whether visitors may see it.
CANDIDATE_FIELDS = ("pk", "status", "published_at", "unpublish_at")


def _public_ids(*candidates, exclude=frozenset()) -> list[int]:
    """The ids of the published poses among rows of CANDIDATE_FIELDS (a few hundred at most).
    Visibility is checked here rather than in SQL: SQLite would answer a query that filters on it
    by walking every published pose along the visibility index."""
    now = timezone.now()
    return sorted({pk for rows in candidates for pk, *fields in rows if pk not in exclude and public_now(*fields, now)})


def _count(rows, by: str = "pose_id") -> models.Expression:
    """How many of `rows` (filtered on the outer pose through `by`) there are, as a subquery: a join
    grouped over the candidates would have PostgreSQL hash a whole table."""
    counted = rows.order_by().values(by).annotate(n=models.Count("pk")).values("n")[:1]
    return Coalesce(models.Subquery(counted), 0)


# What a pose card shows (poses/templatetags/cards.py), of a pose and of its pictures.
CARD_FIELDS = ("slug", "name", "sanskrit_name", "level", "category")
CARD_IMAGE_FIELDS = ("pose", "position", "file", "alt", "width", "height", "renditions")


class PoseQuerySet(PublishableQuerySet):
    def for_listing(self):
        """What a pose card needs (its fields, category and main picture) and no more, without a query per
        card: a page loads dozens of cards, and a pose's other fields would cost more than the card."""
        return (
            self.select_related("category")
            .only(*CARD_FIELDS, "category__name", "category__slug")
            .prefetch_related(
                # Into a plain list: a related manager's queryset for each pose would cost more than its card.
                models.Prefetch(
                    "images",
                    queryset=PoseImage.objects.only(*CARD_IMAGE_FIELDS).order_by("position"),
                    to_attr="card_images",
                )
            )
        )

    def for_detail(self, *, parts: bool = True):
        """Everything the pose page shows, in a fixed number of queries. With `parts=False`, the steps,
        texts and pictures are left to `prefetch_parts`, which reads them for the warm-up and cool-down
        poses too, in two queries in all."""
        lookups = [
            models.Prefetch(
                "pose_muscles", queryset=PoseMuscle.objects.select_related("muscle").order_by("role", "position")
            ),
            "equipment",
            "tags",
        ]
        if parts:
            lookups += [
                *(models.Prefetch(name, queryset=model.objects.order_by("position")) for name, model, _ in TEXT_PARTS),
                models.Prefetch("images", queryset=PoseImage.objects.order_by("position")),
            ]
        return self.select_related("category", "warm_up", "cool_down").prefetch_related(*lookups)

    def search(self, query: str):
        """These poses ranked by how well their names match `query`, the way the site's search ranks
        them (searchindex.query: any case, diacritics, spellings of Sanskrit, plurals, numerals and typos),
        as a sequence a paginator can slice (it ranks as far as the pages asked for). An empty query changes
        nothing."""
        if not searchindex.query.words_of(query):
            return self
        return searchindex.query.Ranked(self, query, "pose")

    def filter_by(
        self,
        *,
        category: str = "",
        level: str = "",
        muscle: str = "",
        primary_only: bool = False,
        equipment: str = "",
        tag: str = "",
    ):
        """Narrow by slugs (empty means any). `equipment="none"` keeps poses that need no props;
        `primary_only` counts only poses where the muscle is a primary one."""
        poses = self
        if category:
            poses = poses.filter(category__slug=category)
        if level:
            poses = poses.filter(level=level)
        if muscle:
            worked = PoseMuscle.objects.filter(muscle__slug=muscle)
            if primary_only:
                worked = worked.filter(role=PoseMuscle.Role.PRIMARY)
            # A subquery, not a join: a pose is listed once whatever else is filtered.
            poses = poses.filter(pk__in=worked.values("pose_id"))
        if equipment == "none":
            poses = poses.filter(equipment__isnull=True)
        elif equipment:
            poses = poses.filter(
                pk__in=Pose.equipment.through.objects.filter(equipment__slug=equipment).values("pose_id")
            )
        if tag:
            poses = poses.filter(pk__in=Pose.objects.filter(tags__slug=tag).values("pk"))
        return poses

    def related_to(self, pose: "Pose", *, limit: int = 6):
        """Other published poses in the same category or sharing tags, most in common first, as `self`
        loads them (`Pose.objects.for_listing()`, say: visibility is checked here)."""
        tag_ids = [tag.pk for tag in pose.tags.all()]
        # Candidates are bounded (the newest few hundred of each kind), read along an index each, so
        # that the counts below do not run over every pose of a large category or tag.
        tagged = Pose.objects.filter(tags__in=tag_ids).order_by("-pk").values_list(*CANDIDATE_FIELDS)
        in_category = Pose.objects.filter(category_id=pose.category_id).order_by("-pk").values_list(*CANDIDATE_FIELDS)
        ids = _public_ids(
            tagged[:RELATED_CANDIDATES] if tag_ids else (),
            in_category[:RELATED_CANDIDATES] if pose.category_id else (),
            exclude={pose.pk},
        )
        pose_type = ContentType.objects.get_for_model(Pose)
        outer = models.OuterRef("pk")
        tag_rows = TaggedItem.objects.filter(content_type=pose_type, object_id=outer, tag_id__in=tag_ids)
        shared = _count(tag_rows, by="object_id")
        if pose.category_id:
            shared = shared + models.Case(
                models.When(category_id=pose.category_id, then=1), default=0, output_field=models.IntegerField()
            )
        return self.filter(pk__in=ids).annotate(shared=shared).order_by("-shared", "name")[:limit]

    def same_muscles_other_equipment(self, pose: "Pose", *, exclude=(), limit: int = 6):
        """Published poses that work the same primary muscles as `pose` but need a different set of
        props, most primary muscles in common first, as `self` loads them (see `related_to`). With two
        primary muscles or more, sharing just one is not "the same muscles" (a seated pose that holds
        the back up is not another backbend). Poses in `exclude` (those already offered as related)
        are left out."""
        primary = [pm.muscle_id for pm in pose.pose_muscles.all() if pm.role == PoseMuscle.Role.PRIMARY]
        if not primary:
            return self.none()
        props = [item.pk for item in pose.equipment.all()]
        # Candidates are bounded (the newest few hundred sharing a primary muscle) so that the counts
        # below do not run over every pose that works a common muscle.
        sharing = (
            PoseMuscle.objects.filter(role=PoseMuscle.Role.PRIMARY, muscle_id__in=primary)
            .order_by("-pose_id")
            .values_list("pose_id", flat=True)[:RELATED_CANDIDATES]
        )
        # Their ids first, then the poses by primary key: joined in one query, the poses would be read
        # for every row of a common muscle before the newest few hundred are kept.
        rows = Pose.objects.filter(pk__in=list(sharing)).values_list(*CANDIDATE_FIELDS)
        ids = _public_ids(rows, exclude={pose.pk, *(other.pk for other in exclude)})
        shared_primary = PoseMuscle.objects.filter(
            pose_id=models.OuterRef("pk"), role=PoseMuscle.Role.PRIMARY, muscle_id__in=primary
        )
        through = Pose.equipment.through.objects.filter(pose_id=models.OuterRef("pk"))
        candidates = (
            self.filter(pk__in=ids)
            .annotate(muscles_shared=_count(shared_primary), props_total=_count(through))
            .filter(muscles_shared__gte=min(2, len(primary)))
        )
        if props:
            # Sets differ when the other pose lacks one of ours or has one we don't.
            candidates = candidates.annotate(props_shared=_count(through.filter(equipment_id__in=props))).filter(
                Q(props_shared__lt=len(props)) | Q(props_total__gt=models.F("props_shared"))
            )
        else:
            candidates = candidates.filter(props_total__gt=0)
        return candidates.prefetch_related("equipment").order_by("-muscles_shared", "name")[:limit]

    def working(self, muscle: "Muscle"):
        """Poses that work `muscle`, those where it is primary first; each carries `muscle_role`."""
        return (
            self.filter(pose_muscles__muscle=muscle)
            .annotate(muscle_role=models.F("pose_muscles__role"))
            .order_by("muscle_role", "name")
        )


def prefetch_parts(pose: "Pose") -> None:
    """The steps, texts and pictures of a pose loaded by `for_detail(parts=False)` and of its warm-up
    and cool-down, as `prefetch_related` would leave them (`pose.steps.all()` reads no more), in two
    queries: the pictures, and every text part in one UNION ALL."""
    poses = [pose, *(other for other in (pose.warm_up, pose.cool_down) if other is not None)]
    models.prefetch_related_objects(poses, models.Prefetch("images", queryset=PoseImage.objects.order_by("position")))
    by_pk = {other.pk: other for other in poses}
    found = {(pk, name): [] for pk in by_pk for name, _, _ in TEXT_PARTS}
    database = router.db_for_read(PoseStep)
    with connections[database].cursor() as cursor:
        cursor.execute(_parts_sql(database, len(by_pk)), [pk for _ in TEXT_PARTS for pk in by_pk])
        for kind, pk, pose_id, position, first, second in cursor.fetchall():
            name, model, fields = TEXT_PARTS[kind]
            row = {
                "id": pk,
                "pose_id": pose_id,
                "position": position,
                **dict(zip(fields, (first, second), strict=False)),
            }
            # from_db takes the values in the order of the model's fields.
            names = [field.attname for field in model._meta.concrete_fields]
            part = model.from_db(database, names, [row[name] for name in names])
            found[pose_id, name].append(part)
    for (pose_id, name), items in found.items():
        owner = by_pk[pose_id]
        manager = getattr(owner, name)
        for item in items:
            manager.field.set_cached_value(item, owner)
        cache = owner.__dict__.setdefault("_prefetched_objects_cache", {})
        if name not in cache:
            queryset = manager.get_queryset()
            queryset._result_cache, queryset._prefetch_done = items, True
            cache[name] = queryset


@lru_cache(maxsize=16)
def _parts_sql(database: str, count: int) -> str:
    """SELECT kind, id, pose_id, position, first text, second text of every text part of `count` poses."""
    quote = connections[database].ops.quote_name
    marks = ", ".join(["%s"] * count)
    selects = []
    for kind, (_, model, fields) in enumerate(TEXT_PARTS):
        columns = [quote(model._meta.get_field(field).column) for field in fields] + ["''"] * (2 - len(fields))
        selects.append(
            f"SELECT {kind}, {quote('id')}, {quote('pose_id')}, {quote('position')}, {', '.join(columns)} "
            f"FROM {quote(model._meta.db_table)} WHERE {quote('pose_id')} IN ({marks})"
        )
    return " UNION ALL ".join(selects) + " ORDER BY 1, 4, 2"


class Pose(Publishable):
    name = models.CharField("English name", max_length=120, help_text="The name most visitors know: “Backbend”.")
    sanskrit_name = models.CharField(
        max_length=120,
        blank=True,
        help_text="With diacritics if you have them: “Ūrdhva Dhanurāsana”. Search finds it with or without.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        validators=[slug_validator],
        help_text="The end of the pose's address, as in /poses/backbend/. Changing it breaks links to the old address.",
    )
    summary = models.CharField(
        max_length=300, blank=True, help_text="Shown in lists and as the search snippet; one or two sentences."
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="poses", help_text="The pose's family."
    )
    level = models.CharField(
        max_length=12,
        choices=Level.choices,
        default=Level.BEGINNER,
        help_text="Who can do it safely without a teacher's help.",
    )
    equipment = models.ManyToManyField(
        Equipment,
        blank=True,
        related_name="poses",
        verbose_name="props",
        help_text="Tick the props the pose needs; leave all empty if it needs none.",
    )
    muscles = models.ManyToManyField(Muscle, through="PoseMuscle", related_name="poses", blank=True)
    warm_up = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="warm_up_for",
        verbose_name="warm-up pose",
        help_text="A pose to do before this one. Its own name, picture and steps are shown.",
    )
    warm_up_note = models.CharField(
        "why warm up with it", max_length=300, blank=True, help_text="One sentence: what the warm-up prepares."
    )
    cool_down = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cool_down_for",
        verbose_name="cool-down pose",
        help_text="A pose to do after this one.",
    )
    cool_down_note = models.CharField(
        "why cool down with it", max_length=300, blank=True, help_text="One sentence: what the cool-down undoes."
    )
    video_url = models.URLField(
        "video link", blank=True, validators=[validate_video_url], help_text="An https link to a YouTube or Vimeo page."
    )
    sides = models.CharField(
        max_length=4,
        choices=Sides.choices,
        default=Sides.NONE,
        help_text="“Both sides” for a pose done on one side and then the other, such as a lunge or a twist.",
    )
    hold_value = models.PositiveIntegerField(
        "usual hold",
        null=True,
        blank=True,
        validators=[MinValueValidator(HOLD_MIN), MaxValueValidator(HOLD_MAX)],
        help_text="How long the pose is usually held, on one side: 1 to 3600. Leave empty if there is no usual hold.",
    )
    hold_kind = models.CharField(
        "counted in",
        max_length=10,
        choices=HoldKind.choices,
        blank=True,
        help_text="Seconds or breaths, for the usual hold.",
    )
    search_names = models.TextField(editable=False, blank=True, help_text="Folded names for search.")
    tags = TaggableManager(blank=True, help_text="Free tags, separated by commas.")

    objects = PoseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        permissions = [("publish_pose", "Can publish, unpublish and schedule poses")]
        indexes = [
            models.Index(fields=["status", "published_at"], name="pose_visibility"),
            # The library's sort: a page of 24 read in name order, not a sort of every pose.
            models.Index(fields=["name"], name="pose_name"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(warm_up=models.F("id")), name="pose_warm_up_not_self"),
            models.CheckConstraint(condition=~Q(cool_down=models.F("id")), name="pose_cool_down_not_self"),
            # A usual hold is a number with its unit, or nothing at all.
            models.CheckConstraint(
                condition=Q(hold_value__isnull=True, hold_kind="")
                | Q(hold_value__gte=HOLD_MIN, hold_value__lte=HOLD_MAX, hold_kind__in=HoldKind.values),
                name="pose_hold_complete",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.sanskrit_name})" if self.sanskrit_name else self.name

    def get_absolute_url(self):
        return address("poses:pose_detail", self.slug)

    def clean(self):
        errors = {}
        if self.pk and self.warm_up_id == self.pk:
            errors["warm_up"] = "A pose cannot be its own warm-up."
        if self.pk and self.cool_down_id == self.pk:
            errors["cool_down"] = "A pose cannot be its own cool-down."
        if self.hold_value is not None and not self.hold_kind:
            errors["hold_kind"] = "Say whether the usual hold is counted in seconds or breaths."
        if self.hold_value is None and self.hold_kind:
            errors["hold_value"] = "Give the usual hold as a number, or clear “counted in”."
        if errors:
            raise ValidationError(errors)

    def refresh_search_names(self, other_names=None):
        if other_names is None:
            other_names = [o.name for o in self.other_names.all()] if self.pk else []
        self.search_names = "\n".join(fold(n) for n in [self.name, self.sanskrit_name, *other_names] if n)

    def save(self, *args, **kwargs):
        self.refresh_search_names()
        super().save(*args, **kwargs)

    @property
    def main_image(self):
        # Poses loaded by `for_listing` hold their pictures in a list.
        images_ = getattr(self, "card_images", None)
        if images_ is None:
            images_ = list(self.images.all())
        return images_[0] if images_ else None

    @property
    def hold_label(self) -> str:
        """The usual hold as people read it: "5 breaths", "30 seconds"; empty when there is none."""
        if self.hold_value is None or not self.hold_kind:
            return ""
        unit = self.hold_kind if self.hold_value != 1 else self.hold_kind.rstrip("s")
        return f"{self.hold_value} {unit}"

    @property
    def is_both_sides(self) -> bool:
        return self.sides == Sides.BOTH

    @property
    def primary_muscles(self):
        return [pm.muscle for pm in self.pose_muscles.all() if pm.role == PoseMuscle.Role.PRIMARY]

    @property
    def secondary_muscles(self):
        return [pm.muscle for pm in self.pose_muscles.all() if pm.role == PoseMuscle.Role.SECONDARY]


class PosePart(models.Model):
    """A piece of a pose kept in order: its position is unique within the pose."""

    # A sort key, not an identity: no unique constraint, so reordering never collides.
    position = models.PositiveIntegerField(default=0, help_text="Order on the page; lower numbers come first.")

    class Meta:
        abstract = True
        ordering = ["position", "pk"]


class PoseText(PosePart):
    text = models.TextField(help_text="One item, in a sentence or a short paragraph. Plain text.")

    class Meta(PosePart.Meta):
        abstract = True

    def __str__(self):
        return self.text[:60]


class PoseStep(PoseText):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="steps")

    class Meta(PoseText.Meta):
        verbose_name = "step"


class PoseTip(PoseText):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="tips")

    class Meta(PoseText.Meta):
        verbose_name = "pro tip"


class PoseCaution(PoseText):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="cautions")
    text = models.TextField(
        help_text="Who should take care or skip the pose, and why: “Skip it with a recent back injury.” Plain text."
    )

    class Meta(PoseText.Meta):
        verbose_name = "caution"


class PoseBenefit(PoseText):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="benefits")


class PoseMistake(PoseText):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="mistakes")

    class Meta(PoseText.Meta):
        verbose_name = "common mistake"


class PoseOtherName(PosePart):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="other_names")
    name = models.CharField(max_length=120, help_text="Another name people search for: “Wheel Pose”.")

    class Meta(PosePart.Meta):
        verbose_name = "other name"

    def __str__(self):
        return self.name


class PoseFAQ(PosePart):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = models.TextField()

    class Meta(PosePart.Meta):
        verbose_name = "question"
        verbose_name_plural = "frequently asked questions"

    def __str__(self):
        return self.question


# The pose's parts that are text, as the pose page reads them (`for_detail`, `prefetch_parts`): the
# related name, the model and its text fields.
TEXT_PARTS = (
    ("steps", PoseStep, ("text",)),
    ("tips", PoseTip, ("text",)),
    ("cautions", PoseCaution, ("text",)),
    ("benefits", PoseBenefit, ("text",)),
    ("mistakes", PoseMistake, ("text",)),
    ("faqs", PoseFAQ, ("question", "answer")),
    ("other_names", PoseOtherName, ("name",)),
)


class PoseMuscle(PosePart):
    class Role(models.TextChoices):
        # Alphabetical order puts primary first when ordering by role.
        PRIMARY = "primary", "Primary"
        SECONDARY = "secondary", "Secondary"

    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="pose_muscles")
    muscle = models.ForeignKey(Muscle, on_delete=models.PROTECT, related_name="pose_muscles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PRIMARY)

    class Meta(PosePart.Meta):
        verbose_name = "muscle worked"
        verbose_name_plural = "muscles worked"
        ordering = ["role", "position", "pk"]
        constraints = [
            # A muscle has one role in a pose: primary or secondary, never both.
            models.UniqueConstraint(fields=["pose", "muscle"], name="unique_pose_muscle"),
        ]

    def __str__(self):
        return f"{self.muscle} ({self.get_role_display().lower()})"


# How many rendition URLs a process keeps before it starts again (a few MB).
RENDITION_URLS_KEPT = 50_000


class BaseImage(models.Model):
    """A picture with its renditions. Subclasses add the owner and the position."""

    file = models.FileField(
        "image",
        max_length=255,
        validators=[images.validate_image_upload],
        help_text="JPEG, PNG or WebP. Location data and other metadata are removed when you save.",
    )
    alt = models.CharField(
        "alt text",
        max_length=250,
        help_text=(
            "What the picture shows, for people who cannot see it: "
            "“A person lying on their back, arched up on hands and feet”."
        ),
    )
    caption = models.CharField(max_length=300, blank=True, help_text="Optional; shown under the picture.")
    credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Who made the picture and under what licence: “Photo: A. Rao, CC BY 4.0”. Shown under it.",
    )
    side = models.CharField(
        "side shown",
        max_length=5,
        choices=[("right", "Right"), ("left", "Left")],
        blank=True,
        help_text="Which side of the body the picture shows working. The player mirrors it for the other side; "
        "leave empty for a picture that must never be mirrored.",
    )
    width = models.PositiveIntegerField(default=0, editable=False)
    height = models.PositiveIntegerField(default=0, editable=False)
    renditions = models.JSONField(default=list, editable=False, blank=True)

    class Meta:
        abstract = True

    def __str__(self):
        return self.alt

    def attach(self, processed: images.ProcessedImage) -> list[str]:
        """Store a processed picture and point this record at it. Returns the names newly written."""
        name, renditions, written = images.write(processed)
        # A plain name marks the file as stored, so saving the model does not store the raw upload too.
        self.file = name
        self.width, self.height = processed.width, processed.height
        self.renditions = renditions
        return written

    def save(self, *args, **kwargs):
        if self.file and not self.file._committed:
            self.file.seek(0)
            self.attach(images.process(self.file.read()))
        super().save(*args, **kwargs)

    def _rendition_url(self, name: str) -> str:
        # Renditions are named by their content and media URLs are not signed: a name's URL never
        # changes for a given storage and media address, so each storage keeps the ones it has worked out.
        base = getattr(default_storage, "base_url", None)
        kept = getattr(default_storage, "rendition_urls", None)
        if kept is None or kept[0] != base or len(kept[1]) > RENDITION_URLS_KEPT:
            kept = default_storage.rendition_urls = (base, {})
        url = kept[1].get(name)
        if url is None:
            url = kept[1][name] = default_storage.url(name)
        return url

    @property
    def srcset(self) -> str:
        # Worked out once for the renditions this record holds: a page asks for it more than once.
        known = self.__dict__.get("_srcset")
        if known is None or known[0] is not self.renditions:
            value = ", ".join(f"{self._rendition_url(r['name'])} {r['width']}w" for r in self.renditions)
            known = self.__dict__["_srcset"] = (self.renditions, value)
        return known[1]

    def url_for_width(self, target: int) -> str:
        """The smallest rendition at least `target` pixels wide (or the largest there is)."""
        if not self.renditions:
            return self.file.url if self.file else ""
        chosen = next((r for r in self.renditions if r["width"] >= target), self.renditions[-1])
        return self._rendition_url(chosen["name"])

    @property
    def src(self) -> str:
        return self.url_for_width(1024)

    @property
    def thumbnail_url(self) -> str:
        return self.url_for_width(320)

    @property
    def absolute_original_url(self) -> str:
        return self.file.url if self.file else ""


class PoseImage(BaseImage, PosePart):
    pose = models.ForeignKey(Pose, on_delete=models.CASCADE, related_name="images")

    class Meta(PosePart.Meta):
        verbose_name = "image"
