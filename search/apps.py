from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The site's search page: poses, routines and muscles found together, from the search index."""

    name = "search"
