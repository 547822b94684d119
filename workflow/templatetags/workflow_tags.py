from django import template

from workflow.admin import review_boxes as boxes

register = template.Library()


@register.inclusion_tag("admin/workflow/review_boxes.html", takes_context=True)
def review_boxes(context):
    """The admin home's "Awaiting review" and "Your drafts" lists."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return {}
    return boxes(request)
