"""Who else is editing a page: each open change form sends a heartbeat (admin/yogasite/presence.js); the
answer names the other editors on the same page and since when. Nothing is locked: the notice only tells,
and the edit-conflict check still guards the save."""

import re
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from .models import EditingPresence

# A page not heard from for this long is no longer being edited (the heartbeat comes every 20 seconds).
STALE_AFTER = timedelta(seconds=60)
CHANGE_PAGE = re.compile(r"^/admin/[\w-]+/[\w-]+/[^/]+/change/$")


def others_editing(*, page: str, user) -> list[EditingPresence]:
    """The other editors with `page` open now, the longest-standing first."""
    fresh = timezone.now() - STALE_AFTER
    return list(
        EditingPresence.objects.filter(page=page, seen_at__gte=fresh)
        .exclude(user=user)
        .select_related("user")
        .order_by("started_at")
    )


def heartbeat(*, page: str, user) -> EditingPresence:
    """Record that `user` has `page` open; a session that went stale starts again."""
    now = timezone.now()
    with transaction.atomic():
        presence = EditingPresence.objects.select_for_update().filter(user=user, page=page).first()
        if presence is None:
            try:
                with transaction.atomic():
                    return EditingPresence.objects.create(user=user, page=page, started_at=now, seen_at=now)
            except IntegrityError:
                presence = EditingPresence.objects.get(user=user, page=page)
        if presence.seen_at < now - STALE_AFTER:
            presence.started_at = now
        presence.seen_at = now
        presence.save(update_fields=["started_at", "seen_at"])
    # Rows of pages long closed are of no use to anyone.
    EditingPresence.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return presence


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _since(moment) -> str:
    local = timezone.localtime(moment)
    return date_format(local, "H:i" if local.date() == timezone.localdate() else "j M, H:i")


@require_POST
def presence_view(request):
    """POST page=<change page address> (and left=1 when the page closes): the other editors on that page."""
    page = request.POST.get("page", "")
    if not CHANGE_PAGE.match(page):
        return HttpResponseBadRequest("Not a change page.")
    if request.POST.get("left"):
        EditingPresence.objects.filter(user=request.user, page=page).delete()
        return JsonResponse({"others": []})
    heartbeat(page=page, user=request.user)
    others = [
        {"name": _name(p.user), "since": p.started_at.isoformat(), "since_text": _since(p.started_at)}
        for p in others_editing(page=page, user=request.user)
    ]
    return JsonResponse({"others": others})
