"""A draft as data: a pose or a routine with all its parts, serialized the way History keeps a
version, so that it can be stored without touching the live rows and applied later.

`snapshot(obj)` serializes what the database holds now; `apply(obj, data)` writes a snapshot back,
deleting the parts the snapshot does not have. Drafts are made inside a transaction that is rolled
back (`rolled_back()`): the admin saves the form as usual, the snapshot is taken, and nothing stays.
"""

import json
from contextlib import contextmanager
from itertools import groupby

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.db import connection, models, transaction
from django.db.models.deletion import Collector
from reversion.models import Version, _safe_revert
from reversion.revisions import _follow_relations_recursive, _get_options


class _RolledBack(Exception):
    pass


class Rollback:
    """What a rolled-back block leaves behind: set `value` inside, read it after."""

    value = None


@contextmanager
def rolled_back():
    """Run the block in a transaction that is always rolled back: `with rolled_back() as result:`.
    Whatever the block puts in `result.value` survives."""
    result = Rollback()
    try:
        with transaction.atomic():
            yield result
            raise _RolledBack
    except _RolledBack:
        pass


def snapshot(obj: models.Model) -> list[dict]:
    """`obj` and every part History follows, as stored now, serialized like a version."""
    fresh = type(obj)._default_manager.get(pk=obj.pk)
    objects = sorted(_follow_relations_recursive(fresh), key=lambda o: (o is not fresh, o._meta.label, o.pk))
    data = []
    for item in objects:
        options = _get_options(type(item))
        data.append(
            {
                "model": item._meta.label_lower,
                "pk": str(item.pk),
                "format": options.format,
                "data": serializers.serialize(options.format, (item,), fields=options.fields),
            }
        )
    return data


def reserve_ids(data: list[dict]) -> None:
    """Rows that only a draft has got their ids in a transaction that was rolled back. PostgreSQL never
    hands a sequence value out twice; SQLite's counter rolls back with the transaction, so move it past
    them, or a later row could take an id the draft will need."""
    if connection.vendor != "sqlite":
        return
    highest: dict[str, int] = {}
    for item in data:
        table = _model(item)._meta.db_table
        if item["pk"].isdigit():
            highest[table] = max(highest.get(table, 0), int(item["pk"]))
    with connection.cursor() as cursor:
        for table, pk in highest.items():
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s AND seq < %s", [pk, table, pk])
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) SELECT %s, %s WHERE NOT EXISTS "
                "(SELECT 1 FROM sqlite_sequence WHERE name = %s)",
                [table, pk, table],
            )


def _model(item: dict) -> type[models.Model]:
    app_label, model_name = item["model"].split(".")
    return ContentType.objects.get_by_natural_key(app_label, model_name).model_class()


@transaction.atomic
def apply(obj: models.Model, data: list[dict]) -> None:
    """Make the database hold the snapshot `data` of `obj`: its fields and parts as they were, and
    none of the parts added since. Saved raw, as a version is brought back: no save() logic runs and
    the stored times stay as they were in the snapshot."""
    versions = [
        Version(
            content_type=ContentType.objects.get_for_model(_model(item)),
            object_id=item["pk"],
            db="default",
            format=item["format"],
            serialized_data=item["data"],
        )
        for item in data
    ]
    wanted = {(item["model"], item["pk"]) for item in data}
    current = _follow_relations_recursive(type(obj)._default_manager.get(pk=obj.pk))
    extra = [o for o in current if (o._meta.label_lower, str(o.pk)) not in wanted]
    collector = Collector(using="default")
    for _model_class, group in groupby(sorted(extra, key=lambda o: o._meta.label), type):
        collector.collect(list(group))
    collector.delete()
    _safe_revert(versions)


def field_value(data: list[dict], obj: models.Model, name: str):
    """The value of one field of `obj` itself in the snapshot `data` (as serialized)."""
    for item in data:
        if item["model"] == obj._meta.label_lower and item["pk"] == str(obj.pk):
            return json.loads(item["data"])[0]["fields"].get(name)
    return None
