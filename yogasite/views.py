from django.db import connection
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render
from django.template import loader

from poses.models import Category, Pose
from routines.models import Routine
from workflow.models import public_q


def healthz(request):
    """For load balancers: 200 once the database answers a trivial query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok\n", content_type="text/plain")


def home(request):
    published = public_q("poses__")
    # Meta.ordering does not apply to a query with GROUP BY, hence the explicit order_by.
    categories = (
        Category.objects.annotate(pose_count=Count("poses", filter=published)).filter(pose_count__gt=0).order_by("name")
    )
    featured = list(Pose.objects.published().for_listing().order_by("-published_at", "name")[:8])
    routines = list(Routine.objects.published().for_listing().order_by("-published_at", "title")[:3])
    return render(request, "home.html", {"categories": categories, "featured": featured, "routines": routines})


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors or database here: the error may be the database itself.
    template = loader.get_template("500.html")
    return HttpResponse(template.render(), status=500)
