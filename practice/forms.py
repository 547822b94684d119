"""The "practice made to measure" form, read from a URL's query string or from a player path token.

A practice's address carries everything that makes it: `?minutes=20&level=beginner&focus=back&props=none
&seed=42` (plus `leave=cobra,tree` for poses left out). The player needs the same in one path segment,
because its script builds each stop's address from a base path: `20_beginner_back_none_none_42` (fields
joined by `_`, list items by `.`; slugs never hold either).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import QueryDict

from poses.models import Category, Equipment, Level, Muscle, Pose

from . import generator

FIELDS = ("minutes", "level", "focus", "props", "leave", "seed")
MAX_SEED = 2**31 - 1


def focus_choices() -> list:
    """Groups people name (back, hips…), then the site's categories and muscles that have published poses."""
    published = Pose.objects.published()
    categories = list(
        Category.objects.filter(poses__in=published).distinct().order_by("name").values_list("slug", "name")
    )
    muscles = list(
        Muscle.objects.filter(pose_muscles__pose__in=published, pose_muscles__role="primary")
        .distinct()
        .order_by("name")
        .values_list("slug", "name")
    )
    groups = [(slug, label) for slug, (label, _, _) in generator.FOCUS_GROUPS.items()]
    return [
        ("any", "The whole body"),
        ("Focus", groups),
        ("Kinds of pose", [(f"category-{slug}", name) for slug, name in categories]),
        ("Muscles", [(f"muscle-{slug}", name) for slug, name in muscles]),
    ]


def focus_for(value: str) -> generator.Focus:
    """The focus a form value names (validated against the choices already)."""
    if value in generator.FOCUS_GROUPS:
        label, categories, muscles = generator.FOCUS_GROUPS[value]
        return generator.Focus(value, label, categories, muscles)
    if value.startswith("category-"):
        slug = value.removeprefix("category-")
        name = Category.objects.filter(slug=slug).values_list("name", flat=True).first() or slug
        return generator.Focus(value, name, categories=frozenset({slug}))
    if value.startswith("muscle-"):
        slug = value.removeprefix("muscle-")
        name = Muscle.objects.filter(slug=slug).values_list("name", flat=True).first() or slug
        return generator.Focus(value, name, muscles=frozenset({slug}))
    return generator.ANY_FOCUS


class PracticeForm(forms.Form):
    minutes = forms.IntegerField(
        label="Length, in minutes",
        min_value=generator.MIN_MINUTES,
        max_value=generator.MAX_MINUTES,
        initial=20,
        error_messages={
            "invalid": "Give the length as a whole number of minutes, from 10 to 60.",
            "min_value": "A practice lasts at least 10 minutes.",
            "max_value": "A practice lasts at most 60 minutes.",
            "required": "Give the length of the practice, from 10 to 60 minutes.",
        },
    )
    level = forms.ChoiceField(
        label="Level",
        choices=Level.choices,
        initial=Level.BEGINNER,
        error_messages={"invalid_choice": "Choose beginner, intermediate or advanced."},
    )
    focus = forms.ChoiceField(
        label="Focus",
        initial="any",
        required=False,
        error_messages={"invalid_choice": "There is no focus called “%(value)s”: choose one from the list."},
    )
    props = forms.MultipleChoiceField(
        label="Props at hand",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="A mat is assumed. Poses that need a prop you do not have are left out.",
        error_messages={"invalid_choice": "There is no prop called “%(value)s”."},
    )
    leave = forms.CharField(
        label="Poses to leave out",
        required=False,
        max_length=2000,
        help_text="Names or addresses, separated by commas: “Cobra, tree”.",
    )
    seed = forms.IntegerField(
        label="Practice number",
        required=False,
        min_value=0,
        max_value=MAX_SEED,
        widget=forms.HiddenInput,
        error_messages={"invalid": "The practice number in the address must be a whole number."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus"].choices = focus_choices()
        props = (
            Equipment.objects.exclude(slug__in=generator.ALWAYS_AT_HAND).order_by("name").values_list("slug", "name")
        )
        self.fields["props"].choices = list(props)

    def clean_props(self):
        return [value for value in self.cleaned_data["props"] if value != "none"]

    def clean_leave(self):
        """Pose names or slugs, each matched to a published pose; unknown ones are named in the error."""
        words = [word.strip() for word in self.cleaned_data["leave"].replace(".", ",").split(",") if word.strip()]
        if not words:
            return []
        match = Q()
        for word in words:
            match |= Q(slug=word.lower()) | Q(name__iexact=word)
        found = list(Pose.objects.published().filter(match).values_list("slug", "name"))
        known = {slug for slug, _ in found} | {name.lower() for _, name in found}
        unknown = [word for word in words if word.lower() not in known]
        if unknown:
            raise forms.ValidationError(
                "No published pose is called " + ", ".join(f"“{word}”" for word in unknown) + "."
            )
        return sorted({slug for slug, _ in found})

    def request(self) -> generator.Request:
        data = self.cleaned_data
        return generator.Request(
            minutes=data["minutes"],
            level=data["level"],
            focus=focus_for(data["focus"] or "any"),
            props=frozenset(data["props"]),
            leave_out=frozenset(data["leave"]),
            seed=data["seed"] or 0,
        )


def normalised(data) -> QueryDict:
    """Accept `props=none` and `props=block,strap` as well as repeated `props`."""
    query = data.copy()
    props = []
    for value in query.getlist("props"):
        props += [part for part in value.replace(".", ",").split(",") if part and part != "none"]
    query.setlist("props", props)
    return query


def query_string(request: generator.Request) -> str:
    """The practice's address parameters, in a fixed order."""
    query = QueryDict(mutable=True)
    query["minutes"] = str(request.minutes)
    query["level"] = request.level
    query["focus"] = request.focus.slug
    query["props"] = ",".join(sorted(request.props)) or "none"
    if request.leave_out:
        query["leave"] = ",".join(sorted(request.leave_out))
    query["seed"] = str(request.seed)
    return query.urlencode(safe=",")


def token(request: generator.Request) -> str:
    """The practice's parameters as one path segment, for the player."""
    return "_".join(
        [
            str(request.minutes),
            request.level,
            request.focus.slug,
            ".".join(sorted(request.props)) or "none",
            ".".join(sorted(request.leave_out)) or "none",
            str(request.seed),
        ]
    )


def from_token(value: str) -> QueryDict:
    """A player token read back as form data (the form validates it like a query string)."""
    parts = value.split("_")
    query = QueryDict(mutable=True)
    if len(parts) != len(FIELDS):
        return query
    for name, part in zip(FIELDS, parts, strict=True):
        if name in ("props", "leave"):
            items = [] if part == "none" else part.split(".")
            query[name] = ",".join(items)
        else:
            query[name] = part
    return query


def normalised_pairs(query: str):
    """A query string as (name, value) pairs, for hidden fields that post the same practice."""
    parsed = QueryDict(query)
    for name in parsed:
        for value in parsed.getlist(name):
            yield name, value
