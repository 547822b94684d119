from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from common.seo import absolute_url
from poses.models import Category, Muscle, Pose
from poses.search import MUSCLE, POSE
from poses.views import HOME
from routines.models import Routine
from routines.search import ROUTINE
from searchindex.query import COUNTED, nearest
from searchindex.query import search as find

MAX_QUERY = 100
# A group shows this many; for more poses, the library lists them all (it searches the same way). Groups
# are counted up to searchindex.query.COUNTED, the poses shown ("24+").
SHOWN = {POSE: COUNTED, ROUTINE: 12, MUSCLE: 12}


def scopes() -> dict:
    """What each kind of search result may be drawn from: only what visitors may see."""
    return {POSE: Pose.objects.published(), ROUTINE: Routine.objects.published(), MUSCLE: Muscle.objects.all()}


def listings() -> dict:
    """The querysets that load found things for display, with what their cards need."""
    return {
        POSE: Pose.objects.published().for_listing(),
        ROUTINE: Routine.objects.published().for_listing(),
        MUSCLE: Muscle.objects.all(),
    }


def clean_query(raw: str) -> str:
    return " ".join(raw.replace("\x00", " ").split())[:MAX_QUERY]


@require_safe
def search(request):
    """/search/?q=: poses, routines and muscles that match, each group best first. When nothing
    matches: the nearest names and the categories to browse."""
    query = clean_query(request.GET.get("q", ""))
    outcome = find(query, scopes())
    loaders = listings()
    groups = {}
    for kind in (POSE, ROUTINE, MUSCLE):
        ids = outcome.ids(kind)
        shown = ids[: SHOWN[kind]]
        loaded = {obj.pk: obj for obj in loaders[kind].filter(pk__in=shown)} if shown else {}
        groups[kind] = {
            "count": len(ids),
            "more": kind in outcome.more,
            "items": [loaded[pk] for pk in shown if pk in loaded],
        }
    total = sum(group["count"] for group in groups.values())
    context = {
        "query": query,
        "corrected": outcome.corrected,
        "more": bool(outcome.more),
        "poses": groups[POSE],
        "routines": groups[ROUTINE],
        "muscles": groups[MUSCLE],
        "total": total,
        "more_poses_url": reverse("poses:pose_list") + "?" + urlencode({"q": query}),
        "canonical_path": reverse("search:search"),
        "breadcrumbs": [HOME, ("Search", None)],
        "website": website_jsonld(request),
    }
    if query and not total:
        context["suggestions"] = suggestions(outcome)
        context["categories"] = categories()
    return render(request, "search/search.html", context)


def website_jsonld(request) -> dict:
    """schema.org WebSite with its search, so that search engines can offer a search box for the site."""
    target = absolute_url(request, reverse("search:search")) + "?q={search_term_string}"
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "url": absolute_url(request, "/"),
        "potentialAction": {
            "@type": "SearchAction",
            "target": target,
            "query-input": "required name=search_term_string",
        },
    }


def suggestions(outcome) -> list:
    """The names nearest to a search that found nothing, as (name, url) pairs."""
    visible = scopes()
    hits = nearest(outcome, visible)
    found = {}
    for kind in sorted({hit.kind for hit in hits}):
        ids = [hit.object_id for hit in hits if hit.kind == kind]
        found.update({(kind, obj.pk): obj for obj in visible[kind].filter(pk__in=ids)})
    named = []
    for hit in hits:
        obj = found.get((hit.kind, hit.object_id))
        if obj is not None:
            named.append((getattr(obj, "title", None) or obj.name, obj.get_absolute_url()))
    return named


def categories():
    """Categories with published poses, to browse when a search finds nothing. Not counted: a count
    reads every pose, and a search that found nothing should stay cheap in a large library."""
    published = Pose.objects.published().filter(category=OuterRef("pk"))
    return Category.objects.filter(Exists(published)).order_by("name")
