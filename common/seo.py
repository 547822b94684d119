"""What search engines and link previews read: absolute URLs and JSON-LD."""

import json

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

# As in Django's json_script: with these escaped, no text inside the data can close the
# <script> element or start an HTML comment, whatever an editor typed.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def absolute_url(request, path: str = "") -> str:
    """`path` (default: the requested page, without its query) as an absolute URL on
    SITE_URL when that is set, otherwise on the host the request came to."""
    if not path:
        path = request.path if request is not None else "/"
    if path.startswith(("https://", "http://")):
        return path
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path) if request is not None else path


def jsonld_script(data: dict) -> SafeString:
    """A <script type="application/ld+json"> element holding `data`."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def breadcrumb_list(request, crumbs) -> dict:
    """schema.org BreadcrumbList for `crumbs`, pairs of (name, path); the last may have no path."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": absolute_url(request, path or "")}
            for position, (name, path) in enumerate(crumbs, start=1)
        ],
    }
