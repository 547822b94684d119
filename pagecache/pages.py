"""The page cache: its keys, what a stored page remembers, and which change touches which pages.

Every cached page records the tags of what it showed, each with the version the tag had when
the page was stored: one tag per object the page loaded ("pose:12", "routine:3", "muscle:5",
"equipment:2", "category:4", "tag:9") plus what the view declared ("list:poses", …) and
"all". A change gives the tags it touches a new version (`invalidate`); a read compares the
page's versions with the current ones in one cache round-trip and renders again when any
differs. So a page is never served after a change to anything it showed.

Which change touches which tags (the rules at the end of this module):

- a pose (save, publish, unpublish, delete, revert, recover): "pose:ID" (its page, every page
  that showed it: routines using it, their player stops and cheat sheets, lists, related
  poses), the category it left and the one it is in, its muscles (muscle pages, "same primary
  muscles" on other pose pages), its tags ("related poses"), and "list:poses";
- a part of a pose (steps, tips, images, muscles worked, props, …): "pose:ID", and the muscle,
  prop or tag that the part adds or removes;
- a routine or a part of it (steps, variations, images, tags): "routine:ID" and "list:routines";
- a muscle, prop, category or tag itself: its own tag, and the lists whose filters name it;
- an import (rows written in bulk, without signals): "all".

Lists declare what they list as a whole: "list:poses" (pose list, filters, home, sitemap, feed),
"list:routines" and "list:muscles". A view that shows such a list declares the tag with
`@cacheable("list:poses")` (common.caching).

Time-driven changes need no job: a stored page expires at the next time a scheduled change
reaches its time (`SCHEDULED` names the querysets and fields that hold such times).

The writer gives the tags a new version at once and again when its transaction commits; a
render that overlaps a commit is not stored (the "epoch" moves with every change), so a page
rendered from the old rows can never be stored under the new versions.

While the cache cannot be reached (Redis down or too slow), pages are rendered without it and
changes are saved as usual; the process tries the cache again every few seconds, and the first
time it reaches it again it gives every page a new version ("all"), so that no change made
meanwhile, whose new versions could not be written, leaves a stale page behind.
"""

import hashlib
import logging
import threading
import time
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db import connection, transaction
from django.db.models import Subquery
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save, pre_save
from taggit.models import Tag, TaggedItem

from common.caching import depends_on, noting
from poses import services
from poses.models import (
    Category,
    Equipment,
    Muscle,
    Pose,
    PoseMuscle,
    Status,
)
from routines.models import Author, AuthorImage, RelatedRoutine, Routine, RoutineImage, RoutineStep, StepVariation
from workflow import signals as workflow_signals

EVERYTHING = "all"
POSES, ROUTINES, MUSCLES = "list:poses", "list:routines", "list:muscles"

PAGE = "page:"
VALUE = "value:"
TAG = "tag:"
EPOCH = "page-epoch"
SCHEDULE = "page-schedule"
# A stored page lives at most this long; versions make it stale long before, when anything changes.
TIMEOUT = 24 * 3600

# (queryset, field) pairs whose times change what visitors see when they are reached. A page stored
# now expires at the earliest such time still to come.
SCHEDULED = [
    (Pose.objects.filter(status=Status.PUBLISHED), "published_at"),
    (Routine.objects.filter(status=Status.PUBLISHED), "published_at"),
    (Pose.objects.filter(status=Status.PUBLISHED), "unpublish_at"),
    (Routine.objects.filter(status=Status.PUBLISHED), "unpublish_at"),
]


log = logging.getLogger(__name__)

try:
    from redis.exceptions import RedisError
except ImportError:  # the page cache in memory needs no Redis
    RedisError = OSError
UNREACHABLE = (RedisError, OSError)
# After a failed call the cache is left alone this long (pages are rendered without it), then tried again.
RETRY_SECONDS = 5.0
# At most one warning in this long while the cache stays unreachable.
WARN_EVERY = 300.0


