"""The content document (CONTENT-FORMAT.md), read into typed records.

`read_document(path)` parses the file; `validate(data, folder=...)` checks every rule of the
format and returns a `Document`, or raises `ContentInvalid` listing every problem with its
path in the document: `poses[3].muscles.primary[1]: unknown muscle "lower-bak"`.

Nothing here writes. References are checked against the document and the database; images
are fully decoded (as an upload would be) but not stored.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath, PureWindowsPath

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from taggit.models import Tag

from poses import images
from poses.models import (
    Category,
    Equipment,
    Level,
    Muscle,
    Pose,
    PoseFAQ,
    PoseImage,
    PoseOtherName,
    Status,
    slug_validator,
)
from poses.models import validate_video_url as check_video_url
from routines.models import (
    BREATH_MAX,
    BREATH_MIN,
    HOLD_MAX,
    HOLD_MIN,
    REPETITIONS_MAX,
    REPETITIONS_MIN,
    TRANSITION_MAX,
    TRANSITION_MIN,
    Author,
    Routine,
    RoutineStep,
)

FORMAT = "yogasite-content"
VERSION = 1
KINDS = ("muscles", "equipment", "categories", "authors", "poses", "routines")
SIDES = ("none", "both")
IMAGE_SIDES = ("right", "left")
LEVELS = tuple(Level.values)
# Sort key for variations: easiest first, as the site lists them.
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}

SLUG_RE = re.compile(slug_validator.regex.pattern)
# An image exported by this site sits at media/<stored name>; the stored name is its content address.
STORED_NAME_RE = re.compile(r"(?:^|/)(images/[0-9a-f]{2}/([0-9a-f]{64})/original\.(jpg|png|webp))$")

Progress = Callable[[str, int, int], None]

# Limits that protect the pages (and the database) from a document that is valid JSON but
# absurd: a text without a length of its own in the model, the items of one list inside a
# record, how deeply values nest (the format itself needs 7 levels) and how many digits a number has.
TEXT_LIMIT = 20_000
LIST_LIMIT = 500
DEPTH_LIMIT = 12
DIGITS_LIMIT = 15
SLUG_LIMIT = 80


def _max_length(model, name: str) -> int:
    return model._meta.get_field(name).max_length


def documented_limits() -> list[tuple[str, str]]:
    """The document's limits as (field, limit), from the constants and model lengths the checks below
    use: README.md's table under "Content documents" is this list (a test compares them)."""

    def characters(limit: int) -> str:
        return f"{limit:,} characters"

    def length(model, name: str) -> str:
        return characters(_max_length(model, name))

    return [
        ("every `slug`", characters(SLUG_LIMIT)),
        ("`name` of a muscle, prop or category", length(Muscle, "name")),
        ("`name` of an author", length(Author, "name")),
        ("pose `name`", length(Pose, "name")),
        ("pose `sanskrit_name`", length(Pose, "sanskrit_name")),
        ("each of a pose's `other_names`", length(PoseOtherName, "name")),
        ("pose `summary`", length(Pose, "summary")),
        ("`note` of a pose's `warm_up`", length(Pose, "warm_up_note")),
        ("`note` of a pose's `cool_down`", length(Pose, "cool_down_note")),
        ("`question` of a pose's `faqs`", length(PoseFAQ, "question")),
        ("each of `tags`", length(Tag, "name")),
        ("pose `video_url`", length(Pose, "video_url")),
        ("`alt` of an image", length(PoseImage, "alt")),
        ("`caption` of an image", length(PoseImage, "caption")),
        ("`credit` of an image", length(PoseImage, "credit")),
        ("routine `title`", length(Routine, "title")),
        ("routine `summary`", length(Routine, "summary")),
        ("routine `video_url`", length(Routine, "video_url")),
        ("`title` of a section", length(RoutineStep, "section_title")),
        ("`title` of a step", length(RoutineStep, "title")),
        ("any other text (descriptions, bio, steps, tips, answers, body, instructions, …)", characters(TEXT_LIMIT)),
        ("items in one list inside a record (steps, images, tags, …)", f"{LIST_LIMIT:,}"),
        ("nesting of lists and objects", f"{DEPTH_LIMIT} levels"),
        ("any number", f"{DIGITS_LIMIT} digits; no NaN or Infinity"),
        ("`hold` in `seconds` or `breaths`", f"{HOLD_MIN} to {HOLD_MAX:,}"),
        ("step `repetitions`", f"{REPETITIONS_MIN} to {REPETITIONS_MAX}"),
        ("routine `breath_seconds`", f"{BREATH_MIN} to {BREATH_MAX}"),
        ("routine `transition_seconds`", f"{TRANSITION_MIN} to {TRANSITION_MAX}"),
        ("NUL character (`\\u0000`)", "refused in any text or key"),
    ]


