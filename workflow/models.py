"""What the workflow keeps: whether content is public (the Publishable mixin that poses and routines
use), the draft of changes to a live page with its review, and the site's activity log."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


def public_q(prefix: str = "", now=None) -> Q:
    """The one rule for what visitors may see, as a filter: published, its publication time has come,
    and its expiry (if any) has not. `prefix` reaches it through a relation ("poses__")."""
    now = now or timezone.now()
    return Q(**{f"{prefix}status": Status.PUBLISHED, f"{prefix}published_at__lte": now}) & (
        Q(**{f"{prefix}unpublish_at__isnull": True}) | Q(**{f"{prefix}unpublish_at__gt": now})
    )


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """What visitors may see: published, the publication time has come, and not expired. Expiry
        counts at once, whether or not the scheduled job has run yet."""
        return self.filter(public_q())

    def visible_to(self, user):
        """Staff see drafts and scheduled content too (for preview); visitors see published only."""
        if user is not None and user.is_active and user.is_staff:
            return self.all()
        return self.published()


def public_now(status, published_at, unpublish_at, now) -> bool:
    """What `public_q()` says of one row's fields, at `now`."""
    return (
        status == Status.PUBLISHED
        and published_at is not None
        and published_at <= now
        and (unpublish_at is None or unpublish_at > now)
    )


class Publishable(models.Model):
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are only visible to editors. Published content appears from its publication time.",
    )
    published_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="Leave empty to publish now. A future time schedules publication.",
    )
    unpublish_at = models.DateTimeField(
        "unpublish at",
        null=True,
        blank=True,
        help_text="Optional: visitors stop seeing it from this time on (an offer that ends, a seasonal page).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField("last change", auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return public_now(self.status, self.published_at, self.unpublish_at, timezone.now())


class DraftQuerySet(models.QuerySet):
    def for_object(self, obj):
        """The draft of `obj`, or None."""
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk).first()

    def awaiting_review(self):
        """Drafts submitted for review, oldest first: the Editors' queue."""
        return self.filter(state=Draft.State.IN_REVIEW).select_related("author", "content_type").order_by("updated")

    def due(self, now=None):
        """Scheduled drafts whose time has come."""
        return self.filter(publish_at__lte=now or timezone.now())


class Draft(models.Model):
    """Changes to a pose or a routine that visitors do not see yet, and where they stand in review.

    For live content, `data` holds the whole changed pose or routine with its parts, serialized as a
    version is (so publishing it is bringing that version back). For content never published, the rows
    themselves are the draft and `data` is empty: the row only carries the review state and the schedule.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    data = models.JSONField(null=True, blank=True, editable=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField("note to the reviewer", blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_comment = models.TextField(blank=True)
    publish_at = models.DateTimeField("publish at", null=True, blank=True)
    based_on = models.DateTimeField(
        "live version's last change", null=True, blank=True, help_text="When the live page last changed."
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="one_draft_per_object")]
        indexes = [
            models.Index(fields=["state"], name="draft_state"),
            models.Index(fields=["publish_at"], name="draft_publish_at"),
        ]

    def __str__(self):
        return f"Draft of {self.content_type.name} {self.object_id}"

    @property
    def content_object(self):
        return self.content_type.get_object_for_this_type(pk=self.object_id)


class Activity(models.Model):
    """One thing done to the site's content, by whom and when: the site's activity log."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"
        SCHEDULED = "scheduled", "Scheduled"
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back"
        DISCARDED = "discarded", "Discarded a draft"
        REVERTED = "reverted", "Reverted to an earlier version"
        DELETED = "deleted", "Deleted"
        RECOVERED = "recovered", "Recovered"
        IMPORTED = "imported", "Imported"

    when = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty when the scheduled job did it.",
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_repr = models.CharField("what", max_length=200, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-when", "-pk"]
        verbose_name = "activity"
        verbose_name_plural = "activity log"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.object_repr}"


class EditingPresence(models.Model):
    """An editor who has a change page open, kept fresh by the page's heartbeat. In the database, so that
    every app server sees who else is editing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    page = models.CharField(max_length=255, help_text="The change page's address.")
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "page"], name="unique_editing_presence")]
        indexes = [models.Index(fields=["page", "seen_at"], name="editing_presence_page_seen")]

    def __str__(self):
        return f"{self.user} on {self.page}"
