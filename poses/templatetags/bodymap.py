from collections.abc import Iterable

from django import template
from django.utils.safestring import SafeString

from poses.bodymap import render_body_map, render_legend

register = template.Library()


def _slugs(items: Iterable | None) -> list[str]:
    """Slugs from Muscle objects, pose-muscle links (which carry `.muscle`) or plain slugs."""
    slugs = []
    for item in items or ():
        item = getattr(item, "muscle", item)
        slugs.append(getattr(item, "slug", item))
    return [slug for slug in slugs if isinstance(slug, str)]


@register.simple_tag
def body_map(primary=None, secondary=None, label=None, id_prefix=None) -> SafeString:
    """{% body_map primary=pose_primary_muscles secondary=pose_secondary_muscles %}"""
    return render_body_map(primary=_slugs(primary), secondary=_slugs(secondary), label=label, id_prefix=id_prefix)


@register.simple_tag
def body_map_legend() -> SafeString:
    return render_legend()
