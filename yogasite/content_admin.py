"""Content documents in the admin: an editor uploads a document (JSON, or a zip with its pictures), sees what
would be created, updated and left alone and every problem with its place in the document, then confirms;
and exports selected poses and routines, or everything, as a zip that import_content takes.

The upload is kept in the media storage between the preview and the confirmation, so that the two requests
may reach different app servers; each unpacks it into a temporary folder of its own."""

from __future__ import annotations

import json
import shutil
import stat
import tempfile
import uuid
import zipfile
from datetime import timedelta
from pathlib import Path, PurePosixPath

from django.contrib import admin, messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from workflow.exchange import can_exchange_content

from .content.exporter import ExportFailed, export_site
from .content.importer import import_document, preview_document
from .content.schema import KINDS, ContentInvalid, ContentUnreadable

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
STAGING = "content-imports"
STALE_AFTER = timedelta(days=1)
TOKEN_SALT = "yogasite.content-import"
KIND_NAMES = {"muscles": "Muscles", "equipment": "Props", "categories": "Categories", "authors": "Authors",
              "poses": "Poses", "routines": "Routines"}  # fmt: skip


class UploadRefused(Exception):
    """The uploaded file cannot be a content document; the message says why, for the editor."""


def _check_member(info: zipfile.ZipInfo) -> PurePosixPath:
    name = info.filename
    path = PurePosixPath(name)
    if "\\" in name or name.startswith("/") or ":" in path.parts[0] or ".." in path.parts:
        raise UploadRefused(f"The zip holds a file with an unsafe path ({name}); nothing was imported.")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise UploadRefused(f"The zip holds a link ({name}), which a content document never needs.")
    return path


def _unpack_zip(source: Path, folder: Path) -> Path:
    """Unpack the zip at `source` into `folder` and return the path of its content document."""
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile:
        raise UploadRefused("The file is not a readable zip archive.") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        if len(members) > MAX_MEMBERS:
            raise UploadRefused(f"The zip holds {len(members)} files; at most {MAX_MEMBERS} are read.")
        if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
            raise UploadRefused("The zip unpacks to more than 1 GB; split the content into several documents.")
        paths = {m.filename: _check_member(m) for m in members}
        documents = sorted((p for p in paths.values() if p.name == "content.json"), key=lambda p: len(p.parts))
        if not documents:
            candidates = [p for p in paths.values() if p.suffix == ".json"]
            if len(candidates) != 1:
                raise UploadRefused("The zip has no content.json: put the document at its top, beside its pictures.")
            documents = candidates
        written = 0
        for member in members:
            target = folder.joinpath(*paths[member.filename].parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(member) as packed, open(target, "wb") as out:
                    while chunk := packed.read(1024 * 1024):
                        written += len(chunk)
                        if written > MAX_UNPACKED_BYTES:
                            raise UploadRefused("The zip unpacks to more than 1 GB; nothing was imported.")
                        out.write(chunk)
            except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, NotImplementedError) as error:
                raise UploadRefused(f"The zip is damaged ({member.filename}: {error}).") from None
    return folder.joinpath(*documents[0].parts)


