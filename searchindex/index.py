"""Keeping the index: the content apps register a source of documents for each kind of thing they
want found, and call `refresh` when those things change (their signals do; the content import
calls it after its bulk writes). Synonyms are folded in here, as extra names of what they point at."""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction

from common.database import refresh_statistics

from .models import Entry, Pair, Spelling, Synonym
from .text import deletions, keys, sort_key, tolerance

BATCH = 500


@dataclass
class Document:
    """What search knows of one thing: its names (English and Sanskrit, a title), its other names,
    and text it may be found by (a summary, the poses a routine uses), each a list of strings."""

    kind: str
    object_id: int
    names: list[str]
    other_names: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


# A source gives the documents of the given ids (all of its kind for None); ids it no longer knows are left out.
Source = Callable[[list[int] | None], Iterable[Document]]
_sources: dict[str, Source] = {}


def register(kind: str, source: Source) -> None:
    """Make things of `kind` searchable; `source(ids)` builds their documents."""
    _sources[kind] = source


def kinds() -> list[str]:
    return list(_sources)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def refresh(kind: str, ids: Iterable[int]) -> None:
    """Index again the things of `kind` with these ids, as they are now in the database (a deleted one
    is dropped from the index)."""
    ids = sorted(set(ids))
    if not ids:
        return
    remove(kind, ids)
    documents = []
    for chunk in _chunks(ids):
        documents.extend(_sources[kind](chunk))
    _write(documents)


def remove(kind: str, ids: Iterable[int]) -> None:
    """Drop things from the index (they were deleted, or are about to be indexed again)."""
    for chunk in _chunks(sorted(set(ids))):
        Entry.objects.filter(kind=kind, object_id__in=chunk).delete()
        Pair.objects.filter(kind=kind, object_id__in=chunk).delete()


@transaction.atomic
def rebuild(kind: str | None = None) -> int:
    """Index everything again (one kind, or all); returns how many things were indexed."""
    total = 0
    for name in [kind] if kind else kinds():
        Entry.objects.filter(kind=name).delete()
        Pair.objects.filter(kind=name).delete()
        documents = list(_sources[name](None))
        _write(documents)
        total += len(documents)
    return total


def build_if_empty(**kwargs) -> None:
    """After `migrate`: a site that has content but no index (a new installation, an upgrade) gets one."""
    if not Entry.objects.exists():
        rebuild()
        gather_statistics()


def gather_statistics() -> None:
    """After things are written in bulk: the database's planner statistics gathered again, and on PostgreSQL
    the index's tables vacuumed, so that counting entries reads the index alone."""
    refresh_statistics([model._meta.db_table for model in (Entry, Pair, Spelling)])


def _synonyms() -> list[tuple[list[str], str]]:
    """Each synonym as (the keys it points at, what people type)."""
    return [(keys(means), words) for words, means in Synonym.objects.values_list("words", "means")]


def _contains(haystack: list[str], needle: list[str]) -> bool:
    width = len(needle)
    return any(haystack[i : i + width] == needle for i in range(len(haystack) - width + 1))


def _write(documents: list[Document]) -> None:
    if not documents:
        return
    rows, words = entry_rows(documents)
    write_rows(rows, spelling_rows(words))


ENTRY_COLUMNS = ["kind", "object_id", "field", "name", "position", "length", "word", "tier", "sort"]


def entry_rows(documents: list[Document]) -> tuple[list[tuple], set[str]]:
    """The index's rows for these documents (columns ENTRY_COLUMNS, the object id second) and the words
    they use. Only reads: an import computes them before its write transaction."""
    synonyms = _synonyms()
    rows, words = [], set()
    for document in documents:
        named = [keys(text) for text in [*document.names, *document.other_names] if text]
        extra = [typed for means, typed in synonyms if means and any(_contains(name, means) for name in named)]
        sort = sort_key(next((text for text in document.names if text), ""))
        number = 0
        for kind_of_field, texts in (
            (Entry.Field.NAME, document.names),
            (Entry.Field.OTHER_NAME, [*document.other_names, *extra]),
            (Entry.Field.TEXT, document.text),
        ):
            for text in texts:
                found = keys(text)
                if not found:
                    continue
                for position, word in enumerate(found[:200]):
                    tier = Entry.tier_of(kind_of_field, position, len(found))
                    rows.append(
                        (document.kind, document.object_id, kind_of_field, number, position, len(found), word)
                        + (tier, sort)
                    )
                    words.add(word)
                number += 1
    return rows, words


PAIR_COLUMNS = ["kind", "object_id", "first", "second", "tier", "sort"]


def pair_rows(entries: list[tuple]) -> list[tuple]:
    """The word pairs (columns PAIR_COLUMNS) of the names among entry rows: every two words of a name, in
    both orders, each pair of words of a thing once, at its best tier."""
    names = defaultdict(list)
    for kind, object_id, field_, name, position, length, word, _, sort in entries:
        if field_ < Entry.Field.TEXT:
            names[kind, object_id, field_, name].append((position, word, length, sort))
    best: dict[tuple, tuple[int, str]] = {}
    for (kind, object_id, field_, _), words in names.items():
        for first, word, length, sort in words:
            for second, other, _, _ in words:
                if word == other:
                    continue
                tier = Pair.tier_of(field_, first, second, length)
                key = (kind, object_id, word, other)
                if key not in best or tier < best[key][0]:
                    best[key] = (tier, sort)
    return [(*key, tier, sort) for key, (tier, sort) in best.items()]


def write_rows(entries: list[tuple], spellings: list[tuple]) -> None:
    """Insert rows made by `entry_rows` and `spelling_rows`, and the word pairs of their names (what the
    index held of those objects must be gone: `remove`)."""
    _insert(Entry, ENTRY_COLUMNS, entries)
    _insert(Pair, PAIR_COLUMNS, pair_rows(entries))
    _insert(Spelling, ["variant", "word"], spellings, ignore_conflicts=True)


def _insert(model, columns: list[str], rows: list[tuple], *, ignore_conflicts: bool = False) -> None:
    # Plain INSERTs: an import indexes hundreds of thousands of rows, and model instances would
    # take most of its time. ON CONFLICT DO NOTHING is understood by SQLite and PostgreSQL alike.
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    if ignore_conflicts:
        sql += " ON CONFLICT DO NOTHING"
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, 5000):
            cursor.executemany(sql, chunk)


def spelling_rows(words: set[str]) -> list[tuple]:
    """Rows that add the new ones of `words` to the typo vocabulary (numbers have no typos worth
    finding). Only reads; a word added meanwhile by someone else is skipped when written."""
    words = sorted(word for word in words if not word.isdigit())
    rows = []
    for chunk in _chunks(words):
        known = set(Spelling.objects.filter(variant__in=chunk, word__in=chunk).values_list("word", flat=True))
        rows += [
            (variant, word)
            for word in chunk
            if word not in known
            for variant in sorted(deletions(word, tolerance(len(word))))
        ]
    return rows


def reindex_names(*texts: str) -> None:
    """Index again what has the first word of any of `texts` in one of its names: after a synonym changed,
    what it pointed at and what it points at now (which may carry it, or now should)."""
    firsts = {found[0] for text in texts if text and (found := keys(text))}
    if not firsts:
        return
    found = defaultdict(set)
    for kind, object_id in Entry.objects.filter(word__in=firsts, field__lt=Entry.Field.TEXT).values_list(
        "kind", "object_id"
    ):
        found[kind].add(object_id)
    for kind, ids in found.items():
        if kind in _sources:
            refresh(kind, ids)
