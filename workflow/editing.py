"""What keeps editors' work in the admin: every save is kept as a version that History can bring back,
deleted poses and routines can be recovered, a save is refused when someone else saved the same page
since it was opened, and the browser warns before leaving a form with unsaved changes."""

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from urllib.parse import urlencode

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms import Script
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from .compare import compare_versions
from .exchange import can_exchange_content

# Django's JSON plus tags (yogasite/tagged_json.py), named in settings.SERIALIZATION_MODULES.
VERSION_FORMAT = "tagged-json"
LAST_CHANGE_SEEN = "last_change_seen"
ROW_SEEN = "row_seen"
POSITION = "position"


def register_versions(model: type[models.Model], *, follow: Iterable[str] = ()) -> None:
    """Keep a version of `model`, with the parts named in `follow`, each time the admin saves one."""
    reversion.register(model, follow=tuple(follow), format=VERSION_FORMAT)


def change_url(obj: models.Model) -> str:
    """The admin's change page of `obj`."""
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[quote(obj.pk)])


def record_revisions(request, objects: Iterable[models.Model], comment: str) -> None:
    """Keep the current state of each object, with its parts, as a version of its own: for writes made
    outside a change form (admin actions, deletions). One revision per object, so that bringing one
    back never rolls back another that the same action touched."""
    for obj in objects:
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(comment)
            reversion.add_to_revision(obj)


