"""The pose library's filters: a plain GET form whose values live in the query string.

A value the form does not know (a mistyped slug, a muscle since removed) is dropped, and
the page says so, instead of failing: links get shared and outlive the content.
"""

from urllib.parse import urlencode

from django import forms

from common import caching
from common.listing import QueryFilterForm

from .models import Category, Equipment, Level, Muscle, Pose

ANY_ROLE, PRIMARY_ROLE = "", "primary"
NO_PROPS = "none"


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """(slug, name) of every category, muscle, prop and pose tag: the filters' choices. The tags'
    DISTINCT runs over every tagged pose, so the result is kept in the cache until a change."""
    return {
        "category": list(Category.objects.values_list("slug", "name")),
        "muscle": list(Muscle.objects.values_list("slug", "name")),
        "equipment": list(Equipment.objects.values_list("slug", "name")),
        "tag": list(Pose.tags.order_by("name").values_list("slug", "name")),
    }


class PoseFilterForm(QueryFilterForm):
    q = forms.CharField(label="Search", required=False, max_length=100)
    category = forms.ChoiceField(label="Category", required=False)
    level = forms.ChoiceField(label="Level", required=False, choices=[("", "Any level"), *Level.choices])
    muscle = forms.ChoiceField(label="Muscle", required=False)
    role = forms.ChoiceField(
        label="Muscle role",
        required=False,
        choices=[(ANY_ROLE, "Any role"), (PRIMARY_ROLE, "Primary only")],
    )
    equipment = forms.ChoiceField(label="Props", required=False)
    tag = forms.ChoiceField(label="Tag", required=False)

    # Order of the filters in the "active filters" list and in the form.
    FILTERS = ("category", "level", "muscle", "equipment", "tag")

    def set_choices(self):
        choices = caching.remember("pose-filter-choices", ("list:poses",), filter_choices, scheduled=False)
        self.fields["category"].choices = [("", "Any category"), *choices["category"]]
        self.fields["muscle"].choices = [("", "Any muscle"), *choices["muscle"]]
        self.fields["equipment"].choices = [
            ("", "Any props"),
            (NO_PROPS, "No props (body only)"),
            *choices["equipment"],
        ]
        self.fields["tag"].choices = [("", "Any tag"), *choices["tag"]]

    def apply(self, poses):
        values = self.values
        poses = poses.filter_by(
            category=values.get("category", ""),
            level=values.get("level", ""),
            muscle=values.get("muscle", ""),
            primary_only=values.get("role") == PRIMARY_ROLE,
            equipment=values.get("equipment", ""),
            tag=values.get("tag", ""),
        )
        return poses.search(values.get("q", ""))

    def active(self) -> list[dict]:
        """The filters in force, each with its label and a query string that removes it."""
        values = self.values
        found = []
        if "q" in values:
            found.append({"label": "Search", "value": f"“{values['q']}”", "remove": self._without("q")})
        for name in self.FILTERS:
            if name not in values:
                continue
            value = dict(self.fields[name].choices)[values[name]]
            if name == "muscle" and values.get("role") == PRIMARY_ROLE:
                value += " (primary)"
            removing = ("muscle", "role") if name == "muscle" else (name,)
            found.append({"label": self.fields[name].label, "value": value, "remove": self._without(*removing)})
        return found

    def _without(self, *names) -> str:
        # The role only means something with a muscle: it goes when the muscle goes.
        return self.query_without(*names, *(("role",) if "muscle" in names else ()))

    def canonical_query(self, page_number: int) -> str:
        """The query string a search engine should index: a category listing and its pages.
        Searches and other combinations point at the plain listing."""
        values = self.values
        if set(values) - {"category"}:
            return ""
        kept = dict(values)
        if page_number > 1:
            kept["page"] = page_number
        return "?" + urlencode(kept) if kept else ""