def limits_table() -> str:
    """`documented_limits()` as the Markdown table README.md shows."""
    lines = ["| field | limit |", "|---|---|"]
    return "\n".join([*lines, *(f"| {field} | {limit} |" for field, limit in documented_limits())])


class ContentUnreadable(Exception):
    """The file is missing or is not JSON: one message, nothing else could be checked."""


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or 'document'}: {self.message}"


class ContentInvalid(Exception):
    """The document breaks the format; `problems` lists every one, in document order."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the document")


# --- records -------------------------------------------------------------------------
# Records from the document and records read back from the database are the same
# dataclasses, so "unchanged" is plain equality. Unordered sets (tags, props, a step's
# variations) are kept sorted so that order does not count as a change.


@dataclass(frozen=True)
class ImageRecord:
    stored_name: str
    alt: str
    caption: str = ""
    credit: str = ""
    side: str = ""
    # Where the picture comes from; not part of what is compared.
    source: Path | None = field(default=None, compare=False)
    digest: str = field(default="", compare=False)


@dataclass(frozen=True)
class ReferenceRecord:
    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class AuthorRecord:
    slug: str
    name: str
    bio: str = ""
    image: ImageRecord | None = None


@dataclass(frozen=True)
class PoseRecord:
    slug: str
    name: str
    sanskrit_name: str = ""
    other_names: tuple[str, ...] = ()
    summary: str = ""
    category: str = ""
    level: str = Level.BEGINNER
    tags: tuple[str, ...] = ()
    equipment: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    primary: tuple[str, ...] = ()
    secondary: tuple[str, ...] = ()
    tips: tuple[str, ...] = ()
    benefits: tuple[str, ...] = ()
    mistakes: tuple[str, ...] = ()
    warm_up: str = ""
    warm_up_note: str = ""
    cool_down: str = ""
    cool_down_note: str = ""
    cautions: tuple[str, ...] = ()
    sides: str = "none"
    hold_kind: str = ""
    hold_value: int | None = None
    faqs: tuple[tuple[str, str], ...] = ()
    images: tuple[ImageRecord, ...] = ()
    video_url: str = ""
    status: str = Status.DRAFT
    published_at: datetime | None = None


@dataclass(frozen=True)
class StepRecord:
    hold_kind: str
    hold_value: int
    pose: str = ""
    title: str = ""
    instructions: str = ""
    repetitions: int = 1
    sides: str = RoutineStep.Sides.NONE
    first_side: str = RoutineStep.Side.RIGHT
    advance: str = RoutineStep.Advance.AUTO
    starts_section: bool = False
    section_title: str = ""
    variations: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RoutineRecord:
    slug: str
    title: str
    summary: str = ""
    body: str = ""
    safety_note: str = ""
    level: str = Level.BEGINNER
    tags: tuple[str, ...] = ()
    images: tuple[ImageRecord, ...] = ()
    video_url: str = ""
    breath_seconds: Decimal = Decimal(5)
    transition_seconds: int = 5
    author: str = ""
    related: tuple[str, ...] = ()
    steps: tuple[StepRecord, ...] = ()
    status: str = Status.DRAFT
    published_at: datetime | None = None


@dataclass
class Document:
    muscles: list[ReferenceRecord] = field(default_factory=list)
    equipment: list[ReferenceRecord] = field(default_factory=list)
    categories: list[ReferenceRecord] = field(default_factory=list)
    authors: list[AuthorRecord] = field(default_factory=list)
    poses: list[PoseRecord] = field(default_factory=list)
    routines: list[RoutineRecord] = field(default_factory=list)


def stored_image_name(digest: str, extension: str) -> str:
    """Where poses.images stores the original of a picture with this content address."""
    return images.ProcessedImage(digest=digest, extension=extension, width=0, height=0, original=b"").original_name


# --- reading -------------------------------------------------------------------------


def read_document(path: Path):
    """The parsed JSON of the file at `path`, or ContentUnreadable with a one-line reason."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentUnreadable(f"No such file: {path}") from None
    except IsADirectoryError:
        raise ContentUnreadable(f"{path} is a folder; give the path of the JSON file.") from None
    except UnicodeDecodeError as error:
        raise ContentUnreadable(f"{path} is not UTF-8 text (byte {error.start}).") from None
    except OSError as error:
        raise ContentUnreadable(f"Cannot read {path}: {error.strerror}.") from None
    try:
        return json.loads(text, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_NotANumber)
    except json.JSONDecodeError as error:
        raise ContentUnreadable(
            f"{path} is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})."
        ) from None
    except RecursionError:
        raise ContentUnreadable(f"{path} nests lists or objects too deeply (at most {DEPTH_LIMIT} levels).") from None


