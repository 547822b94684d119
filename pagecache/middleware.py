"""HTTP side of the page cache: serve anonymous GETs of cacheable views from the shared cache,
gzip them, give them an ETag and CDN-friendly Cache-Control, answer conditional GETs with 304;
and mark everything an editor sees (signed in, or the admin) private, no-store and noindex.

The middleware stands near the top of the stack (after security and static files): a stored page
is answered before sessions, CSRF, authentication, messages, URL resolving and the view, with
the headers the rest of the stack gave it when it was rendered (CSP, framing, permissions)."""

import hashlib
import re
import time

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_vary_headers
from django.utils.text import compress_string

from common.caching import cache_tags_of, start_noting, stop_noting

from . import pages

ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Below this, gzip costs more than it saves.
MIN_GZIP_BYTES = 200
# Headers this middleware writes itself on every copy it serves, or that must never be shared.
OWN_HEADERS = frozenset(
    {"content-type", "content-length", "content-encoding", "etag", "cache-control", "vary", "set-cookie", "expires"}
)
# Never in the cache: the admin, and what WhiteNoise or the web server serve.
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/")


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._may_share(request) and settings.PAGE_CACHE:
            lookup = pages.look_up(request)
            if lookup.entry is not None:
                return self._respond(request, lookup.entry)
            request._page_cache_lookup = lookup
        try:
            response = self.get_response(request)
        finally:
            token = getattr(request, "_page_cache_noting", None)
            if token is not None:
                stop_noting(token)
        if getattr(request, "_page_cache_public", False):
            if response.status_code == 200 and not response.streaming and not response.cookies:
                return self._public(request, response)
        elif self._private(request):
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    @staticmethod
    def _may_share(request) -> bool:
        # Anyone with a session may be an editor, who sees drafts and banners: never the shared copy.
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(SKIPPED_PREFIXES)
        )

    def process_view(self, request, view_func, view_args, view_kwargs):
        if cache_tags_of(view_func) is None or not self._may_share(request):
            return None
        request._page_cache_public = True
        if getattr(request, "_page_cache_lookup", None) is not None:
            request._page_cache_shown, request._page_cache_noting = start_noting()
            request._page_cache_declared = cache_tags_of(view_func)
        return None

    @staticmethod
    def _private(request) -> bool:
        if request.path.startswith("/admin/"):
            return True
        user = getattr(request, "user", None)
        return settings.SESSION_COOKIE_NAME in request.COOKIES and user is not None and user.is_authenticated

    def _public(self, request, response):
        body = response.content
        lookup = getattr(request, "_page_cache_lookup", None)
        storing = lookup is not None and hasattr(request, "_page_cache_shown")
        # Gzipped for the cache, or for this client if it takes it; not for nobody.
        wanted = storing or ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        gzipped = compress_string(body) if wanted and len(body) >= MIN_GZIP_BYTES else None
        etag = '"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"'
        headers = tuple((name, value) for name, value in response.items() if name.lower() not in OWN_HEADERS)
        entry = pages.Entry(body, gzipped, response["Content-Type"], etag, {}, None, headers)
        if storing:
            tags = set(request._page_cache_shown) | set(request._page_cache_declared)
            stored = pages.store(
                lookup,
                body=body,
                gzipped=gzipped,
                content_type=entry.content_type,
                etag=etag,
                tags=tags,
                headers=headers,
            )
            entry = stored or entry
        return self._respond(request, entry, response)

    @staticmethod
    def _respond(request, entry: pages.Entry, response=None):
        """The stored page as a response: gzipped if the client takes it, 304 if it has it already."""
        use_gzip = entry.gzipped is not None and ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", ""))
        if response is None:
            response = HttpResponse(content_type=entry.content_type)
            for name, value in getattr(entry, "headers", ()):
                response[name] = value
        response.content = entry.gzipped if use_gzip else entry.body
        if use_gzip:
            response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))
        response["ETag"] = entry.etag
        max_age = min(settings.PAGE_CACHE_MAX_AGE, entry.expires_in(time.time()))
        response["Cache-Control"] = f"public, max-age={max_age}, stale-while-revalidate={settings.PAGE_CACHE_STALE}"
        patch_vary_headers(response, ("Accept-Encoding", "Cookie"))
        return get_conditional_response(request, etag=entry.etag, response=response)
