from django import template

from poses.models import address

register = template.Library()


@register.simple_tag
def build_add_url() -> str:
    """Where "Add to my practice" posts: worked out once per process, as a list shows dozens of cards."""
    return address("practice:build_add")
