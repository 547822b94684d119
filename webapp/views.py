from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

# The light theme's background and accent, as site.css has them.
BACKGROUND = "#f7f4ee"
THEME = "#2f6650"


@require_safe
@cache_control(max_age=3600, public=True)
def manifest(request):
    """The web app manifest: what a phone needs to put the site on its home screen."""
    icons = [
        {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": static("icons/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        {"src": static("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml", "purpose": "any"},
    ]
    data = {
        "name": settings.SITE_NAME,
        "short_name": settings.SITE_NAME,
        "description": "Yoga poses and routines to follow on the mat, also offline.",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": BACKGROUND,
        "theme_color": THEME,
        "icons": icons,
        "shortcuts": [{"name": "My practice", "url": "/practice/"}, {"name": "Routines", "url": "/routines/"}],
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
@cache_control(no_cache=True)
def service_worker(request):
    """The service worker, served from the root so that its scope covers every page. Always checked
    afresh (no-cache), so a new version reaches practitioners on their next visit."""
    response = render(request, "webapp/sw.js", content_type="text/javascript")
    response["Service-Worker-Allowed"] = "/"
    return response


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("icons/favicon.ico"), permanent=True)
