"""A picture chosen in a form that is refused for another reason is kept: when the form is shown again, the
validated upload is stored under a temporary name, the form carries a signed token for it and shows its
preview, and the next save uses it without the editor choosing the file again. Temporary copies older
than a day are removed whenever another is kept."""

import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django import forms
from django.contrib.admin.widgets import AdminFileWidget
from django.core import signing
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html

FOLDER = "kept-uploads"
SALT = "yogasite.kept-upload"
KEPT_FOR = timedelta(days=1)
SUFFIX = "__kept"


def remove_stale_uploads() -> int:
    """Remove kept uploads older than a day; returns how many."""
    removed = 0
    try:
        folders, _ = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    limit = timezone.now() - KEPT_FOR
    for folder in folders:
        _, files = default_storage.listdir(f"{FOLDER}/{folder}")
        for name in files:
            stored = f"{FOLDER}/{folder}/{name}"
            if default_storage.get_modified_time(stored) < limit:
                default_storage.delete(stored)
                removed += 1
    return removed


def keep_upload(upload: UploadedFile) -> str:
    """Store a validated upload under a temporary name; returns the signed token that brings it back."""
    remove_stale_uploads()
    upload.seek(0)
    filename = PurePosixPath(upload.name).name
    stored = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}/{filename}", upload)
    upload.seek(0)
    return signing.dumps({"stored": stored, "name": filename}, salt=SALT)


def kept_upload(token: str) -> tuple[str, SimpleUploadedFile] | None:
    """The stored name and the upload that `token` stands for, or None when it expired or was tampered with."""
    try:
        kept = signing.loads(token, salt=SALT, max_age=KEPT_FOR)
    except signing.BadSignature:
        return None
    stored = kept.get("stored", "")
    if not stored.startswith(f"{FOLDER}/") or not default_storage.exists(stored):
        return None
    with default_storage.open(stored, "rb") as file:
        return stored, SimpleUploadedFile(kept["name"], file.read())


def _shown(token: str, upload: UploadedFile) -> tuple[str, str, str]:
    stored = signing.loads(token, salt=SALT)["stored"]
    return token, default_storage.url(stored), PurePosixPath(upload.name).name


class KeptUploadInput(AdminFileWidget):
    """The admin's file box; when the form holds a kept picture, it shows it and carries its token."""

    kept: tuple[str, str, str] | None = None  # (token, preview URL, file name)
    # A valid upload in a form shown again: only then is it worth keeping (a saved form is never shown).
    pending: UploadedFile | None = None

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if self.kept is None and self.pending is not None:
            self.kept = _shown(keep_upload(self.pending), self.pending)
        if self.kept is None:
            return html
        token, url, filename = self.kept
        return format_html(
            '{}<div class="kept-upload"><img src="{}" alt="" width="120" class="kept-upload-preview">'
            "<p>Kept from your last save: {}. It is saved with the form; choose another file to replace it.</p>"
            '<input type="hidden" name="{}" value="{}"></div>',
            html,
            url,
            filename,
            f"{name}{SUFFIX}",
            token,
        )


class KeptUploadsForm(forms.ModelForm):
    """A model form whose chosen files survive a refused save (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._kept: dict[str, tuple[str, str]] = {}
        for name, field in self.fields.items():
            if isinstance(field, forms.FileField):
                field.widget = KeptUploadInput(attrs=field.widget.attrs)
                if self.is_bound:
                    self._bring_back(name)

    def _bring_back(self, name: str) -> None:
        key = self.add_prefix(name)
        token = self.data.get(f"{key}{SUFFIX}")
        if self.files.get(key) or not token:
            return
        found = kept_upload(token)
        if found is None:
            return
        stored, upload = found
        self.files = self.files.copy()
        self.files[key] = upload
        self._kept[name] = (token, stored)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return
        for name, field in self.fields.items():
            value = self.cleaned_data.get(name)
            if not isinstance(field.widget, KeptUploadInput) or not isinstance(value, UploadedFile):
                continue
            if name in self._kept:
                field.widget.kept = _shown(self._kept[name][0], value)
            else:
                field.widget.pending = value

    def save(self, commit=True):
        saved = super().save(commit)
        for _, stored in self._kept.values():
            # Once the save is committed the temporary copy is of no use.
            transaction.on_commit(lambda stored=stored: default_storage.delete(stored))
        return saved
