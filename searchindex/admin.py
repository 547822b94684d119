from django.contrib import admin

from workflow.editing import VersionedAdmin, register_versions

from .models import Synonym

register_versions(Synonym)


@admin.register(Synonym)
class SynonymAdmin(VersionedAdmin):
    list_display = ["words", "means"]
    search_fields = ["words", "means"]
    fields = ["words", "means"]
