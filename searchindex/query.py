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

A search reads only the best matches it is asked for, whatever the size of the library: each entry
carries the best rank its word can give (its tier), and the index lists a word's entries of one kind
and tier alphabetically, so the first few of each list, merged, are the best things in rank order.
Several words are counted first: up to FEW entries each (two words in each kind; three or more with how
many things hold each two of them in one name). In a kind where two words both have FEW or more, they are
read from the index of word pairs (`_named`): every two words of a name, each pair with the rank it gives,
listed in rank order like the words; a kind where more than `limit` things hold both in one name is settled
there. Three words or more, all common, go the same way (`_named_then_rest`): the things holding them all
in one name come from the pairs of the two that share fewest names, the others held in a name too; when
they are not enough, the rest (which rank after them, alphabetically) are found by walking the words'
entries together in alphabetical order, each word jumping to where the furthest has got (`_rest`), so that
the steps are about as many as the things found. Otherwise, and in the kinds left, when none is very
common, or one is rare, they are intersected from their index entries (the things of a rare word checked
for the very common ones) and, when they meet in a few things (TOGETHER), those are ranked by reading their
names whole, in the same query. Otherwise the lists read are those of the rarest word, a page at a time
(`_paged`): whole at once when it is rare, else the lists that give the best rank first, in pages that grow
until the best `limit` + 1 are sure. Beyond `limit` a search says only that there are more: counts stop
there, and a page further on asks for more.

