from django.conf import settings
from django.db import models


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
