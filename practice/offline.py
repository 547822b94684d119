"""What "Save for offline" stores for a practice that lives only in its address (made to measure, or built
by hand): the same kind of list a routine's offline manifest gives, for an in-memory routine."""

from __future__ import annotations

from django.http import JsonResponse
from django.templatetags.static import static

from routines.views import PLAYER_ASSETS, _image_urls

# The practice pages' own files besides the player's.
PRACTICE_ASSETS = [
    "css/search.css",
    "css/record.css",
    "css/practice.css",
    "css/practice-print.css",
    "css/practice-print-long.css",
    "favicon.svg",
    "icons/favicon.ico",
]


def manifest_urls(routine, steps, stops, *, cheatsheet_url: str, play_base: str, finish_url: str) -> list[str]:
    """Every address the practice needs to play with no network, each once: its page
    (`routine.get_absolute_url()`), its cheat sheet, each player stop (`{play_base}{n}/`, as
    `render_player_stop` links them), the finish screen, the pictures of its steps and the files the player
    and the practice pages run on. `steps` are decorated steps, `stops` those of `timing.expand_stops`."""
    urls = [
        routine.get_absolute_url(),
        cheatsheet_url,
        *(f"{play_base}{stop.number}/" for stop in stops),
        finish_url,
        *(static(asset) for asset in [*PLAYER_ASSETS, *PRACTICE_ASSETS]),
    ]
    for step in steps:
        if step.image:
            urls += _image_urls(step.image)
    return list(dict.fromkeys(url for url in urls if url))


def manifest_response(routine, steps, stops, **addresses) -> JsonResponse:
    """The manifest as offline.js reads it: the practice's slug, title, address and `urls`."""
    return JsonResponse(
        {
            "slug": routine.slug,
            "title": routine.title,
            "url": routine.get_absolute_url(),
            "urls": manifest_urls(routine, steps, stops, **addresses),
        }
    )
