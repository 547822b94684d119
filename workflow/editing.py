"""What keeps editors' work in the admin: every save is kept as a version that History can bring back,
deleted poses and routines can be recovered, a save is refused when someone else saved the same page
since it was opened, and the browser warns before leaving a form with unsaved changes."""

from collections.abc import Iterable
from datetime import UTC, datetime

import reversion
from django import forms
from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import Script
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from reversion.admin import VersionAdmin
from reversion.models import Version

from .busy import BusyDatabaseAdminMixin

# Django's JSON plus tags (yogasite/tagged_json.py), named in settings.SERIALIZATION_MODULES.
VERSION_FORMAT = "tagged-json"
LAST_CHANGE_SEEN = "last_change_seen"


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


class VersionedAdmin(BusyDatabaseAdminMixin, VersionAdmin):
    """django-reversion's admin: History lists the saved versions, newest first; opening one shows it
    in the form, and saving it there makes it the current version again. The list page links to the
    deleted objects, which can be recovered the same way. A save that finds SQLite busy gets the form
    back with a message (BusyDatabaseAdminMixin)."""

    history_latest_first = True
    object_history_template = "admin/yogasite/object_history.html"
    revision_form_template = "admin/yogasite/revision_form.html"
    recover_list_template = "admin/yogasite/recover_list.html"
    recover_form_template = "admin/yogasite/recover_form.html"

    def changelist_view(self, request, extra_context=None):
        # Reversion runs the whole list page in one revision, so an action's changes to several objects
        # would share it, and reverting one of them would undo the others too. Actions and deletions
        # call record_revisions instead.
        context = {"has_change_permission": self.has_change_permission(request), **(extra_context or {})}
        return super(VersionAdmin, self).changelist_view(request, context)

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
            "then save again to overwrite it.",
            self.instance._meta.verbose_name,
            shown,
            change_url(self.instance),
        )


class ContentAdmin(VersionedAdmin):
    """The admin of a pose or a routine: versioned, protected against overwriting someone else's save
    (EditConflictForm), and warning before the editor leaves a form with unsaved changes."""

    class Media:
        js = [Script("admin/yogasite/unsaved-changes.js", defer=True)]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and "form" not in kwargs:
            kwargs["form"] = type(self.form.__name__, (EditConflictForm, self.form), {})
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        # A hidden field rendered with the first fieldset, so every change form carries it, the History's too.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], LAST_CHANGE_SEEN]}), *rest]
