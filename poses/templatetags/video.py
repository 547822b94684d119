from django import template

from poses.video import embed_url, video_host

register = template.Library()


@register.inclusion_tag("includes/video.html")
def video_embed(url: str, title: str, heading_id: str = "video-title"):
    """A click-to-load video: a placeholder with a link to the video's page, turned into the
    embedded player by static/js/video.js only when the visitor presses Play."""
    return {"url": url, "title": title, "host": video_host(url), "embed": embed_url(url), "heading_id": heading_id}
