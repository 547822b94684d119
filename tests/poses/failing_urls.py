"""URLs that fail, to see the site's 500 and 503 pages served."""

from django.urls import path

from yogasite.urls import handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("boom")


def locked(request):
    from django.db import OperationalError

    raise OperationalError("database is locked")


urlpatterns = [path("boom/", boom), path("locked/", locked), *urlpatterns]
