from django import template

from routines.markdown import render_markdown
from routines.timing import format_duration, iso_duration

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """{{ routine.body|markdown }}: the editor's Markdown, rendered and sanitised."""
    return render_markdown(text)


@register.filter(name="duration")
def duration_filter(seconds):
    """{{ routine.duration_seconds|duration }}: "45 s", "23 min", "1 h 5 min"."""
    return format_duration(seconds)


@register.filter(name="iso_duration")
def iso_duration_filter(seconds):
    """{{ routine.duration_seconds|iso_duration }}: "PT23M", for machine-readable markup."""
    return iso_duration(seconds)
