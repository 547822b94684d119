from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.views.decorators.http import require_safe

from workflow.presence import presence_view

from . import content_admin, views
from .feeds import NewContentFeed
from .sitemaps import SITEMAPS

admin.site.site_header = f"{settings.SITE_NAME} editors"
admin.site.site_title = f"{settings.SITE_NAME} admin"
admin.site.index_title = "Content"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/presence/", admin.site.admin_view(presence_view), name="editing-presence"),
    path("admin/content/import/", admin.site.admin_view(content_admin.import_view), name="content-import"),
    path("admin/content/export/", admin.site.admin_view(content_admin.export_view), name="content-export"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("feed/", require_safe(NewContentFeed()), name="feed"),
    path(".well-known/security.txt", views.security_txt, name="security_txt"),
    path("admin/", admin.site.urls),
    path("", include("poses.urls")),
    path("routines/", include("routines.urls")),
    path("search/", include("search.urls")),
    path("authors/", include("routines.author_urls")),
    path("practice/", include("practice.urls")),
    path("", include("webapp.urls")),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", views.media, name="media"),
    ]

handler404 = "yogasite.views.page_not_found"
handler500 = "yogasite.views.server_error"
