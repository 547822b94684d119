"""Security headers that Django has no setting for, and the client address for login throttling."""

from django.conf import settings
from django.http import HttpRequest


def _permissions_policy(policy: dict[str, list[str]]) -> str:
    def origins(values: list[str]) -> str:
        return " ".join(value if value == "self" else f'"{value}"' for value in values)

    return ", ".join(f"{feature}=({origins(values)})" for feature, values in policy.items())


class PermissionsPolicyMiddleware:
    """Adds the Permissions-Policy header of settings.PERMISSIONS_POLICY to every response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = _permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


def client_ip(request: HttpRequest) -> str:
    """The visitor's address: the connection's, or behind TRUSTED_PROXY_COUNT proxies the one
    the outermost of them saw. Addresses further left in X-Forwarded-For are the client's own
    claims and are not believed, or anyone could dodge the login throttle by sending one."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def locked_out(request: HttpRequest, original_response=None, credentials=None):
    """The page shown instead of the login form's answer while a lockout lasts. It is the same
    whether or not the account exists, and names neither the account nor the address."""
    from django.contrib import admin
    from django.shortcuts import render

    minutes = round(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    context = {**admin.site.each_context(request), "title": "Too many failed logins", "minutes": minutes}
    return render(request, "admin/locked_out.html", context, status=429)
