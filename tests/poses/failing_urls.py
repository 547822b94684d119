"""A URL that fails, to see the site's 500 page served."""

from django.urls import path

from yogasite.urls import handler404, handler500, urlpatterns  # noqa: F401


def boom(request):
    raise RuntimeError("boom")


urlpatterns = [path("boom/", boom), *urlpatterns]
