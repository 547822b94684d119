"""The editorial workflow in the admin: the change form's Save draft / Submit / Publish / Schedule /
Preview / Discard / Unpublish, the status column and filter, the list actions, History that reverts
into a draft, the parts of a whole following the whole's permissions, and the activity log.

Poses and routines use it by putting `WorkflowAdminMixin` first in their admin's bases."""

import copy
import functools
import uuid

from csp.constants import SELF
from csp.decorators import csp_replace, csp_update
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse, HttpResponseRedirect, QueryDict
from django.template.response import TemplateResponse
from django.urls import path, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.views.decorators.clickjacking import xframe_options_sameorigin
from reversion.models import Version

from . import drafts, publishing, registry
from .activity import record
from .editing import change_url
from .models import Activity, Draft, Status
from .publishing import State, draft_of, is_live
from .roles import can_publish

INTENTS = {
    "_save_draft": "draft",
    "_submit": "submit",
    "_publish": "publish",
    "_discard": "discard",
    "_unpublish": "unpublish",
    "_send_back": "send_back",
}
# Fields that only the workflow's buttons change; a form or a reverted version never does.
PUBLICATION_FIELDS = ("status", "published_at", "unpublish_at")
PREVIEWS_KEPT = 5


class WorkflowForm(forms.ModelForm):
    """The change form's workflow fields, which are not fields of the model."""

    publish_at = forms.SplitDateTimeField(
        label="Publish at",
        required=False,
        widget=AdminSplitDateTime,
        help_text="Leave empty and press Publish to publish now. A future time schedules it: press Publish "
        "and it goes live within a minute of that time.",
    )
    workflow_note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 80}),
        help_text="For the reviewer when you submit, or for the author when you send it back.",
    )


class FollowParentInline:
    """The parts of a pose or a routine (steps, muscles, images, …) are edited as part of it: whoever may
    change the whole may add, change and delete its parts, without a permission on each part."""

    def _parent(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request, obj=None):
        parent = self._parent()
        return parent.has_view_permission(request, obj) or parent.has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj) or self._parent().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return self._parent().has_change_permission(request, obj) or (
            obj is None and self._parent().has_add_permission(request)
        )

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


class _FormRefused(Exception):
    """A form that did not save: its page, rendered, and everything it wrote rolled back."""

    def __init__(self, response):
        self.response = response


class _Draftish:
    """A Draft's state as read from the list's annotations, without a query per row."""

    def __init__(self, state, publish_at, has_data):
        self.state, self.publish_at, self.data = state, publish_at, [1] if has_data else None


def _draft_from_row(obj) -> Draft | _Draftish | None:
    if not hasattr(obj, "workflow_draft_state"):
        return draft_of(obj)
    if not obj.workflow_draft_state:
        return None
    return _Draftish(obj.workflow_draft_state, obj.workflow_draft_publish_at, obj.workflow_draft_has_data)


class WorkflowStateFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        now = timezone.now()
        in_review = Q(workflow_draft_state=Draft.State.IN_REVIEW)
        scheduled = (
            Q(workflow_draft_publish_at__isnull=False) | Q(status=Status.PUBLISHED, published_at__gt=now)
        ) & ~in_review
        expired = Q(unpublish_at__lte=now) & ~in_review & ~scheduled
        rest = ~in_review & ~scheduled & ~expired
        conditions = {
            State.IN_REVIEW: in_review,
            State.SCHEDULED: scheduled,
            State.UNPUBLISHED: expired,
            State.DRAFT: rest & ~Q(status=Status.PUBLISHED),
            State.LIVE: rest & Q(status=Status.PUBLISHED) & ~Q(workflow_draft_has_data=True),
            State.CHANGED: rest & Q(status=Status.PUBLISHED, workflow_draft_has_data=True),
        }
        return queryset.filter(conditions[value]) if value in conditions else queryset


class ScheduleForm(forms.Form):
    publish_at = forms.SplitDateTimeField(label="Publish at", required=False, widget=AdminSplitDateTime)
    unpublish_at = forms.SplitDateTimeField(label="Unpublish at", required=False, widget=AdminSplitDateTime)

    def clean(self):
        data = super().clean()
        if not data.get("publish_at") and not data.get("unpublish_at"):
            raise ValidationError("Give a time to publish, a time to unpublish, or both.")
        return data