class _NotANumber(str):
    """A number the document may not hold (NaN, Infinity, too many digits), kept as its text
    so that _limits() can report it with its path."""


def _parse_int(text: str):
    return int(text) if len(text.lstrip("-")) <= DIGITS_LIMIT else _NotANumber(text)


def _parse_float(text: str):
    value = float(text)
    digits = len(text.lstrip("-").split("e")[0].split("E")[0].replace(".", "").lstrip("0"))
    return value if math.isfinite(value) and digits <= DIGITS_LIMIT else _NotANumber(text)


def _limits(data) -> list[Problem]:
    """Problems with the document's shape that no field rule would see: depth, numbers, NUL."""
    problems = []
    stack = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > DEPTH_LIMIT:
            problems.append(Problem(path, f"nested too deeply: at most {DEPTH_LIMIT} levels"))
            continue
        if isinstance(value, _NotANumber):
            problems.append(Problem(path, f"{_shortened(value)} is not a number this format takes"))
        elif isinstance(value, str) and "\x00" in value:
            problems.append(Problem(path, "contains a NUL character (\\u0000)"))
        elif isinstance(value, dict):
            for key, item in value.items():
                if "\x00" in key:
                    problems.append(Problem(path, "a key contains a NUL character (\\u0000)"))
                stack.append((item, _key(path, key), depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}[{index}]", depth + 1) for index, item in enumerate(value))
    return sorted(problems, key=lambda problem: problem.path)


def _shortened(text: str) -> str:
    return text if len(text) <= 40 else f"{text[:20]}…{text[-10:]} ({len(text)} characters)"


def _key(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _quoted(value) -> str:
    """`value` as JSON for a message; a long one shortened, as it is quoted back to a person."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else f"{text[:60]}…{text[-10:]} ({len(text)} characters)"


@dataclass
class _Reference:
    kind: str
    slug: str
    path: str


@dataclass
class _CheckedFile:
    problem: str = ""
    digest: str = ""
    stored_name: str = ""


class _Reader:
    """Walks the document, building records and collecting every problem on the way."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.root = folder.resolve()
        self.problems: list[Problem] = []
        self.references: list[_Reference] = []
        self.files: dict[Path, _CheckedFile] = {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- building blocks

    def fields(self, value, path: str, *, required: tuple[str, ...] = (), optional: tuple[str, ...] = ()):
        """`value` as an object with only the keys the format knows, or None if it is not an object."""
        if not isinstance(value, dict):
            self.problem(path, "must be an object")
            return None
        known = (*required, *optional)
        for key in value:
            if key not in known:
                self.problem(_key(path, key), "unknown key")
        for key in required:
            if value.get(key) is None:
                self.problem(_key(path, key), "required")
        return value

    def text(self, obj: dict, key: str, path: str, *, limit: int | None = None, required: bool = False) -> str:
        # A null is the same as leaving the key out; whether it may be left out is fields()'s business.
        value = obj.get(key)
        if value is None:
            return ""
        return self._string(value, _key(path, key), limit=limit, required=required)

    def _string(self, value, path: str, *, limit: int | None = None, required: bool = True) -> str:
        if not isinstance(value, str) or isinstance(value, _NotANumber):
            self.problem(path, "must be a string")
            return ""
        limit = TEXT_LIMIT if limit is None else limit
        if required and not value.strip():
            self.problem(path, "must not be empty")
        elif len(value) > limit:
            self.problem(path, f"too long: {len(value)} characters, at most {limit}")
        return value

    def list(self, obj: dict, key: str, path: str) -> list[tuple[str, object]]:
        """The items of a list with their paths; [] when the key is absent."""
        value = obj.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(_key(path, key), "must be a list")
            return []
        # The document's own lists (poses, routines, ...) may be as long as the library.
        if path and len(value) > LIST_LIMIT:
            self.problem(_key(path, key), f"too many items: {len(value)}, at most {LIST_LIMIT}")
            return []
        return [(f"{_key(path, key)}[{index}]", item) for index, item in enumerate(value)]

    def texts(self, obj: dict, key: str, path: str, *, limit: int | None = None, unique: bool = False) -> tuple:
        values: list[str] = []
        seen: dict[str, str] = {}
        for item_path, item in self.list(obj, key, path):
            value = self._string(item, item_path, limit=limit)
            if unique and value in seen:
                self.problem(item_path, f"{_quoted(value)} is already listed at {seen[value]}")
                continue
            seen.setdefault(value, item_path)
            values.append(value)
        return tuple(values)

    def slug(self, obj: dict, key: str, path: str) -> str:
        value = obj.get(key)
        if value is None:
            return ""
        return self._slug(value, _key(path, key))

    def _slug(self, value, path: str) -> str:
        if not isinstance(value, str):
            self.problem(path, "must be a string")
            return ""
        if len(value) > SLUG_LIMIT:
            self.problem(path, f"too long: {len(value)} characters, at most {SLUG_LIMIT}")
            return ""
        if not SLUG_RE.match(value):
            self.problem(
                path, f"{_quoted(value)} is not a slug: {slug_validator.message[0].lower()}{slug_validator.message[1:]}"
            )
            return ""
        return value

    def reference(self, kind: str, obj: dict, key: str, path: str) -> str:
        slug = self.slug(obj, key, path)
        if slug:
            self.references.append(_Reference(kind, slug, _key(path, key)))
        return slug

    def references_list(self, kind: str, obj: dict, key: str, path: str) -> tuple[str, ...]:
        slugs: list[str] = []
        seen: dict[str, str] = {}
        for item_path, item in self.list(obj, key, path):
            slug = self._slug(item, item_path)
            if not slug:
                continue
            if slug in seen:
                self.problem(item_path, f"{_quoted(slug)} is already listed at {seen[slug]}")
                continue
            seen[slug] = item_path
            slugs.append(slug)
            self.references.append(_Reference(kind, slug, item_path))
        return tuple(slugs)

    def choice(self, obj: dict, key: str, path: str, choices: tuple[str, ...], default: str) -> str:
        value = obj.get(key)
        if value is None:
            return default
        if value not in choices:
            options = ", ".join(_quoted(c) for c in choices)
            self.problem(_key(path, key), f"must be one of {options}, not {_quoted(value)}")
            return default
        return value

    def integer(self, obj: dict, key: str, path: str, low: int, high: int, default: int) -> int:
        value = obj.get(key)
        if value is None:
            return default
        return self._integer(value, _key(path, key), low, high) or default

    def _integer(self, value, path: str, low: int, high: int) -> int:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, "must be a whole number")
            return 0
        if not low <= value <= high:
            self.problem(path, f"must be from {low} to {high}, not {value}")
            return 0
        return value

    def moment(self, obj: dict, key: str, path: str) -> datetime | None:
        value = obj.get(key)
        if value is None:
            return None
        path = _key(path, key)
        message = "must be an ISO 8601 date-time with an offset, such as 2025-03-01T09:00:00+01:00"
        if not isinstance(value, str):
            self.problem(path, message)
            return None
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
        if moment is None or moment.tzinfo is None:
            self.problem(path, f"{message}, not {_quoted(value)}")
            return None
        return moment

    def video_url(self, obj: dict, key: str, path: str, limit: int) -> str:
        value = self.text(obj, key, path, limit=limit)
        if value:
            try:
                check_video_url(value)
            except ValidationError as error:
                self.problem(_key(path, key), f"{error.messages[0]} Not {_quoted(value)}.")
        return value

    def status(self, obj: dict, path: str) -> tuple[str, datetime | None]:
        return (
            self.choice(obj, "status", path, tuple(Status.values), Status.DRAFT),
            self.moment(obj, "published_at", path),
        )

    # -- images

    def images(self, obj: dict, path: str) -> tuple[ImageRecord, ...]:
        records = (self.image(item, item_path) for item_path, item in self.list(obj, "images", path))
        return tuple(record for record in records if record is not None)

    def image(self, item, item_path: str) -> ImageRecord | None:
        image = self.fields(item, item_path, required=("file", "alt"), optional=("caption", "credit", "side"))
        if image is None:
            return None
        alt = self.text(image, "alt", item_path, limit=_max_length(PoseImage, "alt"), required=True)
        caption = self.text(image, "caption", item_path, limit=_max_length(PoseImage, "caption"))
        credit = self.text(image, "credit", item_path, limit=_max_length(PoseImage, "credit"))
        side = self.choice(image, "side", item_path, IMAGE_SIDES, "")
        file = image.get("file")
        if file is None:
            return None
        file_path = _key(item_path, "file")
        if not isinstance(file, str):
            self.problem(file_path, "must be a string")
            return None
        source = self._source(file, file_path)
        if source is None:
            return None
        checked = self._check_file(source, file)
        if checked.problem:
            self.problem(file_path, checked.problem)
            return None
        return ImageRecord(
            stored_name=checked.stored_name,
            alt=alt,
            caption=caption,
            credit=credit,
            side=side,
            source=source,
            digest=checked.digest,
        )

    def _source(self, file: str, path: str) -> Path | None:
        relative = PurePosixPath(file)
        if (
            not file.strip()
            or relative.is_absolute()
            or PureWindowsPath(file).drive
            or "\\" in file
            or ".." in relative.parts
        ):
            self.problem(
                path, f"must be a path inside the document's folder, such as images/pose.jpg, not {_quoted(file)}"
            )
            return None
        source = self.folder / relative
        # A symbolic link may still lead out of the folder.
        if not source.resolve().is_relative_to(self.root):
            self.problem(path, f"{_quoted(file)} leads outside the document's folder")
            return None
        return source

    def _check_file(self, source: Path, name: str) -> _CheckedFile:
        """Read and fully decode a picture once, however many records use it."""
        key = source.resolve()
        if key in self.files:
            return self.files[key]
        try:
            images.check_size(source.stat().st_size)
            data = source.read_bytes()
            picture = images.open_checked(data)
        except ValidationError as error:
            checked = _CheckedFile(problem=f"{_quoted(name)}: {error.messages[0]}")
        except FileNotFoundError:
            checked = _CheckedFile(problem=f"no such file {_quoted(name)}")
        except IsADirectoryError:
            checked = _CheckedFile(problem=f"{_quoted(name)} is a folder, not an image file")
        except OSError as error:
            checked = _CheckedFile(problem=f"cannot read {_quoted(name)}: {error.strerror}")
        else:
            digest = hashlib.sha256(data).hexdigest()
            extension = images.ACCEPTED_FORMATS[picture.format]
            checked = _CheckedFile(digest=digest, stored_name=self._stored_name(source, data, digest, extension))
        self.files[key] = checked
        return checked

    @staticmethod
    def _stored_name(source: Path, data: bytes, digest: str, extension: str) -> str:
        """The name the picture is (or will be) stored under.

        Storing re-encodes a picture, so an exported original has other bytes than the upload
        it came from. When the file is an exported copy of a picture this site already stores
        (same name, same bytes), it is that picture: importing an export changes nothing.
        """
        match = STORED_NAME_RE.search(source.as_posix())
        if match and match.group(3) == extension and default_storage.exists(match.group(1)):
            with default_storage.open(match.group(1), "rb") as stored:
                if stored.read() == data:
                    return match.group(1)
        return stored_image_name(digest, extension)

    # -- records

    def reference_item(self, value, path: str, model) -> ReferenceRecord | None:
        obj = self.fields(value, path, required=("slug", "name"), optional=("description",))
        if obj is None:
            return None
        return ReferenceRecord(
            slug=self.slug(obj, "slug", path),
            name=self.text(obj, "name", path, limit=_max_length(model, "name"), required=True),
            description=self.text(obj, "description", path),
        )

    def author(self, value, path: str) -> AuthorRecord | None:
        obj = self.fields(value, path, required=("slug", "name"), optional=("bio", "image"))
        if obj is None:
            return None
        image = obj.get("image")
        return AuthorRecord(
            slug=self.slug(obj, "slug", path),
            name=self.text(obj, "name", path, limit=_max_length(Author, "name"), required=True),
            bio=self.text(obj, "bio", path),
            image=None if image is None else self.image(image, _key(path, "image")),
        )

    def pose(self, value, path: str) -> PoseRecord | None:
        obj = self.fields(
            value,
            path,
            required=("slug", "name"),
            optional=(
                "sanskrit_name",
                "other_names",
                "summary",
                "category",
                "level",
                "tags",
                "equipment",
                "steps",
                "muscles",
                "tips",
                "benefits",
                "mistakes",
                "warm_up",
                "cool_down",
                "cautions",
                "sides",
                "hold",
                "faqs",
                "images",
                "video_url",
                "status",
                "published_at",
            ),
        )
        if obj is None:
            return None
        slug = self.slug(obj, "slug", path)
        status, published_at = self.status(obj, path)
        steps = self.texts(obj, "steps", path)
        if status == Status.PUBLISHED and not obj.get("steps"):
            self.problem(_key(path, "steps"), "required for a published pose")
        primary, secondary = self._muscles(obj, path)
        warm_up, warm_up_note = self._linked_pose(obj, "warm_up", path, slug)
        cool_down, cool_down_note = self._linked_pose(obj, "cool_down", path, slug)
        return PoseRecord(
            slug=slug,
            name=self.text(obj, "name", path, limit=_max_length(Pose, "name"), required=True),
            sanskrit_name=self.text(obj, "sanskrit_name", path, limit=_max_length(Pose, "sanskrit_name")),
            other_names=self.texts(obj, "other_names", path, limit=_max_length(PoseOtherName, "name")),
            summary=self.text(obj, "summary", path, limit=_max_length(Pose, "summary")),
            category=self.reference("category", obj, "category", path),
            level=self.choice(obj, "level", path, LEVELS, Level.BEGINNER),
            tags=self._tags(obj, path),
            equipment=tuple(sorted(self.references_list("equipment", obj, "equipment", path))),
            steps=steps,
            primary=primary,
            secondary=secondary,
            tips=self.texts(obj, "tips", path),
            benefits=self.texts(obj, "benefits", path),
            mistakes=self.texts(obj, "mistakes", path),
            warm_up=warm_up,
            warm_up_note=warm_up_note,
            cool_down=cool_down,
            cool_down_note=cool_down_note,
            cautions=self.texts(obj, "cautions", path),
            sides=self.choice(obj, "sides", path, SIDES, "none"),
            **self._usual_hold(obj, path),
            faqs=self._faqs(obj, path),
            images=self.images(obj, path),
            video_url=self.video_url(obj, "video_url", path, _max_length(Pose, "video_url")),
            status=status,
            published_at=published_at,
        )

    def _usual_hold(self, obj: dict, path: str) -> dict:
        """A pose's hold is optional, unlike a step's: absent means no usual hold."""
        if obj.get("hold") is None:
            return {}
        kind, value = self._hold(obj["hold"], _key(path, "hold"))
        return {"hold_kind": kind, "hold_value": value}

    def _tags(self, obj: dict, path: str) -> tuple[str, ...]:
        return tuple(sorted(self.texts(obj, "tags", path, limit=_max_length(Tag, "name"), unique=True)))

    def _muscles(self, obj: dict, path: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        value = obj.get("muscles")
        if value is None:
            return (), ()
        path = _key(path, "muscles")
        muscles = self.fields(value, path, optional=("primary", "secondary"))
        if muscles is None:
            return (), ()
        primary = self.references_list("muscle", muscles, "primary", path)
        secondary = self.references_list("muscle", muscles, "secondary", path)
        for item_path, item in self.list(muscles, "secondary", path):
            if item in primary:
                self.problem(item_path, f"{_quoted(item)} is also a primary muscle; a muscle has one role")
        return primary, tuple(s for s in secondary if s not in primary)

    def _linked_pose(self, obj: dict, key: str, path: str, own_slug: str) -> tuple[str, str]:
        value = obj.get(key)
        if value is None:
            return "", ""
        path = _key(path, key)
        linked = self.fields(value, path, required=("pose",), optional=("note",))
        if linked is None:
            return "", ""
        slug = self.reference("pose", linked, "pose", path)
        if slug and slug == own_slug:
            self.problem(_key(path, "pose"), f"a pose cannot be its own {key.replace('_', '-')}")
        return slug, self.text(linked, "note", path, limit=_max_length(Pose, f"{key}_note"))

    def _faqs(self, obj: dict, path: str) -> tuple[tuple[str, str], ...]:
        faqs = []
        for item_path, item in self.list(obj, "faqs", path):
            faq = self.fields(item, item_path, required=("question", "answer"))
            if faq is not None:
                question = self.text(faq, "question", item_path, limit=_max_length(PoseFAQ, "question"), required=True)
                faqs.append((question, self.text(faq, "answer", item_path, required=True)))
        return tuple(faqs)

    def routine(self, value, path: str) -> RoutineRecord | None:
        obj = self.fields(
            value,
            path,
            required=("slug", "title"),
            optional=(
                "summary",
                "body",
                "safety_note",
                "level",
                "tags",
                "images",
                "video_url",
                "breath_seconds",
                "transition_seconds",
                "author",
                "related",
                "sections",
                "status",
                "published_at",
            ),
        )
        if obj is None:
            return None
        status, published_at = self.status(obj, path)
        steps: list[StepRecord] = []
        for section_path, section_value in self.list(obj, "sections", path):
            steps.extend(self._section(section_value, section_path))
        if status == Status.PUBLISHED and not obj.get("sections"):
            self.problem(_key(path, "sections"), "required for a published routine")
        slug = self.slug(obj, "slug", path)
        related = self.references_list("routine", obj, "related", path)
        for item_path, item in self.list(obj, "related", path):
            if slug and item == slug:
                self.problem(item_path, "a routine cannot be related to itself")
        return RoutineRecord(
            slug=slug,
            title=self.text(obj, "title", path, limit=_max_length(Routine, "title"), required=True),
            summary=self.text(obj, "summary", path, limit=_max_length(Routine, "summary")),
            body=self.text(obj, "body", path),
            safety_note=self.text(obj, "safety_note", path),
            level=self.choice(obj, "level", path, LEVELS, Level.BEGINNER),
            tags=self._tags(obj, path),
            images=self.images(obj, path),
            video_url=self.video_url(obj, "video_url", path, _max_length(Routine, "video_url")),
            breath_seconds=self._breath_seconds(obj, path),
            transition_seconds=self._transition_seconds(obj, path),
            author=self.reference("author", obj, "author", path),
            related=related,
            steps=tuple(steps),
            status=status,
            published_at=published_at,
        )

    def _transition_seconds(self, obj: dict, path: str) -> int:
        default = Routine._meta.get_field("transition_seconds").default
        value = obj.get("transition_seconds")
        if value is None:
            return default
        # 0 is a valid transition, so the integer helper's "0 on error" cannot stand for the error here.
        problems = len(self.problems)
        number = self._integer(value, _key(path, "transition_seconds"), TRANSITION_MIN, TRANSITION_MAX)
        return default if len(self.problems) > problems else number

    def _breath_seconds(self, obj: dict, path: str) -> Decimal:
        value = obj.get("breath_seconds")
        default = Routine._meta.get_field("breath_seconds").default
        if value is None:
            return default
        path = _key(path, "breath_seconds")
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.problem(path, "must be a number")
            return default
        number = Decimal(str(value))
        places = Routine._meta.get_field("breath_seconds").decimal_places
        if not number.is_finite() or not (BREATH_MIN <= number <= BREATH_MAX):
            self.problem(path, f"must be from {BREATH_MIN} to {BREATH_MAX}, not {value}")
            return default
        if number != number.quantize(Decimal(1).scaleb(-places)):
            self.problem(path, f"may have at most {places} decimal places, not {value}")
            return default
        return number

    def _section(self, value, path: str) -> list[StepRecord]:
        section = self.fields(value, path, required=("steps",), optional=("title",))
        if section is None:
            return []
        title = self.text(section, "title", path, limit=_max_length(RoutineStep, "section_title"))
        items = self.list(section, "steps", path)
        if isinstance(section.get("steps"), list) and not items:
            self.problem(_key(path, "steps"), "must have at least one step")
        steps = []
        for index, (step_path, step_value) in enumerate(items):
            step = self._step(
                step_value, step_path, starts_section=index == 0, section_title=title if index == 0 else ""
            )
            if step is not None:
                steps.append(step)
        return steps

    def _step(self, value, path: str, *, starts_section: bool, section_title: str) -> StepRecord | None:
        step = self.fields(
            value,
            path,
            required=("hold",),
            optional=("pose", "title", "instructions", "repetitions", "sides", "first_side", "advance", "variations"),
        )
        if step is None:
            return None
        pose = self.reference("pose", step, "pose", path)
        title = self.text(step, "title", path, limit=_max_length(RoutineStep, "title"))
        raw_title = step.get("title")
        if step.get("pose") is None and (raw_title is None or (isinstance(raw_title, str) and not raw_title.strip())):
            self.problem(_key(path, "title"), "required for a step without a pose")
        hold_kind, hold_value = self._hold(step.get("hold"), _key(path, "hold"))
        sides = self.choice(step, "sides", path, tuple(RoutineStep.Sides.values), RoutineStep.Sides.NONE)
        first_side = self.choice(step, "first_side", path, tuple(RoutineStep.Side.values), RoutineStep.Side.RIGHT)
        if sides != RoutineStep.Sides.BOTH and first_side != RoutineStep.Side.RIGHT:
            self.problem(_key(path, "first_side"), 'only a step with "sides": "both" has a first side')
        return StepRecord(
            pose=pose,
            title=title,
            instructions=self.text(step, "instructions", path),
            hold_kind=hold_kind,
            hold_value=hold_value,
            repetitions=self.integer(step, "repetitions", path, REPETITIONS_MIN, REPETITIONS_MAX, 1),
            sides=sides,
            first_side=first_side,
            advance=self.choice(step, "advance", path, tuple(RoutineStep.Advance.values), RoutineStep.Advance.AUTO),
            starts_section=starts_section,
            section_title=section_title,
            variations=self._variations(step, path),
        )

    def _hold(self, value, path: str) -> tuple[str, int]:
        kinds = tuple(RoutineStep.HoldKind.values)
        if value is None:
            return kinds[0], HOLD_MIN
        hold = self.fields(value, path, optional=kinds)
        if hold is None:
            return kinds[0], HOLD_MIN
        given = [kind for kind in kinds if hold.get(kind) is not None]
        if len(given) == 1:
            kind = given[0]
            return kind, self._integer(hold[kind], _key(path, kind), HOLD_MIN, HOLD_MAX) or HOLD_MIN
        # With an unknown key (reported already), "give one of them" would only repeat it.
        if given or set(hold) <= set(kinds):
            either = " or ".join(f'{{"{kind}": n}}' for kind in kinds)
            self.problem(path, f"give {either}, {'not both' if given else 'one of them'}")
        return kinds[0], HOLD_MIN

    def _variations(self, step: dict, path: str) -> tuple[tuple[str, str], ...]:
        variations: dict[str, str] = {}
        for item_path, item in self.list(step, "variations", path):
            variation = self.fields(item, item_path, required=("level", "instructions"))
            if variation is None:
                continue
            level = self.choice(variation, "level", item_path, LEVELS, "")
            instructions = self.text(variation, "instructions", item_path, required=True)
            if level in variations:
                self.problem(
                    _key(item_path, "level"), f"a step has one variation per level; {_quoted(level)} is already given"
                )
            elif level:
                variations[level] = instructions
        return tuple(sorted(variations.items(), key=lambda item: LEVEL_RANK[item[0]]))

    # -- the whole document

    def records(self, document: dict, kind: str, build, progress: Progress | None) -> list:
        items = self.list(document, kind, "")
        records = []
        for done, (path, value) in enumerate(items, start=1):
            record = build(value, path)
            if record is not None:
                records.append((path, record))
            if progress:
                progress(f"checking {kind}", done, len(items))
        seen: dict[str, str] = {}
        for path, record in records:
            if record.slug in seen:
                self.problem(_key(path, "slug"), f"{_quoted(record.slug)} is already used by {seen[record.slug]}")
            elif record.slug:
                seen[record.slug] = path
        return [record for _, record in records]

    def check_references(self, document: Document) -> None:
        """Each referenced slug must be in the document or already in the database."""
        sources = {
            "muscle": (Muscle, document.muscles),
            "equipment": (Equipment, document.equipment),
            "category": (Category, document.categories),
            "pose": (Pose, document.poses),
            "author": (Author, document.authors),
            "routine": (Routine, document.routines),
        }
        for kind, (model, records) in sources.items():
            wanted = [ref for ref in self.references if ref.kind == kind]
            known = {record.slug for record in records}
            missing = {ref.slug for ref in wanted} - known
            if missing:
                known |= set(model.objects.filter(slug__in=missing).values_list("slug", flat=True))
            for ref in wanted:
                if ref.slug not in known:
                    self.problem(ref.path, f"unknown {kind} {_quoted(ref.slug)}")


def _document_order(problem: Problem) -> tuple:
    match = re.match(r"(\w+)(?:\[(\d+)\])?", problem.path)
    if not match:
        return (-1, -1)
    top = KINDS.index(match.group(1)) if match.group(1) in KINDS else -1
    return (top, int(match.group(2) or -1))


def validate(data, *, folder: Path, progress: Progress | None = None) -> Document:
    """The document's records, or ContentInvalid listing every problem with its path."""
    problems = _limits(data)
    if problems:
        raise ContentInvalid(problems)
    reader = _Reader(Path(folder))
    top = reader.fields(data, "", required=("format", "version"), optional=KINDS)
    if top is None:
        raise ContentInvalid(reader.problems)
    if top.get("format") is not None and top["format"] != FORMAT:
        reader.problem("format", f"must be {_quoted(FORMAT)}, not {_quoted(top['format'])}")
    version = top.get("version")
    if version is not None and (isinstance(version, bool) or version != VERSION):
        reader.problem("version", f"this site reads version {VERSION}, not {_quoted(version)}")
    document = Document(
        muscles=reader.records(top, "muscles", lambda v, p: reader.reference_item(v, p, Muscle), progress),
        equipment=reader.records(top, "equipment", lambda v, p: reader.reference_item(v, p, Equipment), progress),
        categories=reader.records(top, "categories", lambda v, p: reader.reference_item(v, p, Category), progress),
        authors=reader.records(top, "authors", reader.author, progress),
        poses=reader.records(top, "poses", reader.pose, progress),
        routines=reader.records(top, "routines", reader.routine, progress),
    )
    reader.check_references(document)
    if reader.problems:
        raise ContentInvalid(sorted(reader.problems, key=_document_order))
    return document