class VersionedAdmin(VersionAdmin):
    """django-reversion's admin: History lists the saved versions, newest first; opening one shows it
    in the form, and saving it there makes it the current version again. The list page links to the
    deleted objects, which can be recovered the same way."""

    history_latest_first = True

    class Media:
        # Deferred, so that it runs after Django's urlify.js, which it wraps.
        js = [Script("admin/yogasite/slugify.js", defer=True)]

    object_history_template = "admin/yogasite/object_history.html"
    revision_form_template = "admin/yogasite/revision_form.html"
    recover_list_template = "admin/yogasite/recover_list.html"
    change_list_template = "admin/yogasite/change_list.html"
    recover_form_template = "admin/yogasite/recover_form.html"

    compare_template = "admin/yogasite/compare.html"

    def get_urls(self):
        opts = self.model._meta
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.compare_view),
            name=f"{opts.app_label}_{opts.model_name}_compare",
        )
        return [compare, *super().get_urls()]

    def history_view(self, request, object_id, extra_context=None):
        context = {
            "compare_url": reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_compare", args=[quote(unquote(object_id))]
            ),
            **(extra_context or {}),
        }
        response = super().history_view(request, object_id, context)
        for action in getattr(response, "context_data", {}).get("action_list", []):
            # Reversion gives each version's address only; the comparison form needs its number.
            action["version_id"] = action["url"].rstrip("/").rsplit("/", 1)[-1]
        return response

    def compare_view(self, request, object_id):
        """Two versions of one object side by side (?a=<version>&b=<version>), older on the left."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj_id = unquote(object_id)
        history_url = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_history", args=[quote(obj_id)])
        chosen = [request.GET.get("a", ""), request.GET.get("b", "")]
        versions = list(
            Version.objects.get_for_object_reference(self.model, obj_id)
            .filter(pk__in=[v for v in chosen if v.isdigit()])
            .select_related("revision__user")
        )
        if len(versions) != 2:
            self.message_user(request, "Choose two different versions to compare.", messages.WARNING)
            return HttpResponseRedirect(history_url)
        before, after = sorted(versions, key=lambda v: (v.revision.date_created, v.pk))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Compare two versions of “{after.object_repr}”",
            "object_id": obj_id,
            "before": before,
            "after": after,
            "comparison": compare_versions(before, after),
            "history_url": history_url,
        }
        return TemplateResponse(request, self.compare_template, context)

    def changelist_view(self, request, extra_context=None):
        # Reversion runs the whole list page in one revision, so an action's changes to several objects
        # would share it, and reverting one of them would undo the others too. Actions and deletions
        # call record_revisions instead.
        context = {
            "has_change_permission": self.has_change_permission(request),
            "can_exchange_content": can_exchange_content(request.user),
            **(extra_context or {}),
        }
        return super(VersionAdmin, self).changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method in ("GET", "HEAD"):
            # Showing the form saves nothing: no revision to open.
            return super(VersionAdmin, self).change_view(request, object_id, form_url, extra_context)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        # Kept first, so that what was deleted can be recovered even if it was never saved in the admin.
        record_revisions(request, [obj], "Deleted")
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        record_revisions(request, queryset, "Deleted")
        super().delete_queryset(request, queryset)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        context = {"version": self._version(version_id), **(extra_context or {})}
        return super().revision_view(request, object_id, version_id, context)

    def recover_view(self, request, version_id, extra_context=None):
        context = {"version": self._version(version_id), **(extra_context or {})}
        return super().recover_view(request, version_id, context)

    def response_change(self, request, obj):
        # After a revert or a recovery, show the object as it now is. Django's own message would link to
        # the page just submitted, which shows the old version again.
        view = request.resolver_match.url_name if request.resolver_match else ""
        if not view.endswith(("_revision", "_recover")):
            return super().response_change(request, obj)
        url = change_url(obj)
        link = format_html('the {} “<a href="{}">{}</a>”', obj._meta.verbose_name, url, obj)
        if view.endswith("_recover"):
            message = format_html("Recovered {}.", link)
        else:
            message = format_html(
                "Brought back an earlier version of {}; the version it replaced is in the History.", link
            )
        self.message_user(request, message, messages.SUCCESS)
        return HttpResponseRedirect(url)

    @staticmethod
    def _version(version_id) -> Version:
        return get_object_or_404(Version.objects.select_related("revision__user"), pk=version_id)


def change_token(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _parse_token(token) -> datetime | None:
    try:
        return datetime.fromisoformat(token)
    except (TypeError, ValueError):
        return None


class EditConflictForm(forms.ModelForm):
    """Refuses to save over a change that someone else saved after this form was opened. The form
    carries the object's `updated_at` from when it was opened; a refused form carries the newer one,
    so saving it again overwrites on purpose."""

    last_change_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields[LAST_CHANGE_SEEN].initial = change_token(self.instance.updated_at)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        # Locked until the save commits (PostgreSQL), so two editors saving at the same moment are still told apart.
        stored = (
            type(self.instance)
            ._base_manager.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("updated_at", flat=True)
            .first()
        )
        if stored is None or _parse_token(cleaned_data.get(LAST_CHANGE_SEEN)) == stored:
            return cleaned_data
        self.data = self.data.copy()
        self.data[self.add_prefix(LAST_CHANGE_SEEN)] = change_token(stored)
        raise ValidationError(self._conflict_message(stored), code="edit_conflict")

    def _conflict_message(self, stored: datetime) -> str:
        when = timezone.localtime(stored)
        shown = date_format(when, "H:i" if when.date() == timezone.localdate() else "j M Y, H:i")
        return format_html(
            "Someone else saved this {} at {} since you opened it. Your changes are still in the form below; "
            '<a href="{}" target="_blank" rel="noopener">open the current version in a new tab</a> to compare, '
            "then save again to overwrite it. Parts they added are kept; parts they deleted or changed are marked "
            "below.",
            self.instance._meta.verbose_name,
            shown,
            change_url(self.instance),
        )


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete box that shows the chosen object from `known` when it is there, instead of looking it
    up again: otherwise each row of an inline (every step's pose, every muscle) costs a query."""

    known: dict | None = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if not chosen or self.known is None or not chosen <= self.known.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in sorted(chosen):
            obj = self.known[key]
            options.append(
                self.create_option(name, obj.pk, self.choices.field.label_from_instance(obj), True, len(options))
            )
        return [(None, options, 0)]


class PreloadedLookupsMixin:
    """For a ModelAdmin or an inline: its autocomplete boxes show the chosen object from the form's own
    object, loaded with it (select_related in get_queryset), see preload_lookups."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def preload_lookups(form) -> None:
    """Give the form's autocomplete boxes the related objects its object already holds."""
    for name, field in form.fields.items():
        widget = field.widget.widget if isinstance(field.widget, RelatedFieldWidgetWrapper) else field.widget
        if not isinstance(widget, PreloadedAutocompleteSelect):
            continue
        relation = form.instance._meta.get_field(name)
        if relation.is_cached(form.instance):
            related = relation.get_cached_value(form.instance)
            widget.known = {} if related is None else {str(related.pk): related}