class WorkflowAdminMixin:
    """Put it first: `class PoseAdmin(WorkflowAdminMixin, ContentAdmin)`."""

    change_form_template = "admin/workflow/change_form.html"
    workflow_actions = ["publish", "unpublish", "schedule"]

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        self.form = type(self.form.__name__, (WorkflowForm, self.form), {})

    @property
    def media(self):
        return super().media + forms.Media(css={"all": ["admin/workflow/workflow.css"]})

    # --- permissions -----------------------------------------------------------------------------

    def has_publish_permission(self, request, obj=None):
        return can_publish(request.user, self.model)

    def get_inline_instances(self, request, obj=None):
        inlines = []
        for inline_class in self.get_inlines(request, obj):
            inline = type(inline_class.__name__, (FollowParentInline, inline_class), {})(self.model, self.admin_site)
            if request:
                if not inline.has_view_or_change_permission(request, obj):
                    continue
                if not inline.has_add_permission(request, obj):
                    inline.max_num = 0
            inlines.append(inline)
        return inlines

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in self.workflow_actions:
            if self.has_publish_permission(request):
                actions.setdefault(name, self.get_action(name))
        return actions

    # --- the form --------------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        fieldsets = []
        for name, options in super().get_fieldsets(request, obj):
            fields = [f for f in options["fields"] if f not in ("status", "published_at", "visibility")]
            if fields:
                fieldsets.append((name, {**options, "fields": fields}))
        publication = ["workflow_status"]
        if self.has_publish_permission(request, obj):
            publication += ["publish_at", "unpublish_at"]
        publication.append("workflow_note")
        fieldsets.insert(1, ("Publication", {"fields": publication}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "workflow_status"]

    @admin.display(description="status")
    def workflow_status(self, obj):
        if obj is None or obj.pk is None:
            return "New: saved as a draft that only editors see, until it is published."
        draft = obj.workflow_draft if hasattr(obj, "workflow_draft") else draft_of(obj)
        state = publishing.state_of(obj, draft)
        lines = [format_html("<strong>{}</strong>{}", state.label, _state_detail(obj, draft, state))]
        if draft is not None and draft.note and draft.state == Draft.State.IN_REVIEW:
            lines.append(format_html("Note from {}: “{}”", _name(draft.author), draft.note))
        if draft is not None and draft.reviewer_comment:
            lines.append(format_html("Sent back by {}: “{}”", _name(draft.reviewer), draft.reviewer_comment))
        if draft is not None and draft.data and draft.based_on and obj.updated_at > draft.based_on:
            lines.append("The live version changed after this draft was started; publishing the draft replaces it.")
        for warning in registry.publish_warnings(obj) if obj.status == Status.PUBLISHED else []:
            lines.append(format_html('<span class="workflow-warning">{}</span>', warning))
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))

    def _draft(self, request, obj) -> Draft | None:
        """The draft of `obj`, looked up once per request."""
        if obj is None or obj.pk is None:
            return None
        known = request.__dict__.setdefault("workflow_drafts", {})
        key = (obj._meta.label, obj.pk)
        if key not in known:
            known[key] = draft_of(obj)
        return known[key]

    def get_object(self, request, object_id, from_field=None):
        loaded = request.__dict__.pop("workflow_loaded", None)
        if loaded is not None and str(loaded.pk) == str(object_id) and from_field is None:
            return loaded
        return super().get_object(request, object_id, from_field)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        draft = self._draft(request, obj)
        if obj is not None:
            obj.workflow_draft = draft
        live = obj is not None and obj.pk is not None and is_live(obj)
        context.update(
            workflow_can_publish=self.has_publish_permission(request, obj),
            workflow_live=live,
            workflow_draft=draft,
            workflow_in_review=draft is not None and draft.state == Draft.State.IN_REVIEW,
            workflow_can_discard=draft is not None and bool(draft.data or draft.publish_at),
            workflow_preview_url=self._preview_url(obj),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def _preview_url(self, obj):
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}"
        if obj is None or obj.pk is None:
            return reverse(f"{name}_preview_add")
        return reverse(f"{name}_preview", args=[quote(obj.pk)])

    def _intent(self, request, obj=None) -> str:
        for key, intent in INTENTS.items():
            if key in request.POST:
                return intent
        # No workflow button (a browser always sends the one pressed; Enter presses Save draft): Django's
        # own Save, as a script posts it. It publishes for those who may, and is a draft for the others.
        return "publish" if self.has_publish_permission(request, obj) else "draft"

    def _view_name(self, request) -> str:
        return request.resolver_match.url_name if request.resolver_match else ""

    def _in_history(self, request) -> bool:
        return self._view_name(request).endswith(("_revision", "_recover"))

    def save_form(self, request, form, change):
        obj = super().save_form(request, form, change)
        keep = getattr(request, "workflow_keep", None)
        if keep is not None:
            for name, value in keep.items():
                setattr(obj, name, value)
        elif getattr(request, "workflow_intent", None) == "publish" and not getattr(request, "workflow_at", None):
            now = timezone.now()
            obj.status = Status.PUBLISHED
            if obj.published_at is None or obj.published_at > now:
                obj.published_at = now
            if obj.unpublish_at is not None and obj.unpublish_at <= now:
                obj.unpublish_at = None
        return obj

    def response_add(self, request, obj, post_url_continue=None):
        if getattr(request, "workflow_intent", None) is None:
            return super().response_add(request, obj, post_url_continue)
        request.workflow_saved = obj
        return HttpResponseRedirect(change_url(obj))

    def response_change(self, request, obj):
        if getattr(request, "workflow_intent", None) is None or self._in_history(request):
            return super().response_change(request, obj)
        request.workflow_saved = obj
        draft = self._draft(request, obj)
        if (
            getattr(request, "nothing_changed", False)
            and (request.workflow_intent != "publish" or is_live(obj))
            and not (draft is not None and draft.data)
        ):
            # Nothing to save, nothing to publish: say so, as any save that changes nothing does.
            request.workflow_unchanged = True
            return super().response_change(request, obj)
        return HttpResponseRedirect(change_url(obj))

    # --- the change form's views -----------------------------------------------------------------

    # History's versions are kept by the saves that change content (_save), not around the whole view as
    # reversion's admin does: a form opened on a draft, a draft saved or a preview must keep no version.
    # A save that finds the database locked still gets its form back (BusyDatabaseAdminMixin).
    def add_view(self, request, form_url="", extra_context=None):
        view = functools.partial(admin.ModelAdmin.add_view, self)
        return self._unless_busy(view, request, None, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        view = functools.partial(admin.ModelAdmin.change_view, self)
        return self._unless_busy(view, request, object_id, form_url, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if self._in_history(request) or getattr(request, "workflow_preview", False):
            return super().changeform_view(request, object_id, form_url, extra_context)
        if request.method != "POST":
            # Showing the form: the object carries whether it has a draft (get_queryset), and is loaded once.
            obj = self.get_object(request, unquote(object_id)) if object_id else None
            draft = self._draft(request, obj) if obj is not None and obj.workflow_draft_state else None
            if obj is not None:
                request.__dict__.setdefault("workflow_drafts", {})[(obj._meta.label, obj.pk)] = draft
            if draft is not None and draft.data:
                return self._render_with_draft(request, object_id, form_url, extra_context, obj, draft)
            request.workflow_loaded = obj
            return super().changeform_view(request, object_id, form_url, extra_context)
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        draft = self._draft(request, obj)
        intent = request.workflow_intent = self._intent(request, obj)
        if obj is None and intent in ("discard", "unpublish", "send_back"):
            # Nothing saved yet to discard, unpublish or send back: keep what was typed as a draft.
            intent = request.workflow_intent = "draft"
        if intent in ("publish", "unpublish", "send_back") and not self.has_publish_permission(request, obj):
            raise PermissionDenied
        if intent == "discard":
            publishing.discard_draft(obj=obj, user=request.user)
            self.message_user(request, "Discarded the draft; the form shows the live version.", messages.SUCCESS)
            return HttpResponseRedirect(change_url(obj))
        if intent == "unpublish":
            self._unpublish(request, [obj])
            return HttpResponseRedirect(change_url(obj))
        if intent == "send_back":
            return self._send_back(request, obj)
        request.workflow_at = self._publish_at(request)
        if obj is not None and is_live(obj) and (intent != "publish" or request.workflow_at):
            return self._save_live_draft(request, object_id, form_url, extra_context, obj, draft)
        return self._save(request, object_id, form_url, extra_context, obj, draft)

    def _publish_at(self, request):
        field = forms.SplitDateTimeField(required=False)
        try:
            at = field.clean([request.POST.get("publish_at_0", ""), request.POST.get("publish_at_1", "")])
        except ValidationError:
            return None
        return at if at and at > timezone.now() else None

    def _apply_for_form(self, obj, draft):
        drafts.apply(obj, draft.data)
        # The form carries the draft's time as the one it saw, so a save over someone else's newer draft
        # is refused like a save over a newer live version.
        type(obj)._default_manager.filter(pk=obj.pk).update(updated_at=draft.updated)

    def _render_with_draft(self, request, object_id, form_url, extra_context, obj, draft):
        with drafts.rolled_back() as result:
            self._apply_for_form(obj, draft)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
            result.value = response
        return result.value

    def _save_live_draft(self, request, object_id, form_url, extra_context, obj, draft):
        """Save the form as a draft of live content: saved as usual inside a transaction that is rolled
        back, after the snapshot of what it wrote is taken."""
        with drafts.rolled_back() as result:
            if draft is not None and draft.data:
                self._apply_for_form(obj, draft)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if getattr(request, "workflow_saved", None) is not None:
                result.value = ("saved", drafts.snapshot(obj))
            else:
                if hasattr(response, "render"):
                    response.render()
                result.value = ("form", response)
        kind, value = result.value
        if kind == "form":
            return value
        saved = publishing.save_draft(obj=obj, user=request.user, data=value)
        return self._after_draft_saved(request, obj, saved)

    def _after_draft_saved(self, request, obj, draft):
        intent, at = request.workflow_intent, request.workflow_at
        note = request.POST.get("workflow_note", "").strip()
        if intent == "submit":
            publishing.submit(obj=obj, user=request.user, note=note)
            self.message_user(request, "Submitted for review; the editors have been told.", messages.SUCCESS)
        elif intent == "publish" and at:
            self._schedule(request, obj, publish_at=at)
        elif is_live(obj):
            self.message_user(
                request,
                "Saved as a draft. Visitors still see the live version until you publish.",
                messages.SUCCESS,
            )
        else:
            self.message_user(request, "Saved as a draft; only editors can see it.", messages.SUCCESS)
        return HttpResponseRedirect(change_url(obj))

    def _save(self, request, object_id, form_url, extra_context, obj, draft):
        """Content not live yet is saved in place; publishing writes the form and publishes it in one
        transaction. A form opened on a draft is saved over that draft, applied first."""
        intent = request.workflow_intent
        publish_now = intent == "publish" and not request.workflow_at
        try:
            with transaction.atomic():
                if draft is not None and draft.data:
                    self._apply_for_form(obj, draft)
                with self.create_revision(request):
                    response = super().changeform_view(request, object_id, form_url, extra_context)
                saved = getattr(request, "workflow_saved", None)
                if saved is None:
                    if hasattr(response, "render"):
                        response.render()
                    raise _FormRefused(response)
                if getattr(request, "workflow_unchanged", False):
                    return response
                if publish_now:
                    warnings = publishing.publish(
                        obj=saved,
                        user=request.user,
                        content_saved=True,
                        version_kept=not getattr(request, "nothing_changed", False),
                    )
        except _FormRefused as refused:
            return refused.response
        except ValidationError as error:
            self.message_user(request, "Not published: " + " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(change_url(obj) if obj is not None else request.path)
        if publish_now:
            self.message_user(request, format_html("Published “{}”; visitors see it now.", saved), messages.SUCCESS)
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)
            return HttpResponseRedirect(change_url(saved))
        kept = publishing.save_draft(obj=saved, user=request.user, data=None)
        if kept.data and not is_live(saved):
            # The rows now hold what the draft held.
            kept.data = None
            kept.save(update_fields=["data"])
        return self._after_draft_saved(request, saved, kept)

    def _schedule(self, request, obj, *, publish_at=None, unpublish_at=None) -> bool:
        try:
            warnings = publishing.schedule(obj=obj, user=request.user, publish_at=publish_at, unpublish_at=unpublish_at)
        except ValidationError as error:
            self.message_user(request, f"{obj}: not scheduled: {' '.join(error.messages)}", messages.ERROR)
            return False
        when = []
        if publish_at:
            when.append(f"published on {_when(publish_at)}")
        if unpublish_at:
            when.append(f"unpublished on {_when(unpublish_at)}")
        self.message_user(request, format_html("“{}” will be {}.", obj, " and ".join(when)), messages.SUCCESS)
        for warning in warnings:
            self.message_user(request, warning, messages.WARNING)
        return True

    def _unpublish(self, request, objects):
        done = []
        for obj in objects:
            warnings = publishing.unpublish(obj=obj, user=request.user)
            if obj.status == Status.PUBLISHED:
                done.append(obj)
            for warning in warnings:
                self.message_user(request, f"{obj}: {warning}", messages.WARNING)
        if done:
            names = ", ".join(str(o) for o in done)
            self.message_user(request, f"Unpublished: {names}. Visitors no longer see them.", messages.SUCCESS)
        else:
            self.message_user(request, "Nothing to unpublish: none of them was published.", messages.INFO)
        return None

    def _send_back(self, request, obj):
        comment = request.POST.get("workflow_note", "").strip()
        try:
            publishing.send_back(obj=obj, user=request.user, comment=comment)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, "Sent back to its author with your comment.", messages.SUCCESS)
        return HttpResponseRedirect(change_url(obj))

    def _changelist_url(self):
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    # --- History: reverting makes a draft; recovering is refused publication without the right ----

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if request.method != "POST" or obj is None:
            return super().revision_view(request, object_id, version_id, extra_context)
        request.workflow_keep = {name: getattr(obj, name) for name in PUBLICATION_FIELDS}
        if not is_live(obj):
            response = super().revision_view(request, object_id, version_id, extra_context)
            if response.status_code == 302:
                record(Activity.Kind.REVERTED, obj, user=request.user)
            return response
        with drafts.rolled_back() as result:
            response = super().revision_view(request, object_id, version_id, extra_context)
            result.value = (response, drafts.snapshot(obj) if response.status_code == 302 else None)
        response, data = result.value
        if data is None:
            return response
        publishing.save_draft(obj=obj, user=request.user, data=data)
        record(Activity.Kind.REVERTED, obj, user=request.user, note="As a draft")
        # The message of the reverted save was rolled back with it; say what happened instead.
        list(messages.get_messages(request))
        self.message_user(
            request,
            "The earlier version is now the draft. Visitors still see the live version until you publish it.",
            messages.SUCCESS,
        )
        return HttpResponseRedirect(change_url(obj))

    def recover_view(self, request, version_id, extra_context=None):
        if request.method == "POST" and not self.has_publish_permission(request):
            request.workflow_keep = {"status": Status.DRAFT}
        response = super().recover_view(request, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            version = Version.objects.filter(pk=version_id).first()
            obj = self.model._default_manager.filter(pk=version.object_id).first() if version else None
            if obj is not None:
                record(Activity.Kind.RECOVERED, obj, user=request.user)
        return response

    def delete_model(self, request, obj):
        record(Activity.Kind.DELETED, obj, user=request.user)
        Draft.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).delete()
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            record(Activity.Kind.DELETED, obj, user=request.user)
        Draft.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id__in=[o.pk for o in queryset]
        ).delete()
        super().delete_queryset(request, queryset)

    # --- the list --------------------------------------------------------------------------------

    def get_queryset(self, request):
        drafts_ = Draft.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), object_id=OuterRef("pk")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Coalesced, so that the filter's negations do not meet NULL (which no condition matches).
                workflow_draft_state=Coalesce(Subquery(drafts_.values("state")[:1]), Value("")),
                workflow_draft_publish_at=Subquery(drafts_.values("publish_at")[:1]),
                workflow_draft_has_data=Coalesce(
                    Subquery(drafts_.annotate(has=Q(data__isnull=False)).values("has")[:1]),
                    Value(False),
                    output_field=models.BooleanField(),
                ),
            )
        )

    @admin.display(description="status")
    def workflow_state(self, obj):
        draft = _draft_from_row(obj)
        state = publishing.state_of(obj, draft)
        return format_html("{}{}", state.label, _state_detail(obj, draft, state))

    @admin.action(description="Publish selected (with their drafts)", permissions=["publish"])
    def publish(self, request, queryset):
        done = []
        for obj in queryset:
            try:
                warnings = publishing.publish(obj=obj, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{obj}: not published: {' '.join(error.messages)}", messages.WARNING)
                continue
            done.append(obj)
            for warning in warnings:
                self.message_user(request, f"{obj}: {warning}", messages.WARNING)
        if done:
            names = ", ".join(str(o) for o in done)
            self.message_user(request, f"Published {len(done)}: {names}.", messages.SUCCESS)

    @admin.action(description="Unpublish selected", permissions=["publish"])
    def unpublish(self, request, queryset):
        self._unpublish(request, list(queryset))

    @admin.action(description="Schedule selected…", permissions=["publish"])
    def schedule(self, request, queryset):
        form = ScheduleForm(request.POST if "confirm_schedule" in request.POST else None)
        if form.is_bound and form.is_valid():
            count = sum(
                self._schedule(
                    request,
                    obj,
                    publish_at=form.cleaned_data["publish_at"],
                    unpublish_at=form.cleaned_data["unpublish_at"],
                )
                for obj in queryset
            )
            if not count:
                self.message_user(request, "Nothing was scheduled.", messages.WARNING)
            return None
        warnings = [(obj, w) for obj in queryset for w in registry.unpublish_warnings(obj)]
        context = {
            **self.admin_site.each_context(request),
            "title": "Schedule publication",
            "opts": self.opts,
            "objects": list(queryset),
            "form": form,
            "warnings": warnings,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/workflow/schedule.html", context)

    # --- preview ---------------------------------------------------------------------------------

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("add/preview/", view(self.preview_view), name=f"{name}_preview_add"),
            path("add/preview/frame/", view(self.preview_frame_view), name=f"{name}_preview_frame_add"),
            path("<path:object_id>/preview/", view(self.preview_view), name=f"{name}_preview"),
            path("<path:object_id>/preview/frame/", view(self.preview_frame_view), name=f"{name}_preview_frame"),
            *super().get_urls(),
        ]

    # The preview page frames the site's own page; everywhere else the site is never framed.
    @csp_update({"frame-src": [SELF]})
    def preview_view(self, request, object_id=None):
        """The preview page: the public page at phone or desktop width, in a frame. A POST is the change
        form as it is now (kept in the session under a token); a GET without one shows the saved draft."""
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        token = request.GET.get("token", "")
        if request.method == "POST":
            token = uuid.uuid4().hex
            stored = request.session.get("workflow_previews", {})
            stored = dict(list(stored.items())[-(PREVIEWS_KEPT - 1) :])
            stored[token] = {k: v for k, v in request.POST.lists() if k != "csrfmiddlewaretoken"}
            request.session["workflow_previews"] = stored
            return HttpResponseRedirect(f"{request.path}?token={token}")
        width = "phone" if request.GET.get("width") == "phone" else "desktop"
        name = f"admin:{self.opts.app_label}_{self.opts.model_name}_preview_frame"
        frame = reverse(f"{name}_add") if obj is None else reverse(name, args=[quote(obj.pk)])
        query = f"?token={token}" if token else ""
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {obj}" if obj is not None else "Preview",
            "opts": self.opts,
            "object": obj,
            "frame_url": frame + query,
            "width": width,
            "widths": [("phone", "Phone (390 px)", 390), ("desktop", "Desktop (1280 px)", 1280)],
            "frame_width": 390 if width == "phone" else 1280,
            "token": token,
            "change_url": change_url(obj) if obj is not None else self._changelist_url(),
        }
        response = TemplateResponse(request, "admin/workflow/preview.html", context)
        return _private(response)

    @xframe_options_sameorigin
    @csp_replace({"frame-ancestors": [SELF]})
    def preview_frame_view(self, request, object_id=None):
        obj = self.get_object(request, unquote(object_id)) if object_id else None
        if object_id and obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        token = request.GET.get("token", "")
        posted = request.session.get("workflow_previews", {}).get(token) if token else None
        if token and posted is None:
            return _private(HttpResponse("This preview has expired: press Preview in the form again.", status=410))
        with drafts.rolled_back() as result:
            if posted is not None:
                result.value = self._render_posted(request, object_id, obj, posted)
            else:
                draft = draft_of(obj) if obj is not None else None
                if draft is not None and draft.data:
                    drafts.apply(obj, draft.data)
                result.value = _render_public(request, obj)
        return _private(result.value)

    def _render_posted(self, request, object_id, obj, posted):
        form_request = _copy_request(request)
        data = QueryDict(mutable=True)
        for key, values in posted.items():
            data.setlist(key, values)
        form_request.method = "POST"
        form_request.POST = data
        form_request._files = QueryDict(mutable=True)
        form_request.csrf_processing_done = True
        form_request.workflow_preview = True
        form_request.workflow_intent = "preview"
        draft = draft_of(obj) if obj is not None else None
        if draft is not None and draft.data:
            self._apply_for_form(obj, draft)
        response = self.changeform_view(form_request, object_id)
        saved = getattr(form_request, "workflow_saved", None)
        if saved is None:
            errors = []
            context = getattr(response, "context_data", None) or {}
            for error in context.get("errors", []) or []:
                errors.extend(error if isinstance(error, list) else [error])
            return HttpResponse(
                format_html(
                    "<!doctype html><title>Preview</title><p>The form has errors, so there is nothing to preview "
                    "yet. Correct them in the form and press Preview again.</p><ul>{}</ul>",
                    format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
                ),
                status=200,
            )
        return _render_public(request, saved)


