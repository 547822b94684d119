"""Text helpers shared by search, import and templates."""

import unicodedata


def fold(text: str) -> str:
    """Lower-case ASCII form of a name for search: "Ūrdhva Dhanurāsana" -> "urdhva dhanurasana"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
