"""Stored pictures that nothing uses: left by an import that was killed before its database
transaction, or by an upload whose form was then not saved. Each picture is a folder named
by its content address, holding the original and its renditions."""

from __future__ import annotations

import os
import socket
from datetime import timedelta
from posixpath import dirname

from django.core.files.storage import default_storage
from django.utils import timezone

from poses.images import delete_quietly
from poses.models import BaseImage

from .models import PendingMedia

# A row from another machine cannot be checked for a live process: it is trusted this long.
FOREIGN_PENDING_TIMEOUT = timedelta(hours=24)


def image_models() -> list:
    """Every concrete model that stores pictures (pose images, routine images, ...)."""
    found, queue = [], list(BaseImage.__subclasses__())
    while queue:
        model = queue.pop()
        queue += model.__subclasses__()
        if not model._meta.abstract:
            found.append(model)
    return found


def used_originals(originals: list[str] | None = None) -> set[str]:
    """The originals (of `originals`, or all) that a picture record points at."""
    used = set()
    for model in image_models():
        rows = model.objects.all() if originals is None else model.objects.filter(file__in=originals)
        used |= set(rows.values_list("file", flat=True))
    return used


def _files_in(folder: str) -> list[str]:
    try:
        _, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return []
    return [f"{folder}/{name}" for name in files]


def _process_gone(pending: PendingMedia) -> bool:
    if pending.host != socket.gethostname():
        return timezone.now() - pending.created_at > FOREIGN_PENDING_TIMEOUT
    try:
        os.kill(pending.pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def begin(originals: list[str]) -> PendingMedia:
    """Record that this process is about to store the pictures with these original names."""
    return PendingMedia.objects.create(originals=sorted(set(originals)), host=socket.gethostname(), pid=os.getpid())


def forget(pending: PendingMedia | None) -> None:
    """Drop the note of a failed import whose pictures are already removed. If the database
    cannot be reached now, the note stays and the next import clears it."""
    if pending is None:
        return
    try:
        pending.delete()
    except Exception:
        pass


def remove_abandoned() -> list[str]:
    """Delete the pictures of imports that died before writing their records; returns the
    file names deleted. A picture that a record uses (the same one in another pose) is kept."""
    removed = []
    for pending in PendingMedia.objects.order_by("pk"):
        if not _process_gone(pending):
            continue
        used = used_originals(pending.originals)
        for original in pending.originals:
            if original not in used:
                names = _files_in(dirname(original))
                delete_quietly(names)
                removed += names
        pending.delete()
    return removed


def unused_files(*, older_than: timedelta) -> list[str]:
    """Stored picture files that no record uses, last changed more than `older_than` ago."""
    cutoff = timezone.now() - older_than
    try:
        shards, _ = default_storage.listdir("images")
    except FileNotFoundError:
        return []
    used = {dirname(name) for name in used_originals()}
    found = []
    for shard in shards:
        for digest in default_storage.listdir(f"images/{shard}")[0]:
            folder = f"images/{shard}/{digest}"
            if folder not in used:
                found += [name for name in _files_in(folder) if default_storage.get_modified_time(name) < cutoff]
    return found
