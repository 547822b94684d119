"""Security headers that Django has no setting for, and the client address for login throttling."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseNotAllowed


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


def allowed_methods(view) -> list[str] | None:
    """The methods `view` answers, as it declares them: a class-based view's handlers, or the list given
    to require_http_methods (require_safe, require_GET, require_POST) on it or on a view it wraps.
    None when it declares nothing."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        methods = [method.upper() for method in view_class.http_method_names if hasattr(view_class, method)]
        # View.setup() answers HEAD with get() on each request; the class itself has no head().
        if "GET" in methods and "HEAD" not in methods:
            methods.insert(methods.index("GET") + 1, "HEAD")
        return methods
    layer, seen = view, set()
    while layer is not None and id(layer) not in seen:
        seen.add(id(layer))
        code, cells = getattr(layer, "__code__", None), getattr(layer, "__closure__", None)
        if code is not None and cells:
            # require_http_methods keeps its list in the closure of the function it returns.
            names = dict(zip(code.co_freevars, cells, strict=False))
            if "request_method_list" in names:
                return list(names["request_method_list"].cell_contents)
        layer = getattr(layer, "__wrapped__", None)
    return None


class AllowedMethodsMiddleware:
    """Answers a method that the view does not serve with 405 and its Allow header, before anything else
    looks at the request (placed before CsrfViewMiddleware, which would refuse a PUT or DELETE with
    403 for lack of a token, hiding that the page never answers it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        methods = allowed_methods(view_func)
        if methods is None or request.method in methods:
            return None
        return HttpResponseNotAllowed(methods)
