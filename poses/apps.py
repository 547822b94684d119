from django.apps import AppConfig


class PosesConfig(AppConfig):
    name = "poses"
    verbose_name = "Pose library"

    def ready(self):
        from . import search

        search.connect()
