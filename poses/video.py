"""Video links: which service a link points at and the address of its embeddable player.

The model accepts only https links to YouTube or Vimeo (poses.models.validate_video_url).
Pages show a placeholder and load the player only when the visitor asks for it, so no
request leaves the site before that click.
"""

import re
from urllib.parse import parse_qs, urlparse

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")


def video_host(url: str) -> str:
    """ "YouTube" or "Vimeo", for link texts."""
    if not url:
        return ""
    host = (urlparse(url).hostname or "").lower()
    return "Vimeo" if host == "vimeo.com" or host.endswith(".vimeo.com") else "YouTube"


def embed_url(url: str) -> str:
    """The embeddable player for a YouTube or Vimeo page, or "" when the link names no video."""
    parts = urlparse(url or "")
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if host == "youtu.be" and segments:
        video_id = segments[0]
    elif host.endswith("youtube.com"):
        if segments[:1] in (["embed"], ["shorts"], ["live"]) and len(segments) > 1:
            video_id = segments[1]
        else:
            video_id = (parse_qs(parts.query).get("v") or [""])[0]
    elif host.endswith("vimeo.com"):
        numbers = [s for s in segments if s.isdigit()]
        return f"https://player.vimeo.com/video/{numbers[-1]}?dnt=1" if numbers else ""
    else:
        return ""
    # The privacy-enhanced host sets no cookies until the visitor plays the video.
    return f"https://www.youtube-nocookie.com/embed/{video_id}" if _YOUTUBE_ID.match(video_id) else ""
