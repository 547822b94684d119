"""How a view says that its page may be kept in the shared page cache, and what the page showed.

A view only declares itself cacheable (`@cacheable` on a function or a class-based view, with the
tags of whatever it lists as a whole, such as "list:poses"). The objects a page shows are noted
while it renders (see `shown`), so the page can be dropped when any of them changes. The cache
itself, its keys and which change touches which pages live in `pagecache.pages`.
"""

from contextvars import ContextVar

_shown: ContextVar[set[str] | None] = ContextVar("page_cache_shown", default=None)


def cacheable(*tags: str):
    """Mark a view (function or class) as one whose anonymous GETs may be served from the page cache.
    `tags` name what the page shows besides the objects it loads, e.g. "list:poses" for a list
    whose membership changes when any pose is published."""

    def mark(view):
        view.page_cache_tags = tags
        return view

    return mark


def cache_tags_of(view) -> tuple[str, ...] | None:
    """The tags a view declared with `@cacheable`, or None if it is not cacheable. A class-based
    view is found through the function `as_view()` made (Django notes the class on it)."""
    tags = getattr(view, "page_cache_tags", None)
    if tags is None:
        tags = getattr(getattr(view, "view_class", None), "page_cache_tags", None)
    return tags


def depends_on(*tags: str) -> None:
    """Note that the page being rendered shows what `tags` name (nothing happens outside a cached render)."""
    noted = _shown.get()
    if noted is not None:
        noted.update(tags)


def start_noting() -> tuple[set[str], object]:
    """Begin collecting the tags of a render; returns the set and a token for `stop_noting`."""
    noted: set[str] = set()
    return noted, _shown.set(noted)


def stop_noting(token) -> None:
    _shown.reset(token)


def noting() -> bool:
    return _shown.get() is not None


# The page cache (pagecache.pages) registers its implementations here when it starts, so that the
# apps below it (poses, routines) and the import can use them without importing it.
_backend = {"remember": None, "invalidate": None}


def register(*, remember, invalidate) -> None:
    _backend.update(remember=remember, invalidate=invalidate)


def remember(name: str, tags: tuple[str, ...], compute, *, scheduled: bool = True, noted: bool = True):
    """`compute()`, kept in the shared cache until anything `tags` name changes or, if `scheduled`
    (the value depends on what is published now), scheduled content reaches its time. Without a
    page cache installed, simply `compute()`. With `noted=False` the page being rendered does not
    take on `tags`: the caller notes what the page shows from the value itself (broad tags such as
    "list:poses" would have every change drop the page)."""
    if _backend["remember"] is None:
        return compute()
    if noted:
        return _backend["remember"](name, tags, compute, scheduled=scheduled)
    token = _shown.set(None)
    try:
        return _backend["remember"](name, tags, compute, scheduled=scheduled)
    finally:
        _shown.reset(token)


def invalidate(*tags: str) -> None:
    """Every cached page or value that showed any of `tags` is rendered again on its next request
    ("all" for everything: an import or any write that bypasses the models' signals)."""
    if _backend["invalidate"] is not None:
        _backend["invalidate"](*tags)
