from collections.abc import Iterable
from functools import lru_cache

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString

from poses.bodymap import MUSCLES, render_body_map, render_legend
from poses.models import Muscle

register = template.Library()


def _slugs(items: Iterable | None) -> list[str]:
    """Slugs from Muscle objects, pose-muscle links (which carry `.muscle`) or plain slugs."""
    slugs = []
    for item in items or ():
        item = getattr(item, "muscle", item)
        slugs.append(getattr(item, "slug", item))
    return [slug for slug in slugs if isinstance(slug, str)]


def muscle_links() -> tuple[tuple[str, str], ...]:
    """The page of each drawn muscle that the site has (one query), as (slug, address) pairs."""
    return _links(tuple(Muscle.objects.filter(slug__in=list(MUSCLES)).values_list("slug", flat=True)))


@lru_cache(maxsize=64)
def _links(slugs: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((slug, reverse("poses:muscle_detail", args=[slug])) for slug in slugs)


def _next_prefix(context) -> str:
    """A fresh id prefix for each map on a page, counted per request (or per render without one), so
    the same page is the same bytes every time it is rendered."""
    request = context.get("request")
    if request is not None:
        request._body_map_count = getattr(request, "_body_map_count", 0) + 1
        return f"bodymap-{request._body_map_count}"
    count = context.render_context.get("_body_map_count", 0) + 1
    context.render_context["_body_map_count"] = count
    return f"bodymap-{count}"


@register.simple_tag(takes_context=True)
def body_map(context, primary=None, secondary=None, label=None, id_prefix=None, linked=False, current="") -> SafeString:
    """{% body_map primary=pose_primary_muscles secondary=pose_secondary_muscles linked=True %}

    `linked` makes every drawn muscle a link to its page; `current` names the muscle whose page it is.
    """
    return _drawn(
        tuple(_slugs(primary)),
        tuple(_slugs(secondary)),
        label,
        id_prefix or _next_prefix(context),
        muscle_links() if linked else (),
        getattr(current, "slug", current) or "",
    )


# The drawing depends on its arguments alone (the shapes are fixed): each set of them is drawn once per
# process, as pages share a few muscle sets and link targets.
@lru_cache(maxsize=256)
def _drawn(primary, secondary, label, id_prefix, links, current) -> SafeString:
    return render_body_map(
        primary=primary, secondary=secondary, label=label, id_prefix=id_prefix, links=dict(links), current=current
    )


@register.simple_tag
def body_map_legend() -> SafeString:
    return render_legend()