A search costs a few queries whatever the size of the library: for one word, one for the known words
that start with what was typed and one for the best entries; for several, one to count them, then one to
intersect and rank them, or (when they meet in many things) one for the words the rarest starts, one for
which of its lists have entries and two a round (its next entries, theirs to rank them), a round for each
rank the best things can have and a few more when the words seldom meet. Two common words cost one for the
words they start and one a round of the pair lists (usually one; and one before, for which lists have
entries, when there are many), then one to intersect and rank in the kinds left. Three common words cost
one to count them (with the pairs they share and the words they start), one for the things holding them in
one name, ranked, and one for the walk. Typos add one for the typo vocabulary and a search again.
"""

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from .models import Entry, Pair, Spelling
from .text import close, deletions, keys, last_with_prefix, tolerance

MAX_WORDS = 8
WHOLE, STARTS, WORDS, OTHER_NAME, REST = range(5)
# How many matches of each kind a search ranks unless asked for more: as many as the search page shows of
# poses. It counts up to here and says when there are more; the library ranks further a page at a time.
COUNTED = 24
# A typed word is also the start of at most this many known words, each read from its own ranked list;
# a shorter start ("d") is read from the index as a range, which costs what it finds.
PREFIX_WORDS = 10
# When the first entries read were not enough to be sure of the best matches, read this many times more,
# at most this many times.
WIDEN, WIDENINGS = 4, 3


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    rank: int
    sort: str
    found: int

    @property
    def key(self) -> tuple:
        return (self.rank, self.sort, self.object_id)


@dataclass
class Outcome:
    """The things found, best first, and how: `corrected` when typos had to be read into the words."""

    words: list[str]
    hits: list[Hit] = field(default_factory=list)
    corrected: bool = False
    # The kinds that have more matches than `hits` holds.
    more: set[str] = field(default_factory=set)
    # The known words each typed word may be a typo of, once looked up.
    spellings: dict[str, set[str]] | None = None

    def ids(self, kind: str) -> list[int]:
        return [hit.object_id for hit in self.hits if hit.kind == kind]


def words_of(query: str) -> list[str]:
    """The distinct keys of a query, in order, at most MAX_WORDS."""
    return list(dict.fromkeys(keys(query or "")))[:MAX_WORDS]


def search(query: str, scopes: Mapping[str, QuerySet], *, limit: int = COUNTED) -> Outcome:
    """The things of each kind in `scopes` (a QuerySet of what may be shown) that match `query`, best
    first, at most `limit` of each kind (`more` names the kinds that have more); typos are tried only
    when the words as typed find nothing."""
    words = words_of(query)
    outcome = Outcome(words=words)
    if not words or not scopes:
        return outcome
    starts: dict[str, list[str]] = {}
    outcome.hits, outcome.more = _best(words, {word: {word} for word in words}, scopes, limit, starts)
    if not outcome.hits:
        outcome.spellings = spellings = _spellings(words)
        if any(len(known) > 1 for known in spellings.values()):
            outcome.hits, outcome.more = _best(words, spellings, scopes, limit, starts)
            outcome.corrected = bool(outcome.hits)
    return outcome


def nearest(outcome: Outcome, scopes: Mapping[str, QuerySet], *, limit: int = 5) -> list[Hit]:
    """Things that match some of the words of a search that found nothing (typos allowed), most words
    first: for "did you mean"."""
    words = outcome.words
    if not words or not scopes:
        return []
    spellings = outcome.spellings if outcome.spellings is not None else _spellings(words)
    hits = _ranked(words, spellings, scopes=scopes)
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


# Counting a word's entries stops at FEW first: a word with fewer is rare, and its lists are read whole at
# a bounded cost. When every word has that many, counting goes on up to RARITY_CAP: enough to tell words
# that may be intersected from their entries from a word too common for that, at a bounded cost.
FEW = 500
RARITY_CAP = 5000


def _count_of(word: str, spellings: Mapping[str, set[str]], kinds: list[str] | None, cap: int) -> tuple[str, list]:
    """SQL (and its parameters) for how many entries (of things of `kinds`, when given) `word` matches, each
    way it matches counted on its own up to `cap`, in the index's order, so that every database reads the
    index (under a LIMIT PostgreSQL would otherwise scan the table for a common word)."""
    table = Entry._meta.db_table
    ways = _ways(word, spellings, "a", kinds)
    sql = " + ".join(
        f"(SELECT COUNT(*) FROM (SELECT 1 FROM {table} a WHERE {way} "
        f"ORDER BY a.word, a.kind, a.tier, a.sort, a.object_id LIMIT {cap}) c)"
        for way, _ in ways
    )
    return f"({sql})", [param for _, way_params in ways for param in way_params]


def _counts(words: list[str], spellings: Mapping[str, set[str]], kinds: list[str] | None = None) -> list[int]:
    """How many entries (of things of `kinds`, when given) each word of `words` matches, in one query: up to
    FEW when one of them has fewer (the others, which have more, count as RARITY_CAP), else up to RARITY_CAP."""
    few = [_count_of(word, spellings, kinds, FEW) for word in words]
    many = [_count_of(word, spellings, kinds, RARITY_CAP) for word in words]
    # The first counts once, in a part of their own: written in each CASE, they would be counted again there.
    # The longer counts are made only when needed: each database evaluates a CASE's branches lazily.
    common = " AND ".join(f"k.c{i} >= {FEW}" for i in range(len(words)))
    columns = [f"k.c{i}" for i in range(len(words))] + [f"(CASE WHEN {common} THEN {sql} END)" for sql, _ in many]
    params = [param for _, word_params in [*few, *many] for param in word_params]
    first = ", ".join(f"{sql} AS c{i}" for i, (sql, _) in enumerate(few))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH k AS MATERIALIZED (SELECT {first}) SELECT {', '.join(columns)} FROM k", params)
        row = cursor.fetchone()
    counted, longer = row[: len(words)], row[len(words) :]
    if longer[0] is not None:
        return list(longer)
    return [RARITY_CAP if number >= FEW else number for number in counted]


def _counts_of_kinds(words: list[str], spellings: Mapping[str, set[str]], kinds: list[str]) -> dict[str, list[int]]:
    """How many entries of each kind each word of `words` matches, up to FEW (a word with more counts as
    RARITY_CAP), in one query."""
    counts = [_count_of(word, spellings, [kind], FEW) for kind in kinds for word in words]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(sql for sql, _ in counts)}", [p for _, params in counts for p in params])
        row = cursor.fetchone()
    row = [RARITY_CAP if number >= FEW else number for number in row]
    return {kind: row[i * len(words) : (i + 1) * len(words)] for i, kind in enumerate(kinds)}


# Two words' shared names are counted up to here: enough to tell the pair that shares fewest.
PAIRED = 100


def _counts_and_pairs(
    words: list[str], spellings: Mapping[str, set[str]], starts: dict[str, list[str]]
) -> tuple[list[int], dict[tuple[int, int], int] | None]:
    """For three words or more, in one query: how many entries each matches, up to FEW (a word with more
    counts as RARITY_CAP); and when every word has that many, how many things hold each two of them in
    one name, up to PAIRED, by the places of the two words (else None), and the known words each starts
    (into `starts`, as `_look_up_starts` gives them)."""
    few = [_count_of(word, spellings, None, FEW) for word in words]
    table = Pair._meta.db_table
    pairs = [(i, j) for i in range(len(words)) for j in range(i + 1, len(words))]
    # The words' counts once, in a part of their own (as `_counts` does); the pairs only when needed.
    common = " AND ".join(f"k.c{i} >= {FEW}" for i in range(len(words)))
    columns = [f"k.c{i}" for i in range(len(words))]
    params = [param for _, word_params in few for param in word_params]
    for i, j in pairs:
        # In the index's order, as `_count_of` does.
        columns.append(
            f"(CASE WHEN {common} THEN (SELECT COUNT(*) FROM (SELECT 1 FROM {table} p WHERE p.first = %s "
            f"AND p.second = %s ORDER BY p.first, p.second, p.kind, p.tier, p.sort, p.object_id "
            f"LIMIT {PAIRED}) c) END)"
        )
        params.extend([words[i], words[j]])
    looked_up = [word for word in words if word not in starts and not word.isdigit()]
    together = "string_agg(x.word, ' ')" if connection.vendor == "postgresql" else "group_concat(x.word, ' ')"
    spelling = Spelling._meta.db_table
    for word in looked_up:
        # As `_look_up_starts` reads them.
        columns.append(
            f"(CASE WHEN {common} THEN (SELECT {together} FROM (SELECT s.word FROM {spelling} s WHERE s.variant > %s "
            f"AND s.variant <= %s AND s.word = s.variant ORDER BY s.variant LIMIT {PREFIX_WORDS + 1}) x) END)"
        )
        params.extend([word, last_with_prefix(word)])
    first = ", ".join(f"{sql} AS c{i}" for i, (sql, _) in enumerate(few))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH k AS MATERIALIZED (SELECT {first}) SELECT {', '.join(columns)} FROM k", params)
        row = cursor.fetchone()
    counts = [RARITY_CAP if number >= FEW else number for number in row[: len(words)]]
    if min(counts) < FEW:
        return counts, None
    for word, known in zip(looked_up, row[len(words) + len(pairs) :], strict=True):
        starts[word] = sorted((known or "").split())
    return counts, dict(zip(pairs, row[len(words) : len(words) + len(pairs)], strict=True))


def _ways(
    word: str, spellings: Mapping[str, set[str]], alias: str, kinds: list[str] | None = None
) -> list[tuple[str, list]]:
    """SQL conditions (with their parameters) for the entries that match `word`, one for each way (and each
    of `kinds`, when given), each a search of the index of its own: the word itself, in names a longer word
    it starts, in names a known word it may be a typo of."""
    typos = sorted(spellings[word] - {word})
    ways = []
    for kind in kinds or [None]:
        # With a range of words the kind is an expression: the database would otherwise read every entry of
        # that kind.
        of_kind, in_range, kind_params = (
            ("", "", []) if kind is None else (f" AND {alias}.kind = %s", f" AND ({alias}.kind || '') = %s", [kind])
        )
        ways.append((f"{alias}.word = %s{of_kind}", [word, *kind_params]))
        if not word.isdigit():
            ways.append(
                (
                    f"{alias}.word > %s AND {alias}.word <= %s AND {alias}.tier < {REST}{in_range}",
                    [word, last_with_prefix(word), *kind_params],
                )
            )
        if typos:
            ways.append(
                (
                    f"{alias}.word IN ({', '.join(['%s'] * len(typos))}) AND {alias}.tier < {REST}{of_kind}",
                    [*typos, *kind_params],
                )
            )
    return ways


@dataclass(frozen=True)
class _Term:
    """Indexed words that a typed word matches: one word (its entries are read in rank order), several
    (typos, read together), or a range of words starting alike."""

    words: tuple[str, ...] = ()
    range: tuple[str, str] | None = None
    # Whether it is the word as typed (or a typo of it): only that can make a whole name.
    exact: bool = True
    # Whether text is searched for it: only for the word as typed.
    text: bool = False

    def sql(self) -> tuple[str, list]:
        if self.range:
            return "e.word >= %s AND e.word <= %s", list(self.range)
        if len(self.words) == 1:
            return "e.word = %s", list(self.words)
        return f"e.word IN ({', '.join(['%s'] * len(self.words))})", list(self.words)


def _terms(word: str, spellings: Mapping[str, set[str]], starts: dict[str, list[str]]) -> list[_Term]:
    """What `word` matches in the index: itself, the known words it may be a typo of, the known words it
    starts (one query, bounded, kept in `starts` for the search with typos)."""
    terms = [_Term((word,), text=True)]
    typos = tuple(sorted(spellings[word] - {word}))
    if typos:
        terms.append(_Term(typos))
    if word.isdigit():
        return terms
    last = last_with_prefix(word)
    _look_up_starts([word], starts)
    longer = starts[word]
    if len(longer) > PREFIX_WORDS:
        terms.append(_Term(range=(word, last), exact=False))
    else:
        terms.extend(_Term((known,), exact=False) for known in longer if known not in typos)
    return terms


def _look_up_starts(words: list[str], starts: dict[str, list[str]]) -> None:
    """The known words that each of `words` starts, up to PREFIX_WORDS + 1 of them, into `starts`: one query
    for those not looked up yet."""
    wanted = [word for word in dict.fromkeys(words) if word not in starts and not word.isdigit()]
    if not wanted:
        return
    table = Spelling._meta.db_table
    # The vocabulary holds each known word under itself, among the forms its typos give.
    branches = [
        f"SELECT * FROM (SELECT {number} AS typed, s.word FROM {table} s WHERE s.variant > %s AND s.variant <= %s "
        f"AND s.word = s.variant ORDER BY s.variant LIMIT {PREFIX_WORDS + 1}) w{number}"
        for number in range(len(wanted))
    ]
    params = [param for word in wanted for param in (word, last_with_prefix(word))]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        rows = cursor.fetchall()
    for word in wanted:
        starts[word] = []
    for number, known in rows:
        starts[wanted[number]].append(known)
    for word in wanted:
        starts[word].sort()


def _variants(tier: int, term: _Term, place: int, count: int) -> list[tuple[str, int]]:
    """The lists to read a term's entries of one tier from, as (how the other words must stand, the best
    rank a thing read from that list can have). With several words a name ranks a thing only if it holds
    the others too, at their own places for a start: a list for each way, so that each one's first
    things are the best."""
    if count == 1:
        if tier == REST:
            return [("anywhere", REST)]
        return [("anywhere", WHOLE if tier == 0 and term.exact else STARTS if tier <= 1 else min(tier, OTHER_NAME))]
    if tier == REST:
        return [("anywhere", REST)]
    if tier == OTHER_NAME:
        return [("together", OTHER_NAME), ("anywhere", REST)]
    lists = []
    # The entry stands at the word's own place: a name of `count` words can be the words, a longer one starts with them.
    if (tier == 1 and place == 0) or (tier == 2 and place > 0):
        lists += [("whole", WHOLE if term.exact else STARTS), ("starts", STARTS)]
    return [*lists, ("together", WORDS), ("anywhere", REST)]


def _visible(kind: str, queryset: QuerySet, alias: str = "e", *, scalar: bool = False) -> tuple[str, list]:
    # Correlated, so that each entry is checked with a primary-key lookup: "object_id IN (the scope)" lets
    # the database start from the scope and read the entries of every visible thing.
    compiled = getattr(queryset, "_search_visible", None)
    if compiled is None:
        # Made once for each scope, which a search reads many times over.
        visible = queryset.order_by().filter(pk=RawSQL(f"{_OUTER}.object_id", ())).values("pk")
        sql, params = visible.query.sql_with_params()
        compiled = queryset._search_visible = (sql, list(params))
    sql, params = compiled
    sql = sql.replace(f"{_OUTER}.object_id", f"{alias}.object_id")
    if scalar:
        return f"({sql} LIMIT 1) IS NOT NULL", list(params)
    return f"EXISTS ({sql})", list(params)


_OUTER = "search_outer_entry"


def _best(
    words: list[str],
    spellings: Mapping[str, set[str]],
    scopes: Mapping[str, QuerySet],
    limit: int,
    starts: dict[str, list[str]],
) -> tuple[list[Hit], set[str]]:
    """The best `limit` things of each kind that hold every word, in rank order, and the kinds with more."""
    count = len(words)
    if count > 2:
        counts, paired = _counts_and_pairs(words, spellings, starts)
        if paired is None:
            return _best_of_entries(words, spellings, scopes, limit, starts, counts)
        # Every word common: the two that share fewest names are read together (`_named_then_rest`).
        pair = min(paired, key=lambda both: (paired[both], both))
        found = _named_then_rest(words, spellings, scopes, limit, starts, pair)
        chosen = [hit for hits in found.values() for hit in hits[:limit]]
        more = {kind for kind, hits in found.items() if len(hits) > limit}
        scopes = {kind: queryset for kind, queryset in scopes.items() if kind not in found}
        if not scopes:
            return chosen, more
        hits, more_left = _best_of_entries(words, spellings, scopes, limit, starts, _counts(words, spellings))
        return [*chosen, *hits], more | more_left
    if count == 1:
        return _best_of_entries(words, spellings, scopes, limit, starts, [0])
    # For two words, how common each is in each kind is enough to know at first. In a kind where both are
    # common, things holding both in one name are read from the pair index; a kind where that is not enough
    # (fewer than `limit` + 1 things hold both in one name) is read from the words' entries.
    by_kind = _counts_of_kinds(words, spellings, list(scopes))
    common = {kind: queryset for kind, queryset in scopes.items() if min(by_kind[kind]) >= FEW}
    named = (_named(words, spellings, common, limit, starts) or {}) if common else {}
    named = {kind: hits for kind, hits in named.items() if len(hits) > limit}
    chosen = [hit for hits in named.values() for hit in hits[:limit]]
    scopes = {kind: queryset for kind, queryset in scopes.items() if kind not in named}
    if not scopes:
        return chosen, set(named)
    counts = [sum(by_kind[kind][i] for kind in scopes) for i in range(count)]
    counts = [RARITY_CAP if number >= FEW else number for number in counts]
    if min(counts) >= FEW:
        # Both common in the kinds left: counted further.
        counts = _counts(words, spellings, list(scopes))
    hits, more = _best_of_entries(words, spellings, scopes, limit, starts, counts)
    return [*chosen, *hits], more | set(named)


def _best_of_entries(
    words: list[str],
    spellings: Mapping[str, set[str]],
    scopes: Mapping[str, QuerySet],
    limit: int,
    starts: dict[str, list[str]],
    counts: list[int],
) -> tuple[list[Hit], set[str]]:
    count = len(words)
    # Words that are not very common are intersected from their entries alone, and the things they meet in
    # checked for the very common ones (when none of them is, that costs at most RARITY_CAP entries a word).
    if count > 1 and min(counts) < RARITY_CAP:
        hits = _ranked(words, spellings, together=_together(words, spellings, scopes, counts))
        if hits is not None:
            chosen, more = [], set()
            for kind in scopes:
                mine = [hit for hit in hits if hit.kind == kind]
                if len(mine) > limit:
                    more.add(kind)
                chosen.extend(mine[:limit])
            return chosen, more
    # Otherwise the lists read are those of the rarest word.
    place = min(zip(counts, range(count), strict=True))[1]
    terms = _terms(words[place], spellings, starts)
    if count > 1:
        return _paged(words, spellings, place, terms, scopes, limit, rare=counts[place] < FEW)
    reach = limit + 1
    for widening in range(WIDENINGS + 1):
        candidates, cutoffs = _candidates(words, spellings, place, terms, scopes, reach)
        hits = [Hit(kind, object_id, bound, sort, 1) for (kind, object_id), (bound, sort) in candidates.items()]
        chosen, more, unsure = [], set(), False
        for kind in scopes:
            mine = sorted((hit for hit in hits if hit.kind == kind), key=lambda hit: hit.key)
            cutoff = cutoffs.get(kind)
            if cutoff is not None and widening < WIDENINGS:
                # Things not read yet rank after the cutoff: what ranks before it is sure.
                mine = [hit for hit in mine if hit.key <= cutoff]
                unsure = unsure or len(mine) <= limit
            if len(mine) > limit or cutoff is not None:
                more.add(kind)
            chosen.extend(mine[:limit])
        if not unsure:
            break
        reach *= WIDEN
    return chosen, more


def _paged(
    words: list[str],
    spellings: Mapping[str, set[str]],
    place: int,
    terms: list[_Term],
    scopes: Mapping[str, QuerySet],
    limit: int,
    *,
    rare: bool = False,
) -> tuple[list[Hit], set[str]]:
    """The best `limit` things of each kind holding every word, read from the lists of the word at `place`
    a page at a time. One query finds which of that word's lists (kind, indexed word, tier) have entries;
    then each round reads, in one query, the next page of each list that may still hold one of the best
    things, and ranks the things of that page from one query for their entries. A list is read several
    ways (`_variants`): its entries whose name also holds the other words, at their places or anywhere in
    it, and all its entries; each way gives the best rank a thing read from it can have. A thing not read
    yet ranks after the point each way has reached (at least its bound, then after the last sort key read):
    reading stops when `limit` + 1 things rank before every such point, so a round costs its page. The
    lists of a `rare` word (fewer than FEW entries) are read whole at once."""
    table = Entry._meta.db_table
    count = len(words)
    candidates = [
        (kind, term, tier) for kind in scopes for term in terms for tier in range(5) if tier != REST or term.text
    ]
    probes, params = [], []
    for number, (kind, term, tier) in enumerate(candidates):
        term_sql, term_params = term.sql()
        probes.append(
            f"SELECT {number} AS list WHERE EXISTS "
            f"(SELECT 1 FROM {table} e WHERE {term_sql} AND e.kind = %s AND e.tier = {tier})"
        )
        params.extend([*term_params, kind])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(probes), params)
        filled = sorted(number for (number,) in cursor.fetchall())
    ways = []
    for number in filled:
        kind, term, tier = candidates[number]
        ways.extend((kind, term, tier, way, bound) for way, bound in _variants(tier, term, place, count))
    # The things found anywhere are ranked whatever they hold.
    others_in = _other_words(words, spellings, place, anywhere=False)
    visible = {kind: _visible(kind, queryset, scalar=True) for kind, queryset in scopes.items()}
    # Where each way not read to its end has got to: (its bound, the last sort key and id read).
    reached: dict[int, tuple] = {number: (ways[number][4], "", 0) for number in range(len(ways))}
    started: set[int] = set()
    hits: dict[tuple[str, int], Hit] = {}
    seen: set[tuple[str, int]] = set()
    page = max(limit + 1, FEW) if rare else limit + 1
    while True:
        best = {kind: sorted(hit.key for hit in hits.values() if hit.kind == kind) for kind in scopes}
        wanted = []
        for number, point in sorted(reached.items()):
            kind = ways[number][0]
            # A way whose next things rank after `limit` + 1 found ones cannot change the best.
            if len(best[kind]) <= limit or point < best[kind][limit]:
                wanted.append(number)
        if not wanted:
            break
        # The ways of the best bound first: those of a lower one are read only if these are not enough.
        if not rare:
            level = min(ways[number][4] for number in wanted)
            wanted = [number for number in wanted if ways[number][4] == level]
        pages = []
        for number in wanted:
            kind, term, tier, way, _ = ways[number]
            term_sql, term_params = term.sql()
            visible_sql, visible_params = visible[kind]
            others, others_params = others_in[way]
            # The other words first: most entries of a common word fail there, and are not looked up further.
            where = [term_sql, "e.kind = %s", f"e.tier = {tier}", *others, visible_sql]
            after = reached[number][1:] if number in started else None
            pages.append((number, where, [*term_params, kind, *others_params, *visible_params], after, int(page)))
        read = _next_pages(table, "e", pages)
        new = set()
        for number in wanted:
            started.add(number)
            got = read.get(number, [])
            if len(got) < page:
                del reached[number]
            else:
                reached[number] = (ways[number][4], *max(got))
            kind = ways[number][0]
            new.update((kind, object_id) for _, object_id in got if (kind, object_id) not in seen)
        if new:
            seen |= new
            hits.update(((hit.kind, hit.object_id), hit) for hit in _ranked_here(words, spellings, new))
        page *= WIDEN
    chosen, more = [], set()
    for kind in scopes:
        mine = sorted((hit for hit in hits.values() if hit.kind == kind), key=lambda hit: hit.key)
        if len(mine) > limit:
            more.add(kind)
        chosen.extend(mine[:limit])
    return chosen, more


# Two words are read from the pair index when they stand for at most this many pairs of indexed words (each
# typed word, its typos and the words it starts): beyond, finding which lists hold entries costs too much.
PAIR_LISTS = 24
# Up to this many lists of the pair index are read at once; more are first probed for entries.
PROBED = 12


def _indexed(
    words: list[str], spellings: Mapping[str, set[str]], starts: dict[str, list[str]], pair: tuple[int, int]
) -> tuple[dict[str, bool], dict[str, bool]] | None:
    """The indexed words that each word at `pair` stands for (itself, its typos, the words it starts), each
    with whether it can make a whole name; None when the pair index cannot answer for them: a word read as
    more than a few indexed words, or as the other word."""
    _look_up_starts([words[i] for i in pair], starts)
    indexed = []
    for i in pair:
        own: dict[str, bool] = {}
        for term in _terms(words[i], spellings, starts):
            if term.range:
                return None
            for known in term.words:
                own[known] = own.get(known, False) or term.exact
        indexed.append(own)
    first, second = indexed
    if first.keys() & second.keys() or len(first) * len(second) > PAIR_LISTS:
        return None
    return first, second


def _named(
    words: list[str],
    spellings: Mapping[str, set[str]],
    scopes: Mapping[str, QuerySet],
    limit: int,
    starts: dict[str, list[str]],
    pair: tuple[int, int] = (0, 1),
) -> dict[str, list[Hit]] | None:
    """The things of each kind that hold every word in one name, best first, read in rank order from the
    pair index of the words at `pair` (the others checked in the thing's names): the best `limit` + 1 of a
    kind where more than `limit` things do (there, no thing holding the words only apart can rank among
    the best), else all of them. Each list of the pair index (two indexed words, a kind and a tier) gives
    the best rank of what it holds (for two words its rank; for more, the things read are ranked by reading
    their entries); the lists are read a page at a time, the best rank first, until `limit` + 1 things rank
    before what is still unread, as `_paged` does. With more than two words, a kind not settled after
    WIDENINGS more pages is left out. None when the pair index cannot answer: a word read as more than a
    few indexed words, or as the other word."""
    count = len(words)
    indexed = _indexed(words, spellings, starts, pair)
    if indexed is None:
        return None
    first, second = indexed
    table = Pair._meta.db_table
    candidates = []
    for kind in scopes:
        for a, a_exact in first.items():
            for b, b_exact in second.items():
                for tier in range(OTHER_NAME + 1):
                    whole = WHOLE if a_exact and b_exact else STARTS
                    if count == 2:
                        bound = whole if tier == 0 else STARTS if tier == 1 else tier
                    elif tier == OTHER_NAME:
                        bound = OTHER_NAME
                    else:
                        # With more words, a name that starts with the pair may be them all or start with them
                        # (and one that holds the pair apart may, unless the pair are the first two words).
                        bound = WORDS if tier == WORDS and pair == (0, 1) else whole
                    candidates.append((kind, a, b, tier, bound))
    lists = candidates
    if len(candidates) > PROBED:
        # Many lists: which of them have entries is asked first, so that only those are read.
        probes, params = [], []
        for number, (kind, a, b, tier, _) in enumerate(candidates):
            probes.append(
                f"SELECT {number} AS list WHERE EXISTS (SELECT 1 FROM {table} p "
                f"WHERE p.first = %s AND p.second = %s AND p.kind = %s AND p.tier = {tier})"
            )
            params.extend([a, b, kind])
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(probes), params)
            lists = [candidates[number] for (number,) in sorted(cursor.fetchall())]
    visible = {kind: _visible(kind, queryset, alias="p", scalar=True) for kind, queryset in scopes.items()}
    # The other words, in one of the thing's names.
    others, others_params = [], []
    for i, word in enumerate(words):
        if i not in pair:
            sql, word_params = _holds(word, spellings, "p", f" AND o.field < {Entry.Field.TEXT}")
            others.append(sql)
            others_params.extend(word_params)
    # Where each list not read to its end has got to: (its rank, the last sort key and id read).
    reached: dict[int, tuple] = {number: (lists[number][4], "", 0) for number in range(len(lists))}
    # How many entries the next read of each list takes: `limit` + 1 at first, more each time after.
    pages = dict.fromkeys(reached, limit + 1)
    hits: dict[tuple[str, int], Hit] = {}
    seen: set[tuple[str, int]] = set()
    rounds = 0
    while True:
        best = {kind: sorted(hit.key for hit in hits.values() if hit.kind == kind) for kind in scopes}
        wanted = [
            number
            for number, point in sorted(reached.items())
            if len(best[lists[number][0]]) <= limit or point < best[lists[number][0]][limit]
        ]
        if not wanted or (count > 2 and rounds > WIDENINGS):
            break
        # The first read takes the first page of every list (they are few); after it, the lists of the best
        # rank first, as only they can change the best.
        level = -1 if rounds == 0 else min(lists[number][4] for number in wanted)
        rounds += 1
        wanted = [number for number in wanted if level < 0 or lists[number][4] == level]
        to_read = []
        for number in wanted:
            kind, a, b, tier, _ = lists[number]
            visible_sql, visible_params = visible[kind]
            where = ["p.first = %s", "p.second = %s", "p.kind = %s", f"p.tier = {tier}", *others, visible_sql]
            after = reached[number][1:] if pages[number] > limit + 1 else None
            to_read.append((number, where, [a, b, kind, *others_params, *visible_params], after, pages[number]))
        read = _next_pages(table, "p", to_read)
        new = set()
        for number, got in read.items():
            kind, bound = lists[number][0], lists[number][4]
            for sort, object_id in got:
                hit = Hit(kind, object_id, bound, sort, count)
                if count > 2:
                    new.add((kind, object_id))
                elif (kind, object_id) not in hits or hit.key < hits[kind, object_id].key:
                    hits[kind, object_id] = hit
        new -= seen
        if new:
            seen |= new
            # Ranked as they are; those holding the words in different names are not among these.
            hits.update(
                ((hit.kind, hit.object_id), hit) for hit in _ranked_here(words, spellings, new) if hit.rank < REST
            )
        for number in wanted:
            got = read.get(number, [])
            if len(got) < pages[number]:
                del reached[number]
            else:
                reached[number] = (lists[number][4], *max(got))
                pages[number] *= WIDEN
    unsure = {lists[number][0] for number in reached} if count > 2 and rounds > WIDENINGS else set()
    named = {}
    for kind in scopes:
        mine = sorted((hit for hit in hits.values() if hit.kind == kind), key=lambda hit: hit.key)
        if len(mine) > limit or kind not in unsure:
            named[kind] = mine[: limit + 1] if count > 2 else mine
    return named


def _named_then_rest(
    words: list[str],
    spellings: Mapping[str, set[str]],
    scopes: Mapping[str, QuerySet],
    limit: int,
    starts: dict[str, list[str]],
    pair: tuple[int, int],
) -> dict[str, list[Hit]]:
    """For three words or more, every one common: the best `limit` + 1 things of each kind it can settle,
    in rank order. Those holding every word in one name come from the pair index of the words at `pair`
    (the others held in a name too) and are ranked from their names' entries, in one query that also says
    which of the words' lists have entries; when there are not more than `limit` of them, the others (which
    rank after them, in alphabetical order) are found by walking the words' entries together (`_rest`), in
    another. When too many hold the words in one name (TOGETHER), they are read in rank order instead
    (`_named`), and the rest walked after. Either way the cost is what the best things are, not how many
    hold the words; a kind left unsettled is left out, for the caller to intersect the words."""
    indexed = _indexed(words, spellings, starts, pair)
    terms = [_terms(word, spellings, starts) for word in words]
    if indexed is None or any(term.range for own in terms for term in own):
        return {}
    table = Pair._meta.db_table
    first, second = (sorted(own) for own in indexed)
    # The things holding the pair in one name and the other words in a name.
    conditions = [
        f"p.first IN ({', '.join(['%s'] * len(first))})",
        f"p.second IN ({', '.join(['%s'] * len(second))})",
    ]
    params = [*first, *second]
    for i, word in enumerate(words):
        if i not in pair:
            sql, word_params = _holds(word, spellings, "p", f" AND o.field < {Entry.Field.TEXT}")
            conditions.append(sql)
            params.extend(word_params)
    visible_parts = []
    for kind, queryset in scopes.items():
        visible, visible_params = _visible(kind, queryset, alias="p", scalar=True)
        visible_parts.append(f"(p.kind = %s AND {visible})")
        params.extend([kind, *visible_params])
    conditions.append(f"({' OR '.join(visible_parts)})")
    together = (
        f"SELECT DISTINCT p.kind, p.object_id FROM {table} p WHERE {' AND '.join(conditions)} LIMIT {TOGETHER + 1}"
    )
    # Ranked here from their names' entries of the words, read in the same query unless there are too many.
    matches = []
    for word in words:
        sql, word_params = _matches(word, spellings)
        matches.append(sql)
        params.extend(word_params)
    # Which lists of the two words (an indexed word, a kind and a tier) have entries: only those are walked
    # (`_rest`). The lists are rows of a table of values, so that the SQL stays short.
    lists = sorted(
        {
            (kind, place, known, tier)
            for kind in scopes
            for place, own in enumerate(terms)
            for term in own
            for known in term.words
            for tier in range(5)
            if tier != REST or term.text
        }
    )
    rows = ", ".join(f"({number}, %s, %s, {tier})" for number, (_, _, _, tier) in enumerate(lists))
    params.extend(param for kind, _, known, _ in lists for param in (known, kind))
    # A row says how many things there are (the field empty), a row each list that has entries (the field -1).
    sql = (
        f"WITH together AS MATERIALIZED ({together}) "
        f"SELECT e.kind, e.object_id, e.field, e.name, e.length, e.position, e.word, e.sort "
        f"FROM together g JOIN {Entry._meta.db_table} e ON e.kind = g.kind AND e.object_id = g.object_id "
        f"WHERE e.field < {Entry.Field.TEXT} AND ({' OR '.join(matches)}) "
        f"AND (SELECT COUNT(*) FROM together) <= {TOGETHER} "
        f"UNION ALL SELECT NULL, COUNT(*), NULL, NULL, NULL, NULL, NULL, NULL FROM together "
        f"UNION ALL SELECT NULL, v.column1, -1, NULL, NULL, NULL, NULL, NULL FROM (VALUES {rows}) AS v "
        f"WHERE EXISTS (SELECT 1 FROM {Entry._meta.db_table} e "
        f"WHERE e.word = v.column2 AND e.kind = v.column3 AND e.tier = v.column4)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    filled = [lists[number] for number in sorted(row[1] for row in rows if row[0] is None and row[2] == -1)]
    if next(row[1] for row in rows if row[0] is None and row[2] is None) <= TOGETHER:
        hits = _rank_entries(words, spellings, [row for row in rows if row[0] is not None])
        named = {kind: [hit for hit in hits if hit.kind == kind and hit.rank < REST] for kind in scopes}
    else:
        # Too many to rank at once: read in rank order.
        named = _named(words, spellings, scopes, limit, starts, pair=pair)
        if named is None:
            return {}
    found = {kind: hits[: limit + 1] for kind, hits in named.items() if len(hits) > limit}
    left = {kind: hits for kind, hits in named.items() if len(hits) <= limit}
    if left:
        scopes = {kind: scopes[kind] for kind in left}
        found.update(_rest(words, spellings, pair, filled, scopes, limit, left))
    return found


# A thing's place in alphabetical order as one string, its sort key then its id: the id is written with
# this added, so that every id has as many digits and strings compare as the (sort key, id) they are.
_KEYED = 10**12
# How many steps a walk may take beyond twice the things it looks for before it gives up.
STEPS = 100


def _rest(
    words: list[str],
    spellings: Mapping[str, set[str]],
    pair: tuple[int, int],
    filled: list[tuple[str, int, str, int]],
    scopes: Mapping[str, QuerySet],
    limit: int,
    named: Mapping[str, list[Hit]],
) -> dict[str, list[Hit]]:
    """For each kind, `named` (every thing of that kind holding the words in one name, in rank order) and
    after them the first things in alphabetical order that hold every word otherwise, up to `limit` + 1
    in all, in one query. The words are walked together through the index in alphabetical order, as each
    word's lists are (those `filled`: a kind, the word's place, an indexed word, a tier): from a point, each
    word's next thing; the words behind go on from the furthest, and when they all agree that thing holds
    every word. So a step costs a few lookups, and the steps are about as many as the things found, however
    many things hold some of the words. A kind whose walk runs out of steps is left out: its words meet too
    seldom for walking them to pay."""
    table = Entry._meta.db_table
    count = len(words)
    postgres = connection.vendor == "postgresql"
    # The points of the walk compare as bytes; a sort key sought in the index, in the column's own collation.
    collate, own_collation = (' COLLATE "C"', ' COLLATE "default"') if postgres else ("", "")
    key = f"e.sort || ' ' || CAST(e.object_id + {_KEYED} AS TEXT)"

    def next_of(kind: str, place: int, sort: str, object_id: str) -> tuple[str, list]:
        # The word's first entry at or after (sort, object_id), over each of its lists, passing over the
        # things named: the walk does not stop at them.
        mine = [(known, tier) for kind_of, place_of, known, tier in filled if (kind_of, place_of) == (kind, place)]
        ids = ", ".join(str(int(hit.object_id)) for hit in named[kind])
        # Ids inline, as they come from the index.
        passing = f" AND e.object_id NOT IN ({ids})" if ids else ""
        seek = (
            f"(SELECT {key} FROM {table} e WHERE e.word = l.column1 AND e.kind = %s AND e.tier = l.column2 "
            f"AND e.sort >= {sort} AND (e.sort > {sort} OR e.object_id >= {object_id}){passing} "
            f"ORDER BY e.sort, e.object_id LIMIT 1)"
        )
        rows = ", ".join(f"(%s, {tier})" for _, tier in mine)
        return f"(SELECT MIN({seek}{collate}) FROM (VALUES {rows}) AS l)", [kind, *(known for known, _ in mine)]

    def sort_of(point: str) -> str:
        # In the column's own collation, so that PostgreSQL seeks it through the index.
        return f"substr({point}, 1, length({point}) - 14){own_collation}"

    def id_of(point: str) -> str:
        return f"(CAST(substr({point}, length({point}) - 12) AS BIGINT) - {_KEYED})"

    def walk(name: str, kind: str, queryset: QuerySet, places: list[int], wanted: int) -> tuple[str, list, str]:
        # The walk of the words at `places`; the others are checked in each thing they agree on.
        points = [f"w.c{place}" for place in places]
        furthest = f"{'GREATEST' if postgres else 'max'}({', '.join(f'{point}{collate}' for point in points)})"
        agree = " AND ".join(f"{points[0]} = {point}" for point in points[1:])
        # The walk starts before every thing: at a point all the words agree on, of no sort key and id 0, so
        # that its first step looks each word's first thing up as any step does.
        start = f"CAST(' {_KEYED}' AS TEXT){collate}"
        # From a step where the words' next things are w.c0, w.c1…: those behind go on from the furthest (past
        # it when they all agree); the furthest stays.
        following = []
        for place, point in zip(places, points, strict=True):
            past = f"{id_of(furthest)} + CASE WHEN {agree} THEN 1 ELSE 0 END"
            seek, seek_params = next_of(kind, place, sort_of(furthest), past)
            following.append(
                (
                    f"CASE WHEN {point}{collate} >= {furthest} AND NOT ({agree}) THEN {point} ELSE {seek} END",
                    seek_params,
                )
            )
        checks, checks_params = [], []
        for place, word in enumerate(words):
            if place not in places:
                sql, word_params = _holds(word, spellings, "t")
                checks.append(sql)
                checks_params.extend(word_params)
        visible_sql, visible_params = _visible(kind, queryset, alias="t", scalar=True)
        checks.append(visible_sql)
        # Whether the thing the words agree on may be shown: checked at the step after.
        shown = (
            f"CASE WHEN {agree} THEN (SELECT CASE WHEN {' AND '.join(checks)} THEN 1 ELSE 0 END "
            f"FROM (SELECT CAST(%s AS VARCHAR(16)) AS kind, {id_of(points[0])} AS object_id) t) ELSE 0 END"
        )
        present = " AND ".join(f"{point} IS NOT NULL" for point in points)
        columns = ", ".join(f"c{place}" for place in places)
        sql = (
            f"{name}(step, {columns}, shown, reached, found) AS ("
            f"SELECT 0, {', '.join([start] * len(places))}, 0, CAST(NULL AS TEXT){collate}, 0 "
            f"UNION ALL SELECT w.step + 1, {', '.join(sql for sql, _ in following)}, {shown}, {points[0]}, "
            f"w.found + w.shown FROM {name} w "
            f"WHERE {present} AND w.found + w.shown < {wanted} AND w.step < {2 * wanted + STEPS})"
        )
        params = [param for _, seek_params in following for param in seek_params]
        # Each step read back: whether every word had a next thing still.
        read = f"step, ({present.replace('w.', '')}), reached, shown, found FROM {name}"
        return sql, [*params, *checks_params, *visible_params, kind], read

    found = {}
    for kind in scopes:
        if {place for kind_of, place, _, _ in filled if kind_of == kind} != set(range(count)):
            # A word is in no thing of this kind: there is nothing else to find.
            found[kind] = list(named[kind])
    # The two words at `pair` first; all of them, in a kind where those two meet too often to pay.
    for places in (list(pair), list(range(count))):
        ctes, selects, params, walked = [], [], [], []
        for kind, queryset in scopes.items():
            if kind in found:
                continue
            sql, walk_params, read = walk(f"walk{len(walked)}", kind, queryset, places, limit + 1 - len(named[kind]))
            ctes.append(sql)
            params.extend(walk_params)
            selects.append(f"SELECT {len(walked)}, {read}")
            walked.append(kind)
        if not walked:
            break
        with connection.cursor() as cursor:
            cursor.execute(f"WITH RECURSIVE {', '.join(ctes)} {' UNION ALL '.join(selects)}", params)
            rows = cursor.fetchall()
        for number, kind in enumerate(walked):
            needed = limit + 1 - len(named[kind])
            mine = sorted((row[1:] for row in rows if row[0] == number), key=lambda row: row[0])
            _, going, _, shown, so_far = mine[-1]
            if going and so_far + shown < needed:
                continue
            rest = []
            for _, _, reached, shown, _ in mine:
                if shown and reached is not None:
                    sort, object_id = reached.rsplit(" ", 1)
                    rest.append(Hit(kind, int(object_id) - _KEYED, REST, sort, count))
            found[kind] = [*named[kind], *rest[:needed]]
        if len(places) == count:
            break
    return found


def _other_words(
    words: list[str], spellings: Mapping[str, set[str]], place: int, *, anywhere: bool
) -> dict[str, tuple[list[str], list]]:
    """For each way a list of the word at `place` is read: SQL conditions (and their parameters) on its entry
    `e` that the other words must meet. "whole": the entry's name is the words, each at its own place;
    "starts": a longer name starts with them; "together": the name holds them; "anywhere": the thing holds
    them (checked only when `anywhere`)."""
    count = len(words)
    others_in = {}
    for way in ("whole", "starts", "together", "anywhere"):
        parts, parts_params = [], []
        if way == "whole":
            parts.append(f"e.position = {place} AND e.length = {count}")
        elif way == "starts":
            parts.append(f"e.position = {place} AND e.length <> {count}")
        for i, word in enumerate(words):
            if i == place or (way == "anywhere" and not anywhere):
                continue
            where = ""
            if way != "anywhere":
                where += " AND o.field = e.field AND o.name = e.name"
            if way in ("whole", "starts"):
                where += f" AND o.position = {i}"
            sql, word_params = _holds(word, spellings, "e", where)
            parts.append(sql)
            parts_params.extend(word_params)
        others_in[way] = (parts, parts_params)
    return others_in


def _holds(word: str, spellings: Mapping[str, set[str]], outer: str, where: str = "") -> tuple[str, list]:
    """SQL (and its parameters) for whether the thing of `outer` (an entry, or a row with its kind and id)
    has an entry matching `word` (and meeting `where`, on entry `o`): one lookup of that thing's entries.
    A scalar subquery rather than EXISTS, here and for what may be seen: PostgreSQL would join it, read the
    whole list and sort it; checked row by row, the index's order is kept."""
    sql, params = _matches(word, spellings, "o", indexed=False)
    return (
        f"(SELECT 1 FROM {Entry._meta.db_table} o WHERE o.kind = {outer}.kind AND o.object_id = {outer}.object_id"
        f"{where} AND {sql} LIMIT 1) IS NOT NULL",
        params,
    )


