from django import template

from routines.markdown import render_markdown
from routines.timing import format_duration, iso_duration, step_seconds

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


@register.filter(name="step_duration")
def step_duration_filter(step, breath_seconds=None):
    """{{ step|step_duration }} or {{ step|step_duration:routine.breath_seconds }}: how long the step lasts."""
    if breath_seconds is None:
        breath_seconds = step.routine.breath_seconds
    return format_duration(step_seconds(step, breath_seconds))
