"""E-mail between the two sides of a review: Contributors submit, Editors publish or send back."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.db.models import Q

from .roles import publish_codename


def publishers(model) -> list[str]:
    """The addresses of the active people who may publish `model`."""
    permission = Permission.objects.filter(
        content_type__app_label=model._meta.app_label, codename=publish_codename(model)
    ).first()
    allowed = Q(is_superuser=True)
    if permission is not None:
        allowed |= Q(groups__permissions=permission) | Q(user_permissions=permission)
    users = get_user_model().objects.filter(allowed, is_active=True).exclude(email="").distinct()
    return sorted(set(users.values_list("email", flat=True)))


def _send(subject: str, body: str, to: list[str]) -> None:
    if to:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to, fail_silently=True)


def _link(url: str) -> str:
    return settings.SITE_URL.rstrip("/") + url


def notify_submitted(*, obj, user, note: str, admin_url: str) -> None:
    name = user.get_full_name() or user.get_username()
    body = f"{name} submitted “{obj}” for review.\n\n"
    if note:
        body += f"Their note:\n{note}\n\n"
    body += f"Preview it, then publish it or send it back: {_link(admin_url)}\n"
    _send(f"For review: {obj}", body, [e for e in publishers(type(obj)) if e != user.email])


def notify_sent_back(*, obj, user, author, comment: str, admin_url: str) -> None:
    if author is None or not author.email:
        return
    name = user.get_full_name() or user.get_username()
    body = f"{name} sent “{obj}” back to you.\n\n"
    if comment:
        body += f"Their comment:\n{comment}\n\n"
    body += f"Your draft is kept as it was: {_link(admin_url)}\n"
    _send(f"Sent back: {obj}", body, [author.email])


def notify_published(*, obj, user, author, admin_url: str) -> None:
    if author is None or not author.email or (user is not None and author.pk == user.pk):
        return
    who = (user.get_full_name() or user.get_username()) if user is not None else "The schedule"
    body = f"{who} published “{obj}”, which you submitted for review.\n\n{_link(obj.get_absolute_url())}\n"
    _send(f"Published: {obj}", body, [author.email])
