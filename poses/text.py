"""Text helpers shared by search, import and templates: names are folded as search folds them."""

from searchindex.text import fold

__all__ = ["fold"]
