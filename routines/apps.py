from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"

    def ready(self):
        from . import search

        search.connect()
