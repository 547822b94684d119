"""sitemap.xml: the public poses, routines and muscles, each with the time its page last changed.

Only what visitors can see is listed (`published()`): never a draft or a scheduled item."""

from urllib.parse import urlparse

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.db.models.functions import Greatest
from django.utils import timezone

from poses.models import Muscle, Pose, Status
from routines.models import Routine


class SiteSitemap(Sitemap):
    """URLs on SITE_URL when it is set, otherwise on the host the request came to."""

    def get_protocol(self, protocol=None):
        return urlparse(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlparse(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class PublishedSitemap(SiteSitemap):
    model = None

    def items(self):
        # A scheduled item's page changes when it appears, which may be after its last edit.
        return (
            self.model.objects.published()
            .annotate(changed=Greatest("updated_at", "published_at"))
            .order_by("pk")
            .only("slug", "updated_at", "published_at")
        )

    def lastmod(self, item):
        return item.changed


class PoseSitemap(PublishedSitemap):
    model = Pose


class RoutineSitemap(PublishedSitemap):
    model = Routine


class MuscleSitemap(SiteSitemap):
    def items(self):
        """Muscles that at least one public pose works; a muscle page changes with its poses."""
        public = Q(pose_muscles__pose__status=Status.PUBLISHED, pose_muscles__pose__published_at__lte=timezone.now())
        return (
            Muscle.objects.annotate(
                changed=Max(
                    Greatest("pose_muscles__pose__updated_at", "pose_muscles__pose__published_at"), filter=public
                )
            )
            .filter(changed__isnull=False)
            .order_by("name")
        )

    def lastmod(self, item):
        return item.changed


SITEMAPS = {"poses": PoseSitemap, "routines": RoutineSitemap, "muscles": MuscleSitemap}
