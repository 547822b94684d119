"""README.md's table of the content document's limits is the one the importer checks."""

from pathlib import Path

from poses.models import Category, Equipment, Muscle
from yogasite.content.schema import documented_limits, limits_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_shows_the_limits_the_importer_checks():
    assert limits_table() in README.read_text(), (
        "README.md's limits table differs from the importer's; paste yogasite.content.schema.limits_table()"
    )


def test_one_row_covers_the_names_of_muscles_props_and_categories():
    lengths = {model._meta.get_field("name").max_length for model in (Muscle, Equipment, Category)}

    assert len(lengths) == 1
    assert dict(documented_limits())["`name` of a muscle, prop or category"] == f"{lengths.pop()} characters"
