from django.db import models


class PendingMedia(models.Model):
    """Pictures an import is storing before its database transaction, by the name of each
    original. The transaction deletes the row; a row whose process died (an import killed
    midway) tells the next import, or `manage.py clean_media`, which files nothing will use."""

    originals = models.JSONField(default=list)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "pending media"
        verbose_name_plural = "pending media"

    def __str__(self):
        return f"{len(self.originals)} pictures from {self.host}, process {self.pid}"
