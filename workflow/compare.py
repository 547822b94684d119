"""Two saved versions of a pose or a routine side by side: which fields differ, and which parts (steps,
muscles, images, …) were added, removed, changed or moved between them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from reversion.models import Version
from taggit.managers import TaggableManager

POSITION = "position"


@dataclass
class FieldChange:
    label: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass
class PartRow:
    """One part (a step, a muscle, …) in either version: `state` is added, removed, changed, moved or same."""

    state: str
    before: str
    after: str
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class PartGroup:
    name: str
    rows: list[PartRow]

    @property
    def changed(self) -> bool:
        return any(row.state != "same" for row in self.rows)


@dataclass
class Comparison:
    fields: list[FieldChange]
    parts: list[PartGroup]

    @property
    def changed_fields(self) -> list[FieldChange]:
        return [f for f in self.fields if f.changed]


class _Snapshot:
    """An object as one version kept it: its field values and its related objects' (m2m) ids."""

    def __init__(self, version: Version):
        deserialized = version._object_version
        self.version = version
        self.object = deserialized.object
        self.m2m = {name: list(values) for name, values in (deserialized.m2m_data or {}).items()}


def _shown_fields(model, *, skip: set[str]) -> list[models.Field]:
    """The fields an editor sets; a many-to-many kept through a model of its own (a pose's muscles) is
    compared as parts instead."""
    fields = [f for f in model._meta.concrete_fields if f.editable and not f.primary_key and f.name not in skip]
    for f in model._meta.many_to_many:
        through = getattr(f.remote_field, "through", None)
        if f.name not in skip and (isinstance(f, TaggableManager) or through is None or through._meta.auto_created):
            fields.append(f)
    return fields


def _related_names(snapshots: list[_Snapshot], fields: list[models.Field]) -> dict:
    """{(model, pk): name} for every object the snapshots point to, one query per related model."""
    wanted: dict[type, set] = defaultdict(set)
    for snapshot in snapshots:
        for f in fields:
            if f.many_to_many and f.name in snapshot.m2m and f.related_model is not None:
                wanted[f.related_model].update(v for v in snapshot.m2m[f.name] if not isinstance(v, str) or v.isdigit())
            elif f.many_to_one:
                value = getattr(snapshot.object, f.attname, None)
                if value is not None:
                    wanted[f.related_model].add(value)
    names = {}
    for model, pks in wanted.items():
        for obj in model._base_manager.filter(pk__in=pks):
            names[(model, str(obj.pk))] = str(obj)
    return names


def _display(snapshot: _Snapshot, f: models.Field, names: dict) -> str:
    if f.many_to_many:
        values = snapshot.m2m.get(f.name)
        if values is None:
            return "—"
        shown = [names.get((f.related_model, str(v)), str(v)) for v in values]
        return ", ".join(sorted(shown)) or "—"
    value = getattr(snapshot.object, f.attname, None)
    if f.many_to_one:
        return "—" if value is None else names.get((f.related_model, str(value)), f"(deleted, #{value})")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value)) if value not in (None, "") else "—"
    if isinstance(f, models.DateTimeField) and value:
        return date_format(timezone.localtime(value), "j M Y, H:i")
    if isinstance(f, models.BooleanField):
        return "yes" if value else "no"
    if isinstance(f, models.FileField):
        return str(value) if value else "—"
    if value in (None, ""):
        return "—"
    return str(value)


def _label(f: models.Field) -> str:
    return str(f.verbose_name)


def compare_versions(before: Version, after: Version) -> Comparison:
    """Compare two versions of the same object, each with the parts its revision kept."""
    model = before._model
    old, new = _Snapshot(before), _Snapshot(after)
    skip = {"created_at", "updated_at", "search_names"}
    fields = _shown_fields(model, skip=skip)
    names = _related_names([old, new], fields)
    field_rows = [FieldChange(_label(f), _display(old, f, names), _display(new, f, names)) for f in fields]
    return Comparison(fields=field_rows, parts=_compare_parts(before, after))


def _parts(version: Version) -> dict[type, dict[str, _Snapshot]]:
    grouped: dict[type, dict[str, _Snapshot]] = defaultdict(dict)
    for part in version.revision.version_set.exclude(pk=version.pk).select_related("content_type"):
        if part._model is None:
            continue
        grouped[part._model][part.object_id] = _Snapshot(part)
    return grouped


def _order(parts: dict[str, _Snapshot]) -> list[str]:
    def key(pk):
        obj = parts[pk].object
        return (getattr(obj, "role", ""), getattr(obj, POSITION, 0) or 0, int(pk) if pk.isdigit() else 0)

    return sorted(parts, key=key)


def _compare_parts(before: Version, after: Version) -> list[PartGroup]:
    old_parts, new_parts = _parts(before), _parts(after)
    groups = []
    owner = before._model
    for model in sorted(set(old_parts) | set(new_parts), key=lambda m: m._meta.verbose_name_plural):
        olds, news = old_parts.get(model, {}), new_parts.get(model, {})
        skip = {POSITION} | {f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model is owner}
        fields = _shown_fields(model, skip=skip)
        names = _related_names([*olds.values(), *news.values()], fields)
        kept_old = [pk for pk in _order(olds) if pk in news]
        kept_new = [pk for pk in _order(news) if pk in olds]
        moved = _moved(kept_old, kept_new)
        rows = []
        for pk in _order(news) + [pk for pk in _order(olds) if pk not in news]:
            if pk not in olds:
                rows.append(PartRow("added", "", news[pk].version.object_repr))
                continue
            if pk not in news:
                rows.append(PartRow("removed", olds[pk].version.object_repr, ""))
                continue
            changes = [
                FieldChange(_label(f), _display(olds[pk], f, names), _display(news[pk], f, names)) for f in fields
            ]
            changes = [c for c in changes if c.changed]
            state = "changed" if changes else "moved" if pk in moved else "same"
            rows.append(PartRow(state, olds[pk].version.object_repr, news[pk].version.object_repr, changes))
        groups.append(PartGroup(str(model._meta.verbose_name_plural), rows))
    return groups


def _moved(before: list[str], after: list[str]) -> set[str]:
    """The parts that changed places: those outside a longest run that kept its order."""
    index = {pk: n for n, pk in enumerate(before)}
    sequence = [index[pk] for pk in after]
    # Longest increasing subsequence, kept small: parts of one pose or routine number in the tens.
    best: list[list[int]] = []
    for n, value in enumerate(sequence):
        candidates = [run for run in best if sequence[run[-1]] < value]
        longest = max(candidates, key=len, default=[])
        best.append([*longest, n])
    keep = {after[n] for n in max(best, key=len, default=[])}
    return {pk for pk in after if pk not in keep}
