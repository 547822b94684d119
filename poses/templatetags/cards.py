"""Pose cards, rendered from the values they show. A list shows dozens of cards and a template takes a
while over each, so a card is rendered once per process for the values it shows and kept: the values are
the key, so a change to any of them (a new name, picture or category) gives a new card."""

from functools import lru_cache

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

register = template.Library()

FIELDS = ("slug", "name", "sanskrit", "url", "level", "level_label", "category", "image", "heading", "note", "props")


def card_values(pose, heading: str = "h3", note: str = "", show_props: bool = False) -> tuple:
    """Everything a pose's card shows, as a tuple in the order of FIELDS. `pose` comes from for_listing()
    (with its category and pictures); `show_props` lists its props (prefetch pose.equipment)."""
    image = pose.main_image
    picture = (image.src, image.srcset, image.width, image.height, image.alt) if image else None
    props = tuple(item.name for item in pose.equipment.all()) if show_props else None
    return (
        pose.slug,
        pose.name,
        pose.sanskrit_name,
        pose.get_absolute_url(),
        pose.level,
        pose.get_level_display(),
        pose.category.name if pose.category else "",
        picture,
        heading or "h3",
        note or "",
        props,
    )


@lru_cache(maxsize=4096)
def render_card(values: tuple) -> str:
    card = dict(zip(FIELDS, values, strict=True))
    if card["image"]:
        card["image"] = dict(zip(("src", "srcset", "width", "height", "alt"), card["image"], strict=True))
    return get_template("includes/pose_card.html").render({"card": card})


@register.simple_tag
def pose_card(pose, heading: str = "h3", note: str = "", show_props: bool = False) -> str:
    """{% pose_card pose heading="h2" note="…" show_props=True %}: one pose in a grid of cards."""
    return mark_safe(render_card(card_values(pose, heading, note, show_props)))
