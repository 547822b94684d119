"""Limits that protect the pages from a document that is valid JSON but absurd: each refusal
names its place in the document, nothing is imported, and there is never a traceback."""

import pytest

from poses.models import Muscle, Pose
from tests.yogasite.test_import_content import (  # noqa: F401 (media: a fixture)
    _manage,
    _pose,
    _step,
    base_document,
    failing_import,
    media,
    media_files,
    write_document,
)
from yogasite.content import schema

pytestmark = pytest.mark.django_db


def refused(tmp_path, data) -> list[str]:
    message, lines = failing_import(write_document(tmp_path, data))
    assert message.startswith("Nothing was imported")
    assert not Pose.objects.exists() and not Muscle.objects.exists()
    return lines


def test_a_50_mb_description_is_refused_without_being_quoted_back(tmp_path, settings):
    data = base_document()
    data["muscles"][0]["description"] = "x" * (50 * 1024 * 1024)

    lines = refused(tmp_path, data)

    assert lines == [f"muscles[0].description: too long: {50 * 1024 * 1024} characters, at most {schema.TEXT_LIMIT}"]
    assert media_files(settings.MEDIA_ROOT) == {}


@pytest.mark.parametrize(
    "place, path",
    [
        (lambda data: _pose(data)["steps"].__setitem__(0, "y" * (schema.TEXT_LIMIT + 1)), "poses[0].steps[0]"),
        (lambda data: _step(data).__setitem__("instructions", "y" * (schema.TEXT_LIMIT + 1)), "routines[0].sections"),
        (lambda data: data["routines"][0].__setitem__("body", "y" * (schema.TEXT_LIMIT + 1)), "routines[0].body"),
    ],
    ids=["pose step", "step instructions", "routine body"],
)
def test_every_text_without_a_length_of_its_own_has_one(tmp_path, place, path):
    data = base_document()
    place(data)

    (line,) = refused(tmp_path, data)

    assert line.startswith(path) and f"at most {schema.TEXT_LIMIT}" in line


def test_a_text_at_the_limit_is_accepted(tmp_path):
    data = base_document()
    _pose(data)["steps"] = ["z" * schema.TEXT_LIMIT]

    from tests.yogasite.test_import_content import run_import

    run_import(write_document(tmp_path, data))

    assert Pose.objects.get().steps.get().text == "z" * schema.TEXT_LIMIT


def test_a_list_inside_a_record_has_a_length_limit(tmp_path):
    data = base_document()
    _pose(data)["tips"] = ["Breathe."] * (schema.LIST_LIMIT + 1)

    assert refused(tmp_path, data) == [
        f"poses[0].tips: too many items: {schema.LIST_LIMIT + 1}, at most {schema.LIST_LIMIT}"
    ]


def test_values_nested_too_deeply_are_refused_with_their_path(tmp_path):
    data = base_document()
    deep = "leaf"
    for _ in range(schema.DEPTH_LIMIT):
        deep = [deep]
    _pose(data)["notes"] = deep

    lines = refused(tmp_path, data)

    assert len(lines) == 1
    assert lines[0].startswith("poses[0].notes[0][0]") and f"at most {schema.DEPTH_LIMIT} levels" in lines[0]


def test_nesting_deeper_than_json_can_be_read_is_a_clear_message_without_traceback(tmp_path):
    path = tmp_path / "content.json"
    path.write_text('{"format": "yogasite-content", "version": 1, "poses": ' + "[" * 200_000 + "]" * 200_000 + "}")

    result = _manage("import_content", str(path), var_dir=tmp_path / "var")

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "nests lists or objects too deeply" in result.stderr


@pytest.mark.parametrize(
    "number, shown",
    [
        ("1" + "0" * 5000, "10000000000000000000…0000000000 (5001 characters)"),
        ("1e999", "1e999"),
        ("NaN", "NaN"),
        ("-Infinity", "-Infinity"),
        ("12345678901234567", "12345678901234567"),
    ],
)
def test_numbers_too_large_for_the_format_are_refused_with_their_path(tmp_path, number, shown):
    data = base_document()
    _step(data)["hold"] = {"seconds": "HOLD"}
    path = write_document(tmp_path, data)
    path.write_text(path.read_text().replace('"HOLD"', number))

    message, lines = failing_import(path)

    assert lines == [f"routines[0].sections[0].steps[0].hold.seconds: {shown} is not a number this format takes"]


@pytest.mark.parametrize(
    "place, path",
    [
        (lambda data: _pose(data).__setitem__("name", "Sphinx\x00Pose"), "poses[0].name"),
        (lambda data: _pose(data)["steps"].append("Lift\x00."), "poses[0].steps[1]"),
        (lambda data: data["muscles"][0].__setitem__("description", "\x00"), "muscles[0].description"),
    ],
)
def test_nul_characters_are_refused_with_their_path(tmp_path, place, path):
    data = base_document()
    place(data)

    assert refused(tmp_path, data) == [f"{path}: contains a NUL character (\\u0000)"]


def test_a_nul_character_in_a_key_is_refused(tmp_path):
    data = base_document()
    _pose(data)["na\x00me"] = "x"

    assert refused(tmp_path, data) == ["poses[0]: a key contains a NUL character (\\u0000)"]


def test_a_long_wrong_value_is_shortened_in_the_message(tmp_path):
    data = base_document()
    _pose(data)["level"] = "e" * 10_000

    (line,) = refused(tmp_path, data)

    assert len(line) < 300 and "(10002 characters)" in line
