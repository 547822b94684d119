from django.contrib import admin, messages
from django.db import models
from django.db.models import Count, Prefetch
from django.forms import Script, Textarea
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from workflow.editing import (
    ContentAdmin,
    PreloadedLookupsMixin,
    VersionedAdmin,
    record_revisions,
    register_versions,
)
from workflow.uploads import KeptUploadsForm

from . import services
from .forms import PoseAdminForm, PoseStepFormSet
from .models import (
    Category,
    Equipment,
    Muscle,
    Pose,
    PoseBenefit,
    PoseCaution,
    PoseFAQ,
    PoseImage,
    PoseMistake,
    PoseMuscle,
    PoseOtherName,
    PoseStep,
    PoseTip,
    Status,
)
from .text import fold

THUMBNAIL_SIZE = 64

# What History keeps at each save: a pose with all its parts; its props and tags are kept with the pose itself.
register_versions(Muscle)
register_versions(Equipment)
register_versions(Category)
for part in services.POSE_PARTS:
    register_versions(part)
register_versions(
    Pose, follow=[part._meta.get_field("pose").remote_field.get_accessor_name() for part in services.POSE_PARTS]
)


class SortableInlineMixin:
    """Drag-and-drop and keyboard reordering for an inline whose model has a position field.

    Use it before the inline base class: `class StepInline(SortableInlineMixin, admin.TabularInline)`.
    The position inputs are renumbered in display order when the form is saved.
    """

    sortable_field_name = "position"
    # The script shows the order; the raw numbers only matter without JavaScript.
    sortable_hide_position = True

    class Media:
        js = [Script("admin/yogasite/sortable-inlines.js", defer=True)]
        css = {"all": ["admin/yogasite/sortable-inlines.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is not None and db_field.name == self.sortable_field_name:
            formfield.widget.attrs["data-sortable-position"] = "hidden" if self.sortable_hide_position else "visible"
            formfield.widget.attrs.setdefault("class", "vIntegerField")
            formfield.widget.attrs["class"] += " sortable-position"
        return formfield


def thumbnail(image: PoseImage | None, box: int = THUMBNAIL_SIZE, loading: str = "lazy") -> str:
    """A small preview of a stored picture, fitted into a square box; decorative, since its text sits next to it."""
    if image is None or not image.file:
        return "—"
    width, height = (image.width, image.height) if image.width and image.height else (box, box)
    scale = box / max(width, height)
    width, height = max(1, round(width * scale)), max(1, round(height * scale))
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="{}" class="yogasite-thumbnail">',
        image.thumbnail_url,
        width,
        height,
        loading,
    )


def publication_state(obj) -> str:
    """Draft, Scheduled for …, or Published, as an editor needs to read it."""
    if obj.status != Status.PUBLISHED:
        return "Draft"
    if obj.published_at and obj.published_at > timezone.now():
        return f"Scheduled for {date_format(timezone.localtime(obj.published_at), 'SHORT_DATETIME_FORMAT')}"
    return "Published"


# --- reference lists ----------------------------------------------------------


class ReferenceItemAdmin(VersionedAdmin):
    list_display = ["name", "slug", "pose_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    fields = ["name", "slug", "description"]
    # Explicit, because a counting query drops the model's default ordering.
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(pose_count=Count("poses", distinct=True))

    @admin.display(description="poses", ordering="pose_count")
    def pose_count(self, obj):
        return obj.pose_count


@admin.register(Muscle)
class MuscleAdmin(ReferenceItemAdmin):
    pass


@admin.register(Equipment)
class EquipmentAdmin(ReferenceItemAdmin):
    def get_deleted_objects(self, objs, request):
        """Props are linked to poses many-to-many, which the database would simply unlink: refuse
        instead, like a protected foreign key, and list the poses that still use the prop."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        in_use = Pose.objects.filter(equipment__in=objs).distinct().order_by("name")
        protected = [
            *protected,
            *(
                format_html('Pose: <a href="{}">{}</a>', reverse("admin:poses_pose_change", args=[pose.pk]), pose.name)
                for pose in in_use
            ),
        ]
        return deleted, counts, perms_needed, protected


@admin.register(Category)
class CategoryAdmin(ReferenceItemAdmin):
    pass


# --- the parts of a pose ------------------------------------------------------


class PoseTextInline(SortableInlineMixin, admin.TabularInline):
    fields = ["text", "position"]
    extra = 1
    formfield_overrides = {
        # Steps and tips are a sentence or a short paragraph: a short box that grows as needed.
        models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 90})},
    }


class PoseOtherNameInline(SortableInlineMixin, admin.TabularInline):
    model = PoseOtherName
    fields = ["name", "position"]
    extra = 1


class PoseStepInline(PoseTextInline):
    model = PoseStep
    formset = PoseStepFormSet

    def get_extra(self, request, obj=None, **kwargs):
        # A new pose usually gets several steps at once.
        return 3 if obj is None else 1


class PoseMuscleInline(PreloadedLookupsMixin, SortableInlineMixin, admin.TabularInline):
    model = PoseMuscle
    fields = ["muscle", "role", "position"]
    autocomplete_fields = ["muscle"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("muscle")


class PoseImageInline(SortableInlineMixin, admin.StackedInline):
    model = PoseImage
    form = KeptUploadsForm
    fields = ["preview", "file", "alt", "caption", "credit", "side", "position"]
    readonly_fields = ["preview"]
    extra = 0

    @admin.display(description="preview")
    def preview(self, obj):
        if not obj.pk:
            return "Shown after saving. The first picture is the pose's main one."
        return format_html("{}<br>{} × {} px", thumbnail(obj, box=160, loading="eager"), obj.width, obj.height)


class PoseBenefitInline(PoseTextInline):
    model = PoseBenefit
    verbose_name = "benefit"
    verbose_name_plural = "benefits"


class PoseTipInline(PoseTextInline):
    model = PoseTip


class PoseMistakeInline(PoseTextInline):
    model = PoseMistake


class PoseCautionInline(PoseTextInline):
    model = PoseCaution
    verbose_name_plural = "take care if… (cautions)"


class PoseFAQInline(SortableInlineMixin, admin.StackedInline):
    model = PoseFAQ
    fields = ["question", "answer", "position"]
    extra = 0
    formfield_overrides = {
        models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 90})},
    }


# --- poses --------------------------------------------------------------------


class PublicationFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "publication"

    def lookups(self, request, model_admin):
        return [("draft", "Draft"), ("scheduled", "Scheduled"), ("published", "Published")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "draft":
            return queryset.filter(status=Status.DRAFT)
        if self.value() == "scheduled":
            return queryset.filter(status=Status.PUBLISHED, published_at__gt=now)
        if self.value() == "published":
            return queryset.published()
        return queryset


class MuscleFilter(admin.RelatedOnlyFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "muscle worked"


@admin.register(Pose)
class PoseAdmin(ContentAdmin):
    form = PoseAdminForm
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["name", "sanskrit_name", "slug", "summary"]}),
        (
            "Publication",
            {
                "fields": ["status", "published_at", "visibility"],
                "description": "Save as Draft while you work; “View on site” shows editors the draft as visitors "
                "will see it. Every save is kept in the History.",
            },
        ),
        ("About the pose", {"fields": ["category", "level", "equipment", "tags", "video_url"]}),
        (
            "Practising it",
            {
                "fields": ["sides", ("hold_value", "hold_kind")],
                "description": "Used when a practice is built from the library: whether the pose is done on each "
                "side, and how long it is usually held on one side.",
            },
        ),
        (
            "Before and after",
            {
                "fields": [("warm_up", "warm_up_note"), ("cool_down", "cool_down_note")],
                "description": "Pick poses that are already in the library; their own name, picture and steps are "
                "shown on this pose's page, so you write them only once.",
            },
        ),
    ]
    readonly_fields = ["visibility"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ["category", "warm_up", "cool_down"]
    inlines = [
        PoseOtherNameInline,
        PoseStepInline,
        PoseMuscleInline,
        PoseImageInline,
        PoseBenefitInline,
        PoseTipInline,
        PoseMistakeInline,
        PoseCautionInline,
        PoseFAQInline,
    ]

    list_display = ["thumbnail", "names", "category", "level", "publication", "last_change"]
    list_display_links = ["thumbnail", "names"]
    list_select_related = ["category"]
    list_filter = [PublicationFilter, "category", "level", ("muscles", MuscleFilter), "equipment"]
    search_fields = ["name", "sanskrit_name", "other_names__name", "search_names"]
    search_help_text = "Any of its names, with or without diacritics: “urdhva” finds “Ūrdhva Dhanurāsana”."
    actions = ["publish", "unpublish", "duplicate", "export_selected"]

    class Media:
        css = {"all": ["admin/yogasite/pose-admin.css"]}

    list_per_page = 50

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("category", "warm_up", "cool_down")
        if request.resolver_match and request.resolver_match.url_name == "poses_pose_changelist":
            queryset = queryset.prefetch_related(
                Prefetch("images", queryset=PoseImage.objects.order_by("position", "pk"))
            )
        return queryset

    def get_search_results(self, request, queryset, search_term):
        # Names are stored folded in search_names, so the folded term finds them with or without diacritics.
        return super().get_search_results(request, queryset, fold(search_term))

    def after_save(self, request, obj):
        # The other names are saved after the pose; fold them into its search names now.
        obj.save(update_fields=["search_names"])

    @admin.display(description="picture")
    def thumbnail(self, obj):
        return thumbnail(obj.main_image)

    @admin.display(description="name (Sanskrit name)", ordering="name")
    def names(self, obj):
        # One column for both names keeps the list readable next to the filters.
        if not obj.sanskrit_name:
            return obj.name
        return format_html('{}<br><span class="yogasite-sanskrit">{}</span>', obj.name, obj.sanskrit_name)

    @admin.display(description="status", ordering="status")
    def publication(self, obj):
        return publication_state(obj)

    @admin.display(description="last change", ordering="updated_at")
    def last_change(self, obj):
        return date_format(timezone.localtime(obj.updated_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description="visibility")
    def visibility(self, obj):
        if obj.pk is None:
            return "Not saved yet."
        state = publication_state(obj)
        if state == "Draft":
            return "Draft: only editors can see it."
        if state == "Published":
            return "Published: visitors can see it."
        return f"{state}: editors can see it until then."

    @admin.action(description="Publish selected poses", permissions=["change"])
    def publish(self, request, queryset):
        published, refused = services.publish_poses(poses=queryset)
        for pose in published:
            self.log_change(request, pose, [{"changed": {"fields": ["Status"]}}])
        record_revisions(request, published, "Published")
        if published:
            scheduled = [p for p in published if publication_state(p) != "Published"]
            note = f" ({len(scheduled)} of them scheduled for later)" if scheduled else ""
            self.message_user(request, f"Published {self._count(published)}{note}.", messages.SUCCESS)
        if refused:
            names = ", ".join(p.name for p in refused)
            self.message_user(request, f"Not published, because they have no steps yet: {names}.", messages.WARNING)

    @admin.action(description="Unpublish selected poses (back to draft)", permissions=["change"])
    def unpublish(self, request, queryset):
        changed = services.unpublish_poses(poses=queryset)
        for pose in changed:
            self.log_change(request, pose, [{"changed": {"fields": ["Status"]}}])
        record_revisions(request, changed, "Unpublished (back to draft)")
        if changed:
            self.message_user(
                request,
                f"Moved {self._count(changed)} back to draft; visitors no longer see them.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "The selected poses were already drafts.", messages.INFO)

    @admin.action(description="Duplicate selected poses as drafts", permissions=["add"])
    def duplicate(self, request, queryset):
        copies = []
        for pose in queryset:
            copy = services.duplicate_pose(pose=pose)
            self.log_addition(request, copy, [{"added": {}}])
            record_revisions(request, [copy], f"Duplicated from “{pose.name}”")
            copies.append(copy)
        if len(copies) == 1:
            self.message_user(request, f"Made a draft copy: “{copies[0].name}”. Edit it below.", messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:poses_pose_change", args=[copies[0].pk]))
        self.message_user(request, f"Made draft copies of {self._count(copies)}.", messages.SUCCESS)
        return None

    @staticmethod
    def _count(poses) -> str:
        return f"{len(poses)} pose" if len(poses) == 1 else f"{len(poses)} poses"
