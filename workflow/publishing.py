"""One service function per editorial action: save a draft, submit it, send it back, publish (approve),
schedule, unpublish, discard a draft, and the scheduled job's `publish_due`. Each checks the right to
do it, writes in one transaction, records a version and a line in the activity log, and sends its
signal (workflow.signals) once the transaction is committed."""

from datetime import datetime

import reversion
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from . import drafts, registry, review, signals
from .activity import record
from .editing import change_url
from .models import Activity, Draft, Status
from .roles import can_publish_obj


class State(models.TextChoices):
    LIVE = "live", "Live"
    CHANGED = "changed", "Live, with unpublished changes"
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    IN_REVIEW = "in_review", "In review"
    UNPUBLISHED = "unpublished", "Unpublished"


def is_live(obj) -> bool:
    """Has visitors' version: published and not expired (even if its publication time is still to come,
    its rows are what visitors will see, so changes to it go into a draft)."""
    now = timezone.now()
    return obj.status == Status.PUBLISHED and (obj.unpublish_at is None or obj.unpublish_at > now)


def state_of(obj, draft: Draft | None) -> State:
    """Where `obj` stands, as the admin shows it."""
    now = timezone.now()
    if draft is not None and draft.state == Draft.State.IN_REVIEW:
        return State.IN_REVIEW
    if (draft is not None and draft.publish_at) or (
        obj.status == Status.PUBLISHED and obj.published_at and obj.published_at > now
    ):
        return State.SCHEDULED
    if obj.unpublish_at is not None and obj.unpublish_at <= now:
        return State.UNPUBLISHED
    if obj.status != Status.PUBLISHED:
        return State.DRAFT
    return State.CHANGED if draft is not None and draft.data else State.LIVE


def draft_of(obj) -> Draft | None:
    return Draft.objects.for_object(obj) if obj.pk else None


def _require(user, obj) -> None:
    if user is not None and not can_publish_obj(user, obj):
        raise PermissionDenied(f"You may not publish or unpublish {obj._meta.verbose_name_plural}.")


def _version(obj, user, comment: str) -> None:
    with reversion.create_revision():
        if user is not None:
            reversion.set_user(user)
        reversion.set_comment(comment)
        reversion.add_to_revision(obj)


def _locked(obj):
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _after_commit(signal, obj, user, **extra) -> None:
    transaction.on_commit(lambda: signal.send(sender=type(obj), instance=obj, user=user, **extra))


@transaction.atomic
def save_draft(*, obj, user, data: list[dict] | None) -> Draft:
    """Keep `data` (drafts.snapshot of the changed pose or routine) as the draft of live `obj`; the live
    rows are not touched. A draft in review stays in review."""
    draft, _ = Draft.objects.get_or_create(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, defaults={"author": user}
    )
    if data is not None:
        drafts.reserve_ids(data)
        if draft.data is None:
            draft.based_on = obj.updated_at
        draft.data = data
    if draft.author_id is None:
        draft.author = user
    draft.save()
    return draft


@transaction.atomic
def discard_draft(*, obj, user) -> bool:
    """Throw away the unpublished changes of `obj` (and its review and schedule); the live version stays.
    Returns whether there was a draft."""
    draft = draft_of(obj)
    if draft is None:
        return False
    draft.delete()
    record(Activity.Kind.DISCARDED, obj, user=user)
    _after_commit(signals.draft_discarded, obj, user)
    return True


def publish(*, obj, user, content_saved: bool = False, version_kept: bool = False) -> list[str]:
    """Make `obj` public now, with its draft if it has one (`content_saved`: the admin form has just
    written the draft's content itself; `version_kept`: and kept a version of it, publication included).
    Refused (PermissionDenied) without the right to publish, and (ValidationError) when it is not fit
    to publish; nothing changes then. Returns warnings for the
    editor (a routine that uses poses visitors cannot see)."""
    _require(user, obj)
    with transaction.atomic():
        obj = _locked(obj)
        draft = draft_of(obj)
        if draft is not None and draft.data and not content_saved:
            drafts.apply(obj, draft.data)
            obj = _locked(obj)
        errors = registry.publish_errors(obj)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        obj.status = Status.PUBLISHED
        if obj.published_at is None or obj.published_at > now:
            obj.published_at = now
        if obj.unpublish_at is not None and obj.unpublish_at <= now:
            obj.unpublish_at = None
        obj.save()
        if not version_kept:
            _version(obj, user, "Published" if user is not None else "Published as scheduled")
        author = draft.author if draft is not None else None
        in_review = draft is not None and draft.state == Draft.State.IN_REVIEW
        if draft is not None:
            draft.delete()
        record(Activity.Kind.PUBLISHED, obj, user=user, note="Approved after review" if in_review else "")
        _after_commit(signals.content_published, obj, user)
        if draft is not None:
            transaction.on_commit(
                lambda: review.notify_published(obj=obj, user=user, author=author, admin_url=change_url(obj))
            )
    return registry.publish_warnings(obj)


def approve(*, obj, user) -> list[str]:
    """An Editor publishes a draft submitted for review; its author is told by e-mail."""
    return publish(obj=obj, user=user)