def _copy_request(request):
    clone = copy.copy(request)
    clone.GET = request.GET.copy()
    return clone


def _render_public(request, obj):
    """The public page of `obj` as the database holds it now, for the preview."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    url = obj.get_absolute_url()
    match = resolve(url)
    page_request = _copy_request(request)
    page_request.method = "GET"
    page_request.path = page_request.path_info = url
    page_request.GET = QueryDict()
    response = match.func(page_request, *match.args, **match.kwargs)
    if hasattr(response, "render"):
        response.render()
    return HttpResponse(response.content, status=response.status_code, content_type=response.get("Content-Type"))


def _private(response):
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y, H:i")


def _name(user) -> str:
    if user is None:
        return "someone"
    return user.get_full_name() or user.get_username()


def _state_detail(obj, draft, state) -> str:
    if state == State.SCHEDULED:
        at = draft.publish_at if draft is not None and draft.publish_at else obj.published_at
        return format_html(" for {}", _when(at))
    if state == State.UNPUBLISHED and obj.unpublish_at:
        return format_html(" since {}", _when(obj.unpublish_at))
    if state in (State.LIVE, State.CHANGED) and obj.unpublish_at:
        return format_html(", until {}", _when(obj.unpublish_at))
    return ""


class PickerAutocompleteJsonView(AutocompleteJsonView):
    """The admin's type-to-search picker, marking what visitors cannot see: a routine step may use a
    draft pose, but its editor should know."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if type(obj) in registry.models_() and not obj.is_public:
            state = publishing.state_of(obj, None)
            result["text"] = f"{result['text']} · {state.label.lower()}"
        return result