def unpack(source: Path, folder: Path) -> Path:
    """The content document in the uploaded file at `source` (JSON, or a zip with pictures), unpacked
    into `folder`. Raises UploadRefused with the reason when it cannot be one."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(source, "rb") as file:
        start = file.read(4)
    if start.startswith(b"PK"):
        return _unpack_zip(source, folder)
    target = folder / "content.json"
    shutil.copyfile(source, target)
    try:
        json.loads(target.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise UploadRefused("The file is neither a zip nor a JSON document (it is not text).") from None
    except json.JSONDecodeError as error:
        raise UploadRefused(
            f"The file is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})."
        ) from None
    return target


def _clean_stale_uploads() -> None:
    """Uploads previewed but never confirmed are removed after a day."""
    try:
        folders, _ = default_storage.listdir(STAGING)
    except (FileNotFoundError, NotImplementedError):
        return
    for folder in folders:
        try:
            _, files = default_storage.listdir(f"{STAGING}/{folder}")
            for name in files:
                stored = f"{STAGING}/{folder}/{name}"
                if timezone.now() - default_storage.get_modified_time(stored) > STALE_AFTER:
                    default_storage.delete(stored)
        except (FileNotFoundError, NotImplementedError):
            continue


def _stage(upload) -> str:
    suffix = ".zip" if upload.name.lower().endswith(".zip") else ".json"
    return default_storage.save(f"{STAGING}/{uuid.uuid4().hex}/upload{suffix}", upload)


def _preview(staged: str):
    with tempfile.TemporaryDirectory(prefix="content-import-") as folder:
        local = Path(folder) / "upload"
        with default_storage.open(staged, "rb") as source, open(local, "wb") as copy:
            shutil.copyfileobj(source, copy)
        return preview_document(path=unpack(local, Path(folder) / "document"))


def _import(staged: str, user):
    with tempfile.TemporaryDirectory(prefix="content-import-") as folder:
        local = Path(folder) / "upload"
        with default_storage.open(staged, "rb") as source, open(local, "wb") as copy:
            shutil.copyfileobj(source, copy)
        return import_document(path=unpack(local, Path(folder) / "document"), user=user)


def _context(request, **values) -> dict:
    return {**admin.site.each_context(request), "title": "Import a content document", **values}


@require_http_methods(["GET", "HEAD", "POST"])
def import_view(request):
    """Upload → preview (nothing written) → confirm → import."""
    if not can_exchange_content(request.user):
        raise PermissionDenied
    template = "admin/yogasite/content_import.html"
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    if request.method != "POST":
        return TemplateResponse(request, template, _context(request))
    upload = request.FILES.get("document")
    if upload is None:
        return TemplateResponse(request, template, _context(request, refused="Choose a file to upload."))
    if upload.size > MAX_UPLOAD_BYTES:
        return TemplateResponse(
            request, template, _context(request, refused="The file is larger than 200 MB; nothing was read.")
        )
    _clean_stale_uploads()
    staged = _stage(upload)
    try:
        preview = _preview(staged)
    except (UploadRefused, ContentUnreadable) as error:
        default_storage.delete(staged)
        return TemplateResponse(request, template, _context(request, refused=str(error), upload_name=upload.name))
    except ContentInvalid as error:
        default_storage.delete(staged)
        return TemplateResponse(request, template, _context(request, problems=error.problems, upload_name=upload.name))
    token = signing.dumps({"staged": staged, "user": request.user.pk, "name": upload.name}, salt=TOKEN_SALT)
    rows = [(KIND_NAMES[kind], preview.created[kind], preview.updated[kind], preview.unchanged[kind]) for kind in KINDS]
    return TemplateResponse(
        request, template, _context(request, preview=preview, rows=rows, token=token, upload_name=upload.name)
    )


def _confirm(request):
    try:
        staged = signing.loads(request.POST["token"], salt=TOKEN_SALT, max_age=STALE_AFTER)
    except signing.BadSignature:
        messages.error(request, "That preview has expired; upload the document again.")
        return HttpResponseRedirect(reverse("content-import"))
    if staged["user"] != request.user.pk or not default_storage.exists(staged["staged"]):
        messages.error(request, "That preview has expired; upload the document again.")
        return HttpResponseRedirect(reverse("content-import"))
    try:
        result = _import(staged["staged"], request.user)
    except (UploadRefused, ContentUnreadable) as error:
        messages.error(request, f"Nothing was imported: {error}")
        return HttpResponseRedirect(reverse("content-import"))
    except ContentInvalid as error:
        messages.error(
            request,
            f"Nothing was imported: the site changed since the preview and the document now has "
            f"{len(error.problems)} problem(s). Upload it again to see them.",
        )
        return HttpResponseRedirect(reverse("content-import"))
    default_storage.delete(staged["staged"])
    summary = "; ".join(
        f"{KIND_NAMES[kind].lower()}: {c.created} created, {c.updated} updated"
        for kind, c in result.counts.items()
        if c.created or c.updated
    )
    if summary:
        messages.success(request, f"Imported {staged['name']}. {summary[:1].upper()}{summary[1:]}.")
    else:
        messages.info(request, f"Imported {staged['name']}: nothing changed.")
    return HttpResponseRedirect(reverse("admin:index"))


def _ids(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip().isdigit()]


@require_safe
def export_view(request):
    """A zip of the whole site, or of ?poses=1,2&routines=3 with what they need, that import_content takes."""
    if not can_exchange_content(request.user):
        raise PermissionDenied
    selected = {key: _ids(request.GET[key]) for key in ("poses", "routines") if key in request.GET}
    with tempfile.TemporaryDirectory(prefix="content-export-") as folder:
        try:
            result = export_site(directory=Path(folder) / "content", **selected)
        except ExportFailed as error:
            messages.error(request, f"Nothing was exported: {error}")
            return HttpResponseRedirect(request.META.get("HTTP_REFERER") or reverse("admin:index"))
        archive = tempfile.TemporaryFile()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as packed:
            for path in sorted(result.path.parent.rglob("*")):
                if path.is_file():
                    packed.write(path, path.relative_to(result.path.parent).as_posix())
    archive.seek(0)
    stamp = timezone.localtime().strftime("%Y-%m-%d-%H%M")
    name = f"content-{stamp}.zip" if not selected else f"content-selection-{stamp}.zip"
    return FileResponse(archive, as_attachment=True, filename=name, content_type="application/zip")