@transaction.atomic
def unpublish(*, obj, user) -> list[str]:
    """Take `obj` off the site now; editors keep all its content (and any draft). Returns what the
    editor should know (published routines that use this pose)."""
    _require(user, obj)
    warnings = registry.unpublish_warnings(obj)
    obj = _locked(obj)
    if obj.status != Status.PUBLISHED:
        return []
    obj.status = Status.DRAFT
    obj.unpublish_at = timezone.now()
    obj.save()
    _version(obj, user, "Unpublished")
    record(Activity.Kind.UNPUBLISHED, obj, user=user)
    _after_commit(signals.content_unpublished, obj, user)
    return warnings


@transaction.atomic
def schedule(*, obj, user, publish_at: datetime | None = None, unpublish_at: datetime | None = None) -> list[str]:
    """Publish `obj` (its draft, for live content) at `publish_at`, and/or take it off the site at
    `unpublish_at`. The scheduled job (`manage.py publish_scheduled`) publishes within a minute of the
    time; an expiry is hidden from visitors at the very time. Returns warnings for the editor."""
    _require(user, obj)
    now = timezone.now()
    if publish_at is not None and publish_at <= now:
        raise ValidationError("Choose a publication time in the future, or publish now.")
    if unpublish_at is not None and unpublish_at <= (publish_at or now):
        raise ValidationError("The time to unpublish must come after the publication time.")
    obj = _locked(obj)
    warnings = []
    notes = []
    if publish_at is not None:
        if not is_live(obj):
            errors = registry.publish_errors(obj)
            if errors:
                raise ValidationError(errors)
        draft = save_draft(obj=obj, user=user, data=None)
        draft.publish_at = publish_at
        draft.save(update_fields=["publish_at", "updated"])
        notes.append(f"publish at {timezone.localtime(publish_at):%Y-%m-%d %H:%M}")
        warnings += registry.publish_warnings(obj)
    if unpublish_at is not None:
        obj.unpublish_at = unpublish_at
        obj.save(update_fields=["unpublish_at", "updated_at"])
        notes.append(f"unpublish at {timezone.localtime(unpublish_at):%Y-%m-%d %H:%M}")
        warnings += registry.unpublish_warnings(obj)
    record(Activity.Kind.SCHEDULED, obj, user=user, note=", ".join(notes))
    _after_commit(signals.content_scheduled, obj, user, publish_at=publish_at, unpublish_at=unpublish_at)
    return warnings


@transaction.atomic
def submit(*, obj, user, note: str = "") -> Draft:
    """A Contributor asks for review: the draft (of new content, or of changes to live content) goes to
    the Editors' "Awaiting review" list, and the Editors get an e-mail."""
    draft = save_draft(obj=obj, user=user, data=None)
    draft.state = Draft.State.IN_REVIEW
    draft.note = note
    draft.reviewer_comment = ""
    draft.author = draft.author or user
    draft.save()
    record(Activity.Kind.SUBMITTED, obj, user=user, note=note)
    _after_commit(signals.draft_submitted, obj, user)
    transaction.on_commit(lambda: review.notify_submitted(obj=obj, user=user, note=note, admin_url=change_url(obj)))
    return draft


@transaction.atomic
def send_back(*, obj, user, comment: str) -> Draft:
    """An Editor returns a submitted draft to its author with a comment; the draft itself is kept."""
    _require(user, obj)
    draft = draft_of(obj)
    if draft is None:
        raise ValidationError("There is nothing in review to send back.")
    draft.state = Draft.State.DRAFT
    draft.reviewer = user
    draft.reviewer_comment = comment
    draft.publish_at = None
    draft.save()
    record(Activity.Kind.SENT_BACK, obj, user=user, note=comment)
    _after_commit(signals.draft_sent_back, obj, user)
    author = draft.author
    transaction.on_commit(
        lambda: review.notify_sent_back(obj=obj, user=user, author=author, comment=comment, admin_url=change_url(obj))
    )
    return draft


def publish_due(*, now: datetime | None = None) -> tuple[int, int, list[str]]:
    """What the scheduled job does: publish every draft whose time has come and take off the site what
    has expired. Safe to run again and at the same time on several servers: each row is taken under a
    lock that others skip. Returns (published, unpublished, problems)."""
    now = now or timezone.now()
    published, expired, problems = 0, 0, []
    while True:
        with transaction.atomic():
            draft = Draft.objects.due(now).select_for_update(skip_locked=True).order_by("publish_at", "pk").first()
            if draft is None:
                break
            obj = draft.content_type.model_class()._default_manager.filter(pk=draft.object_id).first()
            if obj is None:
                draft.delete()
                continue
            try:
                with transaction.atomic():
                    publish(obj=obj, user=None)
                published += 1
            except ValidationError as error:
                # Kept as a draft, no longer scheduled: an editor sees why in the log.
                draft.publish_at = None
                draft.save(update_fields=["publish_at"])
                message = "; ".join(error.messages)
                record(Activity.Kind.SCHEDULED, obj, note=f"Not published as scheduled: {message}")
                problems.append(f"{obj}: {message}")
    for model in registry.models_():
        while True:
            with transaction.atomic():
                obj = (
                    model._default_manager.select_for_update(skip_locked=True)
                    .filter(status=Status.PUBLISHED, unpublish_at__lte=now)
                    .order_by("pk")
                    .first()
                )
                if obj is None:
                    break
                obj.status = Status.DRAFT
                obj.save()
                _version(obj, None, "Unpublished as scheduled")
                record(Activity.Kind.UNPUBLISHED, obj, note="As scheduled")
                _after_commit(signals.content_unpublished, obj, None)
                expired += 1
    return published, expired, problems
