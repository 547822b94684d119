"""The site's activity log: who published, unpublished, scheduled, reverted, deleted, recovered or
imported what, and when."""

from django.contrib.contenttypes.models import ContentType

from .models import Activity


def record(kind: str, obj=None, *, user=None, note: str = "", model=None) -> Activity:
    """Add one line to the activity log about `obj` (or about a `model` as a whole, for an import)."""
    model = model or (type(obj) if obj is not None else None)
    return Activity.objects.create(
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(model) if model is not None else None,
        object_id=obj.pk if obj is not None else None,
        object_repr=str(obj)[:200] if obj is not None else "",
        note=note,
    )
