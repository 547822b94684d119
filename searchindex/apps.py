from django.apps import AppConfig


class SearchIndexConfig(AppConfig):
    """The search machinery below the content apps: how names become keys, the indexed words of every
    searchable thing, typo-tolerant lookup and ranking, and the editors' synonyms. The content apps
    feed it; the site's search page and the pose library ask it."""

    name = "searchindex"
    verbose_name = "Search"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import index, signals  # noqa: F401  (connects the synonym signals)

        post_migrate.connect(index.build_if_empty, sender=self)
