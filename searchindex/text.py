"""What a name becomes for search: words folded to plain lower-case letters and digits, then to keys
that several spellings share. The same steps apply to what is indexed and to what visitors type,
so "Śavāsana", "shavasana", "savasana" and "shava asana" all become the key "savasana"."""

import re
import unicodedata

# Roman numerals and number words become digits: "Warrior II", "warrior 2" and "warrior two" agree.
NUMBERS = {
    "one": "1",
    "i": "1",
    "two": "2",
    "ii": "2",
    "three": "3",
    "iii": "3",
    "four": "4",
    "iv": "4",
    "five": "5",
    "v": "5",
    "six": "6",
    "vi": "6",
    "seven": "7",
    "vii": "7",
    "eight": "8",
    "viii": "8",
    "nine": "9",
    "ix": "9",
    "ten": "10",
    "x": "10",
}
ASANA = {"asana", "asan"}
APOSTROPHES = re.compile(r"['’‘`´ʼ]")
NOT_WORD = re.compile(r"[^a-z0-9]+")
DOUBLED_VOWEL = re.compile(r"([aeiou])\1+")
# Keys are stored in an indexed column: a longer word is cut, the same way when indexing and when searching.
MAX_WORD = 40


def fold(text: str) -> str:
    """Lower-case ASCII form of a text: "Ūrdhva Dhanurāsana" -> "urdhva dhanurasana"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def sort_key(name: str) -> str:
    """A name for ordering: folded, letters and digits only ("Child's Pose" -> "childspose"), which every
    database collation orders as Python does."""
    return NOT_WORD.sub("", fold(name))[:120]


def singular(word: str) -> str:
    """A plain English plural or a possessive read as the word itself: "childs" -> "child",
    "stretches" -> "stretch", "bodies" -> "body". Short words and Latin endings stay as they are."""
    if len(word) <= 3 or word[-1] != "s" or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses")):
        return word[:-2]
    return word[:-1]


def sound(word: str) -> str:
    """The spelling-independent form of a romanised Sanskrit (or English) word: "sh" and "s", "ch"
    and "c", a doubled vowel and a single one, "-asan" and "-asana" read the same."""
    word = word.replace("sh", "s").replace("ch", "c")
    word = DOUBLED_VOWEL.sub(r"\1", word)
    if word.endswith("asan"):
        word += "a"
    return word


def keys(text: str) -> list[str]:
    """The search keys of a text, in order: "Child's Pose" -> ["cild", "pose"], "Warrior II" -> ["warrior", "2"],
    "Shava asana" -> ["savasana"]."""
    words = NOT_WORD.split(APOSTROPHES.sub("", fold(text)))
    result: list[str] = []
    for word in words:
        if not word:
            continue
        if word in ASANA and result and not result[-1].isdigit():
            # "Shava asana" is "Shavasana" written in two words.
            result[-1] = sound(result[-1] + "asana")[:MAX_WORD]
            continue
        if word in NUMBERS:
            result.append(NUMBERS[word])
        elif word.isdigit():
            result.append(str(int(word))[:MAX_WORD])
        else:
            result.append(sound(singular(word))[:MAX_WORD])
    return result


def tolerance(length: int) -> int:
    """How many typos a word of `length` letters may hold and still be recognised."""
    if length >= 5:
        return 2
    if length >= 3:
        return 1
    return 0


def deletions(word: str, depth: int) -> set[str]:
    """The word and every string made by deleting up to `depth` of its letters. Two words within
    `depth` edits of each other share one of these (the symmetric-delete method)."""
    found = {word}
    edge = {word}
    for _ in range(depth):
        edge = {w[:i] + w[i + 1 :] for w in edge for i in range(len(w)) if len(w) > 1}
        found |= edge
    return found


def distance(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (optimal string alignment): insertions, deletions,
    substitutions and swaps of two neighbouring letters each count one."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            row[j] = min(rows[i - 1][j] + 1, row[j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[i - 2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def close(typed: str, known: str) -> bool:
    """Whether `known` is `typed` with no more typos than the shorter of the two may hold."""
    return distance(typed, known) <= tolerance(min(len(typed), len(known)))


def last_with_prefix(prefix: str) -> str:
    """The greatest key that starts with `prefix`: keys are [a-z0-9] and at most MAX_WORD long, so every key
    starting with it lies between `prefix` and this one, and no other key does, under any collation."""
    return prefix + "z" * (MAX_WORD - len(prefix))
