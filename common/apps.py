from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Machinery the content apps share: list filters, pagination and page metadata."""

    name = "common"