class ContentAdmin(PreloadedLookupsMixin, VersionedAdmin):
    """The admin of a pose or a routine: versioned, protected against overwriting someone else's save
    (EditConflictForm), and warning before the editor leaves a form with unsaved changes."""

    class Media:
        js = [
            Script("admin/yogasite/unsaved-changes.js", defer=True),
            Script("admin/yogasite/kept-form.js", defer=True),
            Script("admin/yogasite/presence.js", defer=True),
        ]
        css = {"all": ["admin/yogasite/change-form-phone.css", "admin/yogasite/kept-work.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and "form" not in kwargs:
            kwargs["form"] = type(self.form.__name__, (EditConflictForm, self.form), {})
        return super().get_form(request, obj, change, **kwargs)

    def has_exchange_permission(self, request) -> bool:
        return can_exchange_content(request.user)

    @admin.action(
        description="Export selected %(verbose_name_plural)s as a content document (zip)", permissions=["exchange"]
    )
    def export_selected(self, request, queryset):
        # The export lives above the content apps, with the content document: reached by its address.
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return HttpResponseRedirect(f"{reverse('content-export')}?{urlencode({f'{self.opts.model_name}s': ids})}")

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if not issubclass(formset, KeptRowsFormSet):
                formset = type(formset.__name__, (KeptRowsFormSet, formset), {"row_name": inline.verbose_name})
            yield formset, inline

    @staticmethod
    def _saves_everything(request, form, change) -> bool:
        if not change or form.has_changed():
            return True
        # Bringing back a version or a deleted object saves the form as shown, which matches what was brought
        # back: that is still a change.
        view = request.resolver_match.url_name if request.resolver_match else ""
        if view.endswith(("_revision", "_recover")):
            return True
        # Content that came with an import has no version yet: its first save keeps one to come back to.
        return not Version.objects.get_for_object(form.instance).exists()

    def save_model(self, request, obj, form, change):
        # Saved in save_related instead when only the parts changed, and not at all when nothing did: a save
        # that changes nothing keeps no version and leaves the time of the last change alone.
        if self._saves_everything(request, form, change):
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if not self._saves_everything(request, form, change):
            if not any(formset.has_changed() for formset in formsets):
                request.nothing_changed = True
                return
            super().save_model(request, form.instance, form, change)
        super().save_related(request, form, formsets, change)
        self.after_save(request, form.instance)

    def after_save(self, request, obj) -> None:
        """What to do once the object and its parts are saved (not called when a save changed nothing)."""

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "nothing_changed", False):
            return []
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "nothing_changed", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if getattr(request, "nothing_changed", False):
            self.message_user(request, f"Nothing to save: the {obj._meta.verbose_name} “{obj}” was not changed.")
            if "_continue" in request.POST:
                return HttpResponseRedirect(request.path)
            return self.response_post_save_change(request, obj)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        forms_shown = [context["adminform"].form] if "adminform" in context else []
        for inline in context.get("inline_admin_formsets", []):
            forms_shown += inline.formset.forms
        for form in forms_shown:
            preload_lookups(form)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        # A hidden field rendered with the first fieldset, so every change form carries it, the History's too.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], LAST_CHANGE_SEEN]}), *rest]


def _row_digest(form) -> str:
    """A short fingerprint of a part as it is stored, from the values its form starts with: compared when
    the form comes back, it tells whether someone else changed the part in the meantime. The position is
    left out: a reordering is not a conflict about the part itself."""
    skipped = {ROW_SEEN, POSITION, "DELETE", form._meta.model._meta.pk.name}
    values = []
    for name in sorted(form.fields):
        if name in skipped:
            continue
        value = form.initial.get(name)
        if isinstance(value, models.Model):
            value = value.pk
        elif isinstance(value, list | tuple):
            value = [item.pk if isinstance(item, models.Model) else item for item in value]
        elif isinstance(value, str):
            # Browsers send line breaks as CRLF: text saved from a form is the same text.
            value = value.replace("\r\n", "\n")
        values.append(f"{name}={value!r}")
    return hashlib.sha256("\n".join(values).encode()).hexdigest()[:16]


class _RowIdInput(forms.HiddenInput):
    """A row's hidden id followed by the row's fingerprint: the admin renders the id of every row, but no
    field that is not in the inline's fieldsets."""

    def __init__(self, form, attrs=None):
        super().__init__(attrs)
        self.form = form

    def render(self, name, value, attrs=None, renderer=None):
        return format_html("{}{}", super().render(name, value, attrs, renderer), self.form[ROW_SEEN])


class KeptRowsFormSet(BaseInlineFormSet):
    """An inline formset that never traps the editor after someone else changed the same parts.

    - A row that someone else deleted after the form was opened comes back as a new row, with a message on
      the row; saving again keeps it (or the editor ticks Delete). Django would instead refuse the whole
      form with an error on the row's hidden id, which the admin does not show.
    - A row that someone else changed is marked; saving again keeps what this editor typed.
    - Each row is shown with its own stored part, not with the part at the same place in the list.
    - Positions renumbered without any row changing places are not a change.
    """

    # What the editor calls a row in messages: the inline's name for its parts.
    row_name = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.deleted_meanwhile: set[int] = set()
        self.changed_meanwhile: set[int] = set()
        if not self.is_bound:
            return
        # One mutable copy that every form shares, so that what this formset corrects is what the page shows.
        self.data = self.data.copy()
        pk_name = self.model._meta.pk.name
        stored = {str(pk) for pk in super().get_queryset().values_list("pk", flat=True)}
        for i in range(self.initial_form_count()):
            key = f"{self.add_prefix(i)}-{pk_name}"
            value = self.data.get(key, "")
            if value and value not in stored:
                self.deleted_meanwhile.add(i)
                self.data[key] = ""

    def _construct_form(self, i, **kwargs):
        form = super()._construct_form(i, **kwargs)
        pk_name = self.model._meta.pk.name
        if self.is_bound and i < self.initial_form_count() and form.instance.pk is None:
            # A row whose part was deleted by someone else: saved as a new part.
            form.fields[pk_name].required = False
        return form

    def add_fields(self, form, index):
        super().add_fields(form, index)
        digest = _row_digest(form) if form.instance.pk is not None else ""
        form.fields[ROW_SEEN] = forms.CharField(widget=forms.HiddenInput, required=False, initial=digest)
        pk_field = form.fields[self.model._meta.pk.name]
        pk_field.widget = _RowIdInput(form, attrs=pk_field.widget.attrs)

    def get_queryset(self):
        # The admin pairs the n-th saved row with the n-th part in the queryset; once someone else added or
        # deleted parts, that would show a row with another part's heading and picture.
        if self.is_bound and "forms" in self.__dict__:
            return [form.instance for form in self.initial_forms]
        return super().get_queryset()

    def clean(self):
        for i, form in enumerate(self.initial_forms):
            if self.can_delete and self._should_delete_form(form):
                continue
            name = self.row_name or self.model._meta.verbose_name
            if i in self.deleted_meanwhile:
                form.add_error(
                    None,
                    f"Someone else deleted this {name} after you opened the page. Save again to keep it as a new "
                    f"{name}, or tick Delete to let it go.",
                )
                continue
            if form.instance.pk is None:
                continue
            seen = form.data.get(form.add_prefix(ROW_SEEN), "")
            current = _row_digest(form)
            if seen and seen != current:
                self.changed_meanwhile.add(i)
                self.data[form.add_prefix(ROW_SEEN)] = current
                form.add_error(
                    None,
                    f"Someone else changed this {name} after you opened the page; the form shows your version. "
                    "Save again to keep it.",
                )
        self._keep_unmoved_positions()
        super().clean()

    def _keep_unmoved_positions(self) -> None:
        """When the saved parts are still in their stored order and nothing was added, give them back their
        stored positions, so that renumbering alone (the page numbers rows from 0) is not a change."""
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk is not None]
        kept = [f for f in kept if not (self.can_delete and self._should_delete_form(f))]
        if not kept or POSITION not in kept[0].fields or any(f.instance.pk is None for f in kept):
            return
        if any(POSITION not in getattr(f, "cleaned_data", {}) for f in kept):
            return
        stored_order = [pk for pk in super().get_queryset().values_list("pk", flat=True)]
        shown = sorted(range(len(kept)), key=lambda n: (kept[n].cleaned_data[POSITION], n))
        shown_pks = [kept[n].instance.pk for n in shown]
        if shown_pks != [pk for pk in stored_order if pk in set(shown_pks)]:
            return
        for form in kept:
            stored = form.initial.get(POSITION)
            form.cleaned_data[POSITION] = stored
            setattr(form.instance, POSITION, stored)
            self.data[form.add_prefix(POSITION)] = str(stored)
            form.__dict__.pop("changed_data", None)

    def save_new_objects(self, commit=True):
        super().save_new_objects(commit)
        # Rows deleted by someone else come back as new parts.
        for form in self.initial_forms:
            if form.instance.pk is None and form.has_changed() and not self._should_delete_form(form):
                self.new_objects.append(self.save_new(form, commit=commit))
                if not commit:
                    self.saved_forms.append(form)
        return self.new_objects
