"""What the filtered lists (poses, routines) share: filters read from the query string and a
paginator that forgives. Links get shared and outlive the content they named, so a value or a
page number that no longer fits is dropped or mended, never an error page."""

from urllib.parse import urlencode

from django import forms


class QueryFilterForm(forms.Form):
    """A list's filters as a plain GET form. Subclasses set their choices in `set_choices()`."""

    def __init__(self, data):
        super().__init__(data, auto_id="filter-%s")
        self.set_choices()
        self.is_valid()

    def set_choices(self) -> None:
        pass

    @property
    def values(self) -> dict:
        """The recognised, non-empty values."""
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def ignored(self) -> bool:
        """Whether the query string named a value that is not known."""
        return bool(self.errors)

    def query_without(self, *names: str) -> str:
        """The query string of the filters in force, less `names`."""
        kept = {name: value for name, value in self.values.items() if name not in names}
        return "?" + urlencode(kept) if kept else ""


class LenientPaginationMixin:
    """?page=abc shows the first page and a page past the end the last one."""

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        page.object_list = list(page.object_list)  # read once by the cards and anything else on the page
        return paginator, page, page.object_list, page.has_other_pages()
