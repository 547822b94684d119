from django import template

from common import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def absolute_url(context, path=""):
    """{% absolute_url path %}: an absolute URL for `path`; without one, for this page."""
    return seo.absolute_url(context.get("request"), str(path or ""))


@register.filter
def jsonld(data):
    """{{ data|jsonld }}: a JSON-LD script element that no text inside `data` can break out of."""
    return seo.jsonld_script(data) if data else ""


@register.simple_tag(takes_context=True)
def breadcrumb_jsonld(context, crumbs):
    """{% breadcrumb_jsonld crumbs %}: BreadcrumbList JSON-LD for (name, path) pairs."""
    return seo.jsonld_script(seo.breadcrumb_list(context.get("request"), crumbs))