class _Outage:
    """This process's view of whether the cache can be reached."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0
        self.warned_at: float | None = None

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down = True
            self.retry_at = now + RETRY_SECONDS
            warn = self.warned_at is None or now - self.warned_at >= WARN_EVERY
            if warn:
                self.warned_at = now
        if warn:
            log.warning(
                "The page cache cannot be reached (%s: %s): pages are rendered without it and it is tried "
                "again every %d s.",
                type(error).__name__,
                error,
                RETRY_SECONDS,
            )

    def skipping(self) -> bool:
        return self.down and time.monotonic() < self.retry_at


_outage = _Outage()


class _Guarded:
    """The cache as this module uses it: while it cannot be reached, reads find nothing and writes are
    dropped, instead of failing the request or the save that uses it."""

    def __init__(self, backend):
        self.backend = backend

    def _call(self, method: str, *args, default=None, **kwargs):
        if _outage.skipping():
            return default
        try:
            if _outage.down:
                self._recover()
            return getattr(self.backend, method)(*args, **kwargs)
        except UNREACHABLE as error:
            _outage.failed(error)
            return default

    def _recover(self) -> None:
        # Versions that could not be written while the cache was away may have left pages stored
        # under versions that are still current: every page goes.
        token = _token()
        self.backend.set_many({EPOCH: token, TAG + EVERYTHING: token}, timeout=None)
        _recent.clear()
        _outage.down = False
        _outage.warned_at = None
        log.warning("The page cache can be reached again: every page will be rendered anew.")

    def get(self, key):
        return self._call("get", key)

    def get_many(self, keys):
        return self._call("get_many", keys, default={})

    def set(self, key, value, timeout):
        self._call("set", key, value, timeout)

    def set_many(self, values, timeout):
        self._call("set_many", values, timeout=timeout)

    def add(self, key, value, timeout):
        return self._call("add", key, value, timeout=timeout, default=False)


def cache() -> _Guarded:
    return _Guarded(caches[settings.PAGE_CACHE_ALIAS])


def available() -> bool:
    """False while the cache is known to be unreachable (it is tried again after RETRY_SECONDS)."""
    return not _outage.skipping()


def _token() -> str:
    return uuid.uuid4().hex[:16]


# --- Reading and storing pages -------------------------------------------------------------------


@dataclass
class Entry:
    """A stored page: its body, gzipped body, type, ETag and the headers the site's middleware gave
    it (CSP, framing, permissions), the tag versions it was built on, and the epoch at which those
    versions were last seen current."""

    body: bytes
    gzipped: bytes | None
    content_type: str
    etag: str
    versions: dict[str, str]
    expires: float | None
    headers: tuple[tuple[str, str], ...] = ()
    epoch: str | None = None

    def expires_in(self, now: float) -> int:
        return settings.PAGE_CACHE_MAX_AGE if self.expires is None else max(0, int(self.expires - now))


@dataclass
class Lookup:
    key: str
    epoch: str | None
    schedule: dict | None
    entry: Entry | None


def page_key(request) -> str:
    """One key per address as the visitor asked for it: scheme, host, path and query string."""
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    return PAGE + hashlib.sha256(address.encode()).hexdigest()[:40]


# Pages this process served lately, by key: while nothing changed anywhere (the epoch stands
# still) one is served after reading the epoch alone. Bounded; emptied when full.
_recent: dict[str, Entry] = {}
RECENT_PAGES = 500


def look_up(request) -> Lookup:
    """The stored page for this request if it is still current. Every change moves the epoch
    together with its tags (one MSET), so a page whose epoch is the current one is current without
    reading its tags: one small read for a page this process served lately, one read of the page
    otherwise; its tags are read only when something changed since."""
    key = page_key(request)
    recent = _recent.get(key)
    if recent is not None and not _expired(recent.expires):
        epoch = cache().get(EPOCH)
        if epoch is not None and epoch == recent.epoch:
            return Lookup(key=key, epoch=epoch, schedule=None, entry=recent)
        found = cache().get_many([EPOCH, SCHEDULE, *(TAG + tag for tag in recent.versions)])
        if _matches(recent.versions, recent.expires, found):
            _remember_locally(key, _seen_at(recent, found.get(EPOCH)))
            return Lookup(key=key, epoch=found.get(EPOCH), schedule=found.get(SCHEDULE), entry=recent)
        _recent.pop(key, None)
    found = cache().get_many([key, EPOCH, SCHEDULE])
    epoch = found.get(EPOCH)
    if epoch is None:
        # A fresh cache: start an epoch, so that pages stored from now on can be checked by it.
        token = _token()
        epoch = token if cache().add(EPOCH, token, timeout=None) else cache().get(EPOCH)
    lookup = Lookup(key=key, epoch=epoch, schedule=found.get(SCHEDULE), entry=None)
    entry = found.get(key)
    if entry is None or _expired(entry.expires):
        return lookup
    if (epoch is not None and epoch == getattr(entry, "epoch", None)) or _current(entry.versions, entry.expires):
        lookup.entry = _seen_at(entry, epoch)
        _remember_locally(key, lookup.entry)
    return lookup


def _expired(expires: float | None) -> bool:
    return expires is not None and expires <= time.time()


def _seen_at(entry: Entry, epoch: str | None) -> Entry:
    """The entry, known current at `epoch`."""
    if epoch is not None and getattr(entry, "epoch", None) != epoch:
        entry = replace(entry, epoch=epoch)
    return entry


def _remember_locally(key: str, entry: Entry) -> None:
    if len(_recent) >= RECENT_PAGES:
        _recent.clear()
    _recent[key] = entry


def _matches(versions: dict[str, str], expires: float | None, found: dict) -> bool:
    if expires is not None and expires <= time.time():
        return False
    return all(found.get(TAG + tag) == version for tag, version in versions.items())


def _current(versions: dict[str, str], expires: float | None) -> bool:
    if expires is not None and expires <= time.time():
        return False
    return _matches(versions, expires, cache().get_many([TAG + tag for tag in versions]))


def _versions(tags: set[str], *, epoch: str | None, check_epoch: bool) -> dict[str, str] | None:
    """The current version of each tag (a fresh one for a tag that has none yet), or None when
    `check_epoch` and a change landed since `epoch` was read."""
    keys = [TAG + tag for tag in tags]
    found = cache().get_many([*keys, EPOCH])
    if check_epoch and found.get(EPOCH) != epoch:
        return None
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache().add(key, _token(), timeout=None)
    if missing:
        found.update(cache().get_many(missing))
    return {tag: found.get(TAG + tag) for tag in tags}


def store(
    lookup: Lookup,
    *,
    body: bytes,
    gzipped: bytes | None,
    content_type: str,
    etag: str,
    tags: set[str],
    headers: tuple[tuple[str, str], ...] = (),
) -> Entry | None:
    """Keep a freshly rendered page under the versions of the tags it showed, unless a change
    landed while it was being rendered; returns what was stored."""
    if not available():
        return None
    versions = _versions(tags | {EVERYTHING}, epoch=lookup.epoch, check_epoch=True)
    if versions is None:
        return None
    expires = next_scheduled_change(lookup.epoch, lookup.schedule)
    entry = Entry(body, gzipped, content_type, etag, versions, expires, headers, lookup.epoch)
    timeout = TIMEOUT if expires is None else max(1, min(TIMEOUT, int(expires - time.time()) + 1))
    cache().set(lookup.key, entry, timeout)
    _remember_locally(lookup.key, entry)
    return entry


def next_scheduled_change(epoch: str | None, schedule: dict | None) -> float | None:
    """The next time (a Unix timestamp) at which scheduled content appears or disappears, or None.
    Kept in the cache until the next change to any content."""
    global _last_schedule
    now = time.time()
    # What this process worked out last (a value and the page showing it are stored in one request).
    if schedule is None or schedule["epoch"] != epoch:
        schedule = _last_schedule
    if schedule is not None and schedule["epoch"] == epoch and (schedule["at"] is None or schedule["at"] > now):
        return schedule["at"]
    after = _aware(now)
    soonest = {
        f"at{index}": Subquery(queryset.filter(**{f"{field}__gt": after}).order_by(field).values(field)[:1])
        for index, (queryset, field) in enumerate(SCHEDULED)
    }
    # One query: the soonest time of each as a scalar subquery, selected from a row that always
    # exists (the pose content type).
    row = ContentType.objects.filter(pk=ContentType.objects.get_for_model(Pose).pk).annotate(**soonest)
    moments = row.values_list(*soonest).first() or ()
    at = min((moment.timestamp() for moment in moments if moment is not None), default=None)
    _last_schedule = {"epoch": epoch, "at": at}
    cache().set(SCHEDULE, _last_schedule, TIMEOUT)
    return at


_last_schedule: dict | None = None


def _aware(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def remember(name: str, tags: tuple[str, ...], compute, *, scheduled: bool = True):
    """A value computed from the database (e.g. a list's filter choices), kept until any of `tags`
    changes or scheduled content reaches its time; one cache round-trip when it is current."""
    depends_on(*tags)
    key = VALUE + name
    tag_keys = [TAG + tag for tag in (*tags, EVERYTHING)]
    found = cache().get_many([key, EPOCH, SCHEDULE, *tag_keys])
    stored = found.get(key)
    if stored is not None:
        versions, expires, value = stored
        if (expires is None or expires > time.time()) and all(
            found.get(TAG + tag) == version for tag, version in versions.items()
        ):
            return value
    # Versions read before computing: a change while computing leaves the stored value stale, not wrong.
    versions = _versions({*tags, EVERYTHING}, epoch=None, check_epoch=False)
    value = compute()
    expires = next_scheduled_change(found.get(EPOCH), found.get(SCHEDULE)) if scheduled else None
    cache().set(key, (versions, expires, value), TIMEOUT)
    return value


# --- Invalidation --------------------------------------------------------------------------------


def invalidate(*tags: str) -> None:
    """Give `tags` new versions now and again when the current transaction commits: every page
    that showed any of them is rendered again on its next request, in every process."""
    tags = set(tags)
    if not tags:
        return
    _bump(tags)
    if connection.in_atomic_block:
        pending = _pending_for_commit()
        pending |= tags


def _pending_for_commit() -> set[str]:
    """The tags to bump again when the outermost transaction commits: one callback per transaction,
    registered again if a rolled-back savepoint dropped it."""
    pending = getattr(connection, "_page_cache_pending", None)
    if pending is not None and any(entry[1] is pending[0] for entry in connection.run_on_commit):
        return pending[1]
    tags: set[str] = set()

    def bump_pending():
        _bump(tags)

    transaction.on_commit(bump_pending)
    connection._page_cache_pending = (bump_pending, tags)
    return tags


def _bump(tags: set[str]) -> None:
    token = _token()
    # One MSET: the epoch and the tags move together (atomic on Redis).
    cache().set_many({EPOCH: token, **{TAG + tag: token for tag in tags}}, timeout=None)


def invalidate_everything() -> None:
    """Every cached page and value is rendered again (after an import, which writes in bulk)."""
    invalidate(EVERYTHING)


# --- Which change touches which tags -------------------------------------------------------------


def pose_tags(pose_ids, *, also_categories=()) -> set[str]:
    """What a change to these poses can alter: the poses themselves, the category lists, muscle
    pages and related-pose lists they appear in, and the pose lists."""
    pose_ids = [pk for pk in pose_ids if pk is not None]
    tags = {POSES, MUSCLES, *(f"pose:{pk}" for pk in pose_ids)}
    tags |= {f"category:{pk}" for pk in also_categories if pk is not None}
    if not pose_ids:
        return tags
    rows = Pose.objects.filter(pk__in=pose_ids).values_list("category_id", flat=True)
    tags |= {f"category:{pk}" for pk in rows if pk is not None}
    muscles = PoseMuscle.objects.filter(pose_id__in=pose_ids).values_list("muscle_id", flat=True)
    tags |= {f"muscle:{pk}" for pk in muscles}
    pose_type = ContentType.objects.get_for_model(Pose)
    tagged = TaggedItem.objects.filter(content_type=pose_type, object_id__in=pose_ids).values_list("tag_id", flat=True)
    tags |= {f"tag:{pk}" for pk in tagged}
    return tags


def routine_tags(routine_ids) -> set[str]:
    return {ROUTINES, *(f"routine:{pk}" for pk in routine_ids if pk is not None)}


REFERENCE_TAGS = {
    Muscle: ("muscle", {POSES, MUSCLES}),
    Equipment: ("equipment", {POSES}),
    Category: ("category", {POSES}),
    Tag: ("tag", {POSES, ROUTINES}),
}
# Every part of a pose (the pose app keeps the one list); muscles have their own rule: muscle pages show them.
POSE_PARTS = tuple(part for part in services.POSE_PARTS if part is not PoseMuscle)
ROUTINE_PARTS = (RoutineImage, RelatedRoutine)
SHOWN = {Pose: "pose", Routine: "routine", Muscle: "muscle", Equipment: "equipment", Category: "category", Tag: "tag"}


def _old_category(sender, instance, raw=False, **kwargs):
    if instance.pk is not None:
        instance._page_cache_old_category = (
            Pose.objects.filter(pk=instance.pk).values_list("category_id", flat=True).first()
        )


def _pose_changed(sender, instance, **kwargs):
    old = getattr(instance, "_page_cache_old_category", None)
    invalidate(*pose_tags([instance.pk], also_categories=[old, instance.category_id]))


def _pose_deleted(sender, instance, **kwargs):
    invalidate(*pose_tags([], also_categories=[instance.category_id]), f"pose:{instance.pk}")


def _pose_part_changed(sender, instance, **kwargs):
    invalidate(f"pose:{instance.pose_id}")


def _pose_muscle_changed(sender, instance, **kwargs):
    invalidate(f"pose:{instance.pose_id}", f"muscle:{instance.muscle_id}", MUSCLES)


def _pose_props_changed(sender, instance, action, pk_set, reverse, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:  # from a prop's side: the poses are in pk_set (all of them on clear)
        invalidate(f"equipment:{instance.pk}", *pose_tags(pk_set or ()))
    else:
        invalidate(*pose_tags([instance.pk]), *(f"equipment:{pk}" for pk in pk_set or ()))


def _routine_changed(sender, instance, **kwargs):
    invalidate(*routine_tags([instance.pk]))


def _routine_part_changed(sender, instance, **kwargs):
    invalidate(*routine_tags([instance.routine_id]))


def _variation_changed(sender, instance, **kwargs):
    routine_id = RoutineStep.objects.filter(pk=instance.step_id).values_list("routine_id", flat=True).first()
    invalidate(*routine_tags([routine_id]))


def _tagged_changed(sender, instance, **kwargs):
    model = ContentType.objects.get_for_id(instance.content_type_id).model_class()
    if model is Pose:
        invalidate(f"tag:{instance.tag_id}", *pose_tags([instance.object_id]))
    elif model is Routine:
        invalidate(f"tag:{instance.tag_id}", *routine_tags([instance.object_id]))


def _reference_changed(sender, instance, **kwargs):
    name, lists = REFERENCE_TAGS[sender]
    invalidate(f"{name}:{instance.pk}", *lists)


def _author_changed(sender, instance, **kwargs):
    # An author is shown in the byline of each of their routines, on their own page and in related
    # routines' cards: rare enough a change to let every page go.
    invalidate(EVERYTHING)


def _workflow_changed(sender, instance, **kwargs):
    # Publishing a draft writes its rows without the usual signals (raw saves); the workflow says so.
    if sender is Pose:
        invalidate(*pose_tags([instance.pk], also_categories=[instance.category_id]))
    elif sender is Routine:
        invalidate(*routine_tags([instance.pk]))


def _shown(sender, instance, **kwargs):
    if noting() and instance.pk is not None:
        depends_on(f"{SHOWN[sender]}:{instance.pk}")


def connect() -> None:
    """Wire the rules above to the models' signals (called once, when the app is ready)."""
    changed = (post_save, post_delete)
    pre_save.connect(_old_category, sender=Pose, dispatch_uid="page_cache_old_category")
    post_save.connect(_pose_changed, sender=Pose, dispatch_uid="page_cache_pose")
    post_delete.connect(_pose_deleted, sender=Pose, dispatch_uid="page_cache_pose_deleted")
    m2m_changed.connect(_pose_props_changed, sender=Pose.equipment.through, dispatch_uid="page_cache_props")
    for signal in changed:
        for model in POSE_PARTS:
            signal.connect(_pose_part_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}_{signal}")
        signal.connect(_pose_muscle_changed, sender=PoseMuscle, dispatch_uid=f"page_cache_pose_muscle_{signal}")
        signal.connect(_routine_changed, sender=Routine, dispatch_uid=f"page_cache_routine_{signal}")
        for model in (*ROUTINE_PARTS, RoutineStep):
            signal.connect(_routine_part_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}_{signal}")
        signal.connect(_variation_changed, sender=StepVariation, dispatch_uid=f"page_cache_variation_{signal}")
        signal.connect(_tagged_changed, sender=TaggedItem, dispatch_uid=f"page_cache_tagged_{signal}")
        for model in REFERENCE_TAGS:
            signal.connect(_reference_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}_{signal}")
        for model in (Author, AuthorImage):
            signal.connect(_author_changed, sender=model, dispatch_uid=f"page_cache_{model.__name__}_{signal}")
    for signal in (
        workflow_signals.content_published,
        workflow_signals.content_unpublished,
        workflow_signals.content_scheduled,
    ):
        signal.connect(_workflow_changed, dispatch_uid=f"page_cache_workflow_{id(signal)}")
    for model in SHOWN:
        post_init.connect(_shown, sender=model, dispatch_uid=f"page_cache_shown_{model.__name__}")
