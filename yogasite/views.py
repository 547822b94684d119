from datetime import timedelta
from urllib.parse import urlparse

from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.static import serve

from common.caching import cacheable, remember
from common.seo import absolute_url
from poses.models import Category, Pose
from routines.models import Routine
from workflow.models import public_q


@require_safe
def healthz(request):
    """For load balancers: 200 once the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok\n", content_type="text/plain")


def _categories_with_poses() -> list[Category]:
    """Categories with their number of published poses (a count over the whole library)."""
    published = public_q("poses__")
    # Meta.ordering does not apply to a query with GROUP BY, hence the explicit order_by.
    categories = Category.objects.annotate(pose_count=Count("poses", filter=published)).filter(pose_count__gt=0)
    return list(categories.order_by("name"))


@require_safe
@cacheable("list:poses", "list:routines")
def home(request):
    categories = remember("home:categories", ("list:poses",), _categories_with_poses)
    featured = list(Pose.objects.published().for_listing().order_by("-published_at", "name")[:8])
    routines = list(Routine.objects.published().for_listing().order_by("-published_at", "title")[:3])
    return render(request, "home.html", {"categories": categories, "featured": featured, "routines": routines})


@require_safe
def robots_txt(request):
    """Everything public may be crawled; the admin is not for robots. Names the sitemap."""
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {absolute_url(request, reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def security_txt(request):
    """RFC 9116: where to report a vulnerability. It says it expires in a year from today, as it
    is written fresh for every request from the contact in the settings."""
    host = urlparse(absolute_url(request, "/")).hostname or "localhost"
    contact = settings.SECURITY_CONTACT or f"mailto:security@{host}"
    expires = (timezone.now() + timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: {contact}",
        f"Expires: {expires.isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {absolute_url(request, request.path)}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


# Stored pictures are named by their content (poses/images.py): a name never shows other bytes.
IMMUTABLE = "public, max-age=31536000, immutable"


@require_safe
def media(request, path):
    """Media from MEDIA_ROOT when the app serves it (SERVE_MEDIA), cached for a year like a CDN would."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    if response.status_code == 200:
        response["Cache-Control"] = IMMUTABLE
    return response


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: the error may be the database itself.
    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
