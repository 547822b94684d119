"""What names and queries become: the keys that let different spellings meet."""

import pytest

from searchindex.text import MAX_WORD, close, deletions, distance, keys, last_with_prefix


@pytest.mark.parametrize(
    "typed, indexed",
    [
        ("shavasana", "Śavāsana"),
        ("savasana", "Śavāsana"),
        ("shava asana", "Śavāsana"),
        ("SHAVASANA", "Śavāsana"),
        ("shavasan", "Śavāsana"),
        ("caturanga", "Chaturaṅga"),
        ("chaturanga", "Caturaṅga"),
        ("taadasana", "Tāḍāsana"),
        ("vrikshasana", "Vrikshāsana"),
        ("childs pose", "Child's Pose"),
        ("child pose", "Child’s Pose"),
        ("warrior 2", "Warrior II"),
        ("warrior two", "Warrior II"),
        ("virabhadrasana 2", "Vīrabhadrāsana II"),
        ("warriors", "Warrior"),
        ("stretches", "Stretch"),
        ("downward-facing dog", "Downward Facing Dog"),
    ],
)
def test_spellings_people_type_become_the_keys_of_the_name(typed, indexed):
    assert keys(typed) == keys(indexed)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Child's Pose", ["cild", "pose"]),
        ("Warrior II", ["warrior", "2"]),
        ("Ūrdhva Dhanurāsana", ["urdhva", "dhanurasana"]),
        ("Knees-to-Chest", ["kne", "to", "cest"]),
        ("  %_\\'\"<>  ", []),
        ("", []),
    ],
)
def test_keys(text, expected):
    assert keys(text) == expected


@pytest.mark.parametrize(
    "a, b, expected",
    [("cobar", "cobra", 1), ("dowward", "downward", 1), ("cobra", "cobra", 0), ("cat", "act", 1), ("abc", "", 3)],
)
def test_distance_counts_a_swap_of_neighbours_as_one(a, b, expected):
    assert distance(a, b) == expected == distance(b, a)


@pytest.mark.parametrize(
    "typed, known, expected",
    [
        ("cobar", "cobra", True),  # five letters: two typos allowed
        ("cbar", "cobra", False),  # four letters typed: one typo
        ("downwrd", "downward", True),
        ("dwnwrd", "downward", True),
        ("dwnwr", "downward", False),  # three typos
        ("tre", "tree", True),  # short: one typo
        ("tr", "tree", False),
        ("do", "dog", False),  # two letters: no typos
    ],
)
def test_typos_allowed_grow_with_the_length_of_the_word(typed, known, expected):
    assert close(typed, known) is expected


def test_words_two_typos_apart_share_a_deletion():
    assert deletions("cobar", 2) & deletions("cobra", 2)
    assert "cob" in deletions("cobra", 2) and "co" not in deletions("cobra", 2)


@pytest.mark.parametrize("prefix", ["dog", "waz", "x9", "zz"])
def test_the_keys_starting_with_a_prefix_lie_between_it_and_its_last_key(prefix):
    last = last_with_prefix(prefix)
    assert len(last) == MAX_WORD and last.startswith(prefix)
    for inside in [prefix, prefix + "a", prefix + "z" * 10, prefix + "9"]:
        assert prefix <= inside <= last
    for outside in [prefix[:-1], prefix[:-1] + chr(ord(prefix[-1]) + 1), "zzzzzzzzz" + "z" * MAX_WORD]:
        assert not (prefix <= outside <= last)
