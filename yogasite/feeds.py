"""The Atom feed of newly published routines and poses."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from poses.models import Pose
from routines.models import Routine

FEED_LENGTH = 20


class NewContentFeed(Feed):
    feed_type = Atom1Feed
    link = "/"
    subtitle = "New routines and poses, the most recent first."

    def title(self):
        return f"{settings.SITE_NAME}: new routines and poses"

    def items(self):
        """The latest public routines and poses together, newest publication first."""
        fields = ("slug", "summary", "published_at", "updated_at")
        routines = list(Routine.objects.published().only("title", *fields).order_by("-published_at")[:FEED_LENGTH])
        poses = list(
            Pose.objects.published().only("name", "sanskrit_name", *fields).order_by("-published_at")[:FEED_LENGTH]
        )
        return sorted(routines + poses, key=lambda item: item.published_at, reverse=True)[:FEED_LENGTH]

    def item_title(self, item):
        kind = "Routine" if isinstance(item, Routine) else "Pose"
        return f"{kind}: {item}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return settings.SITE_URL + item.get_absolute_url()

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)
