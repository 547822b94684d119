"""Finding and ranking: what a visitor typed, against the index, within the things they may see.

Every word typed must be found in the thing (in a name as a word or the start of one; in its text as
a whole word). Things rank by their best name:

0. a name that is exactly the words typed ("cobra" → Cobra);
1. a name that starts with the words, in order ("warrior" → Warrior II);
2. a name holding every word ("dog" → Downward-Facing Dog);
3. another name (or a synonym) holding every word ("dog" → Balancing Table, also called Bird Dog);
4. the rest: words spread over names and text ("dog" → a routine using Downward-Facing Dog).

Ties go alphabetically. When nothing is found, typed words that are not known are read as typos of
known words (two for words of five letters or more, one for shorter ones); when still nothing is
found, `nearest` gives the things that match some of the words.

A search is one query whatever the size of the library (two for several words: the first finds the
rarest word to start from), plus one for the typo vocabulary when typos are tried.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import Entry, Spelling
from .text import close, deletions, keys, last_with_prefix, tolerance

MAX_WORDS = 8
WHOLE, STARTS, WORDS, OTHER_NAME, REST = range(5)


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    rank: int
    sort: str
    found: int


@dataclass
class Outcome:
    """The things found, best first, and how: `corrected` when typos had to be read into the words."""

    words: list[str]
    hits: list[Hit] = field(default_factory=list)
    corrected: bool = False
    # The known words each typed word may be a typo of, once looked up.
    spellings: dict[str, set[str]] | None = None

    def ids(self, kind: str) -> list[int]:
        return [hit.object_id for hit in self.hits if hit.kind == kind]


def words_of(query: str) -> list[str]:
    """The distinct keys of a query, in order, at most MAX_WORDS."""
    return list(dict.fromkeys(keys(query or "")))[:MAX_WORDS]


def search(query: str, scopes: Mapping[str, QuerySet]) -> Outcome:
    """The things of each kind in `scopes` (a QuerySet of what may be shown) that match `query`,
    best first; typos are tried only when the words as typed find nothing."""
    words = words_of(query)
    outcome = Outcome(words=words)
    if not words or not scopes:
        return outcome
    outcome.hits = _ranked(words, {word: {word} for word in words}, scopes, every=True)
    if not outcome.hits:
        outcome.spellings = spellings = _spellings(words)
        if any(len(known) > 1 for known in spellings.values()):
            outcome.hits = _ranked(words, spellings, scopes, every=True)
            outcome.corrected = bool(outcome.hits)
    return outcome


def nearest(outcome: Outcome, scopes: Mapping[str, QuerySet], *, limit: int = 5) -> list[Hit]:
    """Things that match some of the words of a search that found nothing (typos allowed), most words
    first: for "did you mean"."""
    words = outcome.words
    if not words or not scopes:
        return []
    spellings = outcome.spellings if outcome.spellings is not None else _spellings(words)
    hits = _ranked(words, spellings, scopes, every=False)
    return sorted(hits, key=lambda hit: (-hit.found, hit.rank, hit.sort, hit.object_id))[:limit]


def _spellings(words: list[str]) -> dict[str, set[str]]:
    """Each word with the known words it may be a typo of (itself included), from one indexed query."""
    variants = {word: deletions(word, tolerance(len(word))) for word in words if not word.isdigit()}
    found = {word: {word} for word in words}
    wanted = set().union(*variants.values()) if variants else set()
    if not wanted:
        return found
    candidates = defaultdict(set)
    for variant, known in Spelling.objects.filter(variant__in=sorted(wanted)).values_list("variant", "word"):
        candidates[variant].add(known)
    for word, own in variants.items():
        for variant in own:
            found[word] |= {known for known in candidates.get(variant, ()) if close(word, known)}
    return found


def _matches(word: str, spellings: Mapping[str, set[str]], alias: str = "e", *, indexed: bool = True):
    """SQL (and its parameters) for an entry that matches `word`. In names: the word, a known spelling it
    may be a typo of, or the start of a word. In text only the word itself: a typo or a start there ("do"
    for "down", "doing"…) would find too much. With `indexed=False` the word column is read as an
    expression, so that the database looks entries up another way."""
    column = f"{alias}.word" if indexed else f"({alias}.word || '')"
    typos = sorted(spellings[word] - {word})
    # A number is whole: "warrior 2" is not "warrior 25".
    last = word if word.isdigit() else last_with_prefix(word)
    in_names = f"{column} >= %s AND {column} <= %s"
    if typos:
        in_names = f"{column} IN ({', '.join(['%s'] * len(typos))}) OR ({in_names})"
    sql = f"({column} = %s OR ({alias}.field < {Entry.Field.TEXT} AND ({in_names})))"
    return sql, [word, *typos, word, last]


# Counting a word's entries stops here: enough to tell a rare word from a common one, at a bounded cost.
RARITY_CAP = 200


def _rarest(words: list[str], spellings: Mapping[str, set[str]]) -> str:
    """The word of `words` with the fewest entries (counted up to RARITY_CAP), in one query."""
    parts, params = [], []
    for i, word in enumerate(words):
        sql, word_params = _matches(word, spellings, "a")
        parts.append(
            f"(SELECT COUNT(*) FROM (SELECT 1 FROM {Entry._meta.db_table} a WHERE {sql} LIMIT {RARITY_CAP}) c{i})"
        )
        params.extend(word_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        counts = cursor.fetchone()
    return min(zip(counts, range(len(words)), strict=True))[1]


def _ranked(
    words: list[str], spellings: Mapping[str, set[str]], scopes: Mapping[str, QuerySet], *, every: bool
) -> list[Hit]:
    params: list = []
    # With several words that must all be found, start from the things that hold the rarest one and read
    # their entries: "childs pose" then costs what "childs" finds, not what "pose" finds.
    driver = _rarest(words, spellings) if every and len(words) > 1 else None

    def matches(word: str, *, indexed: bool = True) -> str:
        sql, word_params = _matches(word, spellings, indexed=indexed)
        params.extend(word_params)
        return sql

    def exact(word: str) -> str:
        known = sorted(spellings[word])
        params.extend(known)
        return f"e.word IN ({', '.join(['%s'] * len(known))})"

    count = len(words)
    columns = []
    for i, word in enumerate(words):
        columns.append(f"CASE WHEN {matches(word)} THEN 1 ELSE 0 END AS m{i}")
        columns.append(f"CASE WHEN e.position = {i} AND {exact(word)} THEN 1 ELSE 0 END AS x{i}")
        columns.append(f"CASE WHEN e.position = {i} AND {matches(word)} THEN 1 ELSE 0 END AS s{i}")
    where = [f"({' OR '.join(matches(word, indexed=driver is None) for word in words)})"]
    if driver is not None:
        sql, word_params = _matches(words[driver], spellings, "a")
        where.append(f"(e.kind, e.object_id) IN (SELECT a.kind, a.object_id FROM {Entry._meta.db_table} a WHERE {sql})")
        params.extend(word_params)
    scope_parts = []
    for kind, queryset in scopes.items():
        # Correlated, so that each matching entry is checked with a primary-key lookup: "object_id IN (the
        # scope)" lets SQLite start from the scope and read the entries of every visible thing. The kind
        # is compared as an expression for the same reason.
        visible = queryset.order_by().filter(pk=RawSQL("e.object_id", ())).values("pk")
        sql, scope_params = visible.query.sql_with_params()
        scope_parts.append(f"((e.kind || '') = %s AND EXISTS ({sql}))")
        params.extend([kind, *scope_params])
    where.append(f"({' OR '.join(scope_parts)})")
    names_has = " + ".join(f"h{i}" for i in range(count))
    found = " + ".join(f"MAX(h{i})" for i in range(count))
    sql = f"""
        WITH hits AS (
            SELECT e.kind, e.object_id, e.field, e.name, e.length, e.sort, {", ".join(columns)}
            FROM {Entry._meta.db_table} e
            WHERE {" AND ".join(where)}
        ), names AS (
            SELECT kind, object_id, field, name, length, MIN(sort) AS sort,
                {", ".join(f"MAX(m{i}) AS h{i}" for i in range(count))},
                {" + ".join(f"MAX(x{i})" for i in range(count))} AS wholes,
                {" + ".join(f"MAX(s{i})" for i in range(count))} AS starts
            FROM hits GROUP BY kind, object_id, field, name, length
        )
        SELECT kind, object_id, MIN(sort),
            MIN(CASE WHEN {names_has} < {count} THEN {REST}
                WHEN field = {Entry.Field.NAME} AND wholes = {count} AND length = {count} THEN {WHOLE}
                WHEN field = {Entry.Field.NAME} AND starts = {count} THEN {STARTS}
                WHEN field = {Entry.Field.NAME} THEN {WORDS}
                WHEN field = {Entry.Field.OTHER_NAME} THEN {OTHER_NAME}
                ELSE {REST} END),
            {found}
        FROM names GROUP BY kind, object_id
        HAVING {found} >= %s
    """
    params.append(count if every else 1)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    hits = [Hit(kind, object_id, rank, sort, found) for kind, object_id, sort, rank, found in rows]
    return sorted(hits, key=lambda hit: (hit.rank, hit.sort, hit.object_id))


class Ranked(Sequence):
    """Things of one kind in the order a search ranked them, loaded a slice at a time from `queryset`
    (so a paginator shows page 3 of 400 matches by loading 24 of them)."""

    def __init__(self, queryset: QuerySet, ids: list[int]):
        self.queryset, self.ids = queryset, ids

    def __len__(self):
        return len(self.ids)

    def count(self):
        return len(self.ids)

    def __getitem__(self, index):
        if isinstance(index, slice):
            wanted = self.ids[index]
            found = {obj.pk: obj for obj in self.queryset.filter(pk__in=wanted)} if wanted else {}
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1 or None][0]
