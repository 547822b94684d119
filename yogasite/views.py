from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.static import serve

from common.caching import cacheable
from poses.models import Category, Pose, Status
from routines.models import Routine


def healthz(request):
    """For load balancers: 200 once the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok\n", content_type="text/plain")


@cacheable("list:poses", "list:routines")
def home(request):
    published = Q(poses__status=Status.PUBLISHED, poses__published_at__lte=timezone.now())
    # Meta.ordering does not apply to a query with GROUP BY, hence the explicit order_by.
    categories = (
        Category.objects.annotate(pose_count=Count("poses", filter=published)).filter(pose_count__gt=0).order_by("name")
    )
    featured = list(Pose.objects.published().for_listing().order_by("-published_at", "name")[:8])
    routines = list(Routine.objects.published().for_listing().order_by("-published_at", "title")[:3])
    return render(request, "home.html", {"categories": categories, "featured": featured, "routines": routines})


# Stored pictures are named by their content (poses/images.py): a name never shows other bytes.
IMMUTABLE = "public, max-age=31536000, immutable"


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
