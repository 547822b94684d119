"""Slugs made from names, keeping every letter: "Uṣṭrāsana" gives "ustrasana", "Ōm" gives "om".
static/admin/yogasite/slugify.js does the same in the admin's form as the editor types."""

import unicodedata

from django.utils.text import slugify

# Letters that Unicode does not decompose into a base letter and a mark. The same table is in slugify.js.
SEPARATE_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l",
     "Ł": "L", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i"}
)  # fmt: skip


def slug_from(text: str, max_length: int = 80) -> str:
    """The slug for a name: letters without their diacritics, lower case, words joined by hyphens."""
    decomposed = unicodedata.normalize("NFKD", (text or "").translate(SEPARATE_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return slugify(plain)[:max_length].rstrip("-")
