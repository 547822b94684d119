from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    """How editors' work on poses and routines is kept, checked and published."""

    name = "workflow"