def _autocomplete_view(request):
    return PickerAutocompleteJsonView.as_view(admin_site=admin.site)(request)


admin.site.autocomplete_view = _autocomplete_view


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The activity log: read only, filterable by person, kind and date."""

    list_display = ["when", "user", "kind", "what", "note"]
    list_filter = ["kind", ("user", admin.RelatedOnlyFieldListFilter), "content_type", "when"]
    date_hierarchy = "when"
    search_fields = ["object_repr", "note", "user__username"]
    list_select_related = ["user", "content_type"]
    list_per_page = 100

    @admin.display(description="what", ordering="object_repr")
    def what(self, entry):
        model = entry.content_type.model_class() if entry.content_type else None
        if model is None:
            return entry.object_repr
        label = model._meta.verbose_name
        if entry.object_id and model._default_manager.filter(pk=entry.object_id).exists():
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[entry.object_id])
            return format_html('{} <a href="{}">{}</a>', label, url, entry.object_repr)
        return format_html("{} {}", label, entry.object_repr)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def review_boxes(request) -> dict:
    """For the admin home: drafts awaiting review (for those who may publish them) and the user's own."""
    awaiting, own = [], []
    queue = Draft.objects.awaiting_review()
    for draft in queue:
        model = draft.content_type.model_class()
        if model is not None and can_publish(request.user, model):
            awaiting.append(_box_item(draft))
    for draft in Draft.objects.filter(author=request.user).select_related("content_type").order_by("-updated"):
        own.append(_box_item(draft))
    return {"awaiting_review": [i for i in awaiting if i], "your_drafts": [i for i in own if i]}


def _box_item(draft):
    model = draft.content_type.model_class()
    obj = model._default_manager.filter(pk=draft.object_id).first() if model else None
    if obj is None:
        return None
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    label = str(obj)
    if draft.data:
        # The name the draft gives it, which the reviewer will publish.
        label = drafts.field_value(draft.data, obj, "name") or drafts.field_value(draft.data, obj, "title") or label
    return {
        "object": label,
        "draft": draft,
        "state": publishing.state_of(obj, draft).label,
        "kind": model._meta.verbose_name,
        "url": reverse(f"{info}_change", args=[quote(obj.pk)]),
        "preview_url": reverse(f"{info}_preview", args=[quote(obj.pk)]),
    }
