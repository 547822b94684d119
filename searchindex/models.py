from django.core.exceptions import ValidationError
from django.db import models

from .text import MAX_WORD, keys


class Entry(models.Model):
    """One word of one searchable thing, where it stands: in which of its names, at which place."""

    class Field(models.IntegerChoices):
        NAME = 0, "name"
        OTHER_NAME = 1, "other name"
        TEXT = 2, "text"

    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    field = models.PositiveSmallIntegerField(choices=Field.choices)
    # Which name (or text) of the thing, so that words of one name can be told from words of another.
    name = models.PositiveSmallIntegerField()
    position = models.PositiveSmallIntegerField()
    # Words in that name: a query with as many words, all matching from the start, is the whole name.
    length = models.PositiveSmallIntegerField()
    word = models.CharField(max_length=MAX_WORD)
    # The best rank a search for this one word can give the thing through this entry (see `tier_of`).
    tier = models.PositiveSmallIntegerField(default=4)
    # The thing's first name, folded, run together ("childspose"): ties in rank go alphabetically. Letters
    # and digits only, so that every database collation orders it as Python does.
    sort = models.CharField(max_length=120)

    class Meta:
        verbose_name_plural = "entries"
        indexes = [
            # A word's entries of one kind and tier in rank order: a search reads the first few of them,
            # however many things hold the word.
            models.Index(fields=["word", "kind", "tier", "sort", "object_id"], name="search_entry_ranked"),
            models.Index(fields=["kind", "object_id"], name="search_entry_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.word}"

    @classmethod
    def tier_of(cls, field: int, position: int, length: int) -> int:
        """0: the whole name is this word; 1: a name starts with it; 2: a name holds it; 3: another name
        holds it; 4: its text does."""
        if field == cls.Field.NAME:
            return 0 if position == 0 and length == 1 else 1 if position == 0 else 2
        return 3 if field == cls.Field.OTHER_NAME else 4


class Pair(models.Model):
    """Two words of one name of a thing, in either order, with the best rank a search for those two words
    in that order can give it through that name (see `tier_of`). A search for two words reads the best
    things holding both in one name from here, in rank order, however many things hold either word."""

    kind = models.CharField(max_length=16)
    object_id = models.BigIntegerField()
    first = models.CharField(max_length=MAX_WORD)
    second = models.CharField(max_length=MAX_WORD)
    tier = models.PositiveSmallIntegerField()
    sort = models.CharField(max_length=120)

    class Meta:
        indexes = [
            models.Index(fields=["first", "second", "kind", "tier", "sort", "object_id"], name="search_pair_ranked"),
            models.Index(fields=["kind", "object_id"], name="search_pair_object"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}: {self.first} {self.second}"

    @classmethod
    def tier_of(cls, field: int, first: int, second: int, length: int) -> int:
        """For the words at places `first` and `second` of a name of `length` words: 0, the whole name is
        the two words in this order; 1, the name starts with them; 2, a name holds them; 3, another name
        holds them."""
        if field == Entry.Field.NAME:
            return (0 if length == 2 else 1) if (first, second) == (0, 1) else 2
        return 3


class Spelling(models.Model):
    """The vocabulary for typos: each indexed word under itself and under every form with one or two of
    its letters left out. A typed word's own such forms find the known words within two typos through
    this table's index, whatever the size of the library."""

    variant = models.CharField(max_length=MAX_WORD)
    word = models.CharField(max_length=MAX_WORD)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["variant", "word"], name="unique_search_spelling")]

    def __str__(self):
        return f"{self.variant} → {self.word}"


class Synonym(models.Model):
    words = models.CharField(
        "people type",
        max_length=100,
        unique=True,
        help_text="A word or a few words visitors search for that no name contains: “wheel”.",
    )
    means = models.CharField(
        "to find",
        max_length=100,
        help_text=(
            "Words of the names it should find: “backbend” finds Backbend and every pose or routine with "
            "“backbend” in its name. Search then treats the first words as another name of those."
        ),
    )

    class Meta:
        ordering = ["words"]
        verbose_name = "search synonym"

    def __str__(self):
        return f"{self.words} → {self.means}"

    def clean(self):
        errors = {}
        if not keys(self.words):
            errors["words"] = "Type at least one letter or digit."
        if not keys(self.means):
            errors["means"] = "Type at least one letter or digit."
        elif keys(self.means) == keys(self.words):
            errors["means"] = "This is the same as what people type; search finds it already."
        if errors:
            raise ValidationError(errors)
