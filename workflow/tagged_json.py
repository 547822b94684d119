"""Django's JSON serialization, plus each object's tags by name.

The versions kept for the admin's History are stored in this format, so that bringing back an
earlier version of a pose or a routine brings back its tags too: Django's own JSON leaves tags
out, because they are linked through taggit's generic table rather than a plain many-to-many one.
"""

from django.core.serializers import json
from taggit.managers import TaggableManager


def _tag_fields(model):
    fields = model._meta.concrete_model._meta.local_many_to_many
    return [field for field in fields if isinstance(field, TaggableManager)]


class Serializer(json.Serializer):
    def get_dump_object(self, obj):
        data = super().get_dump_object(obj)
        for field in _tag_fields(type(obj)):
            if self.selected_fields is None or field.name in self.selected_fields:
                data["fields"][field.name] = sorted(getattr(obj, field.name).names())
        return data


class Deserializer(json.Deserializer):
    def _handle_m2m_field_node(self, field, field_value):
        if isinstance(field, TaggableManager):
            # Names, which the tag manager's set() takes as they are, creating a tag deleted since.
            return [str(name) for name in field_value]
        return super()._handle_m2m_field_node(field, field_value)
