"""Image intake shared by every model that carries pictures.

An upload is trusted only after Pillow has identified and fully decoded it; the
file name and the browser's content type are never believed. What is stored is a
re-encoded copy (EXIF orientation applied, metadata such as GPS dropped) plus WebP
renditions at a few widths, all under a name derived from the original bytes, so
the same picture uploaded or imported twice is stored once.
"""

from __future__ import annotations

import errno
import hashlib
import io
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


@dataclass
class ProcessedImage:
    digest: str
    extension: str
    width: int
    height: int
    original: bytes
    renditions: dict[int, tuple[int, bytes]] = field(default_factory=dict)

    @property
    def folder(self) -> str:
        return f"images/{self.digest[:2]}/{self.digest}"

    @property
    def original_name(self) -> str:
        return f"{self.folder}/original.{self.extension}"

    def rendition_name(self, width: int) -> str:
        return f"{self.folder}/w{width}.webp"


def _bytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    return f"{max(1, round(size / 1024))} KB"


def _pixels(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}".removesuffix(".0") + " megapixels"
    return f"{count:,} pixels"


def check_size(size: int) -> None:
    """Refuse a file over the byte bound before reading it."""
    max_bytes = settings.YOGASITE_IMAGE_MAX_BYTES
    if size > max_bytes:
        raise ValidationError(
            f"The file is {_bytes(size)}; images may be at most {_bytes(max_bytes)}. "
            "Export a smaller version and upload that.",
            code="too_large",
        )


def open_checked(data: bytes) -> Image.Image:
    """Identify and fully decode `data`, or raise ValidationError saying why not."""
    max_pixels = settings.YOGASITE_IMAGE_MAX_PIXELS
    if not data:
        raise ValidationError("The file is empty.", code="empty")
    check_size(len(data))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    f"This is a {image.format or 'unknown'} file; upload a JPEG, PNG or WebP image.",
                    code="format",
                )
            width, height = image.size
            if width * height > max_pixels:
                raise ValidationError(
                    f"The image is {width:,} × {height:,} pixels; images may have at most {_pixels(max_pixels)}.",
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ValidationError(
            "The image is too large in pixels to be processed safely.", code="too_many_pixels"
        ) from error
    except UnidentifiedImageError as error:
        raise ValidationError(
            "This file is not an image we can read; upload a JPEG, PNG or WebP image.", code="not_image"
        ) from error
    except (OSError, SyntaxError, ValueError) as error:
        # Pillow's own wording ("broken data stream", "truncated") means nothing to an editor.
        raise ValidationError(
            "The image is damaged or incomplete and cannot be read; save it again and upload the new file.",
            code="damaged",
        ) from error
    return image


def process(data: bytes) -> ProcessedImage:
    """Check `data` and prepare what will be stored: the cleaned original and WebP renditions."""
    image = open_checked(data)
    fmt = image.format
    image = ImageOps.exif_transpose(image)
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "transparency" in image.info or image.mode == "P" else "RGB")

    original = io.BytesIO()
    # Saving without exif= or pnginfo= drops every metadata block, GPS included.
    if fmt == "JPEG":
        image.save(original, "JPEG", quality=90, optimize=True)
    elif fmt == "PNG":
        image.save(original, "PNG", optimize=True)
    else:
        image.save(original, "WEBP", quality=90)

    processed = ProcessedImage(
        digest=hashlib.sha256(data).hexdigest(),
        extension=ACCEPTED_FORMATS[fmt],
        width=image.width,
        height=image.height,
        original=original.getvalue(),
    )
    max_width = max(settings.YOGASITE_IMAGE_WIDTHS)
    widths = {w for w in settings.YOGASITE_IMAGE_WIDTHS if w < image.width}
    widths.add(min(image.width, max_width))
    for width in sorted(widths):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        resized.save(out, "WEBP", quality=82, method=4)
        processed.renditions[width] = (height, out.getvalue())
    return processed


class StorageFailed(Exception):
    """The media storage refused a file (full, not writable, unreachable); nothing of the
    picture is left behind. The message is for editors and operators."""


def _storage_problem(error: Exception) -> str:
    code = getattr(error, "errno", None)
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return "the media storage is full"
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "the media storage is not writable"
    detail = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return f"the media storage did not accept the file ({detail})"


def write(processed: ProcessedImage, storage: Storage | None = None) -> tuple[str, list[dict], list[str]]:
    """Store a processed image. Returns (original name, renditions, names newly written).

    Raises StorageFailed, having removed whatever of the picture it had written, when the
    storage refuses a file."""
    storage = storage or default_storage
    written: list[str] = []

    def put(name: str, content: bytes) -> str:
        if storage.exists(name):
            return name
        saved = storage.save(name, ContentFile(content))
        written.append(saved)
        return saved

    try:
        original_name = put(processed.original_name, processed.original)
        renditions = [
            {"width": width, "height": height, "name": put(processed.rendition_name(width), content)}
            for width, (height, content) in sorted(processed.renditions.items())
        ]
    # The filesystem raises OSError; object storage its client's own errors: any refusal counts.
    except Exception as error:
        delete_quietly(written, storage)
        raise StorageFailed(f"The picture could not be stored: {_storage_problem(error)}.") from error
    return original_name, renditions, written


def delete_quietly(names: list[str], storage: Storage | None = None) -> list[str]:
    """Delete `names`, going on past any that cannot be deleted; returns those that remain."""
    storage = storage or default_storage
    remaining = []
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            remaining.append(name)
    return remaining


def validate_image_upload(file) -> None:
    """Form and model validator: the upload must be an image we accept."""
    if getattr(file, "_committed", True):
        return  # already stored and processed
    size = getattr(file, "size", None)
    if size is not None:
        check_size(size)
    file.seek(0)
    open_checked(file.read())
    file.seek(0)
