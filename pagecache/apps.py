from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "page cache"

    def ready(self):
        from common import caching

        from . import pages

        pages.connect()
        caching.register(remember=pages.remember, invalidate=pages.invalidate)
