import reversion
from django import forms
from django.contrib import admin, messages
from django.db import models
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join

from poses.admin import SortableInlineMixin
from poses.models import Level, Status
from workflow.editing import ContentAdmin, PreloadedLookupsMixin, VersionedAdmin, record_revisions, register_versions
from workflow.uploads import KeptUploadsForm

from . import search, services, timing
from .models import Author, AuthorImage, RelatedRoutine, Routine, RoutineImage, RoutineStep, StepVariation

VARIATION_FIELDS = {level: f"variation_{level}" for level in Level.values}

# What History keeps at each save: a routine with its steps (and their variations) and images.
register_versions(StepVariation)
register_versions(RoutineStep, follow=["variations"])
register_versions(RoutineImage)
register_versions(RelatedRoutine)
register_versions(Routine, follow=["steps", "images", "related_links"])
register_versions(AuthorImage)
register_versions(Author, follow=["image"])


def variation_field(level: Level) -> forms.CharField:
    return forms.CharField(
        label=f"{level.label} variation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=f"How to do this step at {level.label.lower()} level. Leave empty if there is none.",
    )


class RoutineStepForm(forms.ModelForm):
    """A step with its three variations (one per level) edited as plain text boxes on the same form."""

    variation_beginner = variation_field(Level.BEGINNER)
    variation_intermediate = variation_field(Level.INTERMEDIATE)
    variation_advanced = variation_field(Level.ADVANCED)

    class Meta:
        model = RoutineStep
        fields = [
            "pose",
            "title",
            "hold_value",
            "hold_kind",
            "repetitions",
            "sides",
            "first_side",
            "advance",
            "instructions",
            "starts_section",
            "section_title",
            "position",
        ]
        widgets = {
            "instructions": forms.Textarea(attrs={"rows": 3, "cols": 60}),
            "hold_value": forms.NumberInput(attrs={"min": 1, "max": 3600, "class": "vIntegerField"}),
            "repetitions": forms.NumberInput(attrs={"min": 1, "max": 100, "class": "vIntegerField"}),
            "title": forms.TextInput(attrs={"class": "vTextField", "placeholder": "The pose's name"}),
            "section_title": forms.TextInput(attrs={"class": "vTextField", "placeholder": "Untitled section"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for variation in self.instance.variations.all():
                self.initial[VARIATION_FIELDS[variation.level]] = variation.instructions

    def save(self, commit=True):
        step = super().save(commit)
        if commit:
            self._save_variations(step)
        else:
            save_m2m = self.save_m2m

            def save_all():
                save_m2m()
                self._save_variations(step)

            self.save_m2m = save_all
        return step

    def _save_variations(self, step):
        for level, name in VARIATION_FIELDS.items():
            text = self.cleaned_data.get(name, "").strip()
            if text:
                StepVariation.objects.update_or_create(step=step, level=level, defaults={"instructions": text})
            else:
                StepVariation.objects.filter(step=step, level=level).delete()


class RoutineStepFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (self.can_delete and self._should_delete_form(f))]
        if self.instance.status == Status.PUBLISHED and not kept:
            raise forms.ValidationError("A published routine needs at least one step. Add a step or keep it a draft.")


class RoutineStepInline(PreloadedLookupsMixin, SortableInlineMixin, admin.StackedInline):
    model = RoutineStep
    form = RoutineStepForm
    formset = RoutineStepFormSet
    template = "admin/routines/routine/step_inline.html"
    verbose_name = "step"
    verbose_name_plural = "steps"
    autocomplete_fields = ["pose"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "pose",
                    "title",
                    ("hold_value", "hold_kind", "repetitions"),
                    ("sides", "first_side"),
                    "advance",
                    "instructions",
                    ("starts_section", "section_title"),
                    "position",
                ]
            },
        ),
        (
            "Variations by level",
            {
                "classes": ["collapse"],
                "description": "Easier or harder ways to do this step; the player offers the one for the "
                "practitioner's level.",
                "fields": list(VARIATION_FIELDS.values()),
            },
        ),
    ]

    class Media:
        css = {"all": ["routines/admin/routine-form.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("routine", "pose").prefetch_related("variations")

    def get_extra(self, request, obj=None, **kwargs):
        return 0 if obj is not None and obj.pk else 1


class RoutineImageInline(SortableInlineMixin, admin.TabularInline):
    model = RoutineImage
    form = KeptUploadsForm
    fields = ["preview", "file", "alt", "caption", "credit", "side", "position"]
    readonly_fields = ["preview"]
    extra = 0

    @admin.display(description="picture")
    def preview(self, image):
        if not image.pk or not image.file:
            return ""
        return format_html('<img src="{}" alt="" width="120" loading="lazy">', image.thumbnail_url)


class RelatedRoutineInline(SortableInlineMixin, admin.TabularInline):
    model = RelatedRoutine
    fk_name = "routine"
    fields = ["related", "position"]
    autocomplete_fields = ["related"]
    extra = 0
    verbose_name_plural = "related routines (suggested after this one, in this order)"


class AuthorImageInline(admin.StackedInline):
    model = AuthorImage
    fields = ["file", "alt", "credit"]
    extra = 0
    max_num = 1
    verbose_name_plural = "portrait"


@admin.register(Author)
class AuthorAdmin(VersionedAdmin):
    list_display = ["name", "slug", "routine_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ("name",)}
    fields = ["name", "slug", "bio", "user"]
    autocomplete_fields = ["user"]
    inlines = [AuthorImageInline]
    ordering = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(routine_count=Count("routines", distinct=True))

    @admin.display(description="routines", ordering="routine_count")
    def routine_count(self, obj):
        return obj.routine_count


@admin.register(Routine)
class RoutineAdmin(ContentAdmin):
    inlines = [RoutineStepInline, RoutineImageInline, RelatedRoutineInline]
    autocomplete_fields = ["author"]
    list_display = ["thumbnail", "title", "level", "duration", "step_count", "status_shown", "updated_at"]
    list_display_links = ["thumbnail", "title"]
    list_filter = ["level", "status", "tags"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ["duration_summary", "created_at", "updated_at"]
    actions = ["duplicate_as_draft", "export_selected"]
    save_on_top = True
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "author", "level", "summary", "tags"]}),
        (
            "Timing",
            {
                "fields": ["duration_summary", "breath_seconds", "transition_seconds"],
                "description": "The duration is computed from the steps below, and the time to move into each "
                "stop, each time you save.",
            },
        ),
        ("Introduction and safety", {"fields": ["body", "safety_note"]}),
        ("Video", {"fields": ["video_url"]}),
        ("Publishing", {"fields": ["status", "published_at", "created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.resolver_match and request.resolver_match.url_name == "routines_routine_changelist":
            queryset = queryset.annotate(step_count=Count("steps", distinct=True)).prefetch_related("images")
        return queryset

    def after_save(self, request, obj):
        services.refresh_duration(routine=obj)
        search.refresh([obj.pk])  # found by its steps' poses, saved after the routine
        if reversion.is_active():
            # The routine's version was taken when it was saved, before its steps; keep it again with the
            # duration those steps give. Reverting goes through this same save, so it recomputes it too.
            reversion.add_to_revision(obj)

    @admin.display(description="")
    def thumbnail(self, routine):
        image = routine.main_image
        if image is None:
            return ""
        height = round(64 * image.height / image.width) if image.width else 48
        return format_html('<img src="{}" alt="" width="64" height="{}" loading="lazy">', image.thumbnail_url, height)

    @admin.display(description="duration", ordering="duration_seconds")
    def duration(self, routine):
        return timing.format_duration(routine.duration_seconds)

    @admin.display(description="steps", ordering="step_count")
    def step_count(self, routine):
        return routine.step_count

    @admin.display(description="status", ordering="status")
    def status_shown(self, routine):
        if routine.status == Status.PUBLISHED and routine.published_at and routine.published_at > timezone.now():
            when = date_format(timezone.localtime(routine.published_at), "j M Y, H:i")
            return f"Scheduled for {when}"
        return routine.get_status_display()

    @admin.display(description="duration")
    def duration_summary(self, routine):
        if not routine.pk:
            return "Computed from the steps when you save."
        groups = timing.sections(list(routine.steps.all()))
        steps = sum(len(group.steps) for group in groups)
        if not steps:
            return "No steps yet."
        titled = [group for group in groups if group.title]
        lines = format_html_join(
            "",
            "<li>{}: {}</li>",
            (
                (
                    group.title,
                    timing.format_duration(
                        timing.routine_seconds(group.steps, routine.breath_seconds, routine.transition_seconds)
                    ),
                )
                for group in titled
            ),
        )
        return format_html(
            "<strong>{}</strong> — {} step{}, {} section{}{}",
            timing.format_duration(routine.duration_seconds),
            steps,
            "" if steps == 1 else "s",
            len(groups),
            "" if len(groups) == 1 else "s",
            format_html('<ul class="routine-sections">{}</ul>', lines) if titled else "",
        )

    @admin.action(description="Duplicate as a draft")
    def duplicate_as_draft(self, request, queryset):
        for routine in queryset:
            copy = services.duplicate_routine(routine=routine)
            record_revisions(request, [copy], f"Duplicated from “{routine.title}”")
            self.message_user(
                request,
                format_html("Copied “{}” as the draft “{}”.", routine.title, copy.title),
                messages.SUCCESS,
            )