def _next_pages(table: str, alias: str, pages: list[tuple[int, list[str], list, tuple | None, int]]) -> dict:
    """The next page of several lists of an index read in rank order (entries of one word, or pairs of
    words), in one query. Each page is (its list's number, the conditions that make the list, their
    parameters, the sort key and id read last or None, how many to read); the answer maps each list's
    number to the (sort key, id) read, in order."""
    branches, params = [], []
    for number, where, where_params, after, size in pages:
        where, params = list(where), [*params, *where_params]
        if after is not None:
            # After the last entry read; the plain comparison on sort lets the index start there.
            where.append(f"{alias}.sort >= %s AND ({alias}.sort > %s OR {alias}.object_id > %s)")
            params.extend([after[0], after[0], after[1]])
        branches.append(
            f"SELECT {number} AS list, c.sort, c.object_id FROM (SELECT {alias}.sort, {alias}.object_id "
            f"FROM {table} {alias} WHERE {' AND '.join(where)} ORDER BY {alias}.sort, {alias}.object_id "
            f"LIMIT {int(size)}) c"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        rows = cursor.fetchall()
    read = defaultdict(list)
    for number, sort, object_id in rows:
        read[number].append((sort, object_id))
    return read


def _ranked_here(words: list[str], spellings: Mapping[str, set[str]], among: set[tuple[str, int]]) -> list[Hit]:
    """The things `among` that hold every word, ranked as `_ranked` ranks them, from one query for their
    entries of the words (looked up by thing) and the ranking done here: a page of many things costs
    what its entries do."""
    params: list = []
    matches = []
    for word in words:
        sql, word_params = _matches(word, spellings, indexed=False)
        matches.append(sql)
        params.extend(word_params)
    by_kind = defaultdict(list)
    for kind, object_id in among:
        by_kind[kind].append(int(object_id))
    parts = []
    for kind, ids in by_kind.items():
        # Ids inline: they come from the index, and a long list of parameters would outgrow SQLite's limit.
        parts.append(f"(e.kind = %s AND e.object_id IN ({', '.join(map(str, sorted(ids)))}))")
        params.append(kind)
    sql = (
        f"SELECT e.kind, e.object_id, e.field, e.name, e.length, e.position, e.word, e.sort "
        f"FROM {Entry._meta.db_table} e WHERE ({' OR '.join(matches)}) AND ({' OR '.join(parts)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return _rank_entries(words, spellings, rows)


def _rank_entries(words: list[str], spellings: Mapping[str, set[str]], rows: list[tuple]) -> list[Hit]:
    """The things that hold every word, ranked as `_ranked` ranks them, from their entries that match a word
    (rows of kind, object id, field, name, length, position, word, sort)."""
    count = len(words)
    typos = [spellings[word] - {word} for word in words]
    names = defaultdict(lambda: ([False] * count, [False] * count, [False] * count))
    sorts = {}
    for kind, object_id, field_, name, length, position, word, sort in rows:
        has, wholes, starts = names[kind, object_id, field_, name, length]
        sorts[kind, object_id] = min(sort, sorts.get((kind, object_id), sort))
        for i, typed in enumerate(words):
            # As `_matches` says: the word anywhere; in names also a known spelling or a longer word.
            matched = word == typed or (
                field_ < Entry.Field.TEXT and (word in typos[i] or (not typed.isdigit() and word.startswith(typed)))
            )
            has[i] = has[i] or matched
            if position == i:
                wholes[i] = wholes[i] or word in spellings[typed]
                starts[i] = starts[i] or matched
    ranks, found = {}, defaultdict(lambda: [False] * count)
    for (kind, object_id, field_, _, length), (has, wholes, starts) in names.items():
        if not all(has):
            rank = REST
        elif field_ == Entry.Field.NAME and all(wholes) and length == count:
            rank = WHOLE
        elif field_ == Entry.Field.NAME and all(starts):
            rank = STARTS
        elif field_ == Entry.Field.NAME:
            rank = WORDS
        else:
            rank = OTHER_NAME if field_ == Entry.Field.OTHER_NAME else REST
        ranks[kind, object_id] = min(rank, ranks.get((kind, object_id), rank))
        found[kind, object_id] = [a or b for a, b in zip(found[kind, object_id], has, strict=True)]
    hits = [
        Hit(kind, object_id, ranks[kind, object_id], sorts[kind, object_id], count)
        for (kind, object_id), held in found.items()
        if all(held)
    ]
    return sorted(hits, key=lambda hit: hit.key)


# Several words that meet in at most this many things are ranked all together at once (reading their
# names whole costs what they are; beyond this, reading in rank order costs less).
TOGETHER = 200


def _together(
    words: list[str], spellings: Mapping[str, set[str]], scopes: Mapping[str, QuerySet], counts: list[int]
) -> tuple[str, list]:
    """SQL (and its parameters) for the visible things holding every word, up to TOGETHER + 1 of them: the
    things of the words that are not very common (by `counts`) intersected from their index entries alone
    (no row is read), each checked for the very common words by looking up its own entries."""
    table = Entry._meta.db_table
    parts, params = [], []
    for i, word in enumerate(words):
        if counts[i] >= RARITY_CAP:
            continue
        # Each way a word matches as a search of the index of its own (an OR of them would read every entry).
        selects = []
        for sql, way_params in _ways(word, spellings, "e", list(scopes)):
            selects.append(f"SELECT e.kind, e.object_id FROM {table} e WHERE {sql}")
            params.extend(way_params)
        parts.append(f"SELECT w{i}.kind, w{i}.object_id FROM ({' UNION '.join(selects)}) w{i}")
    checks = []
    for i, word in enumerate(words):
        if counts[i] >= RARITY_CAP:
            sql, word_params = _holds(word, spellings, "t")
            checks.append(sql)
            params.extend(word_params)
    visible_parts = []
    for kind, queryset in scopes.items():
        visible, visible_params = _visible(kind, queryset, alias="t")
        visible_parts.append(f"(t.kind = %s AND {visible})")
        params.extend([kind, *visible_params])
    conditions = [*checks, f"({' OR '.join(visible_parts)})"]
    sql = (
        f"SELECT t.kind, t.object_id FROM ({' INTERSECT '.join(parts)}) t "
        f"WHERE {' AND '.join(conditions)} LIMIT {TOGETHER + 1}"
    )
    return sql, params


def _candidates(
    words: list[str],
    spellings: Mapping[str, set[str]],
    place: int,
    terms: list[_Term],
    scopes: Mapping[str, QuerySet],
    reach: int,
) -> tuple[dict[tuple[str, int], tuple[int, str]], dict[str, tuple]]:
    """The first `reach` visible things of each kind, term and tier that hold the word at `place` (and
    every other word), in one query: each with the best rank it may have and its sort key. With them, for
    each kind whose lists were cut, the rank key of the first thing not read (the cutoff)."""
    branches, params, meta = [], [], []
    count = len(words)
    table = Entry._meta.db_table
    others_in = _other_words(words, spellings, place, anywhere=True)
    for kind, queryset in scopes.items():
        visible, visible_params = _visible(kind, queryset)
        for term in terms:
            term_sql, term_params = term.sql()
            for tier in range(5):
                if tier == REST and not term.text:
                    continue
                for way, bound in _variants(tier, term, place, count):
                    others, others_params = others_in[way]
                    meta.append((kind, bound))
                    where = " AND ".join([term_sql, "e.kind = %s", f"e.tier = {tier}", visible, *others])
                    branches.append(
                        f"SELECT {len(meta) - 1} AS branch, c.sort, c.object_id FROM ("
                        f"SELECT e.sort, e.object_id FROM {table} e WHERE {where} "
                        f"ORDER BY e.sort, e.object_id LIMIT {int(reach)}) c"
                    )
                    params.extend([*term_params, kind, *visible_params, *others_params])
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(branches), params)
        rows = cursor.fetchall()
    found: dict[tuple[str, int], tuple[int, str]] = {}
    read = defaultdict(list)
    for branch, sort, object_id in rows:
        kind, bound = meta[branch]
        read[branch].append((bound, sort, object_id))
        if (kind, object_id) not in found or bound < found[kind, object_id][0]:
            found[kind, object_id] = (bound, sort)
    cutoffs: dict[str, tuple] = {}
    for branch, keys_read in read.items():
        if len(keys_read) >= reach:
            kind = meta[branch][0]
            last = max(keys_read)
            cutoffs[kind] = min(cutoffs.get(kind, last), last)
    return found, cutoffs


def _ranked(
    words: list[str],
    spellings: Mapping[str, set[str]],
    *,
    scopes: Mapping[str, QuerySet] | None = None,
    together: tuple[str, list] | None = None,
) -> list[Hit] | None:
    """Things ranked by reading their names whole: the things that `together` (SQL and its parameters, for
    things holding every word) finds, in the same query (None when it finds more than TOGETHER: they are
    not ranked), or the things in `scopes` holding any of the words (which reads every entry of those
    words)."""
    params: list = []

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
    where = [f"({' OR '.join(matches(word, indexed=scopes is not None) for word in words)})"]
    source = f"{Entry._meta.db_table} e"
    if together is not None:
        # The things are found first, and only their entries read (by thing), unless there are too many.
        source = f"together g JOIN {Entry._meta.db_table} e ON e.kind = g.kind AND e.object_id = g.object_id"
        where.append(f"(SELECT COUNT(*) FROM together) <= {TOGETHER}")
    else:
        scope_parts = []
        for kind, queryset in scopes.items():
            visible, visible_params = _visible(kind, queryset)
            # The kind is compared as an expression so that the database looks entries up by their word.
            scope_parts.append(f"((e.kind || '') = %s AND {visible})")
            params.extend([kind, *visible_params])
        where.append(f"({' OR '.join(scope_parts)})")
    names_has = " + ".join(f"h{i}" for i in range(count))
    found = " + ".join(f"MAX(h{i})" for i in range(count))
    sql = f"""
        WITH {"together AS MATERIALIZED (" + together[0] + ")," if together else ""}
        hits AS (
            SELECT e.kind, e.object_id, e.field, e.name, e.length, e.sort, {", ".join(columns)}
            FROM {source}
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
    params.append(1 if scopes is not None else count)
    if together is not None:
        # A last row says how many things there are.
        sql += "UNION ALL SELECT NULL, NULL, NULL, NULL, COUNT(*) FROM together"
        params = [*together[1], *params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if together is not None:
        if next(found for kind, _, _, _, found in rows if kind is None) > TOGETHER:
            return None
        rows = [row for row in rows if row[0] is not None]
    hits = [Hit(kind, object_id, rank, sort, found) for kind, object_id, sort, rank, found in rows]
    return sorted(hits, key=lambda hit: hit.key)


class Ranked(Sequence):
    """Things of one kind that match a search, in rank order, loaded a slice at a time from `queryset`
    (so a paginator shows page 3 by loading 48 of them). Only the first `reach` matches are ranked: up
    to there `len` is exact, and `more` says whether there are others (`len` then counts one more, so
    that a paginator links to the page after); a slice further on ranks further."""

    def __init__(self, queryset: QuerySet, query: str, kind: str, *, reach: int = COUNTED):
        self.queryset, self.query, self.kind = queryset, query, kind
        self.reach = max(reach, COUNTED)
        self._found: tuple[list[int], bool] | None = None

    def reach_to(self, count: int) -> "Ranked":
        """Rank at least the first `count` matches (a later page)."""
        if count > self.reach:
            self.reach, self._found = count, None
        return self

    def _ids(self) -> tuple[list[int], bool]:
        if self._found is None:
            outcome = search(self.query, {self.kind: self.queryset}, limit=self.reach)
            self._found = (outcome.ids(self.kind), self.kind in outcome.more)
        return self._found

    @property
    def more(self) -> bool:
        return self._ids()[1]

    @property
    def known(self) -> int:
        """How many matches are ranked (all of them unless `more`)."""
        return len(self._ids()[0])

    def __len__(self):
        ids, more = self._ids()
        return len(ids) + more

    def count(self):
        return len(self)

    def __getitem__(self, index):
        if isinstance(index, slice):
            if index.stop is not None and index.stop > self.reach and self.more:
                self.reach_to(index.stop)
            wanted = self._ids()[0][index]
            found = {obj.pk: obj for obj in self.queryset.filter(pk__in=wanted)} if wanted else {}
            return [found[pk] for pk in wanted if pk in found]
        return self[index : index + 1 or None][0]
